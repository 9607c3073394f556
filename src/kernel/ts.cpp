#include "kernel/ts.hpp"

#include <algorithm>
#include <cstring>

namespace srs {

namespace {
class TsCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "srs.ts"; }
  std::string message(int ev) const override {
    switch (static_cast<ts_errc>(ev)) {
      case ts_errc::lost_sync:
        return "ts: lost sync (no 0x47)";
      case ts_errc::cc_discontinuity:
        return "ts: continuity counter discontinuity";
      case ts_errc::bad_section:
        return "ts: malformed PSI section";
      case ts_errc::bad_pes_header:
        return "ts: malformed PES header";
      case ts_errc::bad_adaptation_field:
        return "ts: malformed adaptation field";
    }
    return "ts: unknown error";
  }
};
}  // namespace

const std::error_category& ts_category() noexcept {
  static const TsCategory category;
  return category;
}

}  // namespace srs

namespace srs::ts {

namespace {

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i << 24;
    for (int bit = 0; bit < 8; ++bit) c = (c & 0x80000000u) ? (c << 1) ^ 0x04c11db7u : c << 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

// The fixed part of a transport packet header (2.4.3.2); adaptation_field_control is
// 01 (payload only) or 11 (adaptation field, then payload).
void put_header(uint8_t* p, uint16_t pid, bool unit_start, bool has_af, uint8_t cc) noexcept {
  p[0] = kSyncByte;
  p[1] = static_cast<uint8_t>((unit_start ? 0x40 : 0) | ((pid >> 8) & 0x1f));
  p[2] = static_cast<uint8_t>(pid);
  p[3] = static_cast<uint8_t>((has_af ? 0x30 : 0x10) | (cc & 0x0f));
}

// Appends a packet carrying one PSI section: pointer_field 0 (the section starts right
// after it, 2.4.4.2), the section, then 0xff stuffing to the end (2.4.4: bytes after a
// section's end are stuffing).
void put_section_packet(Bytes& out, ContinuityCounters& cc, uint16_t pid, ByteSpan section) {
  size_t base = out.size();
  out.resize(base + kPacketSize, 0xff);
  uint8_t* p = out.data() + base;
  put_header(p, pid, true, false, cc.next(pid));
  p[4] = 0;  // pointer_field
  std::memcpy(p + 5, section.data(), section.size());
}

// Fills in section_length (the bytes after it, CRC included) and appends the CRC_32.
void finish_section(Bytes& s) {
  size_t length = s.size() - 3 + 4;
  s[1] = static_cast<uint8_t>((s[1] & 0xf0) | ((length >> 8) & 0x0f));
  s[2] = static_cast<uint8_t>(length);
  ByteWriter(s).u32(crc32(s));
}

// PTS/DTS in their 5-byte form (2.4.3.7): a 4-bit prefix, then 3+15+15 bits each followed
// by a marker bit.
uint8_t* put_timestamp(uint8_t* p, uint8_t prefix, uint64_t ts) noexcept {
  ts &= kTimestampMask;
  p[0] = static_cast<uint8_t>((prefix << 4) | (((ts >> 30) & 0x07) << 1) | 1);
  p[1] = static_cast<uint8_t>(ts >> 22);
  p[2] = static_cast<uint8_t>((((ts >> 15) & 0x7f) << 1) | 1);
  p[3] = static_cast<uint8_t>(ts >> 7);
  p[4] = static_cast<uint8_t>(((ts & 0x7f) << 1) | 1);
  return p + 5;
}

// Builds the PES header into h; returns its size.
size_t build_pes_header(const PesOptions& o, size_t es_size, uint8_t* h) noexcept {
  const bool with_dts = (o.dts & kTimestampMask) != (o.pts & kTimestampMask);
  const uint8_t data_length = with_dts ? 10 : 5;
  const size_t after_length = 3 + data_length + es_size;
  const uint16_t length =
      o.unbounded_length || after_length > 0xffff ? 0 : static_cast<uint16_t>(after_length);
  h[0] = 0;
  h[1] = 0;
  h[2] = 1;
  h[3] = o.stream_id;
  h[4] = static_cast<uint8_t>(length >> 8);
  h[5] = static_cast<uint8_t>(length);
  // '10', not scrambled, data_alignment_indicator 1: the data starts with an access unit
  // (an AUD, an ADTS or MPEG audio sync word), 2.4.3.7.
  h[6] = 0x84;
  h[7] = with_dts ? 0xc0 : 0x80;  // PTS_DTS_flags, no other optional fields
  h[8] = data_length;
  uint8_t* p = put_timestamp(h + 9, with_dts ? 0x3 : 0x2, o.pts);
  if (with_dts) p = put_timestamp(p, 0x1, o.dts);
  return static_cast<size_t>(p - h);
}

// Writes an adaptation field of `total` bytes (its length byte included) at p: the flags,
// the PCR when asked, and 0xff stuffing for the rest (2.4.3.4, 2.4.3.5).
void put_adaptation_field(uint8_t* p, size_t total, bool random_access,
                          const std::optional<uint64_t>& pcr) noexcept {
  p[0] = static_cast<uint8_t>(total - 1);  // adaptation_field_length
  if (total == 1) return;                  // a single stuffing byte: the length alone
  p[1] = static_cast<uint8_t>((random_access ? 0x40 : 0) | (pcr ? 0x10 : 0));
  size_t used = 2;
  if (pcr) {
    // program_clock_reference_base (33 bits), 6 reserved bits, extension (9 bits) = 0.
    const uint64_t base = *pcr & kTimestampMask;
    p[2] = static_cast<uint8_t>(base >> 25);
    p[3] = static_cast<uint8_t>(base >> 17);
    p[4] = static_cast<uint8_t>(base >> 9);
    p[5] = static_cast<uint8_t>(base >> 1);
    p[6] = static_cast<uint8_t>(((base & 1) << 7) | 0x7e);
    p[7] = 0;
    used = 8;
  }
  std::memset(p + used, 0xff, total - used);
}

}  // namespace

uint32_t crc32(ByteSpan data) noexcept {
  uint32_t crc = 0xffffffffu;
  for (uint8_t b : data) crc = (crc << 8) ^ kCrcTable[((crc >> 24) ^ b) & 0xff];
  return crc;
}

size_t ContinuityCounters::slot(uint16_t pid) noexcept {
  switch (pid) {
    case kPatPid:
      return 0;
    case kPmtPid:
      return 1;
    case kVideoPid:
      return 2;
    case kAacPid:
      return 3;
    case kMp3Pid:
      return 4;
    default:
      return 5;
  }
}

uint8_t ContinuityCounters::next(uint16_t pid) noexcept {
  uint8_t& c = counters_[slot(pid)];
  const uint8_t current = c;
  c = static_cast<uint8_t>((c + 1) & 0x0f);
  return current;
}

uint8_t ContinuityCounters::peek(uint16_t pid) const noexcept {
  return counters_[slot(pid)];
}

void write_pat(Bytes& out, ContinuityCounters& cc, uint16_t pmt_pid) {
  Bytes s;
  s.reserve(16);
  ByteWriter w(s);
  w.u8(0x00);     // table_id: program_association_section
  w.u16(0xb000);  // section_syntax_indicator 1, '0', reserved '11', length filled later
  w.u16(kTransportStreamId);
  w.u8(0xc1);  // reserved '11', version_number 0, current_next_indicator 1
  w.u8(0);     // section_number
  w.u8(0);     // last_section_number
  w.u16(kProgramNumber);
  w.u16(static_cast<uint16_t>(0xe000 | pmt_pid));  // reserved '111', program_map_PID
  finish_section(s);
  put_section_packet(out, cc, kPatPid, s);
}

void write_pmt(Bytes& out, ContinuityCounters& cc, uint16_t pcr_pid,
               std::span<const ProgramStream> streams, uint8_t version, uint16_t pmt_pid) {
  Bytes s;
  s.reserve(32);
  ByteWriter w(s);
  w.u8(0x02);  // table_id: TS_program_map_section
  w.u16(0xb000);
  w.u16(kProgramNumber);
  w.u8(static_cast<uint8_t>(0xc1 | ((version & 0x1f) << 1)));
  w.u8(0);
  w.u8(0);
  w.u16(static_cast<uint16_t>(0xe000 | pcr_pid));  // reserved '111', PCR_PID
  w.u16(0xf000);                                   // reserved '1111', program_info_length 0
  for (const ProgramStream& st : streams) {
    w.u8(static_cast<uint8_t>(st.type));
    w.u16(static_cast<uint16_t>(0xe000 | st.pid));  // reserved '111', elementary_PID
    w.u16(0xf000);                                  // reserved '1111', ES_info_length 0
  }
  finish_section(s);
  put_section_packet(out, cc, pmt_pid, s);
}

size_t pes_header_size(const PesOptions& options) noexcept {
  const bool with_dts = (options.dts & kTimestampMask) != (options.pts & kTimestampMask);
  return with_dts ? 19 : 14;
}

void write_pes(Bytes& out, ContinuityCounters& cc, const PesOptions& o, ByteSpan es) {
  std::array<uint8_t, 19> header;
  const size_t header_size = build_pes_header(o, es.size(), header.data());
  size_t left = header_size + es.size();
  // Grow geometrically: an exact reserve per PES would copy a whole segment buffer each time.
  const size_t needed = out.size() + ((left + 8) / kPayloadSize + 1) * kPacketSize;
  if (needed > out.capacity()) out.reserve(std::max(needed, 2 * out.capacity()));

  size_t es_pos = 0;
  bool first = true;
  while (left > 0) {
    const bool flags = first && (o.pcr || o.random_access);
    const size_t af_min = flags ? (o.pcr ? 8 : 2) : 0;
    const size_t take = std::min(kPayloadSize - af_min, left);
    const size_t af_size = kPayloadSize - take;  // 0, or the field with its stuffing

    size_t base = out.size();
    out.resize(base + kPacketSize);
    uint8_t* p = out.data() + base;
    put_header(p, o.pid, first, af_size > 0, cc.next(o.pid));
    uint8_t* q = p + kHeaderSize;
    if (af_size > 0) {
      put_adaptation_field(q, af_size, flags && o.random_access,
                           flags ? o.pcr : std::optional<uint64_t>{});
      q += af_size;
    }
    size_t room = take;
    if (first) {  // the header always fits: 19 bytes against at least 176 of room
      std::memcpy(q, header.data(), header_size);
      q += header_size;
      room -= header_size;
    }
    if (room > 0) std::memcpy(q, es.data() + es_pos, room);
    es_pos += room;
    left -= take;
    first = false;
  }
}

}  // namespace srs::ts
