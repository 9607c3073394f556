#include "kernel/mp3.hpp"

#include <array>

namespace srs {

namespace {
class Mp3Category : public std::error_category {
 public:
  const char* name() const noexcept override { return "srs.mp3"; }
  std::string message(int ev) const override {
    switch (static_cast<mp3_errc>(ev)) {
      case mp3_errc::truncated:
        return "mp3: truncated header";
      case mp3_errc::no_sync:
        return "mp3: no frame sync";
      case mp3_errc::reserved_version:
        return "mp3: reserved version";
      case mp3_errc::reserved_layer:
        return "mp3: reserved layer";
      case mp3_errc::invalid_bitrate:
        return "mp3: invalid bitrate index";
      case mp3_errc::reserved_sample_rate:
        return "mp3: reserved sampling frequency";
      case mp3_errc::free_format:
        return "mp3: free format bitrate not supported";
    }
    return "mp3: unknown error";
  }
};
}  // namespace

const std::error_category& mp3_category() noexcept {
  static const Mp3Category category;
  return category;
}

}  // namespace srs

namespace srs::mp3 {

namespace {

// Bitrates in kbit/s by bitrate_index 1..14 (11172-3 2.4.2.3; 13818-3 2.4.2.3 for the
// lower sampling frequencies, shared by MPEG 2.5).
constexpr std::array<std::array<uint16_t, 14>, 3> kMpeg1Bitrates = {{
    {32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},  // layer I
    {32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},     // layer II
    {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},      // layer III
}};
constexpr std::array<std::array<uint16_t, 14>, 2> kMpeg2Bitrates = {{
    {32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},  // layer I
    {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},       // layers II and III
}};
// Sampling frequencies by the 2-bit field, per version.
constexpr std::array<std::array<uint32_t, 3>, 3> kSampleRates = {{
    {44100, 48000, 32000},  // MPEG-1
    {22050, 24000, 16000},  // MPEG-2
    {11025, 12000, 8000},   // MPEG 2.5
}};

uint32_t bitrate_of(Version v, uint8_t layer, uint32_t index) {
  if (v == Version::mpeg1) return kMpeg1Bitrates[layer - 1][index - 1];
  return kMpeg2Bitrates[layer == 1 ? 0 : 1][index - 1];
}

uint32_t samples_of(Version v, uint8_t layer) {
  if (layer == 1) return 384;
  // 13818-3: layer III at the lower frequencies codes one granule per channel, not two.
  if (layer == 3 && v != Version::mpeg1) return 576;
  return 1152;
}

// 11172-3 2.4.3.1: a frame is N slots, 4 bytes each in layer I and 1 byte otherwise,
// N = samples / slot bits * bitrate / sample rate (truncated), plus one for padding.
uint32_t frame_length_of(const FrameHeader& h) {
  const uint64_t bits_per_sec = uint64_t{h.bitrate_kbps} * 1000;
  if (h.layer == 1) {
    return static_cast<uint32_t>((12 * bits_per_sec / h.sample_rate + h.padding) * 4);
  }
  return static_cast<uint32_t>(h.samples_per_frame / 8 * bits_per_sec / h.sample_rate + h.padding);
}

bool same_stream(const FrameHeader& a, const FrameHeader& b) {
  return a.version == b.version && a.layer == b.layer && a.sample_rate == b.sample_rate;
}

}  // namespace

Result<FrameHeader> parse_frame_header(ByteSpan data) {
  ByteReader r(data);
  uint32_t word = r.u32();
  if (!r.ok()) return fail(mp3_errc::truncated);
  if ((word >> 21) != 0x7ff) return fail(mp3_errc::no_sync);
  const uint32_t version_bits = (word >> 19) & 3;
  const uint32_t layer_bits = (word >> 17) & 3;
  const uint32_t bitrate_index = (word >> 12) & 0xf;
  const uint32_t rate_index = (word >> 10) & 3;
  if (version_bits == 1) return fail(mp3_errc::reserved_version);
  if (layer_bits == 0) return fail(mp3_errc::reserved_layer);
  if (bitrate_index == 15) return fail(mp3_errc::invalid_bitrate);
  if (bitrate_index == 0) return fail(mp3_errc::free_format);
  if (rate_index == 3) return fail(mp3_errc::reserved_sample_rate);

  FrameHeader h;
  h.version = version_bits == 3   ? Version::mpeg1
              : version_bits == 2 ? Version::mpeg2
                                  : Version::mpeg25;
  h.layer = static_cast<uint8_t>(4 - layer_bits);  // 11 is layer I, 01 layer III
  h.has_crc = ((word >> 16) & 1) == 0;
  h.bitrate_kbps = bitrate_of(h.version, h.layer, bitrate_index);
  h.sample_rate = kSampleRates[static_cast<size_t>(h.version)][rate_index];
  h.padding = ((word >> 9) & 1) != 0;
  h.channel_mode = static_cast<ChannelMode>((word >> 6) & 3);
  h.samples_per_frame = samples_of(h.version, h.layer);
  h.frame_length = frame_length_of(h);
  return h;
}

size_t id3v2_size(ByteSpan data) noexcept {
  // ID3v2.4 3.1: "ID3", version (2), flags (1), size as 4 syncsafe bytes (7 bits each);
  // the size excludes the 10-byte header and a 10-byte footer (flag bit 4).
  if (data.size() < 10 || data[0] != 'I' || data[1] != 'D' || data[2] != '3') return 0;
  size_t body = 0;
  for (int i = 6; i < 10; ++i) {
    if (data[i] & 0x80) return 0;  // not syncsafe: not a tag
    body = (body << 7) | data[i];
  }
  const bool footer = (data[5] & 0x10) != 0;
  return 10 + body + (footer ? 10 : 0);
}

std::optional<size_t> find_first_frame(ByteSpan data) noexcept {
  const size_t start = id3v2_size(data);
  for (size_t i = start; i + kHeaderSize <= data.size(); ++i) {
    if (data[i] != 0xff || (data[i + 1] & 0xe0) != 0xe0) continue;
    auto h = parse_frame_header(data.subspan(i));
    if (!h) continue;
    const size_t next = i + h->frame_length;
    if (next + kHeaderSize <= data.size()) {
      auto after = parse_frame_header(data.subspan(next));
      if (!after || !same_stream(*h, *after)) continue;
    }
    return i;
  }
  return std::nullopt;
}

}  // namespace srs::mp3
