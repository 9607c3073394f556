// MPEG audio frame headers (ISO/IEC 11172-3 2.4.2.3, with the lower sampling frequencies
// of ISO/IEC 13818-3 and the unofficial but universal MPEG 2.5): enough to cut an MP3/MP2
// stream into frames and to report its rate and channels.
#pragma once

#include <cstdint>
#include <optional>
#include <system_error>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace srs {

enum class mp3_errc {
  truncated = 1,         // fewer than 4 bytes
  no_sync,               // the 11-bit frame sync is not there
  reserved_version,      // version bits 01
  reserved_layer,        // layer bits 00
  invalid_bitrate,       // bitrate index 15
  reserved_sample_rate,  // sampling frequency bits 11
  free_format,           // bitrate index 0: the frame length is not in the header
};
const std::error_category& mp3_category() noexcept;
inline std::error_code make_error_code(mp3_errc e) noexcept {
  return {static_cast<int>(e), mp3_category()};
}

}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::mp3_errc> : true_type {};
}  // namespace std

namespace srs::mp3 {

inline constexpr size_t kHeaderSize = 4;

enum class Version : uint8_t { mpeg1, mpeg2, mpeg25 };
enum class ChannelMode : uint8_t { stereo = 0, joint_stereo = 1, dual_channel = 2, mono = 3 };

struct FrameHeader {
  Version version = Version::mpeg1;
  uint8_t layer = 3;     // 1, 2 or 3
  bool has_crc = false;  // protection_bit 0: a 16-bit CRC follows the header
  uint32_t bitrate_kbps = 0;
  uint32_t sample_rate = 0;  // Hz
  bool padding = false;
  ChannelMode channel_mode = ChannelMode::stereo;
  uint32_t samples_per_frame = 0;
  uint32_t frame_length = 0;  // bytes, header included

  uint8_t channels() const noexcept { return channel_mode == ChannelMode::mono ? 1 : 2; }
};

// Parses the 4-byte header at the start of data.
Result<FrameHeader> parse_frame_header(ByteSpan data);

// The size of an ID3v2 tag at the start of data (header, body and footer), 0 when there
// is none. The size may exceed data: the caller needs more bytes to skip it.
size_t id3v2_size(ByteSpan data) noexcept;

// The offset of the first frame: an ID3v2 tag is skipped, then the first valid header is
// taken, unless the frame after it lies within data and does not start with a header of
// the same version, layer and sample rate (a false sync in other bytes). nullopt when data
// holds no frame.
std::optional<size_t> find_first_frame(ByteSpan data) noexcept;

}  // namespace srs::mp3
