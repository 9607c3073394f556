#include "kernel/jitter.hpp"

#include <algorithm>

namespace srs {

JitterAlgorithm parse_jitter(std::string_view name) noexcept {
  if (name == "full") return JitterAlgorithm::full;
  if (name == "zero") return JitterAlgorithm::zero;
  return JitterAlgorithm::off;
}

int64_t TimeJitter::correct(int64_t timestamp, bool is_av, JitterAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case JitterAlgorithm::off:
      return timestamp;
    case JitterAlgorithm::zero:
      if (zero_base_ < 0) zero_base_ = timestamp;
      return timestamp - zero_base_;
    case JitterAlgorithm::full:
      break;
  }
  if (!is_av) return 0;
  int64_t delta = timestamp - last_in_;
  last_in_ = timestamp;
  if (delta < -kMaxDelta || delta > kMaxDelta) {
    // A discontinuity (republish, wrap) continues after the latest time of either kind:
    // the message before it may be video lagging the audio by more than the default delta,
    // and continuing from that one would take the audio back in time.
    last_out_ = std::max<int64_t>(0, max_out_ + kDefaultDelta);
  } else {
    last_out_ = std::max<int64_t>(0, last_out_ + delta);
  }
  max_out_ = std::max(max_out_, last_out_);
  return last_out_;
}

}  // namespace srs
