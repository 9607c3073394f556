// What a load run counts, and how it is reported: per-second lines while it runs and one
// summary at the end (also as a single `SUMMARY key=value ...` line for scripts).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace srs::bench {

using Clock = std::chrono::steady_clock;
using Duration = Clock::duration;

// p in [0, 100] of the samples (sorted in place); 0 when there are none.
double percentile(std::vector<double>& samples, double p);

struct Stats {
  std::string mode;
  int clients = 0;    // started
  int connected = 0;  // reached the playing/publishing state
  int active = 0;     // connected and not yet ended
  int failed = 0;     // ended with an error (before or after connecting)
  std::map<std::string, int> reasons;
  uint64_t bytes = 0;  // media bytes received (players) or sent (publishers)
  uint64_t messages = 0;
  uint64_t ts_regressions = 0;
  std::vector<double> startup_ms;  // TCP connect start -> first coded video keyframe

  void fail(const std::string& reason);
};

// Prints a per-second line and keeps the byte counter at the start of the steady window.
class Reporter {
 public:
  explicit Reporter(Stats& s) : stats_(s), start_(Clock::now()) {}
  void tick();
  // Marks the start of the steady window (all clients started).
  void steady();
  void summary() const;

 private:
  Stats& stats_;
  Clock::time_point start_;
  Clock::time_point steady_at_{};
  uint64_t steady_bytes_ = 0;
  uint64_t last_bytes_ = 0;
};

}  // namespace srs::bench
