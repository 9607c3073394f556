#include "core/bytes.hpp"

#include <gtest/gtest.h>

namespace srs {
namespace {

TEST(ByteReader, ReadsBigEndianValues) {
  const Bytes b = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};
  ByteReader r(b);
  EXPECT_EQ(r.u8(), 0x01);
  EXPECT_EQ(r.u16(), 0x0203);
  EXPECT_EQ(r.u24(), 0x040506u);
  EXPECT_EQ(r.u32le(), 0x0a090807u);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.empty());
}

TEST(ByteReader, ReadPastEndFailsAndStaysFailed) {
  const Bytes b = {0x01, 0x02};
  ByteReader r(b);
  EXPECT_EQ(r.u32(), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.u8(), 0);
  EXPECT_TRUE(r.bytes(1).empty());
}

TEST(ByteWriter, RoundTripsThroughReader) {
  Bytes out;
  ByteWriter w(out);
  w.u8(7);
  w.u16(0xbeef);
  w.u24(0x123456);
  w.u32(0xdeadbeef);
  w.f64(1.5);
  w.u32le(0x01020304);
  ByteReader r(out);
  EXPECT_EQ(r.u8(), 7);
  EXPECT_EQ(r.u16(), 0xbeef);
  EXPECT_EQ(r.u24(), 0x123456u);
  EXPECT_EQ(r.u32(), 0xdeadbeefu);
  EXPECT_EQ(r.f64(), 1.5);
  EXPECT_EQ(r.u32le(), 0x01020304u);
  EXPECT_TRUE(r.ok() && r.empty());
}

}  // namespace
}  // namespace srs
