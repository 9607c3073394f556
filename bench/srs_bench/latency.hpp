// Delivery delay of one player against one publisher in the same process: the publisher
// notes when it hands each video frame to its socket, the player matches what it receives
// to those frames in order (by size, and by timestamp once the server's offset is known:
// servers may re-base timestamps), and the difference of the two clocks is the delay.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "srs_bench/skim.hpp"
#include "srs_bench/stats.hpp"

namespace srs::bench {

class LatencyMeter {
 public:
  static constexpr size_t kWindow = 200;       // frames searched ahead for a match
  static constexpr int64_t kToleranceMs = 20;  // timestamp slack once the offset is known

  void sent(const MediaEvent& e, Clock::time_point at);
  // The player joined a stream already running: frames sent before `at` (a GOP cache it is
  // primed with) are matched but are no delay samples, and frames it never saw are not lost.
  void player_joined(Clock::time_point at);
  void received(const MediaEvent& e, Clock::time_point at);
  // Frames still unmatched that were sent more than `grace` before `now` count as missing.
  void finish(Clock::time_point now, Duration grace);
  // Adds another player's figures (several probe players, one distribution).
  void absorb(const LatencyMeter& other);
  void summary();

  uint64_t sent_frames() const noexcept { return sent_frames_; }
  uint64_t matched() const noexcept { return matched_; }
  uint64_t missing() const noexcept { return missing_; }
  uint64_t unmatched() const noexcept { return unmatched_; }
  size_t delay_samples() const noexcept { return delays_ms_.size(); }

 private:
  struct Sent {
    uint32_t timestamp;
    uint32_t size;
    Clock::time_point at;
  };
  std::deque<Sent> queue_;
  std::vector<double> delays_ms_;
  Clock::time_point joined_{};
  bool fresh_join_ = false;
  bool has_offset_ = false;
  int64_t offset_ = 0;
  uint64_t sent_frames_ = 0, matched_ = 0, missing_ = 0, unmatched_ = 0;
};

}  // namespace srs::bench
