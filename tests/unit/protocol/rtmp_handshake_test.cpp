// Known-answer checks of the handshake, built in the test from spec/rtmp.md section 1 with
// OpenSSL directly (offsets, keys and HMACs computed here, not by the code under test).
#include "protocol/rtmp/handshake.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>
#include <numeric>
#include <string>

#include "protocol/rtmp/rtmp_error.hpp"

namespace srs::rtmp {
namespace {

const uint8_t kK[32] = {0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0,
                        0xD1, 0x02, 0x9E, 0x7E, 0x57, 0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80,
                        0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE};

Bytes spec_key(const std::string& text) {
  Bytes k(text.begin(), text.end());
  k.insert(k.end(), kK, kK + 32);
  return k;
}
Bytes fp62() {
  return spec_key("Genuine Adobe Flash Player 001");
}
Bytes fms68() {
  return spec_key("Genuine Adobe Flash Media Server 001");
}

Bytes hmac(ByteSpan key, ByteSpan data) {
  Bytes out(32);
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(),
       &len);
  return out;
}

// A deterministic "random" source: bytes count up from a seed.
RandomFill counting(uint8_t seed) {
  return [seed](std::span<uint8_t> out) mutable {
    for (auto& b : out) b = seed++;
  };
}

// The digest position by the spec's table: schema 0 puts the digest block second (at 772),
// schema 1 first (at 8); the offset is the sum of its 4 leading bytes mod 728.
size_t spec_digest_pos(ByteSpan p, int schema) {
  size_t block = schema == 0 ? 772 : 8;
  return block + 4 + (p[block] + p[block + 1] + p[block + 2] + p[block + 3]) % 728;
}

Bytes without_digest(ByteSpan p, size_t at) {
  Bytes joined(p.begin(), p.begin() + at);
  joined.insert(joined.end(), p.begin() + at + 32, p.end());
  EXPECT_EQ(joined.size(), 1504u);
  return joined;
}

// A C1 signed with FP30 per `schema`, fields chosen so the digest lands mid-block.
Bytes make_signed_c1(int schema) {
  Bytes c1(1536);
  for (size_t i = 0; i < c1.size(); ++i) c1[i] = static_cast<uint8_t>(i * 7 + 3);
  size_t at = spec_digest_pos(c1, schema);
  Bytes key = fp62();
  key.resize(30);
  Bytes d = hmac(key, without_digest(c1, at));
  std::copy(d.begin(), d.end(), c1.begin() + at);
  return c1;
}

TEST(Handshake, ConstantKeysMatchTheSpec) {
  EXPECT_EQ(Bytes(fp_key().begin(), fp_key().end()), fp62());
  EXPECT_EQ(Bytes(fms_key().begin(), fms_key().end()), fms68());
}

TEST(Handshake, ValidatesSchema0C1AndReportsItsDigest) {
  Bytes c1 = make_signed_c1(0);
  Schema schema = Schema::schema1;
  Digest digest{};
  ASSERT_TRUE(validate_c1(c1, &schema, &digest));
  EXPECT_EQ(schema, Schema::schema0);
  size_t at = spec_digest_pos(c1, 0);
  EXPECT_TRUE(std::equal(digest.begin(), digest.end(), c1.begin() + at));
}

TEST(Handshake, ValidatesSchema1C1) {
  Bytes c1 = make_signed_c1(1);
  Schema schema = Schema::schema0;
  ASSERT_TRUE(validate_c1(c1, &schema, nullptr));
  EXPECT_EQ(schema, Schema::schema1);
}

TEST(Handshake, RejectsC1WithOneFlippedByte) {
  Bytes c1 = make_signed_c1(0);
  c1[100] ^= 1;
  EXPECT_FALSE(validate_c1(c1, nullptr, nullptr));
}

TEST(Handshake, KeyOffsetFollowsTheTrailingOffsetField) {
  Bytes c1(1536, 0);
  // Schema 0: key block first (8..771), offset field at its bytes 760..763.
  c1[8 + 760] = 200;
  c1[8 + 761] = 200;
  c1[8 + 762] = 200;
  c1[8 + 763] = 100;  // sum 700 % 632 = 68
  EXPECT_EQ(key_offset(c1, Schema::schema0), 8u + 68);
  EXPECT_EQ(key_offset(c1, Schema::schema1), 772u);
}

TEST(Handshake, ComplexServerAnswerSignsS1AndS2PerSpec) {
  Bytes c0c1 = {3};
  Bytes c1 = make_signed_c1(0);
  c0c1.insert(c0c1.end(), c1.begin(), c1.end());
  std::array<uint8_t, 3073> out{};
  auto kind = build_s0s1s2(c0c1, out, 0x11223344, counting(9));
  ASSERT_TRUE(kind);
  EXPECT_EQ(*kind, HandshakeKind::complex);
  EXPECT_EQ(out[0], 3);
  ByteSpan s1(out.data() + 1, 1536), s2(out.data() + 1537, 1536);
  EXPECT_EQ(ByteReader(s1).u32(), 0x11223344u);
  EXPECT_EQ(ByteReader(s1.subspan(4)).u32(), 0x01000504u);

  // S1: same schema as C1, signed with FMS36.
  size_t at = spec_digest_pos(s1, 0);
  Bytes fms36 = fms68();
  fms36.resize(36);
  Bytes s1_digest = hmac(fms36, without_digest(s1, at));
  EXPECT_TRUE(std::equal(s1_digest.begin(), s1_digest.end(), s1.begin() + at));

  // S2: last 32 bytes = HMAC(HMAC(FMS68, C1 digest), first 1504 bytes).
  size_t c1_at = spec_digest_pos(c1, 0);
  Bytes temp = hmac(fms68(), ByteSpan(c1).subspan(c1_at, 32));
  Bytes sig = hmac(temp, s2.first(1504));
  EXPECT_TRUE(std::equal(sig.begin(), sig.end(), s2.begin() + 1504));
}

TEST(Handshake, ZeroC1FallsBackToSimpleEcho) {
  Bytes c0c1(1537, 0);
  c0c1[0] = 3;
  c0c1[1] = 0xAA;  // C1 time, echoed into S1 bytes 4..7
  std::array<uint8_t, 3073> out{};
  auto kind = build_s0s1s2(c0c1, out, 77, counting(1));
  ASSERT_TRUE(kind);
  EXPECT_EQ(*kind, HandshakeKind::simple);
  EXPECT_EQ(out[0], 3);
  EXPECT_EQ(ByteReader(ByteSpan(out).subspan(1)).u32(), 77u);
  EXPECT_EQ(out[5], 0xAA);
  EXPECT_TRUE(std::equal(c0c1.begin() + 1, c0c1.end(), out.begin() + 1537));  // S2 = C1
}

TEST(Handshake, RejectsC0OtherThan3) {
  Bytes c0c1(1537, 0);
  c0c1[0] = 6;  // RTMPE
  std::array<uint8_t, 3073> out{};
  auto kind = build_s0s1s2(c0c1, out, 0, counting(0));
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error().code, rtmp_errc::bad_handshake_version);
}

TEST(Handshake, OurClientC0C1ValidatesOnOurServerInSchema1) {
  std::array<uint8_t, 1537> c0c1{};
  build_c0c1(c0c1, 5, counting(42));
  EXPECT_EQ(c0c1[0], 3);
  ByteSpan c1(c0c1.data() + 1, 1536);
  EXPECT_EQ(ByteReader(c1.subspan(4)).u32(), 0x80000702u);
  Schema schema = Schema::schema0;
  ASSERT_TRUE(validate_c1(c1, &schema, nullptr));
  EXPECT_EQ(schema, Schema::schema1);
  std::array<uint8_t, 3073> out{};
  auto kind = build_s0s1s2(c0c1, out, 0, counting(3));
  ASSERT_TRUE(kind);
  EXPECT_EQ(*kind, HandshakeKind::complex);
}

TEST(Handshake, ClientC2AnswersComplexS1WithFpKeySignature) {
  std::array<uint8_t, 1537> c0c1{};
  build_c0c1(c0c1, 5, counting(42));
  std::array<uint8_t, 3073> s0s1s2{};
  ASSERT_TRUE(build_s0s1s2(c0c1, s0s1s2, 6, counting(8)));
  ByteSpan s1(s0s1s2.data() + 1, 1536);
  std::array<uint8_t, 1536> c2{};
  EXPECT_EQ(build_c2(s1, c2, counting(99)), HandshakeKind::complex);
  size_t at = spec_digest_pos(s1, 1);  // the server answered in the client's schema 1
  Bytes temp = hmac(fp62(), s1.subspan(at, 32));
  Bytes sig = hmac(temp, ByteSpan(c2).first(1504));
  EXPECT_TRUE(std::equal(sig.begin(), sig.end(), c2.begin() + 1504));
}

TEST(Handshake, ClientC2CopiesSimpleS1) {
  Bytes s1(1536);
  std::iota(s1.begin(), s1.end(), 0);
  std::array<uint8_t, 1536> c2{};
  EXPECT_EQ(build_c2(s1, c2, counting(0)), HandshakeKind::simple);
  EXPECT_TRUE(std::equal(s1.begin(), s1.end(), c2.begin()));
}

}  // namespace
}  // namespace srs::rtmp
