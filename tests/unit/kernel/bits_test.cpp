#include "kernel/bits.hpp"

#include <gtest/gtest.h>

namespace srs {
namespace {

TEST(Bits, ReadsFieldsMostSignificantFirst) {
  const Bytes data = {0b1011'0010, 0xff, 0x00, 0x12, 0x34};
  BitReader b(data);
  EXPECT_EQ(b.u(1), 1u);
  EXPECT_EQ(b.u(3), 0b011u);
  EXPECT_EQ(b.u(4), 0b0010u);
  EXPECT_EQ(b.u(32), 0xff001234u);
  EXPECT_TRUE(b.ok());
  EXPECT_EQ(b.bits_left(), 0u);
}

TEST(Bits, ReadPastEndFailsAndStaysFailed) {
  const Bytes data = {0xff};
  BitReader b(data);
  EXPECT_EQ(b.u(9), 0u);
  EXPECT_FALSE(b.ok());
  EXPECT_EQ(b.u(1), 0u);
  EXPECT_FALSE(b.ok());
}

TEST(Bits, ExpGolombMatchesTable9_2) {
  // 14496-10 Table 9-2: 1 -> 0, 010 -> 1, 011 -> 2, 00100 -> 3; se 1 -> +1, 2 -> -1.
  const Bytes data = {0b1010'0110, 0b0100'0000};
  BitReader b(data);
  EXPECT_EQ(b.ue(), 0u);
  EXPECT_EQ(b.ue(), 1u);
  EXPECT_EQ(b.ue(), 2u);
  EXPECT_EQ(b.ue(), 3u);
  EXPECT_TRUE(b.ok());
}

TEST(Bits, ExpGolombRoundTripsExtremes) {
  const uint32_t unsigned_values[] = {0, 1, 2, 254, 255, 65535, 0x7fffffff, 0xfffffffe};
  const int32_t signed_values[] = {0, 1, -1, 127, -128, INT32_MAX, -INT32_MAX};
  Bytes out;
  BitWriter w(out);
  for (uint32_t v : unsigned_values) w.ue(v);
  for (int32_t v : signed_values) w.se(v);
  w.u(3, 0b101);
  w.align();
  BitReader b(out);
  for (uint32_t v : unsigned_values) EXPECT_EQ(b.ue(), v);
  for (int32_t v : signed_values) EXPECT_EQ(b.se(), v);
  EXPECT_EQ(b.u(3), 0b101u);
  EXPECT_TRUE(b.ok());
  EXPECT_LT(b.bits_left(), 8u);
}

TEST(Bits, ExpGolombWithTooManyZerosFails) {
  const Bytes zeros(8, 0);
  BitReader b(zeros);
  EXPECT_EQ(b.ue(), 0u);
  EXPECT_FALSE(b.ok());
}

TEST(Bits, WriterAppendsAndPads) {
  Bytes out = {0xaa};
  BitWriter w(out);
  w.u(4, 0xf);
  w.flag(true);
  w.align();
  w.u(8, 0x5a);
  EXPECT_EQ(out, (Bytes{0xaa, 0xf8, 0x5a}));
}

}  // namespace
}  // namespace srs
