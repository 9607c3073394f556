// MPEG-2 transport stream building blocks (ISO/IEC 13818-1, "H.222.0"): the fixed
// identifiers HLS uses (spec hls-dvr.md §2.5), the section CRC, PAT/PMT packets, and the
// packetiser that cuts one PES packet into 188-byte transport packets. The muxer
// (ts_muxer.hpp) and demuxer (ts_demuxer.hpp) are built on these. Everything appends to a
// caller-owned Bytes buffer, so a whole segment is assembled in memory and written at once.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <system_error>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace srs {

enum class ts_errc {
  lost_sync = 1,        // a packet does not start with 0x47
  cc_discontinuity,     // a continuity_counter skipped (2.4.3.3), packets were lost
  bad_section,          // a PSI section is malformed or its CRC_32 does not match
  bad_pes_header,       // a PES header is malformed (2.4.3.6)
  bad_adaptation_field  // adaptation_field_length runs past the packet
};
const std::error_category& ts_category() noexcept;
inline std::error_code make_error_code(ts_errc e) noexcept {
  return {static_cast<int>(e), ts_category()};
}

}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::ts_errc> : true_type {};
}  // namespace std

namespace srs::ts {

inline constexpr size_t kPacketSize = 188;
inline constexpr size_t kHeaderSize = 4;
inline constexpr size_t kPayloadSize = kPacketSize - kHeaderSize;
inline constexpr uint8_t kSyncByte = 0x47;

// The layout of an HLS segment (hls-dvr.md §2.5): program 1, PMT on 0x1001, one PID per
// elementary stream.
inline constexpr uint16_t kPatPid = 0x0000;
inline constexpr uint16_t kPmtPid = 0x1001;
inline constexpr uint16_t kVideoPid = 0x0100;
inline constexpr uint16_t kAacPid = 0x0101;
inline constexpr uint16_t kMp3Pid = 0x0102;
inline constexpr uint16_t kProgramNumber = 1;
inline constexpr uint16_t kTransportStreamId = 1;

// stream_type, 13818-1 Table 2-34 (and 2-29 amendments for AVC).
enum class StreamType : uint8_t {
  mpeg1_audio = 0x03,  // MP3 at 32/44.1/48 kHz
  mpeg2_audio = 0x04,  // MP3 at the halved rates (13818-3) and MPEG 2.5
  aac_adts = 0x0f,     // 13818-7 audio with ADTS transport syntax
  h264 = 0x1b,
};

// stream_id of PES packets, Table 2-22: the first audio and first video stream numbers.
inline constexpr uint8_t kAudioStreamId = 0xc0;
inline constexpr uint8_t kVideoStreamId = 0xe0;

// Timestamps are 33-bit counts of a 90 kHz clock (2.4.3.7); they wrap.
inline constexpr uint64_t kTimestampMask = (uint64_t{1} << 33) - 1;
inline constexpr int64_t kClockHz = 90000;
inline constexpr uint64_t to_90khz(int64_t ms) noexcept {
  return static_cast<uint64_t>(ms * 90) & kTimestampMask;
}

// CRC_32 of PSI sections (Annex A): polynomial 0x04C11DB7, initial value all ones, no
// reflection, no final xor. Over a whole section including its CRC the result is 0.
uint32_t crc32(ByteSpan data) noexcept;

// The next continuity_counter of each PID we write. The counter of a PID counts its packets
// with payload modulo 16 (2.4.3.3), and a player that sees a jump assumes packets were lost,
// so the owner keeps one ContinuityCounters for a stream's whole life: across segment files
// (players fetch them back to back) and across republish.
class ContinuityCounters {
 public:
  // Returns the counter for the next packet of pid and advances it.
  uint8_t next(uint16_t pid) noexcept;
  // The counter the next packet of pid will carry.
  uint8_t peek(uint16_t pid) const noexcept;
  bool operator==(const ContinuityCounters&) const = default;

 private:
  static size_t slot(uint16_t pid) noexcept;
  // PAT, PMT, video, AAC, MP3 and one shared slot for any other PID (never written by us).
  std::array<uint8_t, 6> counters_{};
};

struct ProgramStream {
  StreamType type;
  uint16_t pid;
  bool operator==(const ProgramStream&) const = default;
};

// Appends one packet holding the PAT (2.4.4.3): program kProgramNumber on pmt_pid.
void write_pat(Bytes& out, ContinuityCounters& cc, uint16_t pmt_pid = kPmtPid);
// Appends one packet holding the PMT (2.4.4.8) of program kProgramNumber. At most a few
// streams (a section of one packet); version is 5 bits and must change when the content
// does, so a player re-reads it.
void write_pmt(Bytes& out, ContinuityCounters& cc, uint16_t pcr_pid,
               std::span<const ProgramStream> streams, uint8_t version = 0,
               uint16_t pmt_pid = kPmtPid);

// What goes into the adaptation field of a PES packet's first transport packet.
struct PesOptions {
  uint16_t pid = kVideoPid;
  uint8_t stream_id = kVideoStreamId;
  uint64_t pts = 0;
  uint64_t dts = 0;               // written only when it differs from pts
  std::optional<uint64_t> pcr{};  // 90 kHz base; the 27 MHz extension is written as 0
  bool random_access = false;     // 2.4.3.5: a decoder can start here (keyframe)
  bool unbounded_length = false;  // PES_packet_length 0, allowed for video only (2.4.3.7)
};
// Appends `es` as one PES packet (2.4.3.6) cut into transport packets: the PES header and
// the start of the data in the first (payload_unit_start_indicator 1), then the rest, with
// the last packet padded by adaptation-field stuffing (2.4.3.5), the only padding a PES
// payload allows. A PES of a bounded stream longer than 65535 bytes is written unbounded.
void write_pes(Bytes& out, ContinuityCounters& cc, const PesOptions& options, ByteSpan es);

// The size of the PES header write_pes puts before the data.
size_t pes_header_size(const PesOptions& options) noexcept;

}  // namespace srs::ts
