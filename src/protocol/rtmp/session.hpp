// One RTMP peer over a connected socket, after the handshake; used by the server's
// connections and by our client side alike.
//
// Reading: read() returns the next message that is not protocol control; SetChunkSize,
// Abort, WindowAckSize, pings and acknowledgements are handled here (replies queued).
// Writing: one coroutine writes (the connection's sender). Others queue() small control or
// command messages; the writer moves them into its batch ahead of the media it adds, and
// sends everything with one gather write:
//     ChunkBatch& b = session.start_batch();   // queued control first
//     b.add(*msg, kVideoCid, ts);              // then media, zero-copy
//     co_await session.write_batch();
#pragma once

#include <cstdint>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "core/coro.hpp"
#include "protocol/rtmp/chunk_reader.hpp"
#include "protocol/rtmp/chunk_writer.hpp"
#include "protocol/rtmp/control.hpp"

namespace srs::rtmp {

// Chunk stream ids we send on (spec/rtmp.md §2).
constexpr uint32_t kCommandCid = 3;
constexpr uint32_t kMetadataCid = 4;
constexpr uint32_t kStatusCid = 5;
constexpr uint32_t kVideoCid = 6;
constexpr uint32_t kAudioCid = 7;
// The message stream every createStream gets (spec §3.3).
constexpr uint32_t kStreamId = 1;

// The chunk stream a relayed media message is sent on.
uint32_t media_cid(MessageType type) noexcept;

class Session {
 public:
  explicit Session(asio::ip::tcp::socket& socket, ChunkReaderLimits limits = {});

  // The next message that is not protocol control (commands, data, audio, video, aggregate).
  awaitable<Result<Message>> read();

  // Queues a message for the writer (any coroutine may queue).
  void queue(MessageType type, uint32_t cid, uint32_t stream_id, Bytes payload,
             uint32_t timestamp = 0);
  void queue_control(ControlMessage m) { queue(m.type, kControlCid, 0, std::move(m.payload)); }
  void queue_command(uint32_t cid, uint32_t stream_id, Bytes payload) {
    queue(MessageType::amf0_command, cid, stream_id, std::move(payload));
  }
  void queue_data(uint32_t cid, uint32_t stream_id, Bytes payload) {
    queue(MessageType::amf0_data, cid, stream_id, std::move(payload));
  }
  // Queues SetChunkSize; messages queued after it are chunked with the new size.
  void queue_out_chunk_size(uint32_t size);
  bool has_pending() const noexcept { return !pending_.empty(); }

  // Writer side. start_batch() clears the batch and moves the queued messages into it;
  // add media, then write_batch(). flush() is both for control-only writes.
  ChunkBatch& start_batch();
  awaitable<Result<>> write_batch();
  awaitable<Result<>> flush();
  // write_batch() in two halves, for a writer that is not a coroutine (a player's direct
  // send, app/consumer.hpp): the batch as far as the socket takes it now (true: all of it),
  // then, from a coroutine, the rest. No batch may start while a rest is unfinished.
  Result<bool> write_batch_now();
  awaitable<Result<>> write_batch_rest();
  bool write_unfinished() const noexcept { return !rest_.empty(); }
  // While set, a write that finds the socket full arms `deadline` with `timeout` until the
  // socket drains, then disarms it; a write that goes out at once touches no timer.
  void set_send_deadline(Deadline* deadline, Duration timeout) noexcept {
    send_deadline_ = deadline;
    send_timeout_ = timeout;
  }

  uint64_t bytes_received() const noexcept { return reader_.bytes_received(); }
  // Received bytes not yet parsed: zero means the next read() waits on the socket.
  size_t buffered() const noexcept { return reader_.buffered(); }
  // See ChunkReader::set_keep_buffer (on while the peer publishes).
  void keep_read_buffer(bool keep) noexcept { reader_.set_keep_buffer(keep); }
  uint64_t bytes_sent() const noexcept { return bytes_sent_; }
  // Whether the last write found the socket full and had to wait for it to drain.
  bool last_write_blocked() const noexcept { return last_write_blocked_; }
  uint32_t peer_buffer_ms() const noexcept { return peer_buffer_ms_; }
  asio::ip::tcp::socket& socket() noexcept { return socket_; }

 private:
  struct Pending {
    MessageType type;
    uint32_t cid;
    uint32_t stream_id;
    uint32_t timestamp;
    uint32_t chunk_size_after;  // nonzero: a SetChunkSize we send; apply it after this one
    Bytes payload;
  };
  // True when the message was protocol control and has been handled.
  Result<bool> handle_control(const Message& m);
  void maybe_acknowledge();

  asio::ip::tcp::socket& socket_;
  ChunkReader reader_;
  ChunkBatch batch_;
  std::vector<Pending> pending_;  // queued, not yet in the batch
  std::vector<Pending> writing_;  // in the batch being written (owns the payloads)
  std::span<iovec> rest_;         // of the batch: what write_batch_now() left
  uint32_t peer_window_ = 0;      // the peer's WindowAckSize: we acknowledge every half
  uint64_t acked_at_ = 0;
  uint64_t bytes_sent_ = 0;
  uint32_t peer_buffer_ms_ = 0;
  bool last_write_blocked_ = false;
  Deadline* send_deadline_ = nullptr;
  Duration send_timeout_{};
};

}  // namespace srs::rtmp
