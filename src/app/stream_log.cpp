#include "app/stream_log.hpp"

#include <algorithm>
#include <utility>

namespace srs {

StreamLog::StreamLog() : ring_(kMinRing) {}

void StreamLog::append(SharedMessagePtr msg, int64_t time) {
  if (full()) resize_ring(ring_.size() * 2);
  ring_[(head_ + count_) & (ring_.size() - 1)] = LogEntry{std::move(msg), time};
  ++count_;
  back_time_ = time;
}

void StreamLog::trim(uint64_t seq) {
  const size_t n = static_cast<size_t>(std::min(seq, end()) - std::min(seq, begin_));
  for (size_t i = 0; i < n; ++i) {
    ring_[head_].msg.reset();
    head_ = (head_ + 1) & (ring_.size() - 1);
  }
  count_ -= n;
  begin_ += n;
  // After a burst (a stalled player caught up or left) the ring goes back to its size.
  if (ring_.size() > kMinRing && count_ < ring_.size() / 8) {
    size_t size = kMinRing;
    while (size < 2 * count_) size *= 2;
    resize_ring(size);
  }
}

// `size` is a power of two holding at least count_ entries.
void StreamLog::resize_ring(size_t size) {
  std::vector<LogEntry> ring(size);
  for (size_t i = 0; i < count_; ++i) ring[i] = std::move(ring_[(head_ + i) & (ring_.size() - 1)]);
  ring_ = std::move(ring);
  head_ = 0;
}

}  // namespace srs
