// Timestamp correction applied per player (spec/rtmp.md §5.1), so a publisher's jumps,
// resets or huge start values reach players as a monotonic timeline.
#pragma once

#include <cstdint>
#include <string_view>

namespace srs {

enum class JitterAlgorithm { full, zero, off };

// "full", "zero", "off"; any other word means off (spec).
JitterAlgorithm parse_jitter(std::string_view name) noexcept;

class TimeJitter {
 public:
  // Returns the corrected timestamp of a message with `timestamp` (ms). `is_av` is false
  // for metadata and other data, which `full` stamps 0.
  int64_t correct(int64_t timestamp, bool is_av, JitterAlgorithm algorithm) noexcept;
  void reset() noexcept { *this = TimeJitter{}; }

 private:
  // A jump beyond this (either way) is a discontinuity, replaced by kDefaultDelta.
  static constexpr int64_t kMaxDelta = 250;
  static constexpr int64_t kDefaultDelta = 10;

  int64_t last_in_ = 0;
  int64_t last_out_ = -1;
  int64_t max_out_ = -1;  // the latest time handed out, of either kind
  int64_t zero_base_ = -1;
};

}  // namespace srs
