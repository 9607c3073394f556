// The publishing half of an RTMP connection (spec/rtmp.md §3.5): the rest of the FMLE /
// Haivision command exchange, acquiring the stream, then media into the Source until the
// client unpublishes, leaves or goes quiet past the publish timeouts.
#include "app/config.hpp"
#include "app/rtmp_connection.hpp"
#include "app/rtmp_service.hpp"
#include "app/server.hpp"
#include "core/log.hpp"
#include "core/version.hpp"
#include "protocol/rtmp/aggregate.hpp"
#include "protocol/rtmp/metadata.hpp"
#include "protocol/rtmp/replies.hpp"

namespace srs {

namespace {
// Waiting for the client to publish again after FCUnpublish (spec §6).
constexpr Duration kRepublishTimeout = std::chrono::minutes(3);

const rtmp::MetadataStamp& metadata_stamp() {
  static const rtmp::MetadataStamp stamp{std::string(kServerSignature), "ossrs/srs compatible",
                                         "the SRS authors", std::string(kVersion)};
  return stamp;
}
}  // namespace

// FMLE: FCPublish, createStream, publish; Haivision: publish. Answers each as it comes and
// drops everything else until publish (spec §3.5), so a client that skips a step works too.
awaitable<Result<>> RtmpConnection::finish_publish_handshake(const Identity& who) {
  if (who.type == RtmpClientType::flash_publish) co_return Result<>{};
  for (;;) {
    auto c = co_await read_command();
    if (!c) co_return std::unexpected(c.error());
    if (c->name == rtmp::kPublish) co_return Result<>{};
    if (c->name == rtmp::kFCPublish) {
      session_.queue_command(rtmp::kCommandCid, 0,
                             rtmp::encode_result(c->transaction_id, amf0::Undefined{}));
    } else if (c->name == rtmp::kCreateStream) {
      session_.queue_command(rtmp::kCommandCid, 0,
                             rtmp::encode_result(c->transaction_id, rtmp::kDefaultStreamId));
    } else {
      continue;
    }
    if (auto w = co_await session_.flush(); !w) co_return std::unexpected(w.error());
  }
}

awaitable<Result<>> RtmpConnection::refuse_busy(const std::string& url) {
  session_.queue_command(rtmp::kStatusCid, rtmp::kStreamId,
                         rtmp::encode_on_status(rtmp::Status::publish_bad_name));
  co_await session_.flush();
  co_await notify_unpublish();  // rtmp.md §3.5: a busy stream still fires on_unpublish
  co_return fail(hub_errc::stream_busy, "publish " + url);
}

awaitable<Result<>> RtmpConnection::publish(const Identity& who, const VhostConfig& vhost) {
  if (auto r = co_await finish_publish_handshake(who); !r) co_return wrap(r, "publish");
  const std::string url = request_.stream_url();
  const bool fmle = who.type != RtmpClientType::flash_publish;
  // A busy stream is refused before Publish.Start (a deliberate improvement over 2.0, which
  // said Publish.Start and then dropped it); a race lost during the on_publish hook is
  // caught by acquire_publish below.
  const auto held = service_.sources().find(url);
  if (held && held->publishing()) co_return co_await refuse_busy(url);
  if (fmle) {
    session_.queue_command(rtmp::kStatusCid, rtmp::kStreamId, rtmp::encode_on_fc_publish());
  }
  session_.queue_command(rtmp::kStatusCid, rtmp::kStreamId,
                         rtmp::encode_on_status(rtmp::Status::publish_start));
  if (auto w = co_await session_.flush(); !w) co_return wrap(w, "publish " + url);
  // http-hooks.md §5: refer_publish and on_publish come after Publish.Start, before the
  // stream is acquired; a denied publisher is closed and gets no on_unpublish.
  if (auto a = co_await authorize_start(AccessKind::publish, vhost); !a) {
    co_return wrap(a, "publish " + url);
  }
  auto source = service_.sources().fetch_or_create(url, source_options_of(vhost), vhost.name);
  service_.sources().prepare_publish(source, request_);  // HLS/DVR bridges
  // Declared outside the `if`: GCC 12 mishandles a condition variable that lives across a
  // co_await in its body (double destruction).
  Result<> acquired = source->acquire_publish(id_);
  if (!acquired) co_return co_await refuse_busy(url);
  log_trace("rtmp: publish start, stream={}, source_id={}", url, id_);
  stats().on_publish(id_);
  session_.keep_read_buffer(true);
  Result<> r = co_await receive_media(*source, fmle);
  session_.keep_read_buffer(false);
  source->release_publish();
  stats().on_unpublish(id_);
  log_trace("rtmp: publish stop, stream={}", url);
  co_await notify_unpublish();
  if (!r) co_return wrap(r, "publish " + url);
  arm_deadline(kRepublishTimeout);
  co_return Result<>{};
}

// Until the client unpublishes (returns success) or fails.
// The timeouts and mr are read from settings_ on every round: they reload.
awaitable<Result<>> RtmpConnection::receive_media(Source& source, bool fmle) {
  arm_deadline(settings_.first_packet_timeout);
  for (;;) {
    if (settings_.merged_read && session_.buffered() == 0 && !read_block_waiting()) {
      // mr: the next read would be a syscall for a few bytes; wait so it gets many.
      co_await sleep_for(settings_.mr_latency);
    }
    auto m = co_await session_.read();
    if (!m) {
      if (deadline_.expired()) co_return fail(core_errc::timeout, "no media from publisher");
      co_return std::unexpected(m.error());
    }
    auto keep_going = on_publisher_message(source, *m, fmle);
    if (!keep_going) co_return std::unexpected(keep_going.error());
    if (session_.has_pending()) {
      if (auto w = co_await session_.flush(); !w) co_return std::unexpected(w.error());
    }
    if (!*keep_going) co_return Result<>{};
    if (m->type == MessageType::audio || m->type == MessageType::video ||
        m->type == MessageType::aggregate) {
      arm_deadline(settings_.normal_timeout);
    }
  }
}

// A full read's worth already waits in the kernel: mr need not wait for more, and must
// not, or a fast publisher would be throttled to one read block per mr_latency.
bool RtmpConnection::read_block_waiting() {
  std::error_code ec;
  return socket_.available(ec) >= rtmp::ChunkReader::kReadBlock;
}

// False when the client unpublished.
Result<bool> RtmpConnection::on_publisher_message(Source& source, rtmp::Message& m, bool fmle) {
  switch (m.type) {
    case MessageType::audio:
      on_publisher_audio(source, std::move(m).share());
      return true;
    case MessageType::video:
      on_publisher_video(source, std::move(m).share());
      return true;
    case MessageType::aggregate: {
      auto parts = rtmp::split_aggregate(m);
      if (!parts) return wrap(parts, "aggregate");
      for (rtmp::Message& part : *parts) {
        if (part.type == MessageType::audio) on_publisher_audio(source, std::move(part).share());
        if (part.type == MessageType::video) on_publisher_video(source, std::move(part).share());
      }
      return true;
    }
    case MessageType::amf0_data:
    case MessageType::amf3_data:
      on_metadata(source, m);
      return true;
    case MessageType::amf0_command:
    case MessageType::amf3_command: {
      auto c = rtmp::decode_command(m.type, m.payload);
      if (!c) return true;      // a broken command does not end a publish
      if (!fmle) return false;  // Flash: any command ends the publish (spec §3.5)
      if (c->name != rtmp::kFCUnpublish) return true;
      send_unpublish_replies(c->transaction_id);
      return false;
    }
    default:
      return true;
  }
}

// Stats first: the API's frame count and codec info (no allocation but for headers).
void RtmpConnection::on_publisher_audio(Source& source, SharedMessagePtr msg) {
  if (stream_stat_) stream_stat_->on_audio(*msg);
  source.on_audio(std::move(msg));
}

void RtmpConnection::on_publisher_video(Source& source, SharedMessagePtr msg) {
  if (stream_stat_) stream_stat_->on_video(*msg);
  source.on_video(std::move(msg));
}

void RtmpConnection::on_metadata(Source& source, const rtmp::Message& m) {
  if (!rtmp::is_metadata(m.type, m.payload)) return;
  auto decoded = rtmp::decode_metadata(m.type, m.payload);
  if (!decoded) {
    log_warn("rtmp: ignore bad metadata, {}", decoded.error());
    return;
  }
  rtmp::Metadata stored = rtmp::build_stored_metadata(*decoded, metadata_stamp());
  log_trace("rtmp: got metadata, width={}, height={}, vcodec={}, acodec={}", stored.width,
            stored.height, stored.video_codec, stored.audio_codec);
  auto msg = SharedMessage::make(MessageType::amf0_data, m.timestamp, m.stream_id,
                                 std::move(stored.payload));
  source.on_metadata(std::move(msg), stored.bravo_atc);
}

void RtmpConnection::send_unpublish_replies(double tid) {
  session_.queue_command(rtmp::kStatusCid, rtmp::kStreamId, rtmp::encode_on_fc_unpublish());
  session_.queue_command(rtmp::kStatusCid, rtmp::kStreamId,
                         rtmp::encode_result(tid, amf0::Undefined{}));
  session_.queue_command(rtmp::kStatusCid, rtmp::kStreamId,
                         rtmp::encode_on_status(rtmp::Status::unpublish_success));
}

}  // namespace srs
