// The messages of one source that its consumers have yet to read, stored once and shared.
//
// The publisher appends each message once; every consumer reads from its own cursor (a
// sequence number) instead of the publisher copying the message into a queue per player,
// which cost a cache miss per message per player. The source trims what every consumer
// has read. Each entry carries the source's timeline (a monotonic time in ms), on which
// merge windows and queue lengths are measured whatever the publisher's timestamps do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernel/shared_message.hpp"

namespace srs {

// A message handed to a sender, with the timestamp its player sees (after time jitter).
struct QueuedMessage {
  SharedMessagePtr msg;
  int64_t timestamp = 0;
};

struct LogEntry {
  SharedMessagePtr msg;
  int64_t time = 0;  // the source's timeline
};

class StreamLog {
 public:
  StreamLog();

  uint64_t begin() const noexcept { return begin_; }
  uint64_t end() const noexcept { return begin_ + count_; }
  size_t size() const noexcept { return count_; }
  size_t capacity() const noexcept { return ring_.size(); }
  bool full() const noexcept { return count_ == ring_.size(); }
  // begin() <= seq < end()
  const LogEntry& operator[](uint64_t seq) const noexcept {
    return ring_[(head_ + (seq - begin_)) & (ring_.size() - 1)];
  }
  // The time of the latest entry (0 when none was ever appended).
  int64_t back_time() const noexcept { return back_time_; }

  // Grows by doubling when full: trim first to reuse the space.
  void append(SharedMessagePtr msg, int64_t time);
  // Drops the entries before `seq` (clamped to end()); gives memory back after a burst.
  void trim(uint64_t seq);

 private:
  static constexpr size_t kMinRing = 64;

  void resize_ring(size_t size);

  std::vector<LogEntry> ring_;  // size is a power of two
  size_t head_ = 0;
  size_t count_ = 0;
  uint64_t begin_ = 0;
  int64_t back_time_ = 0;
};

}  // namespace srs
