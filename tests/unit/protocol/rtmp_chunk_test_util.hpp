// Hand-built chunk bytes for the chunk stream tests, written from RTMP spec 5.3 directly
// (not with the writer under test), and a reader loop that behaves like a connection.
#pragma once

#include <algorithm>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "protocol/rtmp/chunk_reader.hpp"

namespace srs::rtmp::test {

// Basic header (RTMP 5.3.1.1): 1 byte for cid 2..63, 2 for 64..319, 3 for 64..65599.
inline void basic(Bytes& out, uint8_t fmt, uint32_t cid, bool force3 = false) {
  if (cid < 64 && !force3) {
    out.push_back(static_cast<uint8_t>(fmt << 6 | cid));
  } else if (cid < 320 && !force3) {
    out.push_back(static_cast<uint8_t>(fmt << 6));
    out.push_back(static_cast<uint8_t>(cid - 64));
  } else {
    out.push_back(static_cast<uint8_t>(fmt << 6 | 1));
    out.push_back(static_cast<uint8_t>((cid - 64) & 0xFF));
    out.push_back(static_cast<uint8_t>((cid - 64) >> 8));
  }
}

inline void fmt0(Bytes& out, uint32_t cid, uint32_t ts, uint32_t len, uint8_t type, uint32_t sid) {
  basic(out, 0, cid);
  ByteWriter w(out);
  w.u24(ts);
  w.u24(len);
  w.u8(type);
  w.u32le(sid);
}
inline void fmt1(Bytes& out, uint32_t cid, uint32_t delta, uint32_t len, uint8_t type) {
  basic(out, 1, cid);
  ByteWriter w(out);
  w.u24(delta);
  w.u24(len);
  w.u8(type);
}
inline void fmt2(Bytes& out, uint32_t cid, uint32_t delta) {
  basic(out, 2, cid);
  ByteWriter(out).u24(delta);
}
inline void fmt3(Bytes& out, uint32_t cid) {
  basic(out, 3, cid);
}
inline void u32(Bytes& out, uint32_t v) {
  ByteWriter(out).u32(v);
}
inline void data(Bytes& out, ByteSpan d) {
  out.insert(out.end(), d.begin(), d.end());
}

// n bytes of a pattern that depends on the seed, so mixed-up payloads are noticed.
inline Bytes pattern(size_t n, uint8_t seed = 1) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 31 + (i >> 8));
  return b;
}

// Feeds `bytes` in pieces of `piece` bytes and collects every message, applying SetChunkSize
// and Abort as a connection does (chunk_io.cpp).
inline Result<std::vector<Message>> read_all(ChunkReader& reader, ByteSpan bytes,
                                             size_t piece = SIZE_MAX) {
  std::vector<Message> out;
  size_t at = 0;
  do {
    size_t n = std::min(piece, bytes.size() - at);
    reader.feed(bytes.subspan(at, n));
    at += n;
    for (;;) {
      auto m = reader.next();
      if (!m) return std::unexpected(m.error());
      if (!*m) break;
      if ((*m)->type == MessageType::set_chunk_size) {
        if (auto ok = reader.set_in_chunk_size(ByteReader((*m)->payload).u32()); !ok)
          return std::unexpected(ok.error());
      }
      if ((*m)->type == MessageType::abort) reader.abort(ByteReader((*m)->payload).u32());
      out.push_back(std::move(**m));
    }
  } while (at < bytes.size());
  return out;
}

}  // namespace srs::rtmp::test
