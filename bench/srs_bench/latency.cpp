#include "srs_bench/latency.hpp"

#include <cstdlib>

#include <fmt/format.h>

namespace srs::bench {

void LatencyMeter::sent(const MediaEvent& e, Clock::time_point at) {
  if (!e.is_video() || e.is_sequence_header()) return;
  queue_.push_back({e.timestamp, e.size, at});
  ++sent_frames_;
}

void LatencyMeter::player_joined(Clock::time_point at) {
  joined_ = at;
  fresh_join_ = true;
}

void LatencyMeter::received(const MediaEvent& e, Clock::time_point at) {
  if (!e.is_video() || e.is_sequence_header()) return;
  const size_t n = std::min(queue_.size(), kWindow);
  auto find = [&](bool by_offset) -> size_t {
    for (size_t i = 0; i < n; ++i) {
      const Sent& s = queue_[i];
      if (s.size != e.size) continue;
      const int64_t off = int64_t(e.timestamp) - int64_t(s.timestamp);
      if (!by_offset || std::abs(off - offset_) <= kToleranceMs) return i;
    }
    return n;
  };
  size_t k = has_offset_ ? find(true) : n;
  if (k == n) k = find(false);
  if (k == n) {
    ++unmatched_;  // a duplicate, or a frame we never sent
    return;
  }
  // Delivery is in order: frames sent before the match and not delivered are lost.
  if (!fresh_join_) missing_ += k;
  fresh_join_ = false;
  const Sent s = queue_[k];
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(k) + 1);
  has_offset_ = true;
  offset_ = int64_t(e.timestamp) - int64_t(s.timestamp);
  ++matched_;
  if (s.at < joined_) return;
  delays_ms_.push_back(std::chrono::duration<double, std::milli>(at - s.at).count());
}

void LatencyMeter::finish(Clock::time_point now, Duration grace) {
  while (!queue_.empty() && now - queue_.front().at > grace) {
    queue_.pop_front();
    ++missing_;
  }
}

void LatencyMeter::absorb(const LatencyMeter& other) {
  delays_ms_.insert(delays_ms_.end(), other.delays_ms_.begin(), other.delays_ms_.end());
  sent_frames_ += other.sent_frames_;
  matched_ += other.matched_;
  missing_ += other.missing_;
  unmatched_ += other.unmatched_;
}

void LatencyMeter::summary() {
  const double p50 = percentile(delays_ms_, 50);
  const double p99 = percentile(delays_ms_, 99);
  const double max = delays_ms_.empty() ? 0 : delays_ms_.back();
  fmt::print("latency: video frames sent {}, received {}, missing {}, duplicated/unknown {}\n",
             sent_frames_, matched_, missing_, unmatched_);
  fmt::print("  delivery delay p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms\n", p50, p99, max);
  fmt::print(
      "SUMMARY mode=latency sent={} received={} missing={} unmatched={} delay_p50_ms={:.2f} "
      "delay_p99_ms={:.2f} delay_max_ms={:.2f}\n",
      sent_frames_, matched_, missing_, unmatched_, p50, p99, max);
  std::fflush(stdout);
}

}  // namespace srs::bench
