#include "protocol/rtmp/session.hpp"

#include <cassert>

#include "core/log.hpp"
#include "protocol/rtmp/chunk_io.hpp"
#include "protocol/socket_write.hpp"

namespace srs::rtmp {

namespace {
// Messages the write batch has room for up front; it grows (once) for larger batches. Kept
// small: every connection holds one, and players are many.
constexpr size_t kBatchReserve = 16;
}  // namespace

uint32_t media_cid(MessageType type) noexcept {
  switch (type) {
    case MessageType::video:
      return kVideoCid;
    case MessageType::audio:
      return kAudioCid;
    case MessageType::amf0_data:
    case MessageType::amf3_data:
      return kMetadataCid;
    default:
      return kStatusCid;
  }
}

Session::Session(asio::ip::tcp::socket& socket, ChunkReaderLimits limits)
    : socket_(socket), reader_(limits), batch_(kDefaultChunkSize, kBatchReserve) {}

void Session::queue(MessageType type, uint32_t cid, uint32_t stream_id, Bytes payload,
                    uint32_t timestamp) {
  pending_.push_back(Pending{type, cid, stream_id, timestamp, 0, std::move(payload)});
}

void Session::queue_out_chunk_size(uint32_t size) {
  ControlMessage m = set_chunk_size(size);
  pending_.push_back(Pending{m.type, kControlCid, 0, 0, size, std::move(m.payload)});
}

ChunkBatch& Session::start_batch() {
  assert(rest_.empty() && "the last batch's rest is unwritten");
  batch_.clear();
  writing_.clear();
  std::swap(writing_, pending_);
  for (const Pending& p : writing_) {
    // Our own messages are well-formed (cid and length in range): add cannot fail.
    (void)batch_.add(OutMessage{p.type, p.timestamp, p.stream_id, p.cid, p.payload});
    if (p.chunk_size_after) (void)batch_.set_chunk_size(p.chunk_size_after);
  }
  return batch_;
}

// Written at once when the socket takes it (no coroutine frame below this one); only a
// full socket waits, under the send deadline.
awaitable<Result<>> Session::write_batch() {
  Result<bool> all = write_batch_now();
  if (!all) co_return std::unexpected(all.error());
  if (*all) co_return Result<>{};
  co_return co_await write_batch_rest();
}

Result<bool> Session::write_batch_now() {
  last_write_blocked_ = false;
  std::span<iovec> iov = batch_.iovecs();
  Result<size_t> done = write_iovecs_now(socket_, iov);
  if (!done) return std::unexpected(done.error());
  if (*done < iov.size()) {
    last_write_blocked_ = true;
    rest_ = iov.subspan(*done);
    return false;
  }
  bytes_sent_ += batch_.bytes();
  return true;
}

awaitable<Result<>> Session::write_batch_rest() {
  std::span<iovec> rest = std::exchange(rest_, {});
  if (rest.empty()) co_return Result<>{};
  Result<> r = co_await write_rest(socket_, rest, send_deadline_, send_timeout_);
  if (!r) co_return r;
  bytes_sent_ += batch_.bytes();
  co_return Result<>{};
}

awaitable<Result<>> Session::flush() {
  start_batch();
  co_return co_await write_batch();
}

awaitable<Result<Message>> Session::read() {
  bool readable = false;
  for (;;) {
    auto m = read_message_now(socket_, reader_, readable);
    if (!m) co_return std::unexpected(m.error());
    if (!*m) {
      if (auto w = co_await wait_readable(socket_); !w) co_return std::unexpected(w.error());
      readable = true;
      continue;
    }
    readable = false;
    maybe_acknowledge();
    auto handled = handle_control(**m);
    if (!handled) co_return std::unexpected(handled.error());
    if (!*handled) co_return std::move(**m);
  }
}

void Session::maybe_acknowledge() {
  if (peer_window_ == 0) return;
  const uint64_t received = reader_.bytes_received();
  if (received - acked_at_ < peer_window_ / 2) return;
  acked_at_ = received;
  // The sequence number is 32 bits; it restarts well before it would overflow (spec §2).
  queue_control(acknowledgement(static_cast<uint32_t>(received % 0xF0000000ULL)));
}

Result<bool> Session::handle_control(const Message& m) {
  switch (m.type) {
    case MessageType::set_chunk_size:
    case MessageType::abort:
      return true;  // applied by read_message
    case MessageType::acknowledgement:
    case MessageType::set_peer_bandwidth:
      return true;
    case MessageType::window_ack_size: {
      auto w = decode_window_ack_size(m.payload);
      if (!w) return wrap(w, "window ack size");
      peer_window_ = *w;
      return true;
    }
    case MessageType::user_control: {
      auto u = decode_user_control(m.payload);
      if (!u) return wrap(u, "user control");
      if (u->event == UserControlEvent::ping_request) {
        queue_control(user_control(UserControlEvent::ping_response, u->value));
      } else if (u->event == UserControlEvent::set_buffer_length) {
        peer_buffer_ms_ = u->buffer_ms;
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace srs::rtmp
