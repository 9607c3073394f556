// Recycled payload buffers. Every received RTMP message needs a payload buffer that lives
// until the last player has sent it (and the GOP cache has moved on), so buffers are freed
// in roughly the order they were allocated, with varied sizes: the pattern malloc handles
// worst. Freed payloads go back to a per-thread pool (the server is single-threaded) sorted
// by power-of-two capacity class, and the next message of a similar size takes one.
//
// Bounded: at most kMaxBytes in the pool and buffers between kMinSize and kMaxSize only;
// anything else is simply freed.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "core/bytes.hpp"

namespace srs {

class BytesPool {
 public:
  static constexpr size_t kMinSize = 256;
  static constexpr size_t kMaxSize = 1024 * 1024;
  static constexpr size_t kMaxBytes = 8 * 1024 * 1024;

  // An empty buffer with capacity for at least `n` bytes.
  Bytes take(size_t n);
  // Keeps `b`'s storage for a later take(), or frees it when it does not fit the pool.
  void give(Bytes&& b) noexcept;

  size_t pooled_bytes() const noexcept { return pooled_; }
  size_t pooled_buffers() const noexcept;

  // The calling thread's pool; nullptr while the thread is exiting (after its pool is gone).
  static BytesPool* local() noexcept;

 private:
  static constexpr size_t kClasses = 21;  // floor(log2(capacity)) up to kMaxSize

  std::array<std::vector<Bytes>, kClasses> free_;
  size_t pooled_ = 0;
};

// The calling thread's pool, or plain allocation / freeing when it has none.
Bytes take_pooled_bytes(size_t n);
void recycle_bytes(Bytes&& b) noexcept;

}  // namespace srs
