// The sending half of the RTMP chunk stream (RTMP spec 5.3, spec/rtmp.md section 2), built
// for fan-out: a player collects N messages in a ChunkBatch and sends them with one gather
// write. Payloads are never copied: the batch holds iovecs that interleave small chunk
// headers (in the batch's own scratch) with slices of the messages' payloads.
//
// Output form (spec 2): fmt 0 on a message's first chunk, fmt 3 on its continuations; from
// timestamp 0xFFFFFF on, the extended timestamp follows the fmt 0 header and is repeated on
// every fmt 3 chunk. Only 1-byte basic headers are emitted (cid 2..63).
//
// Allocation: the scratch, entry and iovec vectors keep their capacity across clear(), so
// a connection's steady state allocates nothing per message. A message's header bytes fit
// in 21 bytes whatever its size: every continuation chunk points at the same fmt 3 bytes.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <span>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "kernel/shared_message.hpp"

namespace srs::rtmp {

constexpr uint32_t kMaxOutChunkSize = 65536;
constexpr uint32_t kMaxMessageLength = 0xFFFFFF;  // 24-bit length field

// One message to send. `payload` must stay valid until the batch is written or cleared
// (a player keeps the SharedMessagePtrs of the batch alive meanwhile).
struct OutMessage {
  MessageType type{};
  uint32_t timestamp = 0;  // wire timestamp: the low 32 bits of the message's time
  uint32_t stream_id = 0;
  uint32_t cid = 0;  // 2..63
  ByteSpan payload;
};

class ChunkBatch {
 public:
  explicit ChunkBatch(uint32_t chunk_size = 128, size_t reserve_messages = 128);

  // Out chunk size (RTMP 5.4.1, 128..65536) for messages added from now on: a batch may
  // carry our SetChunkSize followed by messages chunked with the new size.
  Result<> set_chunk_size(uint32_t size);
  uint32_t chunk_size() const noexcept { return chunk_size_; }

  // Appends the chunks of one message. Fails (and adds nothing) for a cid outside 2..63 or
  // a payload longer than 24 bits can say.
  Result<> add(const OutMessage& m);
  // A shared message sent with its own time, or with a player's jitter-corrected `timestamp`
  // (the wire carries its low 32 bits).
  Result<> add(const SharedMessage& m, uint32_t cid) { return add(m, cid, m.timestamp()); }
  Result<> add(const SharedMessage& m, uint32_t cid, int64_t timestamp) {
    return add({m.type(), static_cast<uint32_t>(timestamp), m.stream_id(), cid, m.payload()});
  }
  // Forgets the messages, keeps the capacity.
  void clear() noexcept;

  bool empty() const noexcept { return entries_.empty(); }
  size_t messages() const noexcept { return entries_.size(); }
  size_t bytes() const noexcept { return bytes_; }
  size_t iovec_count() const noexcept { return iovec_count_; }

  // The gather list of everything added, in order. Valid until the next add() or clear();
  // a writer may advance the entries in place (partial writes).
  std::span<iovec> iovecs();
  // All the bytes in one buffer: for tests and non-socket sinks, never the hot path.
  Bytes flatten();

 private:
  struct Entry {
    const uint8_t* payload;
    uint32_t size;
    uint32_t chunk_size;
    uint32_t header_at;    // offset in scratch_ of the fmt 0 header
    uint8_t header_size;   // fmt 0 header (12, or 16 with extended timestamp)
    uint8_t continuation;  // fmt 3 header after it (1, or 5 with extended timestamp)
  };

  uint32_t chunk_size_;
  std::vector<Entry> entries_;
  Bytes scratch_;
  std::vector<iovec> iov_;
  bool built_ = false;
  size_t bytes_ = 0;
  size_t iovec_count_ = 0;
};

}  // namespace srs::rtmp
