#include "app/message_queue.hpp"

#include <utility>

namespace srs {

MessageQueue::MessageQueue(int64_t max_duration_ms)
    : ring_(kMinRing), max_duration_ms_(max_duration_ms) {}

int64_t MessageQueue::duration_ms() const noexcept {
  if (!front_av_valid_) return 0;
  return back_av_ts_ - front_av_ts_;
}

void MessageQueue::grow() {
  resize_ring(ring_.size() * 2);
}

// `size` is a power of two holding at least count_ messages.
void MessageQueue::resize_ring(size_t size) {
  std::vector<QueuedMessage> ring(size);
  for (size_t i = 0; i < count_; ++i) ring[i] = std::move(at(i));
  ring_ = std::move(ring);
  head_ = 0;
}

// A big ring (a GOP-cache start) shrinks as soon as it has drained. A moderate one shrinks
// only after kQuietPops fetches in a row found it nearly empty: a congested player that
// needs 64 slots every merge window must not reallocate its ring every window.
void MessageQueue::maybe_shrink_ring() {
  if (ring_.size() <= kMinRing || count_ > ring_.size() / 8) {
    quiet_pops_ = 0;
    return;
  }
  if (ring_.size() <= kShrinkAbove && ++quiet_pops_ < kQuietPops) return;
  quiet_pops_ = 0;
  size_t size = kMinRing;
  while (size < 2 * count_) size *= 2;
  resize_ring(size);
}

void MessageQueue::push_back(QueuedMessage m) {
  if (count_ == ring_.size()) grow();
  at(count_) = std::move(m);
  ++count_;
}

void MessageQueue::push_front(QueuedMessage m) {
  if (count_ == ring_.size()) grow();
  head_ = (head_ + ring_.size() - 1) & (ring_.size() - 1);
  at(0) = std::move(m);
  ++count_;
}

void MessageQueue::pop_front() noexcept {
  at(0).msg.reset();
  head_ = (head_ + 1) & (ring_.size() - 1);
  --count_;
}

void MessageQueue::refresh_front_av() noexcept {
  front_av_valid_ = false;
  for (size_t i = 0; i < count_; ++i) {
    if (at(i).msg->is_av()) {
      front_av_valid_ = true;
      front_av_ts_ = at(i).timestamp;
      return;
    }
  }
}

size_t MessageQueue::push(SharedMessagePtr msg, int64_t timestamp) {
  const bool av = msg->is_av();
  if (msg->is_video()) seen_video_ = true;
  if (wait_keyframe_ && av && !msg->is_sequence_header()) {
    if (!msg->is_video_keyframe()) return 1;
    wait_keyframe_ = false;
  }
  push_back(QueuedMessage{std::move(msg), timestamp});
  if (av) {
    back_av_ts_ = timestamp;
    if (!front_av_valid_) {
      front_av_valid_ = true;
      front_av_ts_ = timestamp;
    }
  }
  if (duration_ms() <= max_duration_ms_) return 0;
  const size_t before = count_;
  shrink();
  return before - count_;
}

// Drops from the front up to the first keyframe (the first audio frame for a stream
// without video) from which the queue fits its bound again.
void MessageQueue::shrink() {
  size_t restart = count_;
  for (size_t i = 0; i < count_; ++i) {
    const SharedMessage& m = *at(i).msg;
    const bool start = seen_video_ ? (m.is_video_keyframe() && !m.is_sequence_header())
                                   : (m.is_audio() && !m.is_sequence_header());
    if (start && back_av_ts_ - at(i).timestamp <= max_duration_ms_) {
      restart = i;
      break;
    }
  }
  const bool found = restart < count_;
  SharedMessagePtr metadata, audio_sh, video_sh;
  for (size_t i = 0; i < restart; ++i) {
    SharedMessagePtr& m = at(0).msg;
    if (m->is_data()) metadata = m;
    if (m->is_audio_sequence_header()) audio_sh = m;
    if (m->is_video_sequence_header()) video_sh = m;
    pop_front();
  }
  const int64_t ts = count_ ? at(0).timestamp : back_av_ts_;
  if (video_sh) push_front({std::move(video_sh), ts});
  if (audio_sh) push_front({std::move(audio_sh), ts});
  if (metadata) push_front({std::move(metadata), ts});
  if (!found) wait_keyframe_ = seen_video_;
  refresh_front_av();
}

size_t MessageQueue::pop_into(std::vector<QueuedMessage>& out, size_t max) {
  size_t n = 0;
  while (n < max && count_ > 0) {
    out.push_back(std::move(at(0)));
    pop_front();
    ++n;
  }
  refresh_front_av();
  maybe_shrink_ring();
  return n;
}

void MessageQueue::clear() noexcept {
  while (count_ > 0) pop_front();
  front_av_valid_ = false;
}

}  // namespace srs
