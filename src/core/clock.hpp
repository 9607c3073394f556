// Time for logic that depends on it (timeouts, HLS durations, jitter, rates). Components
// take a Clock& so tests can drive time by hand instead of sleeping.
#pragma once

#include <cstdint>

namespace srs {

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic milliseconds (arbitrary origin).
  virtual int64_t now_ms() const = 0;
  // Wall-clock milliseconds since the Unix epoch (for file names and reports).
  virtual int64_t wall_ms() const = 0;
};

// The real clocks of the machine.
class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override;
  int64_t wall_ms() const override;
  static SystemClock& instance();
};

// A clock that moves only when told; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms = 0) : now_(start_ms), wall_(start_ms) {}
  int64_t now_ms() const override { return now_; }
  int64_t wall_ms() const override { return wall_; }
  void advance(int64_t ms) {
    now_ += ms;
    wall_ += ms;
  }

 private:
  int64_t now_;
  int64_t wall_;
};

}  // namespace srs
