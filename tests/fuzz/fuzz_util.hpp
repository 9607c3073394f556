// Helpers shared by the fuzz targets (not a target itself: only *_fuzz.cpp are built as one).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

namespace srs::fuzz {

// Cuts the input into pieces the way a socket or a file reader might. The first byte picks
// the pattern, so the rest of the input is the real stream and a seed made from a capture is
// that capture with one byte in front: 0 hands everything over at once, other values give
// pieces of pseudo-random sizes up to 1, 7, 64, 1500 or 16384 bytes (the low 3 bits choose
// the bound, the rest seed the sizes), which finds state kept wrongly across pieces.
class Splitter {
 public:
  Splitter(const uint8_t* data, size_t size) {
    if (size == 0) return;
    const uint8_t mode = data[0];
    rest_ = whole_ = std::span<const uint8_t>(data + 1, size - 1);
    constexpr std::array<size_t, 5> kBounds = {1, 7, 64, 1500, 16384};
    bound_ = mode == 0 ? 0 : kBounds[(mode & 7) % kBounds.size()];
    state_ = 0x9e3779b9u ^ mode;
  }

  // The next piece, empty at the end.
  std::span<const uint8_t> next() {
    if (rest_.empty()) return {};
    size_t n = rest_.size();
    if (bound_ != 0) {
      state_ ^= state_ << 13;  // xorshift32
      state_ ^= state_ >> 17;
      state_ ^= state_ << 5;
      n = std::min(n, 1 + state_ % bound_);
    }
    auto piece = rest_.first(n);
    rest_ = rest_.subspan(n);
    return piece;
  }

  // Everything after the mode byte.
  std::span<const uint8_t> stream() const { return whole_; }

 private:
  std::span<const uint8_t> rest_;
  std::span<const uint8_t> whole_;
  size_t bound_ = 0;
  uint32_t state_ = 1;
};

// A broken invariant: report it where libFuzzer keeps the log and crash so the input is saved.
[[noreturn]] inline void invariant_failed(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}
#define SRS_FUZZ_CHECK(cond)                           \
  do {                                                 \
    if (!(cond)) ::srs::fuzz::invariant_failed(#cond); \
  } while (0)

}  // namespace srs::fuzz
