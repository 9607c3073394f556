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
    if (msg->is_video_keyframe()) restart();
  } else if (msg->is_audio()) {
    if (++audio_since_video_ > kPureAudioThreshold) {
      clear();
      return;
    }
  } else {
    return;
  }
  // Start only at a keyframe so a player's first frame is decodable.
  if (messages_->empty() && !msg->is_video_keyframe()) return;
  if (messages_->size() >= kMaxMessages) {
    clear();
    return;
  }
  messages_->push_back(msg);
}

void GopCache::clear() {
  restart();
  audio_since_video_ = 0;
}

// A GOP players are still reading stays with them; the cache goes on in a new one, sized
// like the last so it does not regrow message by message.
void GopCache::restart() {
  if (messages_.use_count() == 1) {
    messages_->clear();
    return;
  }
  auto fresh = std::make_shared<Messages>();
  fresh->reserve(messages_->size());
  messages_ = std::move(fresh);
}

}  // namespace srs
