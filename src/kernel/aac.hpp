// AAC as the server sees it: the AudioSpecificConfig that FLV carries as the audio
// sequence header (ISO/IEC 14496-3 1.6.2.1), ADTS framing for MPEG-TS and raw .aac
// (14496-3 1.A.2), and the FLV audio tag header. Pure functions over bytes; spans
// returned point into the input.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace srs {

enum class aac_errc {
  truncated = 1,         // the bytes end inside a field or a frame
  invalid_object_type,   // audioObjectType 0, or one this operation cannot express
  invalid_sample_rate,   // a reserved sampling frequency index or a zero frequency
  invalid_channels,      // a reserved channel configuration
  no_adts_sync,          // ADTS data that does not start with the 0xFFF syncword
  invalid_frame_length,  // an ADTS frame shorter than its header or longer than 13 bits
  not_adts_compatible,   // a config ADTS cannot carry (object type > 4, explicit rate)
};
const std::error_category& aac_category() noexcept;
inline std::error_code make_error_code(aac_errc e) noexcept {
  return {static_cast<int>(e), aac_category()};
}

}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::aac_errc> : true_type {};
}  // namespace std

namespace srs::aac {

// audioObjectType values, 14496-3 Table 1.17 (the ones named in the HTTP API).
inline constexpr uint8_t kObjectMain = 1;
inline constexpr uint8_t kObjectLc = 2;
inline constexpr uint8_t kObjectSsr = 3;
inline constexpr uint8_t kObjectLtp = 4;
inline constexpr uint8_t kObjectSbr = 5;
inline constexpr uint8_t kObjectPs = 29;

// samplingFrequencyIndex 0..12, Table 1.18; 13 and 14 are reserved, 15 means explicit.
inline constexpr std::array<uint32_t, 13> kSampleRates = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};
// The index of a rate in kSampleRates, nullopt when it has none.
std::optional<uint8_t> sample_rate_index(uint32_t hz) noexcept;

struct AudioSpecificConfig {
  // The core codec's type: 2 (LC) for HE-AAC too, whose SBR/PS show in the flags below.
  uint8_t object_type = kObjectLc;
  uint32_t sample_rate = 44100;  // the core's rate
  // channelConfiguration (Table 1.19): 1..6 that many channels, 7 is 7.1; 0 means a
  // program config element defines them (not parsed).
  uint8_t channel_config = 2;
  bool sbr = false;                    // SBR signalled explicitly (HE-AAC)
  bool ps = false;                     // PS signalled explicitly (HE-AACv2)
  uint32_t extension_sample_rate = 0;  // the SBR output rate; 0 when not signalled

  uint8_t channels() const noexcept;  // 0 when channel_config is 0 or unknown
  bool operator==(const AudioSpecificConfig&) const = default;
};
// Parses both explicit SBR/PS signalling styles of 1.6.5.2: hierarchical (object type 5
// or 29 first) and backward compatible (sync extension 0x2b7 after the GA config). Bytes
// beyond what is understood (a PCE, other extensions) are ignored.
Result<AudioSpecificConfig> parse_audio_specific_config(ByteSpan data);
// Appends a config for a general audio object type (1-4, 6, 7, 17, 19-23) with
// hierarchical signalling when sbr is set; the rate is written as an index when it has one.
Result<> write_audio_specific_config(const AudioSpecificConfig& config, Bytes& out);

inline constexpr size_t kAdtsHeaderSize = 7;
inline constexpr size_t kMaxAdtsFrameLength = 8191;  // 13 bits

// adts_fixed_header + adts_variable_header, 1.A.2.2.1.
struct AdtsHeader {
  bool mpeg2 = false;                // ID: 1 = MPEG-2 AAC, 0 = MPEG-4
  uint8_t object_type = kObjectLc;   // profile_ObjectType + 1
  uint8_t sampling_index = 4;        // 0..12
  uint8_t channel_config = 2;        // 0..7
  uint16_t frame_length = 0;         // header, CRC and payload
  uint16_t buffer_fullness = 0x7ff;  // 0x7ff: variable rate
  uint8_t raw_blocks = 0;            // number_of_raw_data_blocks_in_frame (blocks - 1)
  bool has_crc = false;              // protection_absent == 0: a 16-bit CRC follows

  size_t header_size() const noexcept { return has_crc ? kAdtsHeaderSize + 2 : kAdtsHeaderSize; }
  uint32_t sample_rate() const noexcept {
    return sampling_index < kSampleRates.size() ? kSampleRates[sampling_index] : 0;
  }
  bool operator==(const AdtsHeader&) const = default;
};
// Parses the header at the start of data (7 bytes, 9 with a CRC, which is not checked).
Result<AdtsHeader> parse_adts_header(ByteSpan data);
// The 7-byte header without CRC; frame_length is written as given.
Result<std::array<uint8_t, kAdtsHeaderSize>> build_adts_header(const AdtsHeader& header);
// Appends one ADTS frame (header + raw) for a raw AAC frame of the given config: what the
// TS muxer writes for each FLV AAC raw message. HE-AAC is framed as its LC core (implicit
// SBR signalling), as ADTS has no room for the extension.
Result<> write_adts_frame(const AudioSpecificConfig& config, ByteSpan raw, Bytes& out);
// The config an ADTS header implies (object type, rate and channels).
AudioSpecificConfig config_of(const AdtsHeader& header);

struct AdtsFrame {
  AdtsHeader header;
  ByteSpan payload;  // the raw data block(s), after the header and CRC
};
// Walks concatenated ADTS frames. It does not resync: bytes that are not a frame header
// where one must start end the walk with no_adts_sync.
class AdtsReader {
 public:
  explicit AdtsReader(ByteSpan data) noexcept : data_(data) {}
  // The next frame, nullopt at the end; truncated when a frame runs past the data.
  Result<std::optional<AdtsFrame>> next();

 private:
  ByteSpan data_;
  size_t pos_ = 0;
};

// FLV audio tag header (FLV spec v10.1 E.4.2.1).
enum class SoundFormat : uint8_t {
  linear_pcm = 0,
  adpcm = 1,
  mp3 = 2,
  linear_pcm_le = 3,
  nellymoser_16k = 4,
  nellymoser_8k = 5,
  nellymoser = 6,
  g711_alaw = 7,
  g711_mulaw = 8,
  aac = 10,
  speex = 11,
  mp3_8k = 14,
  device_specific = 15,
};
enum class PacketType : uint8_t { sequence_header = 0, raw = 1 };
// The FLV SoundRate field's rates; the HTTP API reports these (5512, not 5500).
inline constexpr std::array<uint32_t, 4> kFlvSoundRates = {5512, 11025, 22050, 44100};
struct AudioTag {
  SoundFormat format = SoundFormat::aac;
  uint8_t rate_index = 3;                    // into kFlvSoundRates; always 3 for AAC
  bool sixteen_bit = true;                   // SoundSize
  bool stereo = true;                        // SoundType; always 1 for AAC
  PacketType packet_type = PacketType::raw;  // AAC only
  ByteSpan body;                             // the config, raw AAC, or other formats' data

  uint32_t flv_sample_rate() const noexcept { return kFlvSoundRates[rate_index]; }
};
// Parses the header of an audio message payload: 1 byte, and 1 more for AAC.
Result<AudioTag> parse_audio_tag(ByteSpan payload);

// Names the HTTP API reports (http-api.md 3.12): "Main", "LC", "SSR", "HE", "HEv2", "Other".
std::string_view profile_name(uint8_t object_type) noexcept;
// The same for a config, where explicit PS means "HEv2" and explicit SBR "HE".
std::string_view profile_name(const AudioSpecificConfig& config) noexcept;

}  // namespace srs::aac
