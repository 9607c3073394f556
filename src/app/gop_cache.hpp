// The messages of the latest GOP, so a player that joins mid-stream starts at a keyframe
// instead of showing grey frames until the next one. Costs a little latency for new players
// and memory per stream; `gop_cache off` trades that for a slower start.
//
// Players share the cache instead of copying it: snapshot() hands out the current GOP, which
// only ever grows until the next keyframe; the cache then starts a new one if the old one is
// still being read, so a snapshot's first `size` messages never change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "kernel/shared_message.hpp"

namespace srs {

class GopCache {
 public:
  // A stream with this many audio messages and no video is audio-only: no cache (spec).
  static constexpr int kPureAudioThreshold = 115;
  // A bound so a stream that never sends another keyframe cannot grow memory without end.
  static constexpr size_t kMaxMessages = 10000;

  void set_enabled(bool enabled);
  bool enabled() const noexcept { return enabled_; }

  // Sequence headers and metadata are cached elsewhere and never enter the GOP cache.
  void add(const SharedMessagePtr& msg);
  void clear();

  using Messages = std::vector<SharedMessagePtr>;
  bool empty() const noexcept { return messages_->empty(); }
  size_t size() const noexcept { return messages_->size(); }
  const Messages& messages() const noexcept { return *messages_; }
  std::shared_ptr<const Messages> snapshot() const noexcept { return messages_; }
  int64_t first_timestamp() const noexcept {
    return messages_->empty() ? 0 : messages_->front()->timestamp();
  }
  // Span of the cached audio/video timestamps (last - first), in ms.
  int64_t duration_ms() const noexcept {
    return messages_->empty() ? 0 : messages_->back()->timestamp() - first_timestamp();
  }

 private:
  bool enabled_ = true;
  int audio_since_video_ = 0;
  void restart();

  std::shared_ptr<Messages> messages_ = std::make_shared<Messages>();
};

}  // namespace srs
