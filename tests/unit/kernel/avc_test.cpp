// AVC decoder configuration record, NAL framing (Annex B <-> AVCC), TS access units and
// the FLV video tag header.
//
// Goldens:
//  - tests/data/h264_high_640x360.h264: ffmpeg -f lavfi -i testsrc2=size=640x360:rate=25
//    -frames:v 3 -c:v libx264 -profile:v high -level 3.1 -crf 45 -preset veryfast
//    -bsf:v h264_mp4toannexb -f h264 (NAL types SPS PPS SEI IDR P P).
//  - kFlvSequenceHeader: the first video tag body of the same settings muxed with -f flv;
//    its record ends with the high-profile extension (chroma/bit depth, no SPS ext).
#include "kernel/avc.hpp"

#include <gtest/gtest.h>

#include "unit/kernel/codec_test_util.hpp"

namespace srs {
namespace {

using test::from_hex;

const Bytes kFlvSequenceHeader = from_hex(
    "1700000000"
    "0164001fffe1"
    "0019 6764001facb405017fcb80880000030008000003019078c195"
    "01 0005 68ef01372c"
    "fdf8f800");
constexpr size_t kRecordWithoutExtension = 6 + 2 + 25 + 1 + 2 + 5;

std::vector<Bytes> read_nal_units(ByteSpan annexb) {
  std::vector<Bytes> units;
  avc::AnnexBReader reader(annexb);
  while (true) {
    auto nal = reader.next();
    EXPECT_TRUE(nal);
    if (!nal || !*nal) return units;
    units.emplace_back((*nal)->begin(), (*nal)->end());
  }
}

Bytes avcc_of(std::initializer_list<const Bytes*> units) {
  Bytes out;
  ByteWriter w(out);
  for (const Bytes* u : units) {
    w.u32(static_cast<uint32_t>(u->size()));
    w.bytes(*u);
  }
  return out;
}

TEST(AvcConfig, ParsesFfmpegRecord) {
  auto tag = avc::parse_video_tag(kFlvSequenceHeader);
  ASSERT_TRUE(tag);
  auto config = avc::parse_decoder_config(tag->body);
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->version, 1);
  EXPECT_EQ(config->profile, 100);
  EXPECT_EQ(config->compatibility, 0);
  EXPECT_EQ(config->level, 31);
  EXPECT_EQ(config->nalu_length_size, 4);
  ASSERT_EQ(config->sps.size(), 1u);
  ASSERT_EQ(config->pps.size(), 1u);
  EXPECT_EQ(config->pps[0], from_hex("68ef01372c"));
  auto sps = avc::parse_sps(config->sps[0]);
  ASSERT_TRUE(sps) << sps.error().message();
  EXPECT_EQ(sps->width, 640u);
  EXPECT_EQ(sps->height, 360u);
  EXPECT_EQ(avc::profile_name(config->profile), "High");
  EXPECT_EQ(avc::level_name(config->level), "3.1");
}

TEST(AvcConfig, WriteReproducesRecordWithoutExtension) {
  ByteSpan record = ByteSpan(kFlvSequenceHeader).subspan(5);
  auto config = avc::parse_decoder_config(record);
  ASSERT_TRUE(config);
  Bytes out;
  ASSERT_TRUE(avc::write_decoder_config(*config, out));
  EXPECT_EQ(out, Bytes(record.begin(), record.begin() + kRecordWithoutExtension));
  auto again = avc::parse_decoder_config(out);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *config);
}

TEST(AvcConfig, RoundTripsSeveralSetsAndLengthSizes) {
  for (uint8_t size : {1, 2, 4}) {
    avc::DecoderConfig c;
    c.profile = 77;
    c.compatibility = 0x40;
    c.level = 41;
    c.nalu_length_size = size;
    c.sps = {from_hex("674d4029"), from_hex("674d4029aa")};
    c.pps = {from_hex("68ee"), from_hex("68ef"), Bytes{}};
    Bytes out;
    ASSERT_TRUE(avc::write_decoder_config(c, out));
    auto parsed = avc::parse_decoder_config(out);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, c);
  }
}

TEST(AvcConfig, TruncatedAtEveryLengthFails) {
  ByteSpan record = ByteSpan(kFlvSequenceHeader).subspan(5, kRecordWithoutExtension);
  for (size_t n = 0; n < record.size(); ++n) {
    auto config = avc::parse_decoder_config(record.first(n));
    ASSERT_FALSE(config) << n;
    EXPECT_EQ(config.error().code, avc_errc::truncated) << n;
  }
}

TEST(AvcConfig, RejectsLyingSpsLength) {
  Bytes record = from_hex("0164001fffe1 ffff 6764");
  auto config = avc::parse_decoder_config(record);
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, avc_errc::truncated);
}

TEST(AvcConfig, RejectsBadVersionAndMissingSps) {
  auto v2 = avc::parse_decoder_config(from_hex("0264001fffe1 0001 67 00"));
  ASSERT_FALSE(v2);
  EXPECT_EQ(v2.error().code, avc_errc::invalid_config);
  auto no_sps = avc::parse_decoder_config(from_hex("0164001fffe0 00"));
  ASSERT_FALSE(no_sps);
  EXPECT_EQ(no_sps.error().code, avc_errc::invalid_config);
}

TEST(AvcConfig, WriteRejectsWhatTheRecordCannotHold) {
  Bytes out;
  avc::DecoderConfig c;
  c.sps.assign(32, from_hex("67"));
  EXPECT_EQ(avc::write_decoder_config(c, out).error().code, avc_errc::invalid_config);
  c.sps = {Bytes(70000, 0x67)};
  EXPECT_EQ(avc::write_decoder_config(c, out).error().code, avc_errc::invalid_config);
  c.sps = {from_hex("67")};
  c.nalu_length_size = 3;
  EXPECT_EQ(avc::write_decoder_config(c, out).error().code, avc_errc::invalid_length_size);
  EXPECT_TRUE(out.empty());
}

TEST(AvcAnnexB, SplitsFfmpegStream) {
  Bytes stream = test::read_data_file("h264_high_640x360.h264");
  std::vector<Bytes> units = read_nal_units(stream);
  ASSERT_EQ(units.size(), 6u);
  const avc::NalType expected[] = {avc::NalType::sps, avc::NalType::pps,     avc::NalType::sei,
                                   avc::NalType::idr, avc::NalType::non_idr, avc::NalType::non_idr};
  for (size_t i = 0; i < units.size(); ++i) EXPECT_EQ(avc::nal_type(units[i]), expected[i]) << i;
  EXPECT_EQ(units[0], from_hex("6764001facd940a02ff97011000003000100000300320f183196"));
}

TEST(AvcAnnexB, HandlesThreeAndFourByteStartCodesAndZeroPadding) {
  Bytes stream = from_hex("0000 00000001 0911 000001 6501 00000001 4102 0000 000001 0603 0000");
  std::vector<Bytes> units = read_nal_units(stream);
  ASSERT_EQ(units.size(), 4u);
  EXPECT_EQ(units[0], from_hex("0911"));
  EXPECT_EQ(units[1], from_hex("6501"));
  EXPECT_EQ(units[2], from_hex("4102"));
  EXPECT_EQ(units[3], from_hex("0603"));
}

TEST(AvcAnnexB, EmptyAndAllZeroInputHaveNoUnits) {
  EXPECT_TRUE(read_nal_units({}).empty());
  EXPECT_TRUE(read_nal_units(from_hex("000000")).empty());
}

TEST(AvcAnnexB, RejectsDataWithoutStartCode) {
  for (const char* hex : {"6764001f", "0001 67", "000002 67", "000001 65 000000 05"}) {
    SCOPED_TRACE(hex);
    Bytes data = from_hex(hex);
    avc::AnnexBReader reader(data);
    Result<std::optional<ByteSpan>> r;
    do r = reader.next();
    while (r && *r);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, avc_errc::no_start_code);
  }
}

TEST(AvcAvcc, RoundTripsFfmpegStreamAtEveryUsableLengthSize) {
  Bytes stream = test::read_data_file("h264_high_640x360.h264");
  Bytes canonical;  // every unit with a 4-byte start code
  for (const Bytes& u : read_nal_units(stream)) {
    canonical.insert(canonical.end(), {0, 0, 0, 1});
    canonical.insert(canonical.end(), u.begin(), u.end());
  }
  for (unsigned size : {2u, 3u, 4u}) {
    SCOPED_TRACE(size);
    Bytes avcc;
    ASSERT_TRUE(avc::annexb_to_avcc(stream, size, avcc));
    EXPECT_EQ(avcc.size(), canonical.size() - 6 * (4 - size));
    Bytes back;
    ASSERT_TRUE(avc::avcc_to_annexb(avcc, size, back));
    EXPECT_EQ(back, canonical);
  }
}

TEST(AvcAvcc, OneByteLengthsCannotHoldAnIdrSlice) {
  Bytes stream = test::read_data_file("h264_high_640x360.h264");
  Bytes avcc;
  auto r = avc::annexb_to_avcc(stream, 1, avcc);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, avc_errc::invalid_nalu_length);
}

TEST(AvcAvcc, SkipsZeroLengthUnits) {
  Bytes avcc = from_hex("00 02 6501 00 01 41");
  Bytes out;
  ASSERT_TRUE(avc::avcc_to_annexb(avcc, 1, out));
  EXPECT_EQ(out, from_hex("00000001 6501 00000001 41"));
}

TEST(AvcAvcc, RejectsLyingLengths) {
  for (const char* hex :
       {"00000005 65010203", "00000002 6501 0000", "ffffffff 65", "00000002 6501 80000000 41"}) {
    SCOPED_TRACE(hex);
    Bytes out;
    auto r = avc::avcc_to_annexb(from_hex(hex), 4, out);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, avc_errc::invalid_nalu_length);
  }
}

TEST(AvcAvcc, RejectsLengthSizeOutsideOneToFour) {
  for (unsigned size : {0u, 5u}) {
    Bytes out;
    EXPECT_EQ(avc::avcc_to_annexb(from_hex("0165"), size, out).error().code,
              avc_errc::invalid_length_size);
    EXPECT_EQ(avc::annexb_to_avcc(from_hex("00000165"), size, out).error().code,
              avc_errc::invalid_length_size);
  }
}

class AvcAccessUnit : public ::testing::Test {
 protected:
  void SetUp() override {
    units_ = read_nal_units(test::read_data_file("h264_high_640x360.h264"));
    ASSERT_EQ(units_.size(), 6u);
    config_.sps = {units_[0]};
    config_.pps = {units_[1]};
  }
  Bytes annexb_of(std::initializer_list<const Bytes*> units) {
    Bytes out;
    for (const Bytes* u : units) {
      out.insert(out.end(), {0, 0, 0, 1});
      out.insert(out.end(), u->begin(), u->end());
    }
    return out;
  }
  std::vector<Bytes> units_;
  avc::DecoderConfig config_;
  const Bytes aud_ = {0x09, 0xf0};
};

TEST_F(AvcAccessUnit, KeyframeGetsAudThenParameterSets) {
  Bytes out = {0xaa};  // appended to, never replaced
  ASSERT_TRUE(avc::write_annexb_access_unit(avcc_of({&units_[2], &units_[3]}), config_, out));
  Bytes expected = {0xaa};
  Bytes au = annexb_of({&aud_, &units_[0], &units_[1], &units_[2], &units_[3]});
  expected.insert(expected.end(), au.begin(), au.end());
  EXPECT_EQ(out, expected);
}

TEST_F(AvcAccessUnit, InterFrameGetsOnlyAud) {
  Bytes out;
  ASSERT_TRUE(avc::write_annexb_access_unit(avcc_of({&units_[4]}), config_, out));
  EXPECT_EQ(out, annexb_of({&aud_, &units_[4]}));
}

TEST_F(AvcAccessUnit, KeepsInBandParameterSetsAndDropsOwnAud) {
  Bytes own_aud = {0x09, 0x10};
  Bytes out;
  Bytes frame = avcc_of({&own_aud, &units_[0], &units_[1], &units_[3]});
  ASSERT_TRUE(avc::write_annexb_access_unit(frame, config_, out));
  EXPECT_EQ(out, annexb_of({&aud_, &units_[0], &units_[1], &units_[3]}));
}

TEST_F(AvcAccessUnit, LyingLengthAppendsNothing) {
  Bytes frame = avcc_of({&units_[3]});
  put_u32(frame.data(), static_cast<uint32_t>(units_[3].size() + 1));  // one byte too long
  Bytes out;
  auto r = avc::write_annexb_access_unit(frame, config_, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, avc_errc::invalid_nalu_length);
  EXPECT_TRUE(out.empty());
}

TEST(AvcVideoTag, ParsesSequenceHeaderAndEndOfSequence) {
  auto seq = avc::parse_video_tag(kFlvSequenceHeader);
  ASSERT_TRUE(seq);
  EXPECT_EQ(seq->frame_type, avc::FrameType::keyframe);
  EXPECT_EQ(seq->codec_id, avc::CodecId::avc);
  EXPECT_EQ(seq->packet_type, avc::PacketType::sequence_header);
  EXPECT_EQ(seq->composition_time, 0);
  EXPECT_EQ(seq->body.size(), kFlvSequenceHeader.size() - 5);
  const Bytes eos_bytes = from_hex("1702000000");  // the tag body points into it
  auto eos = avc::parse_video_tag(eos_bytes);
  ASSERT_TRUE(eos);
  EXPECT_EQ(eos->packet_type, avc::PacketType::end_of_sequence);
  EXPECT_TRUE(eos->body.empty());
}

TEST(AvcVideoTag, CompositionTimeIsSigned24Bit) {
  struct Case {
    const char* hex;
    int32_t cts;
  };
  for (Case c : {Case{"2701000050 00", 80}, Case{"2701fffffe 00", -2}, Case{"27017fffff", 8388607},
                 Case{"2701800000", -8388608}}) {
    SCOPED_TRACE(c.hex);
    const Bytes tag_bytes = from_hex(c.hex);
    auto tag = avc::parse_video_tag(tag_bytes);
    ASSERT_TRUE(tag);
    EXPECT_EQ(tag->frame_type, avc::FrameType::inter);
    EXPECT_EQ(tag->packet_type, avc::PacketType::nalu);
    EXPECT_EQ(tag->composition_time, c.cts);
  }
}

TEST(AvcVideoTag, OtherCodecsHaveOneByteHeader) {
  const Bytes tag_bytes = from_hex("22 abcd");
  auto tag = avc::parse_video_tag(tag_bytes);
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->frame_type, avc::FrameType::inter);
  EXPECT_EQ(tag->codec_id, avc::CodecId::h263);
  EXPECT_EQ(tag->body.size(), 2u);
}

TEST(AvcVideoTag, TruncatedHeaderFails) {
  for (size_t n = 0; n < 5; ++n) {
    auto tag = avc::parse_video_tag(ByteSpan(kFlvSequenceHeader).first(n));
    ASSERT_FALSE(tag) << n;
    EXPECT_EQ(tag.error().code, avc_errc::truncated);
  }
}

TEST(AvcNames, ProfilesAndLevelsAsTheApiReportsThem) {
  EXPECT_EQ(avc::profile_name(66), "Baseline");
  EXPECT_EQ(avc::profile_name(66, 0xc0), "Baseline(Constrained)");
  EXPECT_EQ(avc::profile_name(77, 0x40), "Main");
  EXPECT_EQ(avc::profile_name(88), "Extended");
  EXPECT_EQ(avc::profile_name(110, 0x10), "High(10+Intra)");
  EXPECT_EQ(avc::profile_name(122, 0x10), "High(422+Intra)");
  EXPECT_EQ(avc::profile_name(144), "High(444)");
  EXPECT_EQ(avc::profile_name(244, 0x10), "High(444+Intra)");
  EXPECT_EQ(avc::profile_name(83), "Other");
  EXPECT_EQ(avc::level_name(10), "1");
  EXPECT_EQ(avc::level_name(22), "2.2");
  EXPECT_EQ(avc::level_name(51), "5.1");
  EXPECT_EQ(avc::level_name(52), "Other");
  EXPECT_EQ(avc::level_name(9), "Other");
}

TEST(AvcRbsp, RemovesAndInsertsEmulationPrevention) {
  EXPECT_EQ(avc::unescape_rbsp(from_hex("6700000301 000003 000003")),
            from_hex("670000010000 0000"));
  EXPECT_EQ(avc::escape_rbsp(from_hex("670000010000 0000")), from_hex("6700000301 000003 0000"));
  // 00 00 04 needs no escape; an escaped 03 keeps its own 03.
  EXPECT_EQ(avc::escape_rbsp(from_hex("000004 000003")), from_hex("000004 00000303"));
  Bytes all;
  for (int i = 0; i < 1024; ++i) all.push_back(static_cast<uint8_t>((i * 7919) % 5 == 0 ? 0 : i));
  EXPECT_EQ(avc::unescape_rbsp(avc::escape_rbsp(all)), all);
}

}  // namespace
}  // namespace srs
