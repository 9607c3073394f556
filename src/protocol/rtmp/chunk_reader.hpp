// The receiving half of the RTMP chunk stream (RTMP spec 5.3, spec/rtmp.md section 2): turns
// the byte stream of a connection back into messages.
//
// Bytes go into an internal buffer (prepare()/commit() for a socket read straight into it,
// feed() to copy bytes from anywhere); next() parses the next complete message out of it,
// or reports that more bytes are needed. Each message's payload is assembled in its final
// buffer, taken once at the declared length from the thread's BytesPool (a recycled payload
// of a message every player has sent), and moved out.
//
// Protocol control messages that change the parse (SetChunkSize, Abort) are the caller's to
// apply, with set_in_chunk_size()/abort(), before calling next() again. Any error means the
// stream is desynchronised: close the connection.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "kernel/shared_message.hpp"

namespace srs::rtmp {

constexpr uint32_t kDefaultChunkSize = 128;  // RTMP 5.4.1: until a SetChunkSize says otherwise
constexpr uint32_t kMinChunkSize = 128;      // smaller ones close the connection (spec 2)
constexpr uint32_t kMaxSaneChunkSize = 65536;
constexpr uint32_t kTimestampMask = 0x7FFFFFFF;  // timestamps are kept to 31 bits (spec 2)

// One message as it arrived, with the chunk stream it came on (relays keep it, spec 2).
struct Message {
  MessageType type{};
  int64_t timestamp = 0;
  uint32_t stream_id = 0;
  uint32_t cid = 0;
  Bytes payload;

  // The shared form every consumer holds; the payload is moved, not copied.
  SharedMessagePtr share() && {
    return SharedMessage::make(type, timestamp, stream_id, std::move(payload));
  }
};

// Bounds that keep hostile input from growing memory.
struct ChunkReaderLimits {
  uint32_t max_message_size = 8 * 1024 * 1024;  // declared length above this: error
  size_t max_chunk_streams = 64;                // distinct chunk stream ids ever seen
  size_t max_pending_bytes = 32 * 1024 * 1024;  // declared lengths of partial messages
};

class ChunkReader {
 public:
  // The read block is sized to need: a player's reads are a few small commands and acks,
  // a publisher's are media. It starts small, doubles after a read that filled it, up to
  // one read syscall for many messages, and halves after a run of reads that used little.
  static constexpr size_t kMinReadBlock = 4 * 1024;
  static constexpr size_t kReadBlock = 64 * 1024;
  static constexpr int kSmallReadsToShrink = 8;

  explicit ChunkReader(ChunkReaderLimits limits = {});
  ~ChunkReader();
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  // Writable space of at least `min` bytes (0: the current read block) at the end of the
  // buffered input; call commit() with the number of bytes actually written. Valid until
  // the next call on the reader.
  std::span<uint8_t> prepare(size_t min = 0);
  void commit(size_t n) noexcept;
  size_t read_block() const noexcept { return read_block_; }
  // With every buffered byte parsed and reads small, true: the caller waits for the socket
  // to be readable before the next read (a read now would most likely find nothing), and
  // the buffer is freed meanwhile, so an idle connection holds no read memory.
  bool release_if_idle() noexcept;
  // A publisher reads dozens of times a second: freeing would cost an allocation and a zero
  // fill per read. Its reader keeps the buffer while it publishes (it still waits first).
  void set_keep_buffer(bool keep) noexcept { keep_buffer_ = keep; }
  size_t capacity() const noexcept { return buf_.capacity(); }
  // Copies bytes into the buffer (tests, non-socket sources). Parse them with next().
  void feed(ByteSpan data);

  // The next complete message, std::nullopt when the buffered bytes end inside one (feed
  // more), or an error (the connection must be closed).
  Result<std::optional<Message>> next();

  // RTMP 5.4.1 SetChunkSize from the peer: < 128 or bit 31 set is an error; above 65536 it
  // is accepted with a warning (spec 2). Applies from the next chunk on.
  Result<> set_in_chunk_size(uint32_t size);
  uint32_t in_chunk_size() const noexcept { return chunk_size_; }
  // RTMP 5.4.2 Abort: drops the partial message on `cid` (unknown cids are ignored); the
  // rest of a chunk of it still arriving is skipped.
  void abort(uint32_t cid) noexcept;

  // Every byte handed to the reader, for acknowledgements (spec 2 "ack").
  uint64_t bytes_received() const noexcept { return bytes_received_; }
  // Bytes buffered and not yet parsed.
  size_t buffered() const noexcept { return end_ - begin_; }
  size_t chunk_streams() const noexcept { return stream_count_; }

 private:
  struct ChunkStream;
  struct Header;
  enum class Parse { done, need_more };

  Result<Parse> parse_header();
  Result<> start_chunk(ChunkStream& s, const Header& h);
  Result<ChunkStream*> stream(uint32_t cid);
  ChunkStream* find(uint32_t cid) noexcept;
  bool copy_payload();
  Message finish(ChunkStream& s);

  ChunkReaderLimits limits_;
  uint32_t chunk_size_ = kDefaultChunkSize;
  Bytes buf_;
  size_t read_block_ = kMinReadBlock;
  bool keep_buffer_ = false;
  size_t offered_ = 0;  // space the last prepare() gave
  int small_reads_ = 0;
  size_t begin_ = 0;  // first unparsed byte
  size_t end_ = 0;    // one past the last buffered byte
  uint64_t bytes_received_ = 0;
  size_t pending_bytes_ = 0;

  // The chunk whose payload is being copied, and how much of it is left.
  ChunkStream* current_ = nullptr;
  uint32_t chunk_left_ = 0;
  bool discard_ = false;  // the current chunk's message was aborted: skip the rest of it

  // cids 2..63 (the 1-byte form, nearly all traffic) are indexed; larger ones are hashed.
  std::array<std::unique_ptr<ChunkStream>, 64> low_;
  std::unordered_map<uint32_t, std::unique_ptr<ChunkStream>> high_;
  size_t stream_count_ = 0;
};

}  // namespace srs::rtmp
