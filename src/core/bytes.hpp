// Big-endian byte reading and writing for the media and protocol codecs.
// ByteReader never reads past its span: a read beyond the end returns 0 (or an empty span)
// and marks the reader failed, so a codec reads a whole header and checks ok() once.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

namespace srs {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

class ByteReader {
 public:
  explicit ByteReader(ByteSpan data) noexcept : data_(data) {}

  bool ok() const noexcept { return !failed_; }
  size_t pos() const noexcept { return pos_; }
  size_t remaining() const noexcept { return data_.size() - pos_; }
  bool empty() const noexcept { return remaining() == 0; }
  bool has(size_t n) const noexcept { return remaining() >= n; }
  ByteSpan rest() const noexcept { return data_.subspan(pos_); }
  ByteSpan data() const noexcept { return data_; }

  uint8_t u8() noexcept { return static_cast<uint8_t>(be(1)); }
  uint16_t u16() noexcept { return static_cast<uint16_t>(be(2)); }
  uint32_t u24() noexcept { return static_cast<uint32_t>(be(3)); }
  uint32_t u32() noexcept { return static_cast<uint32_t>(be(4)); }
  uint64_t u64() noexcept { return be(8); }
  uint32_t u32le() noexcept {
    if (!take(4)) return 0;
    const uint8_t* p = data_.data() + pos_ - 4;
    return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
  }
  double f64() noexcept { return std::bit_cast<double>(be(8)); }
  // The next n bytes, or an empty span (and failed) when fewer remain.
  ByteSpan bytes(size_t n) noexcept {
    if (!take(n)) return {};
    return data_.subspan(pos_ - n, n);
  }
  std::string_view str(size_t n) noexcept {
    ByteSpan b = bytes(n);
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  void skip(size_t n) noexcept { take(n); }
  uint8_t peek() const noexcept { return has(1) ? data_[pos_] : 0; }

 private:
  bool take(size_t n) noexcept {
    if (failed_ || remaining() < n) {
      failed_ = true;
      return false;
    }
    pos_ += n;
    return true;
  }
  uint64_t be(size_t n) noexcept {
    if (!take(n)) return 0;
    uint64_t v = 0;
    for (size_t i = pos_ - n; i < pos_; ++i) v = (v << 8) | data_[i];
    return v;
  }

  ByteSpan data_;
  size_t pos_ = 0;
  bool failed_ = false;
};

// Appends big-endian values to a byte vector it does not own.
class ByteWriter {
 public:
  explicit ByteWriter(Bytes& out) noexcept : out_(out) {}

  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v) { be(v, 2); }
  void u24(uint32_t v) { be(v, 3); }
  void u32(uint32_t v) { be(v, 4); }
  void u64(uint64_t v) { be(v, 8); }
  void u32le(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void f64(double v) { be(std::bit_cast<uint64_t>(v), 8); }
  void bytes(ByteSpan b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void str(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  size_t size() const noexcept { return out_.size(); }
  Bytes& out() noexcept { return out_; }

 private:
  void be(uint64_t v, size_t n) {
    for (size_t i = n; i > 0; --i) out_.push_back(static_cast<uint8_t>(v >> (8 * (i - 1))));
  }
  Bytes& out_;
};

// Writes a big-endian value into a fixed place (patching lengths after the fact).
inline void put_u32(uint8_t* p, uint32_t v) noexcept {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
inline void put_u24(uint8_t* p, uint32_t v) noexcept {
  p[0] = static_cast<uint8_t>(v >> 16);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v);
}
inline void put_u32le(uint8_t* p, uint32_t v) noexcept {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace srs
