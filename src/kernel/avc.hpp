// H.264/AVC as the server sees it: the decoder configuration record that FLV and MP4 carry
// as the video sequence header, the SPS (for the API's profile/level/size), NAL units in
// both framings (AVCC length prefixes from RTMP, Annex B start codes for MPEG-TS), and the
// FLV video tag header. Pure functions over bytes; spans returned point into the input.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace srs {

enum class avc_errc {
  truncated = 1,            // the bytes end inside a field
  invalid_config,           // AVCDecoderConfigurationRecord breaks 14496-15
  invalid_sps,              // a field of the SPS is out of its range (14496-10 7.4.2.1.1)
  dimensions_out_of_range,  // width/height zero or above kMaxDimension, or cropped away
  invalid_nalu_length,      // an AVCC length runs past the data or does not fit its size
  no_start_code,            // Annex B data that does not begin with 00 00 01
  invalid_length_size,      // a NALU length size other than 1..4
};
const std::error_category& avc_category() noexcept;
inline std::error_code make_error_code(avc_errc e) noexcept {
  return {static_cast<int>(e), avc_category()};
}

}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::avc_errc> : true_type {};
}  // namespace std

namespace srs::avc {

// nal_unit_type, 14496-10 Table 7-1 (the ones the server acts on).
enum class NalType : uint8_t {
  unspecified = 0,
  non_idr = 1,
  partition_a = 2,
  idr = 5,
  sei = 6,
  sps = 7,
  pps = 8,
  aud = 9,
  end_of_sequence = 10,
  end_of_stream = 11,
  filler = 12,
};
// The type in the low 5 bits of a NAL unit's first byte; unspecified for an empty unit.
inline NalType nal_type(ByteSpan nal) noexcept {
  return nal.empty() ? NalType::unspecified : static_cast<NalType>(nal[0] & 0x1f);
}

// Larger pictures than this (8K is 7680x4320) are taken as a corrupt or hostile SPS.
inline constexpr uint32_t kMaxDimension = 16384;

// AVCDecoderConfigurationRecord, ISO/IEC 14496-15 5.2.4.1 (the FLV/MP4 "avcC").
struct DecoderConfig {
  uint8_t version = 1;
  uint8_t profile = 0;           // profile_idc, a copy of the SPS's
  uint8_t compatibility = 0;     // the SPS's constraint_set flags byte
  uint8_t level = 0;             // level_idc
  uint8_t nalu_length_size = 4;  // 1, 2 or 4 (3 accepted when parsing)
  std::vector<Bytes> sps;        // NAL units with their header byte, no start code
  std::vector<Bytes> pps;

  bool operator==(const DecoderConfig&) const = default;
};
// Parses a record; at least one SPS is required. Trailing bytes (the optional high-profile
// extension of the 2nd edition) are ignored.
Result<DecoderConfig> parse_decoder_config(ByteSpan record);
// Appends the record; fails with invalid_config on more than 31 SPS or 255 PPS or a
// parameter set longer than 65535 bytes, invalid_length_size on a size not 1, 2 or 4.
Result<> write_decoder_config(const DecoderConfig& config, Bytes& out);

// The fields of a sequence parameter set, 14496-10 7.3.2.1.1, that the server reports or
// a muxer needs. Dimensions are the displayed ones (after frame cropping).
struct Sps {
  uint8_t profile_idc = 0;
  uint8_t constraint_flags = 0;  // constraint_set0_flag in bit 7 ... set5 in bit 2
  uint8_t level_idc = 0;
  uint32_t sps_id = 0;
  uint32_t chroma_format_idc = 1;  // 1 (4:2:0) unless a high profile says otherwise
  bool separate_colour_plane = false;
  uint32_t bit_depth_luma = 8;
  uint32_t bit_depth_chroma = 8;
  bool scaling_matrix_present = false;
  uint32_t log2_max_frame_num = 4;
  uint32_t poc_type = 0;
  uint32_t log2_max_poc_lsb = 0;  // only for poc_type 0
  uint32_t max_num_ref_frames = 0;
  bool frame_mbs_only = true;
  uint32_t coded_width = 0;  // whole macroblocks
  uint32_t coded_height = 0;
  uint32_t crop_left = 0;  // in pixels
  uint32_t crop_right = 0;
  uint32_t crop_top = 0;
  uint32_t crop_bottom = 0;
  uint32_t width = 0;
  uint32_t height = 0;
  bool vui_present = false;  // VUI itself is not parsed
};
// Parses an SPS NAL unit (header byte included, emulation prevention still in it).
Result<Sps> parse_sps(ByteSpan nal);

// Removes emulation_prevention_three_byte (7.4.1): 00 00 03 becomes 00 00.
Bytes unescape_rbsp(ByteSpan nal);
// The reverse, for building NAL units: inserts 03 after 00 00 before a byte <= 03.
Bytes escape_rbsp(ByteSpan rbsp);

// Walks Annex B data (B.1): NAL units without their start codes or trailing zero bytes.
class AnnexBReader {
 public:
  explicit AnnexBReader(ByteSpan data) noexcept : data_(data) {}
  // The next NAL unit, nullopt at the end, or no_start_code when the data does not begin
  // with a start code (or a 00 00 00 inside it is not followed by one).
  Result<std::optional<ByteSpan>> next();

 private:
  ByteSpan data_;
  size_t pos_ = 0;
};

// Walks AVCC data: each NAL unit prefixed by a big-endian length of length_size bytes.
class AvccReader {
 public:
  AvccReader(ByteSpan data, unsigned length_size) noexcept
      : data_(data), length_size_(length_size) {}
  // The next NAL unit (zero-length ones are skipped), nullopt at the end;
  // invalid_nalu_length when a length runs past the data, invalid_length_size when
  // length_size is not 1..4.
  Result<std::optional<ByteSpan>> next();

 private:
  ByteSpan data_;
  unsigned length_size_;
  size_t pos_ = 0;
};

// Appends each NAL unit of avcc with a 4-byte start code.
Result<> avcc_to_annexb(ByteSpan avcc, unsigned length_size, Bytes& out);
// Appends each NAL unit of annexb with a length prefix; invalid_nalu_length when one is
// too long for length_size.
Result<> annexb_to_avcc(ByteSpan annexb, unsigned length_size, Bytes& out);

// Appends one access unit for MPEG-TS (H.222.0 2.14: every AVC access unit carries an AUD):
// an AUD, then config's SPS and PPS when the frame has an IDR slice but no parameter sets
// of its own, then the frame's NAL units (minus its own AUDs), all with 4-byte start codes.
// On error (a bad length) nothing is appended.
Result<> write_annexb_access_unit(ByteSpan avcc_frame, const DecoderConfig& config, Bytes& out);

// FLV video tag header (FLV spec v10.1 E.4.3.1).
enum class FrameType : uint8_t {
  keyframe = 1,
  inter = 2,
  disposable_inter = 3,
  generated_keyframe = 4,
  info = 5,  // video info/command frame: no picture
};
enum class CodecId : uint8_t {
  h263 = 2,
  screen = 3,
  vp6 = 4,
  vp6_alpha = 5,
  screen2 = 6,
  avc = 7,
  hevc = 12,  // the common extension, same header layout as AVC
};
enum class PacketType : uint8_t { sequence_header = 0, nalu = 1, end_of_sequence = 2 };
struct VideoTag {
  FrameType frame_type = FrameType::inter;
  CodecId codec_id = CodecId::avc;
  PacketType packet_type = PacketType::nalu;  // AVC/HEVC only
  int32_t composition_time = 0;               // ms, pts - dts; AVC/HEVC only
  ByteSpan body;  // the record, the AVCC NAL units, or other codecs' data
};
// Parses the header of a video message payload: 1 byte, and 4 more for AVC/HEVC.
Result<VideoTag> parse_video_tag(ByteSpan payload);

// Names the HTTP API reports (http-api.md 3.12): "Baseline", "Main", "High(10)", ...
// Pass the constraint flags to tell constrained baseline and the intra profiles apart;
// with 0 the name depends on profile_idc only.
std::string_view profile_name(uint8_t profile_idc, uint8_t constraint_flags = 0) noexcept;
// "1", "1.1", ... "5.1"; "Other" for anything else.
std::string_view level_name(uint8_t level_idc) noexcept;

}  // namespace srs::avc
