// Reads an MPEG transport stream (ISO/IEC 13818-1) back into PES packets: packet sync, the
// PAT and PMT (one-packet sections, CRC checked), continuity counters per PID, PES
// reassembly with PTS/DTS, PCRs and random access points. Strict mode is a checker for
// tests (any lost packet, bad CRC or malformed header is an error); lenient mode is for
// live input (TS over UDP/HTTP), where a gap drops the PES it broke and is counted.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "kernel/ts.hpp"

namespace srs::ts {

struct Pes {
  uint16_t pid = 0;
  uint8_t stream_type = 0;  // from the PMT
  uint8_t stream_id = 0;
  std::optional<uint64_t> pts;
  std::optional<uint64_t> dts;  // set only when the header carries one
  bool random_access = false;   // random_access_indicator on its first packet
  bool unbounded = false;       // PES_packet_length was 0
  ByteSpan data;                // the elementary stream bytes; valid during the callback
};

struct Pcr {
  uint16_t pid = 0;
  uint64_t base = 0;       // 90 kHz
  uint16_t extension = 0;  // 27 MHz remainder, 0..299
  size_t packet_index = 0;
};

struct ProgramInfo {
  std::optional<uint16_t> pmt_pid;
  uint16_t pcr_pid = 0;
  uint8_t pmt_version = 0;
  std::vector<ProgramStream> streams;
  size_t pat_count = 0;  // sections seen, to check tables repeat where they should
  size_t pmt_count = 0;
};

struct DemuxerStats {
  size_t packets = 0;
  size_t cc_errors = 0;    // lenient mode only (strict mode fails instead)
  size_t sync_errors = 0;  // bytes skipped to find sync again, lenient mode only
  size_t dropped_pes = 0;  // broken by a gap or a malformed header
  size_t duplicates = 0;   // repeated packets (same counter), ignored per 2.4.3.3
};

class Demuxer {
 public:
  struct Handlers {
    std::function<void(const Pes&)> on_pes;
    std::function<void(const Pcr&)> on_pcr;  // optional
  };
  explicit Demuxer(Handlers handlers, bool strict = true);

  // Bytes in pieces of any size; a packet split between pieces is assembled.
  Result<> feed(ByteSpan bytes);
  // Delivers the PES still open at the end of the input (an unbounded video PES ends only
  // when the next one starts).
  Result<> finish();

  const ProgramInfo& program() const noexcept { return program_; }
  const DemuxerStats& stats() const noexcept { return stats_; }

 private:
  struct PidState {
    int last_cc = -1;
    Bytes pes;
    bool assembling = false;
    bool random_access = false;
  };
  Result<> packet(const uint8_t* p);
  Result<> check_continuity(PidState& s, uint8_t cc, bool discontinuity, bool& duplicate);
  Result<> section(uint16_t pid, ByteSpan payload, bool unit_start);
  Result<> parse_pat(ByteSpan section);
  Result<> parse_pmt(ByteSpan section);
  Result<> pes_payload(uint16_t pid, PidState& s, ByteSpan payload, bool unit_start, bool rai);
  Result<> deliver(uint16_t pid, PidState& s);
  Result<> broken(std::error_code code, std::string context);

  Handlers handlers_;
  bool strict_;
  ProgramInfo program_;
  DemuxerStats stats_;
  std::map<uint16_t, PidState> pids_;
  Bytes partial_;  // the start of a packet split across feeds
};

// Parses the 5-byte PTS/DTS form (2.4.3.7); nullopt when a marker bit is missing.
std::optional<uint64_t> parse_timestamp(const uint8_t* p) noexcept;

}  // namespace srs::ts
