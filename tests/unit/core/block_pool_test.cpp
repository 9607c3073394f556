#include "core/block_pool.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace srs {
namespace {

TEST(BlockFreeList, AGivenBlockIsTheNextTaken) {
  BlockFreeList<48> list;
  void* a = list.take();
  void* b = list.take();
  list.give(a);
  list.give(b);
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(list.take(), b);
  EXPECT_EQ(list.take(), a);
  EXPECT_EQ(list.size(), 0u);
  list.give(a);
  list.give(b);
}

TEST(BlockFreeList, KeepsNoMoreThanItsBound) {
  using List = BlockFreeList<16>;
  List list;
  std::vector<void*> blocks;
  for (size_t i = 0; i < List::kMaxBlocks + 10; ++i) blocks.push_back(list.take());
  for (void* p : blocks) list.give(p);
  EXPECT_EQ(list.size(), List::kMaxBlocks);
}

struct Payload {
  int value;
  explicit Payload(int v) : value(v) {}
};

TEST(RecyclingAllocator, SharedObjectsGoBackToTheThreadsList) {
  using Block =
      std::_Sp_counted_ptr_inplace<Payload, RecyclingAllocator<Payload>, __gnu_cxx::_S_atomic>;
  auto* list = BlockFreeList<sizeof(Block)>::local();
  ASSERT_NE(list, nullptr);
  const size_t before = list->size();
  auto p = std::allocate_shared<Payload>(RecyclingAllocator<Payload>(), 7);
  EXPECT_EQ(p->value, 7);
  const void* block = static_cast<const void*>(p.get());
  p.reset();
  EXPECT_EQ(list->size(), before + 1) << "the freed object's block is kept";
  auto q = std::allocate_shared<Payload>(RecyclingAllocator<Payload>(), 8);
  EXPECT_EQ(static_cast<const void*>(q.get()), block) << "and handed out again";
  EXPECT_EQ(list->size(), before);
}

}  // namespace
}  // namespace srs
