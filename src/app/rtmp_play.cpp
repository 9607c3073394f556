// The playing half of an RTMP connection (spec/rtmp.md §3.4). Two coroutines share the
// socket: the sender owns every write (media batches and queued replies, one gather write
// each); the receiver reads the client's commands (pause, closeStream, pings) and only
// queues replies, waking the sender to flush them.
#include <vector>

#include "app/config.hpp"
#include "app/rtmp_connection.hpp"
#include "app/rtmp_service.hpp"
#include "core/log.hpp"
#include "protocol/rtmp/replies.hpp"

namespace srs {

namespace {
// A write that makes no progress for this long means the player is gone (spec §6).
constexpr Duration kSendTimeout = 30s;
constexpr Duration kNoDeadline = std::chrono::hours(24 * 365);
// After closeStream the client may stay connected a long time (spec §6).
constexpr Duration kAfterCloseStream = std::chrono::minutes(30);
// At most this many messages in one gather write: more saves no syscalls worth having, and
// the batch buffers (kept for the connection's life) stay small, as players are many.
constexpr size_t kMaxBatch = 32;
}  // namespace

awaitable<Result<>> RtmpConnection::play(const Identity& who, const VhostConfig& vhost) {
  const std::string url = request_.stream_url();
  auto source = service_.sources().fetch_or_create(url, source_options_of(vhost), vhost.name);
  using rtmp::UserControlEvent;
  session_.queue_control(rtmp::user_control(UserControlEvent::stream_begin, rtmp::kStreamId));
  session_.queue_command(rtmp::kStatusCid, rtmp::kStreamId,
                         rtmp::encode_on_status(rtmp::Status::play_reset));
  session_.queue_command(rtmp::kStatusCid, rtmp::kStreamId,
                         rtmp::encode_on_status(rtmp::Status::play_start));
  session_.queue_data(rtmp::kStatusCid, rtmp::kStreamId, rtmp::encode_sample_access());
  session_.queue_data(rtmp::kStatusCid, rtmp::kStreamId, rtmp::encode_data_start());
  if (auto w = co_await session_.flush(); !w) co_return wrap(w, "play " + url);
  // http-hooks.md §5: after Play.Start; a denied player is closed and gets no on_stop.
  if (auto a = co_await authorize_start(AccessKind::play, vhost); !a) {
    co_return wrap(a, "play " + url);
  }

  auto consumer = source->create_consumer(socket_.get_executor(), consumer_options_of(vhost));
  consumer_ = consumer.get();
  log_trace("rtmp: play start, stream={}, source_id={}, queued={}", url, source->source_id(),
            consumer->queued());
  play_stopped_ = false;
  receiver_done_ = false;
  receiver_error_.reset();
  spawn(socket_.get_executor(), receive_while_playing(shared_from_this(), consumer.get()),
        "rtmp play receiver");
  Result<> r = co_await send_media(*consumer, who.duration);
  play_stopped_ = true;
  if (!r || !receiver_done_) close();  // ends the receiver's pending read
  while (!receiver_done_) co_await receiver_exit_.wait();
  consumer_ = nullptr;
  if (r && receiver_error_) r = std::unexpected(*receiver_error_);  // the client is gone
  log_trace("rtmp: play stop, stream={}, dropped={}", url, consumer->dropped());
  co_await notify_stop();
  if (!r) co_return wrap(r, "play " + url);
  if (socket_.is_open()) arm_deadline(kAfterCloseStream);
  co_return Result<>{};
}

awaitable<Result<>> RtmpConnection::send_media(Consumer& consumer, double duration_ms) {
  sending_.reserve(kMaxBatch);
  int64_t first_ts = -1;
  // Between writes the player may wait for media for long; a write that finds the socket
  // full must drain within kSendTimeout (the session arms the deadline only then).
  arm_deadline(kNoDeadline);
  session_.set_send_deadline(&deadline_, kSendTimeout);
  // Media goes out by direct sends at the source's write ticks (see DirectSender) unless
  // the play has a duration: that is counted here.
  if (duration_ms <= 0) consumer.set_direct_sender(this);
  struct Unset {
    rtmp::Session& s;
    Consumer& c;
    ~Unset() {
      c.set_direct_sender(nullptr);
      s.set_send_deadline(nullptr, {});
    }
  } unset{session_, consumer};
  while (!play_stopped_) {
    // send_min_interval: one message per write, then a pause (spec config §4.1), instead
    // of merged writes. Both settings are read every round: they reload.
    const bool paced = settings_.send_min_interval > Duration::zero();
    if (!paced || consumer.queued() == 0 || consumer.paused()) {
      co_await consumer.wait();
    }
    if (auto r = co_await finish_direct_send(consumer); !r) co_return r;
    if (play_stopped_) break;
    if (!start_media_batch(consumer, paced ? 1 : kMaxBatch)) continue;
    if (first_ts < 0) {
      for (const QueuedMessage& q : sending_) {
        if (q.msg->is_av()) {
          first_ts = q.timestamp;
          break;
        }
      }
    }
    if (auto w = co_await session_.write_batch(); !w) co_return send_failed(w);
    consumer.set_congested(session_.last_write_blocked());
    if (duration_ms > 0 && first_ts >= 0 && !sending_.empty() &&
        sending_.back().timestamp - first_ts >= duration_ms) {
      co_return fail(core_errc::closed, "play duration reached");
    }
    if (paced) co_await sleep_for(settings_.send_min_interval);
  }
  co_return Result<>{};
}

bool RtmpConnection::start_media_batch(Consumer& consumer, size_t max) {
  sending_.clear();
  consumer.fetch(sending_, max);
  rtmp::ChunkBatch& out = session_.start_batch();
  for (const QueuedMessage& q : sending_) {
    const SharedMessage& m = *q.msg;
    // Our own payloads and a publisher's are within the 24-bit length: add cannot fail.
    (void)out.add(rtmp::OutMessage{m.type(), static_cast<uint32_t>(q.timestamp), rtmp::kStreamId,
                                   rtmp::media_cid(m.type()), m.payload()});
  }
  return !out.empty();
}

// Called by the source, outside this connection's coroutines: nothing here waits or logs.
bool RtmpConnection::send_now(Consumer& consumer) noexcept {
  if (play_stopped_ || direct_error_ || settings_.send_min_interval > Duration::zero()) {
    return false;
  }
  try {
    if (!start_media_batch(consumer, kMaxBatch)) return true;
    Result<bool> all = session_.write_batch_now();
    if (!all) {
      direct_error_ = all.error();
      return false;
    }
    if (!*all) return false;  // the sender writes the rest
  } catch (const std::exception& e) {
    direct_error_ = fail(core_errc::limit_exceeded, e.what()).error();
    return false;
  }
  consumer.set_congested(false);
  return true;
}

// A failed media write: a player that stopped reading for kSendTimeout is timed out.
Result<> RtmpConnection::send_failed(const Result<>& w) const {
  if (deadline_.expired()) return fail(core_errc::timeout, "send to player");
  return wrap(w, "send");
}

// What a direct send left for the sender: its error, or the rest of its batch.
awaitable<Result<>> RtmpConnection::finish_direct_send(Consumer& consumer) {
  if (direct_error_) {
    Error e = *std::exchange(direct_error_, {});
    co_return wrap(Result<>(std::unexpected(std::move(e))), "send");
  }
  if (!session_.write_unfinished()) co_return Result<>{};
  if (auto w = co_await session_.write_batch_rest(); !w) co_return send_failed(w);
  consumer.set_congested(true);
  co_return Result<>{};
}

awaitable<void> RtmpConnection::receive_while_playing(std::shared_ptr<RtmpConnection> self,
                                                      Consumer* consumer) {
  while (!self->play_stopped_) {
    auto m = co_await self->session_.read();
    if (!m) {
      if (!self->play_stopped_) self->receiver_error_ = m.error();
      self->play_stopped_ = true;
      break;
    }
    if (rtmp::is_command(m->type)) {
      if (auto c = rtmp::decode_command(m->type, m->payload)) {
        self->on_player_command(*c, *consumer);
      }
    }
    if (self->session_.has_pending()) consumer->wake();
  }
  self->receiver_done_ = true;
  consumer->wake();
  self->receiver_exit_.notify();
}

void RtmpConnection::on_player_command(const rtmp::Command& c, Consumer& consumer) {
  using rtmp::UserControlEvent;
  if (c.name == rtmp::kPause) {
    auto p = rtmp::parse_pause(c);
    if (!p) return;
    consumer.set_paused(p->pause);
    session_.queue_command(rtmp::kStatusCid, rtmp::kStreamId,
                           rtmp::encode_on_status(p->pause ? rtmp::Status::pause_notify
                                                           : rtmp::Status::unpause_notify));
    session_.queue_control(rtmp::user_control(
        p->pause ? UserControlEvent::stream_eof : UserControlEvent::stream_begin, rtmp::kStreamId));
    log_trace("rtmp: {} play", p->pause ? "pause" : "resume");
  } else if (c.name == rtmp::kCloseStream) {
    play_stopped_ = true;
  } else if (c.transaction_id > 0) {
    session_.queue_command(rtmp::kCommandCid, 0,
                           rtmp::encode_result(c.transaction_id, amf0::Null{}));
  }
}

}  // namespace srs
