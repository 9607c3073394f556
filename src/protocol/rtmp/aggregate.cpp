#include "protocol/rtmp/aggregate.hpp"

#include <algorithm>

#include "protocol/rtmp/rtmp_error.hpp"

namespace srs::rtmp {

namespace {
constexpr size_t kTagHeaderSize = 11;
constexpr size_t kPreviousTagSize = 4;
}  // namespace

Result<std::vector<Message>> split_aggregate(const Message& aggregate) {
  std::vector<Message> out;
  ByteReader r(aggregate.payload);
  bool first = true;
  int64_t base = 0;  // timestamp of the first sub-message
  while (!r.empty()) {
    if (!r.has(kTagHeaderSize))
      return fail(rtmp_errc::bad_aggregate, fmt::format("tag header at {}", r.pos()));
    auto type = static_cast<MessageType>(r.u8());
    uint32_t size = r.u24();
    uint32_t low = r.u24();
    int64_t ts = (static_cast<int64_t>(r.u8()) << 24) | low;  // FLV: high byte after
    r.skip(3);                                                // stream id: always 0 in FLV
    if (!r.has(size + kPreviousTagSize))
      return fail(rtmp_errc::bad_aggregate, fmt::format("tag of {} bytes at {}", size, r.pos()));
    ByteSpan data = r.bytes(size);
    r.skip(kPreviousTagSize);
    if (first) {
      base = ts;
      first = false;
    }
    // Sub-messages join the stream like any message from the chunk reader, whose
    // timestamps are kept to 31 bits (spec/rtmp.md 2): a sub-message far ahead of the first
    // wraps as a chunk-layer delta would, instead of reaching past 32 bits and being cut
    // when written to players.
    int64_t rebased = std::max<int64_t>(0, aggregate.timestamp + (ts - base)) & kTimestampMask;
    out.push_back(Message{type, rebased, aggregate.stream_id, aggregate.cid,
                          Bytes(data.begin(), data.end())});
  }
  return out;
}

}  // namespace srs::rtmp
