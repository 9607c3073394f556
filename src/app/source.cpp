#include "app/source.hpp"

#include <algorithm>
#include <ranges>

#include "core/log.hpp"

namespace srs {

namespace {
class HubCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "srs.hub"; }
  std::string message(int ev) const override {
    switch (static_cast<hub_errc>(ev)) {
      case hub_errc::stream_busy:
        return "stream is already being published";
    }
    return "unknown hub error";
  }
};

bool same_bytes(const SharedMessagePtr& a, const SharedMessagePtr& b) {
  return a && b && std::ranges::equal(a->payload(), b->payload());
}
}  // namespace

const std::error_category& hub_category() noexcept {
  static const HubCategory category;
  return category;
}

Source::Source(std::string url, SourceOptions options, std::string vhost)
    : url_(std::move(url)), vhost_(std::move(vhost)), options_(options) {
  gop_.set_enabled(options.gop_cache);
}

// Consumers hold a shared_ptr to their source, so none can be left when it goes; bridges
// are owned by whoever added them and remove themselves first.
Source::~Source() = default;

void Source::set_options(const SourceOptions& options) {
  options_ = options;
  gop_.set_enabled(options.gop_cache);
}

Result<> Source::acquire_publish(ContextId publisher) {
  if (publishing_) return fail(hub_errc::stream_busy, url_);
  publishing_ = true;
  publisher_ = publisher;
  atc_from_metadata_ = false;
  for (SourceBridge* b : bridges_) b->on_publish();
  return {};
}

void Source::release_publish() {
  if (!publishing_) return;
  // Flush what mix_correct still holds so nothing the publisher sent is lost.
  while (auto m = mix_.pop_any()) distribute(m);
  gop_.clear();
  publishing_ = false;
  for (SourceBridge* b : bridges_) b->on_unpublish();
  // Players stay attached and keep waiting: a republish continues them.
}

void Source::on_metadata(SharedMessagePtr metadata, bool bravo_atc) {
  if (options_.atc_auto && bravo_atc) atc_from_metadata_ = true;
  const bool had = static_cast<bool>(metadata_);
  metadata_ = std::move(metadata);
  for (SourceBridge* b : bridges_) b->on_message(metadata_);
  if (had && options_.reduce_sequence_header) return;
  const bool use_atc = atc();
  for (Consumer* c : consumers_) c->enqueue(metadata_, use_atc, options_.jitter);
}

void Source::on_audio(SharedMessagePtr msg) {
  on_av(std::move(msg));
}
void Source::on_video(SharedMessagePtr msg) {
  on_av(std::move(msg));
}

void Source::on_av(SharedMessagePtr msg) {
  if (!options_.mix_correct) {
    distribute(msg);
    return;
  }
  mix_.push(std::move(msg));
  while (auto m = mix_.pop()) distribute(m);
}

bool Source::cache_sequence_header(const SharedMessagePtr& msg) {
  SharedMessagePtr& slot = msg->is_video() ? video_sh_ : audio_sh_;
  const bool identical = same_bytes(slot, msg);
  slot = msg;
  return !(identical && options_.reduce_sequence_header);
}

void Source::distribute(const SharedMessagePtr& msg) {
  bool to_players = true;
  if (msg->is_sequence_header()) {
    to_players = cache_sequence_header(msg);
  } else if (msg->is_audio() && !msg->is_aac() && !audio_sh_) {
    // A non-AAC stream has no sequence header; its first frame tells players the format.
    audio_sh_ = msg;
  }
  for (SourceBridge* b : bridges_) b->on_message(msg);
  if (to_players) {
    const bool use_atc = atc();
    for (Consumer* c : consumers_) c->enqueue(msg, use_atc, options_.jitter);
  }
  gop_.add(msg);
}

std::unique_ptr<Consumer> Source::create_consumer(Executor ex, const ConsumerOptions& options) {
  auto c = std::make_unique<Consumer>(shared_from_this(), std::move(ex), options);
  prime(*c);
  consumers_.push_back(c.get());
  return c;
}

void Source::prime(Consumer& c) const {
  const bool use_atc = atc();
  // With ATC the headers take the GOP's time, so a player sees no jump back to 0.
  if (use_atc && !gop_.empty()) {
    const int64_t ts = gop_.first_timestamp();
    for (const auto* h : {&metadata_, &audio_sh_, &video_sh_}) {
      if (*h) c.enqueue_at(*h, ts);
    }
  } else {
    for (const auto* h : {&metadata_, &audio_sh_, &video_sh_}) {
      if (*h) c.enqueue(*h, use_atc, options_.jitter);
    }
  }
  c.prime_gop(gop_.snapshot(), use_atc, options_.jitter);
}

void Source::remove_consumer(Consumer* c) noexcept {
  std::erase(consumers_, c);
}

void Source::set_consumer_options(const ConsumerOptions& options) {
  for (Consumer* c : consumers_) c->set_options(options);
}

void Source::add_bridge(SourceBridge* bridge) {
  bridges_.push_back(bridge);
  if (publishing_) bridge->on_publish();
}

void Source::remove_bridge(SourceBridge* bridge) noexcept {
  std::erase(bridges_, bridge);
}

}  // namespace srs
