#include "kernel/aac.hpp"

#include <algorithm>

#include "kernel/bits.hpp"

namespace srs {

namespace {
class AacCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "srs.aac"; }
  std::string message(int ev) const override {
    switch (static_cast<aac_errc>(ev)) {
      case aac_errc::truncated:
        return "aac: truncated";
      case aac_errc::invalid_object_type:
        return "aac: invalid audio object type";
      case aac_errc::invalid_sample_rate:
        return "aac: invalid sampling frequency";
      case aac_errc::invalid_channels:
        return "aac: invalid channel configuration";
      case aac_errc::no_adts_sync:
        return "aac: no ADTS syncword";
      case aac_errc::invalid_frame_length:
        return "aac: invalid ADTS frame length";
      case aac_errc::not_adts_compatible:
        return "aac: config not expressible in ADTS";
    }
    return "aac: unknown error";
  }
};
}  // namespace

const std::error_category& aac_category() noexcept {
  static const AacCategory category;
  return category;
}

}  // namespace srs

namespace srs::aac {

namespace {

constexpr uint32_t kEscapeObjectType = 31;
constexpr uint32_t kExplicitRate = 15;
constexpr uint32_t kSyncSbr = 0x2b7;  // 1.6.5.2 backward compatible signalling
constexpr uint32_t kSyncPs = 0x548;

// GetAudioObjectType(), 1.6.2.1: 5 bits, escape 31 adds 32 + 6 more bits.
uint8_t read_object_type(BitReader& b) {
  uint32_t type = b.u(5);
  if (type == kEscapeObjectType) type = 32 + b.u(6);
  return static_cast<uint8_t>(type);
}

void write_object_type(BitWriter& w, uint8_t type) {
  if (type >= kEscapeObjectType) {
    w.u(5, kEscapeObjectType);
    w.u(6, type - 32u);
  } else {
    w.u(5, type);
  }
}

// samplingFrequencyIndex, or 15 and a 24-bit samplingFrequency.
Result<uint32_t> read_sample_rate(BitReader& b) {
  uint32_t index = b.u(4);
  uint32_t hz = (index == kExplicitRate) ? b.u(24) : 0;
  if (!b.ok()) return fail(aac_errc::truncated, "sampling frequency");
  if (index == kExplicitRate) {
    if (hz == 0) return fail(aac_errc::invalid_sample_rate, "explicit frequency 0");
    return hz;
  }
  if (index >= kSampleRates.size()) return fail(aac_errc::invalid_sample_rate, "reserved index");
  return kSampleRates[index];
}

void write_sample_rate(BitWriter& w, uint32_t hz) {
  if (auto index = sample_rate_index(hz)) {
    w.u(4, *index);
  } else {
    w.u(4, kExplicitRate);
    w.u(24, hz);
  }
}

// Object types whose specific config is GASpecificConfig (1.6.2.1 switch).
bool is_general_audio(uint8_t type) {
  constexpr uint8_t kTypes[] = {1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23};
  return std::ranges::find(kTypes, type) != std::end(kTypes);
}

bool valid_channel_config(uint32_t c) {
  return c <= 7 || (c >= 11 && c <= 14);
}

// GASpecificConfig, 4.4.1. Returns false when it cannot be walked: the bits ran out, or
// channel configuration 0 puts a program config element here, which is not parsed.
bool skip_ga_specific_config(BitReader& b, const AudioSpecificConfig& c) {
  b.skip(1);                 // frameLengthFlag
  if (b.flag()) b.skip(14);  // dependsOnCoreCoder: coreCoderDelay
  bool extension = b.flag();
  if (c.channel_config == 0) return false;
  if (c.object_type == 6 || c.object_type == 20) b.skip(3);  // layerNr
  if (extension) {
    if (c.object_type == 22) b.skip(5 + 11);  // numOfSubFrame, layer_length
    if (c.object_type == 17 || c.object_type == 19 || c.object_type == 20 || c.object_type == 23) {
      b.skip(3);  // the three resilience flags
    }
    b.skip(1);  // extensionFlag3
  }
  return b.ok();
}

// The backward-compatible SBR/PS signalling that may follow the core config. It is read
// on a copy: a short or foreign extension is ignored rather than failing the config.
void read_sync_extension(BitReader b, AudioSpecificConfig& c) {
  if (b.bits_left() < 16 || b.u(11) != kSyncSbr) return;
  if (read_object_type(b) != kObjectSbr) return;
  bool sbr = b.flag();
  uint32_t ext_rate = 0;
  bool ps = false;
  if (sbr) {
    auto rate = read_sample_rate(b);
    if (!rate) return;
    ext_rate = *rate;
    if (b.bits_left() >= 12 && b.u(11) == kSyncPs) ps = b.flag();
  }
  if (!b.ok()) return;
  c.sbr = sbr;
  c.ps = ps;
  c.extension_sample_rate = ext_rate;
}

}  // namespace

std::optional<uint8_t> sample_rate_index(uint32_t hz) noexcept {
  auto it = std::ranges::find(kSampleRates, hz);
  if (it == kSampleRates.end()) return std::nullopt;
  return static_cast<uint8_t>(it - kSampleRates.begin());
}

uint8_t AudioSpecificConfig::channels() const noexcept {
  // Table 1.19 (and its 2009+ additions 11..14).
  constexpr uint8_t kChannels[15] = {0, 1, 2, 3, 4, 5, 6, 8, 0, 0, 0, 7, 8, 24, 8};
  return channel_config < 15 ? kChannels[channel_config] : 0;
}

Result<AudioSpecificConfig> parse_audio_specific_config(ByteSpan data) {
  BitReader b(data);
  AudioSpecificConfig c;
  c.object_type = read_object_type(b);
  auto rate = read_sample_rate(b);
  if (!rate) return wrap(rate, "AudioSpecificConfig");
  c.sample_rate = *rate;
  uint32_t channels = b.u(4);
  if (!b.ok()) return fail(aac_errc::truncated, "AudioSpecificConfig");
  if (c.object_type == 0) return fail(aac_errc::invalid_object_type, "AudioSpecificConfig");
  if (!valid_channel_config(channels)) return fail(aac_errc::invalid_channels);
  c.channel_config = static_cast<uint8_t>(channels);
  if (c.object_type == kObjectSbr || c.object_type == kObjectPs) {
    // Hierarchical signalling: the output rate, then the core's own object type.
    c.sbr = true;
    c.ps = c.object_type == kObjectPs;
    auto ext = read_sample_rate(b);
    if (!ext) return wrap(ext, "AudioSpecificConfig SBR");
    c.extension_sample_rate = *ext;
    c.object_type = read_object_type(b);
    if (!b.ok()) return fail(aac_errc::truncated, "AudioSpecificConfig core type");
    if (c.object_type == 0) return fail(aac_errc::invalid_object_type, "SBR core");
  }
  if (is_general_audio(c.object_type) && skip_ga_specific_config(b, c) && !c.sbr) {
    read_sync_extension(b, c);
  }
  return c;
}

Result<> write_audio_specific_config(const AudioSpecificConfig& c, Bytes& out) {
  if (!is_general_audio(c.object_type)) return fail(aac_errc::invalid_object_type);
  if (c.sample_rate == 0 || c.sample_rate >= (1u << 24) ||
      (c.sbr && (c.extension_sample_rate == 0 || c.extension_sample_rate >= (1u << 24)))) {
    return fail(aac_errc::invalid_sample_rate);
  }
  if (!valid_channel_config(c.channel_config)) return fail(aac_errc::invalid_channels);
  BitWriter w(out);
  if (c.sbr) {
    write_object_type(w, c.ps ? kObjectPs : kObjectSbr);
    write_sample_rate(w, c.sample_rate);
    w.u(4, c.channel_config);
    write_sample_rate(w, c.extension_sample_rate);
  }
  write_object_type(w, c.object_type);
  if (!c.sbr) {
    write_sample_rate(w, c.sample_rate);
    w.u(4, c.channel_config);
  }
  w.u(3, 0);  // GASpecificConfig: 1024-sample frames, no core coder, no extension
  w.align();
  return {};
}

Result<AdtsHeader> parse_adts_header(ByteSpan data) {
  BitReader b(data.first(std::min(data.size(), kAdtsHeaderSize)));
  if (b.u(12) != 0xfff) {
    return fail(b.ok() ? aac_errc::no_adts_sync : aac_errc::truncated, "ADTS");
  }
  AdtsHeader h;
  h.mpeg2 = b.flag();
  uint32_t layer = b.u(2);
  h.has_crc = !b.flag();  // protection_absent
  h.object_type = static_cast<uint8_t>(b.u(2) + 1);
  h.sampling_index = static_cast<uint8_t>(b.u(4));
  b.skip(1);  // private_bit
  h.channel_config = static_cast<uint8_t>(b.u(3));
  b.skip(4);  // original_copy, home, copyright_identification_bit and _start
  h.frame_length = static_cast<uint16_t>(b.u(13));
  h.buffer_fullness = static_cast<uint16_t>(b.u(11));
  h.raw_blocks = static_cast<uint8_t>(b.u(2));
  if (!b.ok() || data.size() < h.header_size()) return fail(aac_errc::truncated, "ADTS header");
  if (layer != 0) return fail(aac_errc::no_adts_sync, "ADTS layer not 0");
  if (h.sampling_index >= kSampleRates.size()) return fail(aac_errc::invalid_sample_rate, "ADTS");
  if (h.frame_length < h.header_size()) return fail(aac_errc::invalid_frame_length);
  return h;
}

Result<std::array<uint8_t, kAdtsHeaderSize>> build_adts_header(const AdtsHeader& h) {
  if (h.object_type < 1 || h.object_type > 4) return fail(aac_errc::not_adts_compatible);
  if (h.sampling_index >= kSampleRates.size()) return fail(aac_errc::not_adts_compatible);
  if (h.channel_config > 7) return fail(aac_errc::not_adts_compatible);
  if (h.frame_length < kAdtsHeaderSize || h.frame_length > kMaxAdtsFrameLength) {
    return fail(aac_errc::invalid_frame_length);
  }
  Bytes bytes;
  BitWriter w(bytes);
  w.u(12, 0xfff);
  w.flag(h.mpeg2);
  w.u(2, 0);     // layer
  w.flag(true);  // protection_absent: no CRC
  w.u(2, h.object_type - 1u);
  w.u(4, h.sampling_index);
  w.flag(false);  // private_bit
  w.u(3, h.channel_config);
  w.u(4, 0);  // original_copy, home, copyright bits
  w.u(13, h.frame_length);
  w.u(11, h.buffer_fullness);
  w.u(2, h.raw_blocks);
  std::array<uint8_t, kAdtsHeaderSize> out{};
  std::ranges::copy(bytes, out.begin());
  return out;
}

Result<> write_adts_frame(const AudioSpecificConfig& c, ByteSpan raw, Bytes& out) {
  auto index = sample_rate_index(c.sample_rate);
  if (!index) return fail(aac_errc::not_adts_compatible, "sample rate has no index");
  if (raw.size() > kMaxAdtsFrameLength - kAdtsHeaderSize) {
    return fail(aac_errc::invalid_frame_length, "raw frame too long for ADTS");
  }
  AdtsHeader h;
  h.object_type = c.object_type;
  h.sampling_index = *index;
  h.channel_config = c.channel_config;
  h.frame_length = static_cast<uint16_t>(kAdtsHeaderSize + raw.size());
  auto header = build_adts_header(h);
  if (!header) return wrap(header, "ADTS frame");
  out.insert(out.end(), header->begin(), header->end());
  out.insert(out.end(), raw.begin(), raw.end());
  return {};
}

AudioSpecificConfig config_of(const AdtsHeader& h) {
  AudioSpecificConfig c;
  c.object_type = h.object_type;
  c.sample_rate = h.sample_rate();
  c.channel_config = h.channel_config;
  return c;
}

Result<std::optional<AdtsFrame>> AdtsReader::next() {
  if (pos_ >= data_.size()) return std::optional<AdtsFrame>{};
  ByteSpan rest = data_.subspan(pos_);
  auto header = parse_adts_header(rest);
  if (!header) return wrap(header, "ADTS frame");
  if (header->frame_length > rest.size()) return fail(aac_errc::truncated, "ADTS frame body");
  AdtsFrame frame{
      *header, rest.subspan(header->header_size(), header->frame_length - header->header_size())};
  pos_ += header->frame_length;
  return std::optional<AdtsFrame>{frame};
}

Result<AudioTag> parse_audio_tag(ByteSpan payload) {
  ByteReader r(payload);
  uint8_t first = r.u8();
  if (!r.ok()) return fail(aac_errc::truncated, "audio tag header");
  AudioTag tag;
  tag.format = static_cast<SoundFormat>(first >> 4);
  tag.rate_index = (first >> 2) & 0x03;
  tag.sixteen_bit = (first & 0x02) != 0;
  tag.stereo = (first & 0x01) != 0;
  if (tag.format == SoundFormat::aac) {
    tag.packet_type = static_cast<PacketType>(r.u8());
    if (!r.ok()) return fail(aac_errc::truncated, "AAC audio tag header");
  }
  tag.body = r.rest();
  return tag;
}

std::string_view profile_name(uint8_t object_type) noexcept {
  switch (object_type) {
    case kObjectMain:
      return "Main";
    case kObjectLc:
      return "LC";
    case kObjectSsr:
      return "SSR";
    case kObjectSbr:
      return "HE";
    case kObjectPs:
      return "HEv2";
    default:
      return "Other";
  }
}

std::string_view profile_name(const AudioSpecificConfig& c) noexcept {
  if (c.ps) return "HEv2";
  if (c.sbr) return "HE";
  return profile_name(c.object_type);
}

}  // namespace srs::aac
