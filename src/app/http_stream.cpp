#include "app/http_stream.hpp"

#include <algorithm>
#include <vector>

#include "app/config.hpp"
#include "app/http_hooks.hpp"
#include "app/http_service.hpp"
#include "app/rtmp_service.hpp"  // source_options_of, consumer_options_of
#include "app/server.hpp"
#include "app/stream_encoder.hpp"
#include "core/log.hpp"
#include "protocol/http/error.hpp"
#include "protocol/http/response_writer.hpp"

namespace srs {

namespace {

// At most this many messages per chunk (one gather write), as an RTMP player batches.
constexpr size_t kMaxBatch = 512;
// A batch of a player keeping up (a merge window of messages) fits this.
constexpr size_t kSteadyBatch = 64;

// What the TS PMT announces before the codecs are seen: a published stream's cached
// headers tell, so an audio-only stream gets its PCR on the audio PID from the start.
ts::MuxerOptions ts_options_of(const Source& source) {
  ts::MuxerOptions o;
  if (!source.publishing()) return o;
  const SharedMessagePtr& audio = source.audio_sequence_header();
  if (!source.video_sequence_header() && audio) o.video = ts::VideoCodec::none;
  if (audio && !audio->is_aac()) o.audio = ts::AudioCodec::mp3;
  return o;
}

bool audio_only(RemuxFormat f) noexcept {
  return f == RemuxFormat::mp3 || f == RemuxFormat::aac;
}

// A new MP3/AAC listener gets `fast_cache` seconds of the cached audio (spec config §4.9),
// none when it is 0; the sequence header always stays (the AAC encoder needs it).
void keep_fast_cache(std::vector<QueuedMessage>& batch, size_t primed, double fast_cache_s) {
  const auto cached = batch.begin() + static_cast<ptrdiff_t>(std::min(primed, batch.size()));
  int64_t last = 0;
  for (auto it = batch.begin(); it != cached; ++it) {
    if (it->msg->is_audio()) last = std::max(last, it->timestamp);
  }
  const auto from = last - static_cast<int64_t>(fast_cache_s * 1000);
  auto dropped = [&](const QueuedMessage& q) {
    if (!q.msg->is_audio() || q.msg->is_sequence_header()) return false;
    return fast_cache_s <= 0 || q.timestamp < from;
  };
  batch.erase(std::remove_if(batch.begin(), cached, dropped), cached);
}

// Sends a live stream's chunks at its source's write ticks without resuming the player's
// coroutine (see DirectSender); anything but a steady stream is left to the coroutine.
class DirectChunks final : public DirectSender {
 public:
  DirectChunks(Source& source, HttpConnection* conn, StreamEncoder& encoder,
               http::ResponseWriter& w, std::vector<QueuedMessage>& batch,
               std::vector<asio::const_buffer>& buffers)
      : source_(source), conn_(conn), encoder_(encoder), w_(w), batch_(batch), buffers_(buffers) {}

  bool send_now(Consumer& consumer) noexcept override {
    if (error_ || (conn_ && conn_->closed()) || !source_.publishing()) return false;
    try {
      batch_.clear();
      consumer.fetch(batch_, kSteadyBatch);
      if (batch_.empty()) return true;
      buffers_.clear();
      encoder_.encode(batch_, buffers_);
      if (buffers_.empty()) return true;
      Result<bool> all = w_.write_chunk_now(buffers_);
      if (!all) error_ = all.error();
      return all && *all;  // else the coroutine writes the rest or reports the error
    } catch (const std::exception& e) {
      error_ = fail(core_errc::limit_exceeded, e.what()).error();
      return false;
    }
  }
  // Why a direct send failed, once.
  std::optional<Error> take_error() noexcept { return std::exchange(error_, {}); }

 private:
  Source& source_;
  HttpConnection* conn_;
  StreamEncoder& encoder_;
  http::ResponseWriter& w_;
  std::vector<QueuedMessage>& batch_;
  std::vector<asio::const_buffer>& buffers_;
  std::optional<Error> error_;
};

}  // namespace

namespace {

hooks::Client hook_client_of(const HttpPlayer& p) {
  const RemuxTarget& t = p.target;
  return hooks::Client{p.id, p.ip, t.vhost, t.app, t.stream, p.param, "", p.page_url};
}

// The vhost's hooks as the running config has them (a reload applies to the next event).
HooksConfig current_hooks(HttpService& service, const std::string& vhost) {
  const VhostConfig* v = service.server().config().find_vhost(vhost);
  return v ? v->hooks : HooksConfig{};
}

}  // namespace

awaitable<Result<>> admit_http_player(HttpService& service, const HttpPlayer& player) {
  log_trace("http: admit player ip={} stream={} format={} param={}", player.ip,
            player.target.stream_url(), to_string(player.target.format), player.param);
  const HooksConfig hooks = current_hooks(service, player.target.vhost);
  const hooks::Client client = hook_client_of(player);
  Result<> allowed = co_await hooks::on_play(hooks, client);
  if (!allowed) co_return fail(http_errc::forbidden, allowed.error().message());
  co_return Result<>{};
}

awaitable<void> end_http_player(HttpService& service, const HttpPlayer& player) {
  const HooksConfig hooks = current_hooks(service, player.target.vhost);
  const hooks::Client client = hook_client_of(player);
  co_await hooks::on_stop(hooks, client);
}

LiveStream::LiveStream(HttpService& service, RemuxTarget target)
    : service_(service), target_(std::move(target)) {}

awaitable<Result<>> LiveStream::serve(http::Request& req, http::ResponseWriter& w) {
  // The same header as GET and no endless body; not a play, so no hooks.
  if (req.is_head()) {
    w.set_content_type(content_type_of(target_.format));
    co_return co_await w.write_header();
  }
  HttpPlayer player;
  player.id = current_context();
  player.target = target_;
  if (!req.query.empty()) player.param = "?" + req.query;
  // ip from X-Forwarded-For / X-Real-IP, page_url from Referer (http-hooks.md §4).
  const hooks::Client who = hooks::client_of_http(req, player.id, target_.vhost, target_.app,
                                                  target_.stream, player.param);
  player.ip = who.ip;
  player.page_url = who.page_url;
  if (auto r = co_await admit_http_player(service_, player); !r) co_return r;
  auto ex = co_await asio::this_coro::executor;
  // Copied now: a reload may replace the config (and its vhost blocks) while we play.
  const VhostConfig* vhost = service_.server().config().find_vhost(target_.vhost);
  if (!vhost) co_return fail(http_errc::not_found, "vhost " + target_.vhost);
  const double fast_cache = vhost->http_remux.fast_cache;
  const std::string url = target_.stream_url();
  auto source = service_.sources().fetch_or_create(url, source_options_of(*vhost), vhost->name);
  auto consumer = source->create_consumer(ex, consumer_options_of(*vhost));
  HttpConnection* conn = service_.find(player.id);
  log_trace("http: play start, stream={}, format={}, published={}, queued={}", url,
            to_string(target_.format), source->publishing(), consumer->queued());
  Result<> r = co_await play(*source, *consumer, conn, fast_cache, w);
  if (conn) conn->clear_playing();
  log_trace("http: play stop, stream={}, sent={}, dropped={}{}", url, w.body_bytes(),
            consumer->dropped(), r ? "" : ", " + r.error().message());
  co_await end_http_player(service_, player);
  co_return r;
}

awaitable<Result<>> LiveStream::play(Source& source, Consumer& consumer, HttpConnection* conn,
                                     double fast_cache, http::ResponseWriter& w) {
  w.set_content_type(content_type_of(target_.format));
  if (auto r = co_await w.write_header(); !r) co_return r;
  if (conn) conn->set_playing(target_.stream_url(), [&consumer] { consumer.wake(); });
  auto encoder = make_stream_encoder(target_.format, ts_options_of(source));
  // Sized by use: the first batch (the GOP cache) is large, the later ones a few messages,
  // and what the first one grew is given back after it (players are many).
  std::vector<QueuedMessage> batch;
  std::vector<asio::const_buffer> buffers;
  size_t primed = consumer.queued();
  bool seen_publish = source.publishing();
  DirectChunks direct(source, conn, *encoder, w, batch, buffers);
  struct Unset {
    Consumer& c;
    ~Unset() { c.set_direct_sender(nullptr); }
  } unset{consumer};
  while (true) {
    // The publisher left and everything it sent is out: end the chunked body. (Checked
    // before waiting: the wake that told of the leave may have found frames still to send.)
    if (seen_publish && !source.publishing() && consumer.queued() == 0 && !w.write_unfinished())
      break;
    co_await consumer.wait();
    if (conn && conn->closed()) co_return fail(core_errc::closed, "client left or kicked off");
    if (auto e = direct.take_error()) co_return std::unexpected(std::move(*e));
    if (w.write_unfinished()) {  // a direct send the socket did not take whole
      if (auto r = co_await w.write_chunk_rest(); !r) co_return r;
      continue;
    }
    batch.clear();
    // The primed GOP goes in pieces like any batch (one piece would grow every player's
    // batch to a GOP at join: ~8 KiB each at once); an audio-only format takes it whole, as
    // its fast cache trims it.
    const bool whole = primed > 0 && audio_only(target_.format);
    consumer.fetch(batch, whole ? std::max(kMaxBatch, primed) : kSteadyBatch);
    if (primed > 0 && audio_only(target_.format)) {
      keep_fast_cache(batch, primed, fast_cache);
    }
    primed = 0;
    seen_publish = seen_publish || source.publishing();
    if (batch.empty()) continue;
    buffers.clear();
    encoder->encode(batch, buffers);
    if (buffers.empty()) continue;
    if (auto r = co_await w.write_chunk(buffers); !r) co_return r;
    if (batch.capacity() > kSteadyBatch) {
      batch = {};
      buffers = {};
    }
    // Past the primed GOP: the steady stream can go out by direct sends.
    consumer.set_direct_sender(&direct);
  }
  co_return Result<>{};
}

}  // namespace srs
