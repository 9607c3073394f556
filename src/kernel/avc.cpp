#include "kernel/avc.hpp"

#include <array>

namespace srs {

namespace {
class AvcCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "srs.avc"; }
  std::string message(int ev) const override {
    switch (static_cast<avc_errc>(ev)) {
      case avc_errc::truncated:
        return "avc: truncated";
      case avc_errc::invalid_config:
        return "avc: invalid decoder configuration record";
      case avc_errc::invalid_sps:
        return "avc: invalid sequence parameter set";
      case avc_errc::dimensions_out_of_range:
        return "avc: picture size out of range";
      case avc_errc::invalid_nalu_length:
        return "avc: invalid NAL unit length";
      case avc_errc::no_start_code:
        return "avc: no Annex B start code";
      case avc_errc::invalid_length_size:
        return "avc: NAL unit length size not 1..4";
    }
    return "avc: unknown error";
  }
};
}  // namespace

const std::error_category& avc_category() noexcept {
  static const AvcCategory category;
  return category;
}

}  // namespace srs

namespace srs::avc {

namespace {

constexpr std::array<uint8_t, 4> kStartCode = {0, 0, 0, 1};
// AUD (7.3.2.4) with primary_pic_type 7 (any slice type) and the stop bit.
constexpr std::array<uint8_t, 2> kAud = {0x09, 0xf0};

bool valid_length_size(unsigned n) noexcept {
  return n >= 1 && n <= 4;
}

// Reads `count` parameter sets, each a 16-bit length then the NAL unit.
bool read_parameter_sets(ByteReader& r, size_t count, std::vector<Bytes>& out) {
  for (size_t i = 0; i < count; ++i) {
    uint16_t len = r.u16();
    ByteSpan nal = r.bytes(len);
    if (!r.ok()) return false;
    out.emplace_back(nal.begin(), nal.end());
  }
  return true;
}

void append_nal(ByteSpan nal, Bytes& out) {
  out.insert(out.end(), kStartCode.begin(), kStartCode.end());
  out.insert(out.end(), nal.begin(), nal.end());
}

}  // namespace

Result<DecoderConfig> parse_decoder_config(ByteSpan record) {
  ByteReader r(record);
  DecoderConfig c;
  c.version = r.u8();
  c.profile = r.u8();
  c.compatibility = r.u8();
  c.level = r.u8();
  // 6 reserved bits, lengthSizeMinusOne (2); 3 reserved bits, numOfSequenceParameterSets (5).
  c.nalu_length_size = static_cast<uint8_t>((r.u8() & 0x03) + 1);
  size_t num_sps = r.u8() & 0x1f;
  if (!r.ok()) return fail(avc_errc::truncated, "avcC header");
  if (c.version != 1) return fail(avc_errc::invalid_config, "avcC version");
  if (num_sps == 0) return fail(avc_errc::invalid_config, "avcC without SPS");
  if (!read_parameter_sets(r, num_sps, c.sps)) return fail(avc_errc::truncated, "avcC SPS");
  size_t num_pps = r.u8();
  if (!r.ok()) return fail(avc_errc::truncated, "avcC PPS count");
  if (!read_parameter_sets(r, num_pps, c.pps)) return fail(avc_errc::truncated, "avcC PPS");
  return c;
}

Result<> write_decoder_config(const DecoderConfig& c, Bytes& out) {
  // 14496-15 5.3.3.1.2: lengthSizeMinusOne is 0, 1 or 3.
  if (c.nalu_length_size != 1 && c.nalu_length_size != 2 && c.nalu_length_size != 4) {
    return fail(avc_errc::invalid_length_size);
  }
  if (c.sps.size() > 31 || c.pps.size() > 255) {
    return fail(avc_errc::invalid_config, "too many parameter sets");
  }
  for (const auto* sets : {&c.sps, &c.pps}) {
    for (const Bytes& s : *sets) {
      if (s.size() > 0xffff) return fail(avc_errc::invalid_config, "parameter set too long");
    }
  }
  ByteWriter w(out);
  w.u8(c.version);
  w.u8(c.profile);
  w.u8(c.compatibility);
  w.u8(c.level);
  w.u8(static_cast<uint8_t>(0xfc | (c.nalu_length_size - 1)));
  w.u8(static_cast<uint8_t>(0xe0 | c.sps.size()));
  for (const Bytes& s : c.sps) {
    w.u16(static_cast<uint16_t>(s.size()));
    w.bytes(s);
  }
  w.u8(static_cast<uint8_t>(c.pps.size()));
  for (const Bytes& p : c.pps) {
    w.u16(static_cast<uint16_t>(p.size()));
    w.bytes(p);
  }
  return {};
}

Bytes unescape_rbsp(ByteSpan nal) {
  Bytes out;
  out.reserve(nal.size());
  size_t zeros = 0;
  for (uint8_t b : nal) {
    if (zeros >= 2 && b == 0x03) {
      zeros = 0;
      continue;
    }
    zeros = (b == 0) ? zeros + 1 : 0;
    out.push_back(b);
  }
  return out;
}

Bytes escape_rbsp(ByteSpan rbsp) {
  Bytes out;
  out.reserve(rbsp.size() + rbsp.size() / 64);
  size_t zeros = 0;
  for (uint8_t b : rbsp) {
    if (zeros >= 2 && b <= 0x03) {
      out.push_back(0x03);
      zeros = 0;
    }
    zeros = (b == 0) ? zeros + 1 : 0;
    out.push_back(b);
  }
  return out;
}

Result<std::optional<ByteSpan>> AnnexBReader::next() {
  const size_t n = data_.size();
  // A start code is two or more zero bytes (B.1.1 leading_zero_8bits and zero_byte
  // included) then 01; zeros that run to the end are trailing_zero_8bits.
  size_t zeros = 0;
  while (pos_ < n && data_[pos_] == 0) ++pos_, ++zeros;
  if (pos_ == n) return std::optional<ByteSpan>{};
  if (zeros < 2 || data_[pos_] != 1) return fail(avc_errc::no_start_code);
  const size_t begin = ++pos_;
  // The unit runs to the next 00 00 00 or 00 00 01: 7.4.1 forbids both inside a unit.
  size_t end = begin;
  while (end + 2 < n && !(data_[end] == 0 && data_[end + 1] == 0 && data_[end + 2] <= 1)) ++end;
  if (end + 2 >= n) {
    // 7.4.1: a unit's last byte is never 00, so zeros at the very end are padding.
    end = n;
    while (end > begin && data_[end - 1] == 0) --end;
  }
  pos_ = end;
  return std::optional<ByteSpan>{data_.subspan(begin, end - begin)};
}

Result<std::optional<ByteSpan>> AvccReader::next() {
  if (!valid_length_size(length_size_)) return fail(avc_errc::invalid_length_size);
  while (pos_ < data_.size()) {
    if (data_.size() - pos_ < length_size_) {
      return fail(avc_errc::invalid_nalu_length, "length field truncated");
    }
    size_t len = 0;
    for (unsigned i = 0; i < length_size_; ++i) len = (len << 8) | data_[pos_ + i];
    pos_ += length_size_;
    if (len > data_.size() - pos_) {
      return fail(avc_errc::invalid_nalu_length, "length runs past the data");
    }
    ByteSpan nal = data_.subspan(pos_, len);
    pos_ += len;
    if (!nal.empty()) return std::optional<ByteSpan>{nal};
  }
  return std::optional<ByteSpan>{};
}

Result<> avcc_to_annexb(ByteSpan avcc, unsigned length_size, Bytes& out) {
  AvccReader reader(avcc, length_size);
  while (true) {
    auto nal = reader.next();
    if (!nal) return wrap(nal, "avcc to annexb");
    if (!*nal) return {};
    append_nal(**nal, out);
  }
}

Result<> annexb_to_avcc(ByteSpan annexb, unsigned length_size, Bytes& out) {
  if (!valid_length_size(length_size)) return fail(avc_errc::invalid_length_size);
  const uint64_t max_len = (uint64_t{1} << (8 * length_size)) - 1;
  AnnexBReader reader(annexb);
  while (true) {
    auto nal = reader.next();
    if (!nal) return wrap(nal, "annexb to avcc");
    if (!*nal) return {};
    ByteSpan unit = **nal;
    if (unit.empty()) continue;
    if (unit.size() > max_len) {
      return fail(avc_errc::invalid_nalu_length, "NAL unit too long for its length size");
    }
    for (unsigned i = length_size; i > 0; --i) {
      out.push_back(static_cast<uint8_t>(unit.size() >> (8 * (i - 1))));
    }
    out.insert(out.end(), unit.begin(), unit.end());
  }
}

Result<> write_annexb_access_unit(ByteSpan avcc_frame, const DecoderConfig& config, Bytes& out) {
  // First pass: validate every length before writing anything, and learn whether this is
  // a keyframe lacking its own parameter sets.
  bool has_idr = false;
  bool has_parameter_sets = false;
  AvccReader scan(avcc_frame, config.nalu_length_size);
  while (true) {
    auto nal = scan.next();
    if (!nal) return wrap(nal, "access unit");
    if (!*nal) break;
    NalType type = nal_type(**nal);
    has_idr = has_idr || type == NalType::idr;
    has_parameter_sets = has_parameter_sets || type == NalType::sps || type == NalType::pps;
  }
  append_nal(kAud, out);
  // A decoder joining at this IDR (a new HLS segment) needs the parameter sets first;
  // right after the AUD is where 7.4.1.2.3 puts them.
  if (has_idr && !has_parameter_sets) {
    for (const Bytes& s : config.sps) append_nal(s, out);
    for (const Bytes& p : config.pps) append_nal(p, out);
  }
  AvccReader reader(avcc_frame, config.nalu_length_size);
  while (true) {
    auto nal = reader.next();  // cannot fail: the first pass read the same bytes
    if (!nal || !*nal) return {};
    if (nal_type(**nal) != NalType::aud) append_nal(**nal, out);
  }
}

Result<VideoTag> parse_video_tag(ByteSpan payload) {
  ByteReader r(payload);
  uint8_t first = r.u8();
  if (!r.ok()) return fail(avc_errc::truncated, "video tag header");
  VideoTag tag;
  tag.frame_type = static_cast<FrameType>(first >> 4);
  tag.codec_id = static_cast<CodecId>(first & 0x0f);
  if (tag.codec_id == CodecId::avc || tag.codec_id == CodecId::hevc) {
    tag.packet_type = static_cast<PacketType>(r.u8());
    uint32_t cts = r.u24();
    if (!r.ok()) return fail(avc_errc::truncated, "AVC video tag header");
    // SI24: sign-extend the 24-bit two's complement value.
    tag.composition_time = static_cast<int32_t>(cts << 8) >> 8;
  }
  tag.body = r.rest();
  return tag;
}

std::string_view profile_name(uint8_t profile_idc, uint8_t constraint_flags) noexcept {
  // A.2: constrained baseline is baseline with constraint_set1_flag; the intra profiles
  // are their base profile with constraint_set3_flag.
  const bool set1 = constraint_flags & 0x40;
  const bool set3 = constraint_flags & 0x10;
  switch (profile_idc) {
    case 66:
      return set1 ? "Baseline(Constrained)" : "Baseline";
    case 77:
      return "Main";
    case 88:
      return "Extended";
    case 100:
      return "High";
    case 110:
      return set3 ? "High(10+Intra)" : "High(10)";
    case 122:
      return set3 ? "High(422+Intra)" : "High(422)";
    case 144:
      return "High(444)";
    case 244:
      return set3 ? "High(444+Intra)" : "High(444+Predictive)";
    default:
      return "Other";
  }
}

std::string_view level_name(uint8_t level_idc) noexcept {
  switch (level_idc) {
    case 10:
      return "1";
    case 11:
      return "1.1";
    case 12:
      return "1.2";
    case 13:
      return "1.3";
    case 20:
      return "2";
    case 21:
      return "2.1";
    case 22:
      return "2.2";
    case 30:
      return "3";
    case 31:
      return "3.1";
    case 32:
      return "3.2";
    case 40:
      return "4";
    case 41:
      return "4.1";
    case 50:
      return "5";
    case 51:
      return "5.1";
    default:
      return "Other";
  }
}

}  // namespace srs::avc
