// Bit-level reading and writing for codec headers (H.264 SPS, AAC AudioSpecificConfig,
// ADTS). Like ByteReader, BitReader never reads past its span: a read beyond the end
// returns 0 and marks the reader failed, so a parser reads a group of fields and checks
// ok() once instead of after every field.
#pragma once

#include <cstdint>

#include "core/bytes.hpp"

namespace srs {

class BitReader {
 public:
  explicit BitReader(ByteSpan data) noexcept : data_(data) {}

  bool ok() const noexcept { return !failed_; }
  size_t bits_left() const noexcept { return data_.size() * 8 - pos_; }
  size_t bit_pos() const noexcept { return pos_; }

  // n in [0, 32] bits, most significant first.
  uint32_t u(unsigned n) noexcept {
    if (failed_ || n > 32 || bits_left() < n) {
      failed_ = true;
      return 0;
    }
    uint32_t v = 0;
    for (unsigned i = 0; i < n; ++i, ++pos_) {
      v = (v << 1) | ((data_[pos_ / 8] >> (7 - pos_ % 8)) & 1u);
    }
    return v;
  }
  bool flag() noexcept { return u(1) != 0; }
  void skip(size_t n) noexcept {
    if (failed_ || bits_left() < n) {
      failed_ = true;
      return;
    }
    pos_ += n;
  }

  // ue(v), ISO/IEC 14496-10 9.1: leading zeros, a 1, then as many info bits.
  // More than 31 leading zeros cannot encode a 32-bit value: treated as corrupt, which
  // also bounds the loop on a buffer of zeros.
  uint32_t ue() noexcept {
    unsigned zeros = 0;
    while (!failed_ && u(1) == 0) {
      if (++zeros > 31) {
        failed_ = true;
        return 0;
      }
    }
    if (failed_) return 0;
    if (zeros == 0) return 0;
    return static_cast<uint32_t>((uint64_t{1} << zeros) - 1 + u(zeros));
  }
  // se(v), 9.1.1: k maps to (-1)^(k+1) * ceil(k / 2).
  int32_t se() noexcept {
    uint32_t k = ue();
    int64_t magnitude = (static_cast<int64_t>(k) + 1) / 2;
    return static_cast<int32_t>((k & 1) ? magnitude : -magnitude);
  }

 private:
  ByteSpan data_;
  size_t pos_ = 0;
  bool failed_ = false;
};

// Appends bits to a byte vector it does not own; the last byte is zero-padded by
// align(), which every writer must call before using the bytes.
class BitWriter {
 public:
  explicit BitWriter(Bytes& out) noexcept : out_(out) {}

  // The low n bits of v, n in [0, 32], most significant first.
  void u(unsigned n, uint32_t v) {
    for (unsigned i = n; i > 0; --i) bit((v >> (i - 1)) & 1u);
  }
  void flag(bool b) { bit(b ? 1 : 0); }
  void ue(uint32_t v) {
    uint64_t x = uint64_t{v} + 1;
    unsigned len = 0;
    while ((x >> len) > 1) ++len;
    u(len, 0);
    for (unsigned i = len + 1; i > 0; --i) bit(static_cast<unsigned>((x >> (i - 1)) & 1u));
  }
  void se(int32_t v) {
    int64_t w = v;
    ue(static_cast<uint32_t>(w > 0 ? 2 * w - 1 : -2 * w));
  }
  // Pads the current byte with zero bits.
  void align() {
    while (used_ != 0) bit(0);
  }

 private:
  void bit(unsigned b) {
    if (used_ == 0) out_.push_back(0);
    if (b) out_.back() |= static_cast<uint8_t>(0x80u >> used_);
    used_ = (used_ + 1) % 8;
  }
  Bytes& out_;
  unsigned used_ = 0;
};

}  // namespace srs
