// `mix_correct on`: audio and video leave in one timestamp-ordered sequence, for publishers
// that send the two tracks out of step (spec/rtmp.md §5).
#pragma once

#include <cstddef>
#include <map>
#include <utility>

#include "kernel/shared_message.hpp"

namespace srs {

class MixQueue {
 public:
  // Releases a message once both kinds are buffered, or this many of one kind are.
  static constexpr size_t kMaxOneKind = 10;

  void push(SharedMessagePtr msg);
  // The next message in timestamp order when one may leave, else null.
  SharedMessagePtr pop();
  // The next message in timestamp order regardless of the rule (flush at unpublish).
  SharedMessagePtr pop_any();
  void clear() noexcept;
  size_t size() const noexcept { return messages_.size(); }

 private:
  std::multimap<int64_t, SharedMessagePtr> messages_;
  size_t audio_ = 0;
  size_t video_ = 0;
};

}  // namespace srs
