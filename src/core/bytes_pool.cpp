#include "core/bytes_pool.hpp"

#include <bit>

namespace srs {

namespace {
size_t floor_log2(size_t n) noexcept {
  return std::bit_width(n) - 1;
}
}  // namespace

Bytes BytesPool::take(size_t n) {
  if (n >= kMinSize && n <= kMaxSize) {
    // Every buffer of class k holds at least 2^k bytes: the class above n's always fits;
    // n's own class fits when the buffer at its back happens to be large enough.
    const size_t k = floor_log2(n);
    for (size_t c : {k + 1, k}) {
      if (c >= kClasses || free_[c].empty() || free_[c].back().capacity() < n) continue;
      Bytes b = std::move(free_[c].back());
      free_[c].pop_back();
      pooled_ -= b.capacity();
      return b;
    }
  }
  Bytes b;
  b.reserve(n);
  return b;
}

void BytesPool::give(Bytes&& b) noexcept {
  const size_t cap = b.capacity();
  if (cap < kMinSize || cap > kMaxSize || pooled_ + cap > kMaxBytes) return;
  std::vector<Bytes>& list = free_[floor_log2(cap)];
  if (list.size() == list.capacity()) {
    // Growing the list may throw: then the buffer is just freed (noexcept path).
    try {
      list.reserve(list.empty() ? 16 : list.size() * 2);
    } catch (...) {
      return;
    }
  }
  b.clear();
  list.push_back(std::move(b));
  pooled_ += cap;
}

size_t BytesPool::pooled_buffers() const noexcept {
  size_t n = 0;
  for (const auto& list : free_) n += list.size();
  return n;
}

namespace {
// Payloads may be freed by other thread-local or static destructors after the pool's own:
// the flag (trivially destructible, so still readable) sends them to plain free.
thread_local bool pool_gone = false;
struct PoolHolder {
  BytesPool pool;
  ~PoolHolder() { pool_gone = true; }
};
thread_local PoolHolder holder;
}  // namespace

BytesPool* BytesPool::local() noexcept {
  return pool_gone ? nullptr : &holder.pool;
}

Bytes take_pooled_bytes(size_t n) {
  if (BytesPool* pool = BytesPool::local()) return pool->take(n);
  Bytes b;
  b.reserve(n);
  return b;
}

void recycle_bytes(Bytes&& b) noexcept {
  if (BytesPool* pool = BytesPool::local()) pool->give(std::move(b));
}

}  // namespace srs
