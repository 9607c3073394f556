// Sequence parameter set parsing, ISO/IEC 14496-10 7.3.2.1.1 (syntax) and 7.4.2.1.1
// (semantics and ranges). Every count that drives a loop is range-checked before the loop,
// and the bit reader fails instead of reading past the end, so hostile input costs at most
// one pass over its own bytes.
#include <algorithm>
#include <array>

#include "kernel/avc.hpp"
#include "kernel/bits.hpp"

namespace srs::avc {

namespace {

// profile_idc values whose SPS carries chroma_format_idc, bit depths and scaling lists.
constexpr std::array<uint8_t, 13> kHighProfiles = {100, 110, 122, 244, 44,  83, 86,
                                                   118, 128, 138, 139, 134, 135};

bool has_chroma_fields(uint8_t profile_idc) {
  return std::ranges::find(kHighProfiles, profile_idc) != kHighProfiles.end();
}

// scaling_list() of 7.3.2.1.1.1: only the delta_scale values are read, to get past them.
bool skip_scaling_list(BitReader& b, int size) {
  int last_scale = 8;
  int next_scale = 8;
  for (int j = 0; j < size && b.ok(); ++j) {
    if (next_scale != 0) {
      int32_t delta = b.se();
      if (delta < -128 || delta > 127) return false;
      next_scale = (last_scale + delta + 256) % 256;
    }
    last_scale = (next_scale == 0) ? last_scale : next_scale;
  }
  return b.ok();
}

// chroma_format_idc up to the scaling matrix, present only in the high profiles.
Result<> parse_chroma_fields(BitReader& b, Sps& s) {
  s.chroma_format_idc = b.ue();
  if (s.chroma_format_idc > 3) return fail(avc_errc::invalid_sps, "chroma_format_idc");
  if (s.chroma_format_idc == 3) s.separate_colour_plane = b.flag();
  uint32_t luma = b.ue();
  uint32_t chroma = b.ue();
  if (luma > 6 || chroma > 6) return fail(avc_errc::invalid_sps, "bit_depth");
  s.bit_depth_luma = luma + 8;
  s.bit_depth_chroma = chroma + 8;
  b.skip(1);  // qpprime_y_zero_transform_bypass_flag
  s.scaling_matrix_present = b.flag();
  if (s.scaling_matrix_present) {
    const int lists = (s.chroma_format_idc != 3) ? 8 : 12;
    for (int i = 0; i < lists; ++i) {
      if (b.flag() && !skip_scaling_list(b, i < 6 ? 16 : 64)) {
        return fail(b.ok() ? avc_errc::invalid_sps : avc_errc::truncated, "scaling list");
      }
    }
  }
  if (!b.ok()) return fail(avc_errc::truncated, "SPS chroma fields");
  return {};
}

// log2_max_frame_num through the picture order count fields.
Result<> parse_frame_num_and_poc(BitReader& b, Sps& s) {
  uint32_t frame_num = b.ue();
  if (frame_num > 12) return fail(avc_errc::invalid_sps, "log2_max_frame_num");
  s.log2_max_frame_num = frame_num + 4;
  s.poc_type = b.ue();
  if (s.poc_type == 0) {
    uint32_t lsb = b.ue();
    if (lsb > 12) return fail(avc_errc::invalid_sps, "log2_max_pic_order_cnt_lsb");
    s.log2_max_poc_lsb = lsb + 4;
  } else if (s.poc_type == 1) {
    b.skip(1);  // delta_pic_order_always_zero_flag
    b.se();     // offset_for_non_ref_pic
    b.se();     // offset_for_top_to_bottom_field
    uint32_t cycle = b.ue();
    if (cycle > 255) return fail(avc_errc::invalid_sps, "num_ref_frames_in_pic_order_cnt_cycle");
    for (uint32_t i = 0; i < cycle && b.ok(); ++i) b.se();  // offset_for_ref_frame
  } else if (s.poc_type > 2) {
    return fail(avc_errc::invalid_sps, "pic_order_cnt_type");
  }
  if (!b.ok()) return fail(avc_errc::truncated, "SPS frame_num/poc");
  return {};
}

// Picture size, frame/field coding and cropping (7-19 to 7-22 for the crop units).
Result<> parse_geometry(BitReader& b, Sps& s) {
  uint64_t width_mbs = uint64_t{b.ue()} + 1;
  uint64_t height_map_units = uint64_t{b.ue()} + 1;
  s.frame_mbs_only = b.flag();
  if (!s.frame_mbs_only) b.skip(1);  // mb_adaptive_frame_field_flag
  b.skip(1);                         // direct_8x8_inference_flag
  uint64_t crop[4] = {0, 0, 0, 0};   // left, right, top, bottom in crop units
  if (b.flag()) {
    for (uint64_t& c : crop) c = b.ue();
  }
  s.vui_present = b.flag();
  if (!b.ok()) return fail(avc_errc::truncated, "SPS geometry");

  const uint64_t field_factor = s.frame_mbs_only ? 1 : 2;
  const uint64_t coded_w = width_mbs * 16;
  const uint64_t coded_h = field_factor * height_map_units * 16;
  if (coded_w > kMaxDimension || coded_h > kMaxDimension) {
    return fail(avc_errc::dimensions_out_of_range, "coded size");
  }
  const uint32_t chroma_array_type = s.separate_colour_plane ? 0 : s.chroma_format_idc;
  const uint64_t sub_width = (chroma_array_type == 1 || chroma_array_type == 2) ? 2 : 1;
  const uint64_t sub_height = (chroma_array_type == 1) ? 2 : 1;
  const uint64_t unit_x = (chroma_array_type == 0) ? 1 : sub_width;
  const uint64_t unit_y = ((chroma_array_type == 0) ? 1 : sub_height) * field_factor;
  // ue values are below 2^32 and units at most 4, so these products cannot overflow.
  const uint64_t crop_w = unit_x * (crop[0] + crop[1]);
  const uint64_t crop_h = unit_y * (crop[2] + crop[3]);
  if (crop_w >= coded_w || crop_h >= coded_h) {
    return fail(avc_errc::dimensions_out_of_range, "cropped to nothing");
  }
  s.coded_width = static_cast<uint32_t>(coded_w);
  s.coded_height = static_cast<uint32_t>(coded_h);
  s.crop_left = static_cast<uint32_t>(unit_x * crop[0]);
  s.crop_right = static_cast<uint32_t>(unit_x * crop[1]);
  s.crop_top = static_cast<uint32_t>(unit_y * crop[2]);
  s.crop_bottom = static_cast<uint32_t>(unit_y * crop[3]);
  s.width = static_cast<uint32_t>(coded_w - crop_w);
  s.height = static_cast<uint32_t>(coded_h - crop_h);
  return {};
}

}  // namespace

Result<Sps> parse_sps(ByteSpan nal) {
  if (nal.empty()) return fail(avc_errc::truncated, "SPS");
  // forbidden_zero_bit must be 0 and the type must be 7 (7.4.1).
  if ((nal[0] & 0x80) != 0 || nal_type(nal) != NalType::sps) {
    return fail(avc_errc::invalid_sps, "not an SPS NAL unit");
  }
  const Bytes rbsp = unescape_rbsp(nal.subspan(1));
  BitReader b(rbsp);
  Sps s;
  s.profile_idc = static_cast<uint8_t>(b.u(8));
  s.constraint_flags = static_cast<uint8_t>(b.u(8));
  s.level_idc = static_cast<uint8_t>(b.u(8));
  s.sps_id = b.ue();
  if (!b.ok()) return fail(avc_errc::truncated, "SPS header");
  if (s.sps_id > 31) return fail(avc_errc::invalid_sps, "seq_parameter_set_id");
  if (has_chroma_fields(s.profile_idc)) {
    if (auto r = parse_chroma_fields(b, s); !r) return wrap(r, "SPS");
  }
  if (auto r = parse_frame_num_and_poc(b, s); !r) return wrap(r, "SPS");
  s.max_num_ref_frames = b.ue();
  b.skip(1);  // gaps_in_frame_num_value_allowed_flag
  if (!b.ok()) return fail(avc_errc::truncated, "SPS max_num_ref_frames");
  // MaxDpbFrames is at most 16 at every level (A.3.1 h, A.3.2 f).
  if (s.max_num_ref_frames > 16) return fail(avc_errc::invalid_sps, "max_num_ref_frames");
  if (auto r = parse_geometry(b, s); !r) return wrap(r, "SPS");
  return s;
}

}  // namespace srs::avc
