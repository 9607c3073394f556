#include "app/source.hpp"

#include <algorithm>
#include <ranges>

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>

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
  // Players stay attached: a republish continues them. Each is woken to see the publisher
  // gone (an HTTP stream ends its body).
  for (Consumer* c : consumers_) {
    unpark(*c);
    c->wake();
  }
}

void Source::on_metadata(SharedMessagePtr metadata, bool bravo_atc) {
  if (options_.atc_auto && bravo_atc) atc_from_metadata_ = true;
  const bool had = static_cast<bool>(metadata_);
  metadata_ = std::move(metadata);
  for (SourceBridge* b : bridges_) b->on_message(metadata_);
  if (had && options_.reduce_sequence_header) return;
  append_to_log(metadata_);
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
  if (to_players) append_to_log(msg);
  gop_.add(msg);
}

void Source::append_to_log(const SharedMessagePtr& msg) {
  const int64_t time = msg->is_av()
                           ? timeline_.correct(msg->timestamp(), true, JitterAlgorithm::full)
                           : log_.back_time();
  // Nobody would read it: a consumer that comes starts at the end. (Most published streams
  // of a busy origin may have no player.)
  if (consumers_.empty()) {
    if (log_.size() > 0) log_.trim(log_.end());
    return;
  }
  if (log_.full() || (log_.size() > 0 && time - log_[log_.begin()].time > trim_span_)) {
    trim_log();
  }
  log_.append(msg, time);
  last_append_ = std::chrono::steady_clock::now();
  if (!parked_.empty()) watch_stalls(parked_.front().consumer->waiter_.executor());
  wake_parked(time);
}

// Drops what every consumer has read, after consumers too far behind have skipped ahead.
void Source::trim_log() {
  uint64_t oldest = log_.end();
  int64_t span = 0;
  for (Consumer* c : consumers_) {
    c->enforce_queue_length();
    oldest = std::min(oldest, c->cursor());
    span = std::max(span, c->options_.queue_length_ms);
  }
  trim_span_ = span;
  log_.trim(oldest);
}

void Source::park(Consumer& c) {
  if (c.park_slot_ != SIZE_MAX) return;
  if (c.ticked() && consumers_.size() >= kGroupedFrom) {
    park_ticked(c);
    return;
  }
  c.park_ticked_ = false;
  c.park_slot_ = parked_.size();
  if (c.cursor_ < log_.end()) watch_stalls(c.waiter_.executor());
  if (c.cursor_ < log_.end()) {
    const int64_t wake_at = log_[c.cursor_].time + c.hold_ms();
    parked_.push_back(Parked{&c, wake_at, true});
    parked_min_ = std::min(parked_min_, wake_at);
  } else {
    parked_.push_back(Parked{&c, 0, false});
    ++unresolved_;
  }
}

void Source::unpark(Consumer& c) noexcept {
  if (c.park_slot_ == SIZE_MAX) return;
  if (c.park_ticked_) {
    remove_ticked(c);
  } else {
    remove_parked(c.park_slot_);
  }
}

void Source::park_ticked(Consumer& c) {
  std::vector<Consumer*>& group = ticking_[c.write_group_];
  c.park_ticked_ = true;
  c.park_slot_ = group.size();
  group.push_back(&c);
  ++ticking_count_;
  const int64_t period_us = std::max<int64_t>(1, c.hold_ms()) * 1000 * 5 / 4;
  tick_ = std::chrono::microseconds(period_us / static_cast<int64_t>(kWriteGroups));
  if (!ticker_running_) {
    ticker_running_ = true;
    spawn(c.waiter_.executor(), run_ticker(shared_from_this()), "write ticks");
  }
}

void Source::remove_ticked(Consumer& c) noexcept {
  std::vector<Consumer*>& group = ticking_[c.write_group_];
  const size_t slot = c.park_slot_;
  c.park_slot_ = SIZE_MAX;
  if (slot + 1 != group.size()) {
    group[slot] = group.back();
    group[slot]->park_slot_ = slot;
  }
  group.pop_back();
  --ticking_count_;
}

// Wakes the group's consumers that have something to write, or sends for them directly
// when they can; the others stay for their next turn. One pass, each consumer touched once
// (they are many and cold in the cache).
void Source::wake_group(size_t index) {
  std::vector<Consumer*>& group = ticking_[index];
  size_t kept = 0;
  for (Consumer* c : group) {
    if (c->cursor_ >= log_.end() || (c->direct_ && c->direct_->send_now(*c))) {
      c->park_slot_ = kept;
      group[kept++] = c;
      continue;
    }
    c->park_slot_ = SIZE_MAX;
    c->wake();
  }
  ticking_count_ -= group.size() - kept;
  group.resize(kept);
}

// Runs while consumers are parked in write groups; a late tick (a busy loop) is not made
// up with a burst of ticks.
awaitable<void> Source::run_ticker(std::shared_ptr<Source> self) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto next = std::chrono::steady_clock::now();
  while (self->ticking_count_ > 0) {
    next += self->tick_;
    next = std::max(next, std::chrono::steady_clock::now());
    timer.expires_at(next);
    co_await timer.async_wait(use_nothrow);
    self->tick_group_ = (self->tick_group_ + 1) % kWriteGroups;
    self->wake_group(self->tick_group_);
  }
  self->ticker_running_ = false;
}

// Wakes the parked consumers holding unread messages: the publisher has gone quiet.
void Source::flush_stalled() {
  for (size_t i = 0; i < parked_.size();) {
    Consumer* c = parked_[i].consumer;
    if (c->cursor_ >= log_.end()) {
      ++i;
      continue;
    }
    remove_parked(i);
    c->wake();
  }
}

void Source::watch_stalls(const Executor& ex) {
  if (stall_watch_running_) return;
  stall_watch_running_ = true;
  spawn(ex, run_stall_watch(shared_from_this(), ex), "stall watch");
}

// Runs while consumers are parked by arrival and the stream flows: wakes once per
// kStallFlush (the next message moved last_append_ on), never per message. After a stall
// it ends; the next message or a consumer parking with unread messages starts it again.
awaitable<void> Source::run_stall_watch(std::shared_ptr<Source> self, Executor ex) {
  asio::steady_timer timer(ex);
  while (!self->parked_.empty()) {
    const auto due = self->last_append_ + kStallFlush;
    if (std::chrono::steady_clock::now() >= due) {
      self->flush_stalled();
      break;
    }
    timer.expires_at(due);
    co_await timer.async_wait(use_nothrow);
  }
  self->stall_watch_running_ = false;
}

void Source::remove_parked(size_t slot) noexcept {
  if (!parked_[slot].resolved) --unresolved_;
  parked_[slot].consumer->park_slot_ = SIZE_MAX;
  if (slot + 1 != parked_.size()) {
    parked_[slot] = parked_.back();
    parked_[slot].consumer->park_slot_ = slot;
  }
  parked_.pop_back();
}

// Most messages wake nobody: the scan runs only when a parked consumer's time has come or
// one had nothing unread before this message. Consumers that read up to the same message
// share a wake time, so they are woken together.
void Source::wake_parked(int64_t time) {
  if (unresolved_ == 0 && time < parked_min_) return;
  int64_t next_min = INT64_MAX;
  for (size_t i = 0; i < parked_.size();) {
    Parked& p = parked_[i];
    if (!p.resolved) {
      p.resolved = true;
      p.wake_at = time + p.consumer->hold_ms();
      --unresolved_;
    }
    if (p.wake_at <= time) {
      Consumer* c = p.consumer;
      remove_parked(i);
      c->wake();
      continue;
    }
    next_min = std::min(next_min, p.wake_at);
    ++i;
  }
  parked_min_ = next_min;
}

std::unique_ptr<Consumer> Source::create_consumer(Executor ex, const ConsumerOptions& options) {
  auto c = std::make_unique<Consumer>(shared_from_this(), std::move(ex), options);
  c->write_group_ = next_write_group_;
  next_write_group_ = static_cast<uint8_t>((next_write_group_ + 1) % kWriteGroups);
  prime(*c);
  consumers_.push_back(c.get());
  trim_span_ = std::max(trim_span_, options.queue_length_ms);
  return c;
}

void Source::prime(Consumer& c) const {
  // With ATC the headers take the GOP's time, so a player sees no jump back to 0.
  std::optional<int64_t> ts;
  if (atc() && !gop_.empty()) ts = gop_.first_timestamp();
  for (const auto* h : {&metadata_, &audio_sh_, &video_sh_}) {
    if (*h) c.prime_header(*h, ts);
  }
  c.prime_gop(gop_.snapshot());
  c.cursor_ = log_.end();
}

void Source::remove_consumer(Consumer* c) noexcept {
  unpark(*c);
  std::erase(consumers_, c);
}

void Source::set_consumer_options(const ConsumerOptions& options) {
  for (Consumer* c : consumers_) c->set_options(options);
  trim_span_ = options.queue_length_ms;
}

void Source::add_bridge(SourceBridge* bridge) {
  bridges_.push_back(bridge);
  if (publishing_) bridge->on_publish();
}

void Source::remove_bridge(SourceBridge* bridge) noexcept {
  std::erase(bridges_, bridge);
}

}  // namespace srs
