// Recycled fixed-size blocks for objects made and freed at message rate: the shared media
// messages' headers (with their reference counts). A GOP cache frees a GOP's worth of them
// at once, the pattern that pushes malloc off its fast path (tcache holds 7 blocks a size)
// into consolidation; a per-thread free list takes them all and hands them back one by one.
//
// Bounded: at most kMaxBlocks blocks are kept per size; the rest are freed.
#pragma once

#include <cstddef>
#include <new>
#include <utility>

namespace srs {

template <size_t Size>
class BlockFreeList {
 public:
  static constexpr size_t kMaxBlocks = 16384;

  BlockFreeList() = default;
  BlockFreeList(const BlockFreeList&) = delete;
  BlockFreeList& operator=(const BlockFreeList&) = delete;
  ~BlockFreeList() {
    while (head_) ::operator delete(std::exchange(head_, head_->next));
  }

  void* take() {
    if (!head_) return ::operator new(Size);
    --count_;
    return std::exchange(head_, head_->next);
  }
  void give(void* p) noexcept {
    if (count_ >= kMaxBlocks) return ::operator delete(p);
    head_ = ::new (p) Node{head_};
    ++count_;
  }
  size_t size() const noexcept { return count_; }

  // The calling thread's list; nullptr while the thread is exiting (after its list is gone).
  static BlockFreeList* local() noexcept {
    thread_local Holder holder;
    return holder.gone ? nullptr : &holder.list;
  }

 private:
  struct Node {
    Node* next;
  };
  static_assert(Size >= sizeof(Node));
  struct Holder {
    BlockFreeList list;
    bool gone = false;
    ~Holder() { gone = true; }
  };

  Node* head_ = nullptr;
  size_t count_ = 0;
};

// An allocator over the thread's free list of sizeof(T) blocks, for std::allocate_shared.
template <class T>
struct RecyclingAllocator {
  using value_type = T;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);

  RecyclingAllocator() noexcept = default;
  template <class U>
  RecyclingAllocator(const RecyclingAllocator<U>&) noexcept {}

  T* allocate(size_t n) {
    if (n == 1)
      if (auto* list = BlockFreeList<sizeof(T)>::local()) return static_cast<T*>(list->take());
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) noexcept {
    if (n == 1)
      if (auto* list = BlockFreeList<sizeof(T)>::local()) return list->give(p);
    ::operator delete(p);
  }
  template <class U>
  bool operator==(const RecyclingAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace srs
