// A player's queue of shared messages, bounded by the time it spans (`queue_length`).
//
// Overflow policy (an improvement over 2.0, which drops everything): a player that falls
// behind loses whole GOPs from the front and restarts at a keyframe, so what it receives
// stays decodable. Sequence headers and metadata among the dropped messages are kept, so a
// codec change is never lost. When no keyframe is left to restart at, everything goes and
// the queue waits for the next keyframe before taking audio/video again.
//
// The ring buffer grows by doubling: no allocation per message once a player has reached
// its steady-state depth. It starts small and shrinks back once after a burst (a GOP-cache
// start, a stall) has drained, as players are many and each holds one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernel/shared_message.hpp"

namespace srs {

struct QueuedMessage {
  SharedMessagePtr msg;
  int64_t timestamp = 0;  // this player's timestamp (after time jitter)
};

class MessageQueue {
 public:
  explicit MessageQueue(int64_t max_duration_ms = 30000);

  void set_max_duration_ms(int64_t ms) noexcept { max_duration_ms_ = ms; }
  int64_t max_duration_ms() const noexcept { return max_duration_ms_; }

  // Appends; on overflow drops from the front as described above. Returns how many
  // messages were dropped by this push (including `msg` itself when it had to wait for a
  // keyframe).
  size_t push(SharedMessagePtr msg, int64_t timestamp);

  size_t size() const noexcept { return count_; }
  size_t capacity() const noexcept { return ring_.size(); }
  bool empty() const noexcept { return count_ == 0; }
  // Span of audio/video timestamps in the queue (last - first), in ms.
  int64_t duration_ms() const noexcept;

  // Moves up to `max` messages from the front into `out` (appended).
  size_t pop_into(std::vector<QueuedMessage>& out, size_t max);
  void clear() noexcept;
  bool waiting_keyframe() const noexcept { return wait_keyframe_; }

 private:
  QueuedMessage& at(size_t i) noexcept { return ring_[(head_ + i) & (ring_.size() - 1)]; }
  const QueuedMessage& at(size_t i) const noexcept {
    return ring_[(head_ + i) & (ring_.size() - 1)];
  }
  static constexpr size_t kMinRing = 32;
  static constexpr size_t kShrinkAbove = 4 * kMinRing;
  static constexpr int kQuietPops = 16;

  void grow();
  void resize_ring(size_t size);
  void maybe_shrink_ring();
  void push_back(QueuedMessage m);
  void push_front(QueuedMessage m);
  void pop_front() noexcept;
  void shrink();
  void refresh_front_av() noexcept;

  std::vector<QueuedMessage> ring_;  // size is a power of two
  size_t head_ = 0;
  size_t count_ = 0;
  int64_t max_duration_ms_;
  bool front_av_valid_ = false;
  int64_t front_av_ts_ = 0;
  int64_t back_av_ts_ = 0;
  bool seen_video_ = false;
  bool wait_keyframe_ = false;
  int quiet_pops_ = 0;
};

}  // namespace srs
