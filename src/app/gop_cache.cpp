#include "app/gop_cache.hpp"

namespace srs {

namespace {
// H.264 (7) and HEVC (12) have keyframes we can start a decoder at.
bool is_cacheable_video(const SharedMessage& m) {
  if (m.payload().empty()) return false;
  const int codec = m.payload()[0] & 0x0f;
  return codec == 7 || codec == 12;
}
}  // namespace

void GopCache::set_enabled(bool enabled) {
  enabled_ = enabled;
  if (!enabled) clear();
}

void GopCache::add(const SharedMessagePtr& msg) {
  if (!enabled_ || msg->is_sequence_header()) return;
  if (msg->is_video()) {
    if (!is_cacheable_video(*msg)) return;
    audio_since_video_ = 0;
    if (msg->is_video_keyframe()) messages_.clear();
  } else if (msg->is_audio()) {
    if (++audio_since_video_ > kPureAudioThreshold) {
      clear();
      return;
    }
  } else {
    return;
  }
  // Start only at a keyframe so a player's first frame is decodable.
  if (messages_.empty() && !msg->is_video_keyframe()) return;
  if (messages_.size() >= kMaxMessages) {
    clear();
    return;
  }
  messages_.push_back(msg);
}

void GopCache::clear() noexcept {
  messages_.clear();
  audio_since_video_ = 0;
}

}  // namespace srs
