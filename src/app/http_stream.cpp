#include "app/http_stream.hpp"

#include <algorithm>
#include <vector>

#include "app/config.hpp"
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

}  // namespace

awaitable<Result<>> admit_http_player(HttpService&, const HttpPlayer& player) {
  // TODO(issue 6, hooks): on_play for player.target (deny: http_errc::forbidden).
  log_trace("http: admit player ip={} stream={} format={} param={}", player.ip,
            player.target.stream_url(), to_string(player.target.format), player.param);
  co_return Result<>{};
}

awaitable<void> end_http_player(HttpService&, const HttpPlayer&) {
  // TODO(issue 6, hooks): on_stop.
  co_return;
}

LiveStream::LiveStream(HttpService& service, RemuxTarget target)
    : service_(service), target_(std::move(target)) {}

awaitable<Result<>> LiveStream::serve(http::Request& req, http::ResponseWriter& w) {
  const VhostConfig* vhost = service_.server().config().find_vhost(target_.vhost);
  if (!vhost) co_return fail(http_errc::not_found, "vhost " + target_.vhost);
  HttpPlayer player;
  player.id = current_context();
  player.ip = req.peer_ip;
  player.target = target_;
  if (!req.query.empty()) player.param = "?" + req.query;
  player.page_url = std::string(req.headers.get("Referer").value_or(""));
  if (auto r = co_await admit_http_player(service_, player); !r) co_return r;
  if (req.is_head()) {  // the same header as GET, and no endless body
    w.set_content_type(content_type_of(target_.format));
    co_return co_await w.write_header();
  }

  const std::string url = target_.stream_url();
  auto source = service_.sources().fetch_or_create(url, source_options_of(*vhost), vhost->name);
  auto ex = co_await asio::this_coro::executor;
  auto consumer = source->create_consumer(ex, consumer_options_of(*vhost));
  HttpConnection* conn = service_.find(player.id);
  log_trace("http: play start, stream={}, format={}, published={}, queued={}", url,
            to_string(target_.format), source->publishing(), consumer->queued());
  Result<> r = co_await play(*source, *consumer, conn, *vhost, w);
  if (conn) conn->clear_playing();
  log_trace("http: play stop, stream={}, sent={}, dropped={}{}", url, w.body_bytes(),
            consumer->dropped(), r ? "" : ", " + r.error().message());
  co_await end_http_player(service_, player);
  co_return r;
}

awaitable<Result<>> LiveStream::play(Source& source, Consumer& consumer, HttpConnection* conn,
                                     const VhostConfig& vhost, http::ResponseWriter& w) {
  w.set_content_type(content_type_of(target_.format));
  if (auto r = co_await w.write_header(); !r) co_return r;
  if (conn) conn->set_playing(target_.stream_url(), [&consumer] { consumer.wake(); });
  auto encoder = make_stream_encoder(target_.format, ts_options_of(source));
  std::vector<QueuedMessage> batch;
  batch.reserve(kMaxBatch);
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(2 * kMaxBatch + 1);
  size_t primed = consumer.queued();
  bool seen_publish = source.publishing();
  const auto idle = std::chrono::milliseconds(std::max<int64_t>(consumer.merge_ms(), 10));
  while (true) {
    co_await consumer.wait(idle);
    if (conn && conn->closed()) co_return fail(core_errc::closed, "kicked off");
    batch.clear();
    consumer.fetch(batch, std::max(kMaxBatch, primed));
    if (primed > 0 && audio_only(target_.format)) {
      keep_fast_cache(batch, primed, vhost.http_remux.fast_cache);
    }
    primed = 0;
    if (batch.empty()) {
      // The publisher left and everything it sent is out: end the chunked body.
      if (seen_publish && !source.publishing()) break;
      seen_publish = seen_publish || source.publishing();
      continue;
    }
    seen_publish = seen_publish || source.publishing();
    buffers.clear();
    encoder->encode(batch, buffers);
    if (buffers.empty()) continue;
    if (auto r = co_await w.write_chunk(buffers); !r) co_return r;
  }
  co_return Result<>{};
}

}  // namespace srs
