// RTMP chunk stream: bytes after the handshake, fed in pieces (sizes chosen by the first
// input byte, see Splitter), must give messages or an error, with memory held within the
// reader's limits. SetChunkSize and Abort are applied as read_message() does; every message
// also goes through the control decoders and aggregate splitting, like the server's loop.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "protocol/rtmp/aggregate.hpp"
#include "protocol/rtmp/chunk_reader.hpp"
#include "protocol/rtmp/control.hpp"

namespace {

using namespace srs;
using namespace srs::rtmp;

// Messages per input: a 64 KB input of 1-byte chunks is far below it, so this only stops a
// reader that would produce messages out of nothing.
constexpr size_t kMaxMessages = 1 << 16;

// What read_message() does with chunk-layer control; false ends the stream (an error).
bool apply_control(ChunkReader& reader, const Message& m) {
  if (m.type == MessageType::set_chunk_size) {
    auto size = decode_set_chunk_size(m.payload);
    return size && reader.set_in_chunk_size(*size);
  }
  if (m.type == MessageType::abort) {
    auto cid = decode_abort(m.payload);
    if (!cid) return false;
    reader.abort(*cid);
  }
  return true;
}

void decode_message(const Message& m) {
  switch (m.type) {
    case MessageType::acknowledgement:
      (void)decode_acknowledgement(m.payload);
      break;
    case MessageType::window_ack_size:
      (void)decode_window_ack_size(m.payload);
      break;
    case MessageType::set_peer_bandwidth:
      (void)decode_set_peer_bandwidth(m.payload);
      break;
    case MessageType::user_control:
      (void)decode_user_control(m.payload);
      break;
    case MessageType::aggregate:
      if (auto parts = split_aggregate(m)) {
        size_t total = 0;
        for (const auto& p : *parts) {
          // Sub-messages go where every other message goes: 31-bit timestamps (spec 2).
          SRS_FUZZ_CHECK(p.timestamp >= 0 && p.timestamp <= kTimestampMask);
          total += p.payload.size();
        }
        SRS_FUZZ_CHECK(total <= m.payload.size());
      }
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Splitter split(data, size);
  ChunkReader reader;  // the production limits
  size_t messages = 0;
  size_t fed = 0;
  for (auto piece = split.next(); !piece.empty(); piece = split.next()) {
    reader.feed(piece);
    fed += piece.size();
    for (;;) {
      auto m = reader.next();
      if (!m) return 0;  // desynchronised: the connection would be closed
      if (!*m) break;
      SRS_FUZZ_CHECK(++messages <= kMaxMessages);
      SRS_FUZZ_CHECK((*m)->timestamp >= 0 && (*m)->timestamp <= kTimestampMask);
      if (!apply_control(reader, **m)) return 0;
      decode_message(**m);
    }
    SRS_FUZZ_CHECK(reader.bytes_received() == fed);
    SRS_FUZZ_CHECK(reader.buffered() <= fed);
    SRS_FUZZ_CHECK(reader.chunk_streams() <= ChunkReaderLimits{}.max_chunk_streams);
  }
  return 0;
}
