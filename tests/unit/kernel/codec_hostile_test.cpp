// Every codec parser fed seeded random bytes and bit-flipped goldens: none may crash,
// loop or read out of bounds (run under ASan/UBSan), and what they accept must still hold
// their invariants. Deterministic: a failure reproduces with the same seed.
#include <gtest/gtest.h>

#include <random>

#include "kernel/aac.hpp"
#include "kernel/avc.hpp"
#include "kernel/mp3.hpp"
#include "unit/kernel/codec_test_util.hpp"

namespace srs {
namespace {

using test::from_hex;

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}
  Bytes random(size_t max_len) {
    Bytes b(std::uniform_int_distribution<size_t>(0, max_len)(rng_));
    for (uint8_t& x : b) x = static_cast<uint8_t>(rng_());
    return b;
  }
  // The golden with a few bits flipped and maybe cut short.
  Bytes mutate(const Bytes& golden) {
    Bytes b = golden;
    if (b.empty()) return b;
    for (int flips = 1 + static_cast<int>(rng_() % 4); flips > 0; --flips) {
      b[rng_() % b.size()] ^= static_cast<uint8_t>(1u << (rng_() % 8));
    }
    if (rng_() % 4 == 0) b.resize(rng_() % b.size());
    return b;
  }

 private:
  std::mt19937 rng_;
};

constexpr int kRounds = 3000;

TEST(CodecHostile, SpsInvariantsHoldForAnythingAccepted) {
  Mutator m(1);
  const Bytes golden = from_hex("6764001facd940a02ff97011000003000100000300320f183196");
  for (int i = 0; i < kRounds; ++i) {
    Bytes b = (i % 2) ? m.mutate(golden) : m.random(64);
    if (i % 2 == 0 && !b.empty()) b[0] = 0x67;
    auto sps = avc::parse_sps(b);
    if (!sps) continue;
    EXPECT_GT(sps->width, 0u);
    EXPECT_GT(sps->height, 0u);
    EXPECT_LE(sps->coded_width, avc::kMaxDimension);
    EXPECT_LE(sps->coded_height, avc::kMaxDimension);
    EXPECT_LE(sps->sps_id, 31u);
  }
}

TEST(CodecHostile, DecoderConfigAndFramingNeverOverrun) {
  Mutator m(2);
  const Bytes record = from_hex(
      "0164001fffe1 0019 6764001facb405017fcb80880000030008000003019078c195 01 0005 68ef01372c");
  for (int i = 0; i < kRounds; ++i) {
    Bytes b = (i % 2) ? m.mutate(record) : m.random(96);
    if (auto c = avc::parse_decoder_config(b)) {
      EXPECT_FALSE(c->sps.empty());
      EXPECT_GE(c->nalu_length_size, 1);
      EXPECT_LE(c->nalu_length_size, 4);
    }
    size_t total = 0;
    avc::AnnexBReader annexb(b);
    for (auto n = annexb.next(); n && *n; n = annexb.next()) total += (*n)->size();
    EXPECT_LE(total, b.size());
    for (unsigned size = 1; size <= 4; ++size) {
      Bytes out;
      if (avc::avcc_to_annexb(b, size, out)) {
        EXPECT_LE(out.size(), b.size() * 5);
      }
      avc::DecoderConfig config;
      config.nalu_length_size = static_cast<uint8_t>(size);
      config.sps = {from_hex("6764")};
      out.clear();
      if (!avc::write_annexb_access_unit(b, config, out)) {
        EXPECT_TRUE(out.empty());
      }
    }
    (void)avc::parse_video_tag(b);
  }
}

TEST(CodecHostile, AacParsersNeverOverrun) {
  Mutator m(3);
  const Bytes asc = from_hex("130856e59d4880");
  const Bytes adts = test::read_data_file("aac_48000_mono.adts");
  for (int i = 0; i < kRounds; ++i) {
    Bytes b = (i % 3 == 0) ? m.random(32) : (i % 3 == 1) ? m.mutate(asc) : m.mutate(adts);
    if (auto c = aac::parse_audio_specific_config(b)) {
      EXPECT_NE(c->object_type, 0);
      EXPECT_GT(c->sample_rate, 0u);
    }
    aac::AdtsReader reader(b);
    size_t total = 0;
    for (auto f = reader.next(); f && *f; f = reader.next()) {
      total += (*f)->header.frame_length;
      EXPECT_EQ((*f)->payload.size() + (*f)->header.header_size(), (*f)->header.frame_length);
    }
    EXPECT_LE(total, b.size());
    (void)aac::parse_audio_tag(b);
  }
}

TEST(CodecHostile, Mp3SearchNeverOverruns) {
  Mutator m(4);
  const Bytes golden = test::read_data_file("mp3_22050_mono.mp3");
  for (int i = 0; i < kRounds / 10; ++i) {
    Bytes b = (i % 2) ? m.mutate(golden) : m.random(2048);
    if (auto first = mp3::find_first_frame(b)) {
      ASSERT_LE(*first + mp3::kHeaderSize, b.size());
      auto h = mp3::parse_frame_header(ByteSpan(b).subspan(*first));
      ASSERT_TRUE(h);
      EXPECT_GE(h->frame_length, mp3::kHeaderSize);
    }
  }
}

}  // namespace
}  // namespace srs
