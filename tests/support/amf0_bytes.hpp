// Hand-written AMF0 encodings (AMF0 spec 2.2-2.10) for golden test vectors, independent of
// the encoder under test: expected bytes are spelled out from the spec, never produced by
// the code being checked.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace srs::test_amf0 {

using Bytes = std::vector<uint8_t>;

inline Bytes num(double d) {
  uint64_t u;
  std::memcpy(&u, &d, 8);
  Bytes b = {0x00};
  for (int i = 7; i >= 0; --i) b.push_back(static_cast<uint8_t>(u >> (8 * i)));
  return b;
}
// A UTF-8 key: 16-bit length then bytes (no marker).
inline Bytes key(std::string_view s) {
  Bytes b = {static_cast<uint8_t>(s.size() >> 8), static_cast<uint8_t>(s.size())};
  for (char c : s) b.push_back(static_cast<uint8_t>(c));  // (insert trips GCC 12 -Warray-bounds)
  return b;
}
inline Bytes str(std::string_view s) {
  Bytes b = {0x02};
  for (uint8_t c : key(s)) b.push_back(c);
  return b;
}
inline Bytes boolean(bool v) {
  return {0x01, static_cast<uint8_t>(v ? 1 : 0)};
}
inline const Bytes kNull = {0x05};
inline const Bytes kUndefined = {0x06};
inline const Bytes kObjectStart = {0x03};
inline const Bytes kEnd = {0x00, 0x00, 0x09};
inline Bytes ecma_start(uint32_t count) {
  return {0x08, static_cast<uint8_t>(count >> 24), static_cast<uint8_t>(count >> 16),
          static_cast<uint8_t>(count >> 8), static_cast<uint8_t>(count)};
}

template <class... B>
Bytes cat(const B&... parts) {
  Bytes out;
  (out.insert(out.end(), parts.begin(), parts.end()), ...);
  return out;
}

}  // namespace srs::test_amf0
