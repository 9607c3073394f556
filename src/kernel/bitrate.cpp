#include "kernel/bitrate.hpp"

#include <initializer_list>

namespace srs {

namespace {
constexpr int64_t k30s = 30 * 1000;
constexpr int64_t k5m = 5 * 60 * 1000;
}  // namespace

KbpsMeter::Direction KbpsMeter::make_direction(int64_t now_ms) noexcept {
  Direction d;
  d.current = Window{0, now_ms};
  d.last_30s = Window{k30s, now_ms};
  d.last_5m = Window{k5m, now_ms};
  return d;
}

KbpsMeter::KbpsMeter(int64_t now_ms) noexcept
    : recv_(make_direction(now_ms)), send_(make_direction(now_ms)) {}

void KbpsMeter::Window::update(int64_t now_ms, uint64_t total) noexcept {
  const int64_t elapsed = now_ms - start_ms;
  if (elapsed < 0) {
    start_ms = now_ms;  // the last rate stays until the next window has a new one
    start_bytes = total;
    return;
  }
  if (elapsed == 0) return;  // no time, no rate; keep the last one
  // bytes * 8 / ms is kbit/s; a 64-bit total cannot overflow within any real run.
  const int64_t rate = static_cast<int64_t>((total - start_bytes) * 8 / uint64_t(elapsed));
  if (elapsed >= length_ms) {
    kbps = rate;
    completed = true;
    start_ms = now_ms;
    start_bytes = total;
  } else if (!completed) {
    kbps = rate;
  }
}

void KbpsMeter::sample(int64_t now_ms) noexcept {
  for (Direction* d : {&recv_, &send_}) {
    d->current.update(now_ms, d->total);
    d->last_30s.update(now_ms, d->total);
    d->last_5m.update(now_ms, d->total);
  }
}

}  // namespace srs
