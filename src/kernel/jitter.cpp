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
  if (delta < -kMaxDelta || delta > kMaxDelta) delta = kDefaultDelta;
  last_in_ = timestamp;
  last_out_ = std::max<int64_t>(0, last_out_ + delta);
  return last_out_;
}

}  // namespace srs
