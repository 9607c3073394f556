#include "core/bytes_pool.hpp"

#include <gtest/gtest.h>

namespace srs {
namespace {

TEST(BytesPool, GivenBufferIsTakenAgainForASimilarSize) {
  BytesPool pool;
  Bytes b = pool.take(3000);
  EXPECT_GE(b.capacity(), 3000u);
  b.assign(3000, 7);
  const uint8_t* storage = b.data();
  pool.give(std::move(b));
  EXPECT_EQ(pool.pooled_buffers(), 1u);
  Bytes again = pool.take(2500);  // same power-of-two class, and it fits
  EXPECT_EQ(again.data(), storage);
  EXPECT_TRUE(again.empty());
  EXPECT_GE(again.capacity(), 2500u);
  EXPECT_EQ(pool.pooled_bytes(), 0u);
}

TEST(BytesPool, NeverHandsOutABufferTooSmall) {
  BytesPool pool;
  Bytes small;
  small.reserve(2100);  // class 2048..4095
  pool.give(std::move(small));
  Bytes b = pool.take(4000);  // same class, but 2100 bytes do not fit
  EXPECT_GE(b.capacity(), 4000u);
  EXPECT_EQ(pool.pooled_buffers(), 1u);
  Bytes big;
  big.reserve(9000);  // class 8192..: fits anything of the class below
  pool.give(std::move(big));
  Bytes c = pool.take(5000);
  EXPECT_GE(c.capacity(), 9000u);
}

TEST(BytesPool, TinyHugeAndOverflowingBuffersAreFreed) {
  BytesPool pool;
  Bytes tiny;
  tiny.reserve(16);
  pool.give(std::move(tiny));
  Bytes huge;
  huge.reserve(BytesPool::kMaxSize + 1);
  pool.give(std::move(huge));
  EXPECT_EQ(pool.pooled_buffers(), 0u);
  for (size_t i = 0; i < BytesPool::kMaxBytes / (512 * 1024) + 4; ++i) {
    Bytes b;
    b.reserve(512 * 1024);
    pool.give(std::move(b));
  }
  EXPECT_LE(pool.pooled_bytes(), BytesPool::kMaxBytes);
}

TEST(BytesPool, ThreadPoolRecyclesWhatTheFreeFunctionsHandle) {
  BytesPool* pool = BytesPool::local();
  ASSERT_NE(pool, nullptr);
  const size_t before = pool->pooled_buffers();
  Bytes b = take_pooled_bytes(1000);
  recycle_bytes(std::move(b));
  EXPECT_EQ(pool->pooled_buffers(), before + 1);
}

}  // namespace
}  // namespace srs
