#include "protocol/rtmp/chunk_writer.hpp"

#include <algorithm>

#include "protocol/rtmp/rtmp_error.hpp"

namespace srs::rtmp {

namespace {
constexpr uint32_t kTimestampEscape = 0xFFFFFF;  // RTMP 5.3.1.3
constexpr size_t kMaxHeaderBytes = 16 + 5;       // fmt 0 + ext, then fmt 3 + ext

size_t chunk_count(uint32_t size, uint32_t chunk_size) noexcept {
  return size == 0 ? 1 : (size + chunk_size - 1) / chunk_size;
}
}  // namespace

ChunkBatch::ChunkBatch(uint32_t chunk_size, size_t reserve_messages)
    : chunk_size_(std::clamp<uint32_t>(chunk_size, 128, kMaxOutChunkSize)) {
  entries_.reserve(reserve_messages);
  scratch_.reserve(reserve_messages * kMaxHeaderBytes);
  iov_.reserve(reserve_messages * 4);
}

Result<> ChunkBatch::set_chunk_size(uint32_t size) {
  if (size < 128 || size > kMaxOutChunkSize)
    return fail(rtmp_errc::bad_chunk_size, fmt::format("out chunk size {}", size));
  chunk_size_ = size;
  return {};
}

Result<> ChunkBatch::add(const OutMessage& m) {
  if (m.cid < 2 || m.cid > 63)
    return fail(rtmp_errc::bad_chunk_stream_id, fmt::format("out cid {}", m.cid));
  if (m.payload.size() > kMaxMessageLength)
    return fail(rtmp_errc::message_too_large, fmt::format("out length {}", m.payload.size()));
  const bool extended = m.timestamp >= kTimestampEscape;
  const auto size = static_cast<uint32_t>(m.payload.size());
  const size_t chunks = chunk_count(size, chunk_size_);

  // Header bytes are appended to scratch_; iovecs are resolved later (iovecs()) because
  // the scratch may still grow, and pointers into it would not survive that.
  Entry e{m.payload.data(),
          size,
          chunk_size_,
          static_cast<uint32_t>(scratch_.size()),
          static_cast<uint8_t>(extended ? 16 : 12),
          static_cast<uint8_t>(extended ? 5 : 1)};
  // Written in place, not byte by byte through a growing vector: this runs for every
  // message of every player.
  const size_t header_bytes = e.header_size + (chunks > 1 ? e.continuation : 0);
  scratch_.resize(scratch_.size() + header_bytes);
  uint8_t* p = scratch_.data() + e.header_at;
  const uint32_t ts_field = extended ? kTimestampEscape : m.timestamp;
  p[0] = static_cast<uint8_t>(m.cid);  // fmt 0 in the top 2 bits
  put_u24(p + 1, ts_field);
  put_u24(p + 4, size);
  p[7] = static_cast<uint8_t>(m.type);
  put_u32le(p + 8, m.stream_id);  // RTMP 5.3.1.2.1: little-endian
  p += 12;
  if (extended) {
    put_u32(p, m.timestamp);
    p += 4;
  }
  if (chunks > 1) {
    // One fmt 3 header for all continuations: they differ in nothing (RTMP 5.3.1.2.4), and
    // with an extended timestamp they all repeat it (spec/rtmp.md 2).
    *p++ = static_cast<uint8_t>(0xC0 | m.cid);
    if (extended) put_u32(p, m.timestamp);
  }
  entries_.push_back(e);
  built_ = false;
  bytes_ += e.header_size + size + (chunks - 1) * e.continuation;
  iovec_count_ += size == 0 ? 1 : 2 * chunks;
  return {};
}

void ChunkBatch::clear() noexcept {
  entries_.clear();
  scratch_.clear();
  iov_.clear();
  built_ = false;
  bytes_ = 0;
  iovec_count_ = 0;
}

std::span<iovec> ChunkBatch::iovecs() {
  if (built_) return iov_;
  iov_.clear();
  uint8_t* base = scratch_.data();
  for (const Entry& e : entries_) {
    uint8_t* header = base + e.header_at;
    iov_.push_back({header, e.header_size});
    uint32_t first = std::min(e.size, e.chunk_size);
    if (first > 0) iov_.push_back({const_cast<uint8_t*>(e.payload), first});
    for (uint32_t at = first; at < e.size; at += e.chunk_size) {
      iov_.push_back({header + e.header_size, e.continuation});
      // iovec is the C gather type: it names the bytes non-const but writev only reads them.
      iov_.push_back({const_cast<uint8_t*>(e.payload + at), std::min(e.chunk_size, e.size - at)});
    }
  }
  built_ = true;
  return iov_;
}

Bytes ChunkBatch::flatten() {
  Bytes out;
  out.reserve(bytes_);
  for (const iovec& v : iovecs()) {
    const auto* p = static_cast<const uint8_t*>(v.iov_base);
    out.insert(out.end(), p, p + v.iov_len);
  }
  return out;
}

}  // namespace srs::rtmp
