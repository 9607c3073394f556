// SPS parsing: golden SPS from libx264 (via ffmpeg) and hand-built ones for the syntax
// x264 never emits (POC type 1, scaling lists, 4:4:4 with separate planes) and for
// hostile values.
//
// Goldens: ffmpeg -f lavfi -i testsrc2=size=WxH:rate=25 -frames:v 3 -c:v libx264
//   -profile:v P [-pix_fmt F] [-flags +ildct+ilme -x264-params tff=1] -crf 45
//   -bsf:v h264_mp4toannexb -f h264 out.h264, then the NAL unit of type 7;
// ffprobe reported the same profile, level and size for each.
#include "kernel/avc.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "kernel/bits.hpp"
#include "unit/kernel/codec_test_util.hpp"

namespace srs {
namespace {

using test::from_hex;

struct GoldenSps {
  const char* name;
  const char* hex;
  uint8_t profile_idc;
  const char* profile;  // profile_name with the SPS's constraint flags
  const char* level;
  uint32_t width;
  uint32_t height;
  uint32_t chroma_format_idc;
  uint32_t bit_depth;
  bool frame_mbs_only;
  uint32_t poc_type;
};

const GoldenSps kGolden[] = {
    {"baseline 320x240", "6742c01eda0507ec0440000003004000000c83c58ba8", 66,
     "Baseline(Constrained)", "3", 320, 240, 1, 8, true, 2},
    {"main 1280x720", "674d401feca02802dd80880000030008000003019078c18cb0", 77, "Main", "3.1", 1280,
     720, 1, 8, true, 0},
    {"high 640x360", "6764001facd940a02ff97011000003000100000300320f183196", 100, "High", "3.1",
     640, 360, 1, 8, true, 0},
    // 1080 is not a multiple of 16: coded as 1088 and cropped by 8 lines.
    {"high 1920x1080", "67640028acd940780227e5c044000003000400000300c83c60c658", 100, "High", "4",
     1920, 1080, 1, 8, true, 0},
    {"high 350x198 (odd crop)", "6764000dacd94161bea6c044000003000400000300c83c50a658", 100, "High",
     "1.3", 350, 198, 1, 8, true, 0},
    {"high interlaced 720x576", "6764001eacd940b424d8088000000300800000190f8a14cb", 100, "High",
     "3", 720, 576, 1, 8, false, 0},
    {"high10 352x288", "676e000da6cd9416096c0440000003004000000c83c50a6580", 110, "High(10)", "1.3",
     352, 288, 1, 10, true, 0},
    {"high422 352x288", "677a000dbcd9416096c044000003000400000300c83c50a658", 122, "High(422)",
     "1.3", 352, 288, 2, 8, true, 0},
    {"high444 352x288", "67f4000d919b282c12d808800000030080000019078a14cb", 244,
     "High(444+Predictive)", "1.3", 352, 288, 3, 8, true, 0},
};

TEST(AvcSps, ParsesFfmpegGoldens) {
  for (const GoldenSps& g : kGolden) {
    SCOPED_TRACE(g.name);
    auto sps = avc::parse_sps(from_hex(g.hex));
    ASSERT_TRUE(sps) << sps.error().message();
    EXPECT_EQ(sps->profile_idc, g.profile_idc);
    EXPECT_EQ(avc::profile_name(sps->profile_idc, sps->constraint_flags), g.profile);
    EXPECT_EQ(avc::level_name(sps->level_idc), g.level);
    EXPECT_EQ(sps->width, g.width);
    EXPECT_EQ(sps->height, g.height);
    EXPECT_EQ(sps->chroma_format_idc, g.chroma_format_idc);
    EXPECT_EQ(sps->bit_depth_luma, g.bit_depth);
    EXPECT_EQ(sps->frame_mbs_only, g.frame_mbs_only);
    EXPECT_EQ(sps->poc_type, g.poc_type);
    EXPECT_TRUE(sps->vui_present);  // x264 always writes VUI
  }
}

TEST(AvcSps, ReportsCodedSizeAndCropOf1080p) {
  auto sps = avc::parse_sps(from_hex(kGolden[3].hex));
  ASSERT_TRUE(sps);
  EXPECT_EQ(sps->coded_width, 1920u);
  EXPECT_EQ(sps->coded_height, 1088u);
  EXPECT_EQ(sps->crop_bottom, 8u);
  EXPECT_EQ(sps->crop_top + sps->crop_left + sps->crop_right, 0u);
  EXPECT_EQ(sps->level_idc, 40);
  EXPECT_EQ(sps->log2_max_frame_num, 4u);
}

// Every prefix either fails as truncated or, once it holds every field up to the VUI flag,
// gives the same picture size; never anything else.
TEST(AvcSps, TruncatedAtEveryLengthFailsCleanly) {
  for (const GoldenSps& g : kGolden) {
    SCOPED_TRACE(g.name);
    const Bytes full = from_hex(g.hex);
    for (size_t n = 0; n < full.size(); ++n) {
      auto sps = avc::parse_sps(ByteSpan(full).first(n));
      if (sps) {
        EXPECT_EQ(sps->width, g.width) << n;
        EXPECT_EQ(sps->height, g.height) << n;
        EXPECT_GT(n, 6u);
      } else {
        EXPECT_EQ(sps.error().code, avc_errc::truncated) << n;
      }
    }
  }
}

TEST(AvcSps, RejectsOtherNalUnits) {
  auto pps = avc::parse_sps(from_hex("68ef01372c"));
  ASSERT_FALSE(pps);
  EXPECT_EQ(pps.error().code, avc_errc::invalid_sps);
  auto forbidden_bit = avc::parse_sps(from_hex("e764001fac"));
  ASSERT_FALSE(forbidden_bit);
  EXPECT_EQ(forbidden_bit.error().code, avc_errc::invalid_sps);
  auto empty = avc::parse_sps({});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, avc_errc::truncated);
}

// Hand-built SPS: the fields a test wants to vary, with defaults for a 4:2:0 main-profile
// 320x240 picture. The builder adds the header, rbsp trailing bits and emulation prevention.
struct SpsFields {
  uint8_t profile_idc = 77;
  uint32_t sps_id = 0;
  uint32_t chroma_format_idc = 1;
  bool separate_colour_plane = false;
  uint32_t bit_depth_luma_minus8 = 0;
  std::function<void(BitWriter&)> scaling;  // writes from seq_scaling_matrix_present_flag
  uint32_t log2_max_frame_num_minus4 = 0;
  uint32_t poc_type = 0;
  uint32_t log2_max_poc_lsb_minus4 = 2;
  std::vector<int32_t> poc_cycle;  // offset_for_ref_frame values for poc_type 1
  uint32_t poc_cycle_count_override = UINT32_MAX;
  uint32_t max_num_ref_frames = 1;
  uint32_t width_mbs_minus1 = 19;
  uint32_t height_map_units_minus1 = 14;
  bool frame_mbs_only = true;
  std::array<uint32_t, 4> crop = {0, 0, 0, 0};  // left, right, top, bottom
};

Bytes build_sps(const SpsFields& f) {
  Bytes rbsp;
  BitWriter w(rbsp);
  w.u(8, f.profile_idc);
  w.u(8, 0);   // constraint flags
  w.u(8, 30);  // level 3
  w.ue(f.sps_id);
  if (f.profile_idc == 100 || f.profile_idc == 244) {
    w.ue(f.chroma_format_idc);
    if (f.chroma_format_idc == 3) w.flag(f.separate_colour_plane);
    w.ue(f.bit_depth_luma_minus8);
    w.ue(0);        // bit_depth_chroma_minus8
    w.flag(false);  // qpprime_y_zero_transform_bypass_flag
    if (f.scaling) {
      f.scaling(w);
    } else {
      w.flag(false);
    }
  }
  w.ue(f.log2_max_frame_num_minus4);
  w.ue(f.poc_type);
  if (f.poc_type == 0) w.ue(f.log2_max_poc_lsb_minus4);
  if (f.poc_type == 1) {
    w.flag(false);
    w.se(-1);
    w.se(2);
    w.ue(f.poc_cycle_count_override != UINT32_MAX ? f.poc_cycle_count_override
                                                  : static_cast<uint32_t>(f.poc_cycle.size()));
    for (int32_t o : f.poc_cycle) w.se(o);
  }
  w.ue(f.max_num_ref_frames);
  w.flag(false);  // gaps_in_frame_num_value_allowed_flag
  w.ue(f.width_mbs_minus1);
  w.ue(f.height_map_units_minus1);
  w.flag(f.frame_mbs_only);
  if (!f.frame_mbs_only) w.flag(false);
  w.flag(true);  // direct_8x8_inference_flag
  const bool cropping = f.crop != std::array<uint32_t, 4>{0, 0, 0, 0};
  w.flag(cropping);
  if (cropping) {
    for (uint32_t c : f.crop) w.ue(c);
  }
  w.flag(false);  // vui_parameters_present_flag
  w.flag(true);   // rbsp_stop_one_bit
  w.align();
  Bytes nal = {0x67};
  Bytes escaped = avc::escape_rbsp(rbsp);
  nal.insert(nal.end(), escaped.begin(), escaped.end());
  return nal;
}

Result<avc::Sps> parse_built(const SpsFields& f) {
  return avc::parse_sps(build_sps(f));
}

TEST(AvcSps, ParsesHandBuiltDefaults) {
  auto sps = parse_built({});
  ASSERT_TRUE(sps) << sps.error().message();
  EXPECT_EQ(sps->width, 320u);
  EXPECT_EQ(sps->height, 240u);
  EXPECT_EQ(sps->log2_max_poc_lsb, 6u);
  EXPECT_FALSE(sps->vui_present);
}

TEST(AvcSps, ParsesPocType1WithCycle) {
  SpsFields f;
  f.poc_type = 1;
  f.poc_cycle = {1, -3, 100000, -100000};
  f.max_num_ref_frames = 4;
  auto sps = parse_built(f);
  ASSERT_TRUE(sps) << sps.error().message();
  EXPECT_EQ(sps->poc_type, 1u);
  EXPECT_EQ(sps->max_num_ref_frames, 4u);
  EXPECT_EQ(sps->width, 320u);  // the fields after the cycle were found
}

TEST(AvcSps, SkipsScalingListsIncludingEarlyStop) {
  SpsFields f;
  f.profile_idc = 100;
  f.scaling = [](BitWriter& w) {
    w.flag(true);  // seq_scaling_matrix_present_flag
    for (int i = 0; i < 8; ++i) {
      const bool present = (i == 0 || i == 6 || i == 7);
      w.flag(present);
      if (!present) continue;
      if (i == 0) {
        for (int j = 0; j < 16; ++j) w.se(j % 2 ? 3 : -3);  // every delta read
      } else if (i == 6) {
        w.se(-8);  // nextScale 0: the rest of the 64 entries repeat, no more deltas
      } else {
        for (int j = 0; j < 64; ++j) w.se(1);
      }
    }
  };
  f.crop = {1, 1, 2, 0};
  auto sps = parse_built(f);
  ASSERT_TRUE(sps) << sps.error().message();
  EXPECT_TRUE(sps->scaling_matrix_present);
  EXPECT_EQ(sps->width, 316u);   // 4:2:0 crop unit is 2 wide
  EXPECT_EQ(sps->height, 236u);  // and 2 high
}

TEST(AvcSps, CropUnitIsOnePixelWithSeparateColourPlanes) {
  SpsFields f;
  f.profile_idc = 244;
  f.chroma_format_idc = 3;
  f.separate_colour_plane = true;
  f.crop = {1, 2, 3, 4};
  auto sps = parse_built(f);
  ASSERT_TRUE(sps) << sps.error().message();
  EXPECT_TRUE(sps->separate_colour_plane);
  EXPECT_EQ(sps->width, 317u);
  EXPECT_EQ(sps->height, 233u);
}

TEST(AvcSps, FieldCodingDoublesHeightAndCropUnit) {
  SpsFields f;
  f.frame_mbs_only = false;
  f.height_map_units_minus1 = 17;  // 18 field MB rows = 576 lines
  f.crop = {0, 0, 0, 2};           // 4:2:0 field: crop unit 4 lines
  auto sps = parse_built(f);
  ASSERT_TRUE(sps) << sps.error().message();
  EXPECT_EQ(sps->coded_height, 576u);
  EXPECT_EQ(sps->height, 568u);
}

struct HostileCase {
  const char* name;
  std::function<void(SpsFields&)> edit;
  avc_errc expected;
};

TEST(AvcSps, RejectsAbsurdValues) {
  const HostileCase cases[] = {
      {"sps_id 32", [](SpsFields& f) { f.sps_id = 32; }, avc_errc::invalid_sps},
      {"chroma_format_idc 4",
       [](SpsFields& f) {
         f.profile_idc = 100;
         f.chroma_format_idc = 4;
       },
       avc_errc::invalid_sps},
      {"bit depth 15",
       [](SpsFields& f) {
         f.profile_idc = 100;
         f.bit_depth_luma_minus8 = 7;
       },
       avc_errc::invalid_sps},
      {"delta_scale 200",
       [](SpsFields& f) {
         f.profile_idc = 100;
         f.scaling = [](BitWriter& w) {
           w.flag(true);
           w.flag(true);
           w.se(200);
         };
       },
       avc_errc::invalid_sps},
      {"log2_max_frame_num 17", [](SpsFields& f) { f.log2_max_frame_num_minus4 = 13; },
       avc_errc::invalid_sps},
      {"poc type 3", [](SpsFields& f) { f.poc_type = 3; }, avc_errc::invalid_sps},
      {"poc lsb 17", [](SpsFields& f) { f.log2_max_poc_lsb_minus4 = 13; }, avc_errc::invalid_sps},
      {"poc cycle 2^32-2 claimed, none present",
       [](SpsFields& f) {
         f.poc_type = 1;
         f.poc_cycle_count_override = 0xfffffffe;
       },
       avc_errc::invalid_sps},
      {"poc cycle 200 claimed, 2 present",
       [](SpsFields& f) {
         f.poc_type = 1;
         f.poc_cycle = {1, 2};
         f.poc_cycle_count_override = 200;
       },
       avc_errc::truncated},
      {"17 reference frames", [](SpsFields& f) { f.max_num_ref_frames = 17; },
       avc_errc::invalid_sps},
      {"width 2^32 MBs", [](SpsFields& f) { f.width_mbs_minus1 = 0xfffffffe; },
       avc_errc::dimensions_out_of_range},
      {"width 16400", [](SpsFields& f) { f.width_mbs_minus1 = 1024; },
       avc_errc::dimensions_out_of_range},
      {"field height 16416",
       [](SpsFields& f) {
         f.frame_mbs_only = false;
         f.height_map_units_minus1 = 512;
       },
       avc_errc::dimensions_out_of_range},
      {"cropped to nothing",
       [](SpsFields& f) {
         f.crop = {80, 80, 0, 0};
       },
       avc_errc::dimensions_out_of_range},
      {"crop 2^32-2",
       [](SpsFields& f) {
         f.crop = {0, 0, 0xfffffffe, 0xfffffffe};
       },
       avc_errc::dimensions_out_of_range},
  };
  for (const HostileCase& c : cases) {
    SCOPED_TRACE(c.name);
    SpsFields f;
    c.edit(f);
    auto sps = parse_built(f);
    ASSERT_FALSE(sps);
    EXPECT_EQ(sps.error().code, c.expected);
  }
}

TEST(AvcSps, AcceptsLargestSaneSize) {
  SpsFields f;
  f.width_mbs_minus1 = 1023;        // 16384
  f.height_map_units_minus1 = 539;  // 8640
  auto sps = parse_built(f);
  ASSERT_TRUE(sps) << sps.error().message();
  EXPECT_EQ(sps->width, 16384u);
  EXPECT_EQ(sps->height, 8640u);
}

TEST(AvcSps, RejectsRunOfZerosAsExpGolomb) {
  // ue(v) with 40 leading zeros cannot be a 32-bit value; the reader stops there as if
  // the bits had run out instead of looping over the zeros.
  Bytes nal = {0x67, 77, 0, 30, 0, 0, 0, 0, 0, 0x80};
  auto sps = avc::parse_sps(nal);
  ASSERT_FALSE(sps);
  EXPECT_EQ(sps.error().code, avc_errc::truncated);
}

}  // namespace
}  // namespace srs
