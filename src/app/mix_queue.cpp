#include "app/mix_queue.hpp"

namespace srs {

void MixQueue::push(SharedMessagePtr msg) {
  if (msg->is_video()) {
    ++video_;
  } else {
    ++audio_;
  }
  const int64_t ts = msg->timestamp();
  messages_.emplace(ts, std::move(msg));
}

SharedMessagePtr MixQueue::pop() {
  const bool both = audio_ > 0 && video_ > 0;
  const bool one_kind_full = audio_ >= kMaxOneKind || video_ >= kMaxOneKind;
  if (!both && !one_kind_full) return nullptr;
  return pop_any();
}

SharedMessagePtr MixQueue::pop_any() {
  if (messages_.empty()) return nullptr;
  auto it = messages_.begin();
  SharedMessagePtr msg = std::move(it->second);
  messages_.erase(it);
  if (msg->is_video()) {
    --video_;
  } else {
    --audio_;
  }
  return msg;
}

void MixQueue::clear() noexcept {
  messages_.clear();
  audio_ = video_ = 0;
}

}  // namespace srs
