#include "core/event_loop.hpp"

#include <optional>
#include <thread>

namespace srs {

namespace {
using Clock = std::chrono::steady_clock;

// Counts work per window and says whether the next window should rest between drains.
class RateWindow {
 public:
  explicit RateWindow(const EventLoopPolicy& p)
      : window_(p.window),
        limit_(p.coalesce_above_per_s * static_cast<size_t>(p.window.count()) / 1000) {}

  // `n` units of work done (wake-ups while blocking, handlers while resting). When this
  // closes a window: whether that window was above the limit; otherwise nothing.
  std::optional<bool> add(size_t n) {
    count_ += n;
    const auto now = Clock::now();
    if (now - start_ < window_) return std::nullopt;
    const bool above = count_ > limit_;
    count_ = 0;
    start_ = now;
    return above;
  }

 private:
  Clock::duration window_;
  size_t limit_;
  size_t count_ = 0;
  Clock::time_point start_ = Clock::now();
};
}  // namespace

void run_event_loop(asio::io_context& io, const EventLoopPolicy& policy) {
  RateWindow rate(policy);
  bool resting = false;
  while (!io.stopped()) {
    if (resting) {
      std::this_thread::sleep_for(policy.rest);
      const std::optional<bool> busy = rate.add(io.poll());
      if (busy && !*busy) resting = false;
    } else {
      if (io.run_one() == 0) break;  // stopped or out of work
      io.poll();
      if (rate.add(1).value_or(false)) resting = true;
    }
  }
}

}  // namespace srs
