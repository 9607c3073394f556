#include "kernel/ts_demuxer.hpp"

#include <algorithm>

namespace srs::ts {

std::optional<uint64_t> parse_timestamp(const uint8_t* p) noexcept {
  if (!(p[0] & 1) || !(p[2] & 1) || !(p[4] & 1)) return std::nullopt;
  return (uint64_t{(p[0] >> 1) & 0x07u} << 30) | (uint64_t{p[1]} << 22) |
         (static_cast<uint64_t>(p[2] >> 1) << 15) | (uint64_t{p[3]} << 7) | (p[4] >> 1);
}

Demuxer::Demuxer(Handlers handlers, bool strict)
    : handlers_(std::move(handlers)), strict_(strict) {}

Result<> Demuxer::feed(ByteSpan bytes) {
  if (!partial_.empty()) {
    size_t need = kPacketSize - partial_.size();
    size_t n = std::min(need, bytes.size());
    partial_.insert(partial_.end(), bytes.begin(), bytes.begin() + n);
    bytes = bytes.subspan(n);
    if (partial_.size() < kPacketSize) return {};
    Bytes whole = std::move(partial_);
    partial_.clear();
    if (auto r = packet(whole.data()); !r) return r;
  }
  while (!bytes.empty()) {
    if (bytes[0] != kSyncByte) {
      if (strict_) return fail(ts_errc::lost_sync, "ts packet " + std::to_string(stats_.packets));
      // Resync at the next sync byte; a real one repeats every 188 bytes.
      ++stats_.sync_errors;
      bytes = bytes.subspan(1);
      continue;
    }
    if (bytes.size() < kPacketSize) {
      partial_.assign(bytes.begin(), bytes.end());
      return {};
    }
    if (auto r = packet(bytes.data()); !r) return r;
    bytes = bytes.subspan(kPacketSize);
  }
  return {};
}

Result<> Demuxer::finish() {
  for (auto& [pid, s] : pids_) {
    if (s.assembling) {
      if (auto r = deliver(pid, s); !r) return r;
    }
  }
  return {};
}

Result<> Demuxer::broken(std::error_code code, std::string context) {
  if (strict_) return fail(code, std::move(context));
  ++stats_.dropped_pes;
  return {};
}

Result<> Demuxer::check_continuity(PidState& s, uint8_t cc, bool discontinuity, bool& duplicate) {
  duplicate = false;
  const int last = s.last_cc;
  s.last_cc = cc;
  if (last < 0 || discontinuity) return {};
  if (cc == last) {  // 2.4.3.3: a packet may be sent twice; the copy is dropped
    duplicate = true;
    ++stats_.duplicates;
    return {};
  }
  if (cc == ((last + 1) & 0x0f)) return {};
  if (strict_) {
    return fail(ts_errc::cc_discontinuity, fmt::format("counter {} after {}", cc, last));
  }
  ++stats_.cc_errors;
  if (s.assembling) {
    s.assembling = false;
    s.pes.clear();
    ++stats_.dropped_pes;
  }
  return {};
}

Result<> Demuxer::packet(const uint8_t* p) {
  const size_t index = stats_.packets++;
  if (p[1] & 0x80) return {};  // transport_error_indicator: the packet is known bad
  const bool unit_start = p[1] & 0x40;
  const uint16_t pid = static_cast<uint16_t>(((p[1] & 0x1f) << 8) | p[2]);
  const uint8_t afc = (p[3] >> 4) & 0x03;
  const uint8_t cc = p[3] & 0x0f;
  if (pid == 0x1fff) return {};  // null packets

  size_t offset = kHeaderSize;
  bool discontinuity = false;
  bool rai = false;
  if (afc & 0x02) {
    const size_t length = p[4];
    if (length > (afc & 0x01 ? 182u : 183u)) {
      return fail(ts_errc::bad_adaptation_field, fmt::format("packet {}", index));
    }
    if (length > 0) {
      discontinuity = p[5] & 0x80;
      rai = p[5] & 0x40;
      if ((p[5] & 0x10) && length >= 7) {  // PCR_flag, 2.4.3.5
        const uint8_t* c = p + 6;
        Pcr pcr{pid,
                (uint64_t{c[0]} << 25) | (uint64_t{c[1]} << 17) | (uint64_t{c[2]} << 9) |
                    (uint64_t{c[3]} << 1) | (c[4] >> 7),
                static_cast<uint16_t>(((c[4] & 0x01) << 8) | c[5]), index};
        if (handlers_.on_pcr) handlers_.on_pcr(pcr);
      }
    }
    offset += 1 + length;
  }
  if (!(afc & 0x01)) return {};  // no payload: the counter does not advance (2.4.3.3)

  PidState& s = pids_[pid];
  bool duplicate = false;
  if (auto r = check_continuity(s, cc, discontinuity, duplicate); !r) {
    return wrap(r, fmt::format("pid 0x{:x} packet {}", pid, index));
  }
  if (duplicate) return {};
  ByteSpan payload(p + offset, kPacketSize - offset);
  if (pid == kPatPid || (program_.pmt_pid && pid == *program_.pmt_pid)) {
    return section(pid, payload, unit_start);
  }
  return pes_payload(pid, s, payload, unit_start, rai);
}

Result<> Demuxer::section(uint16_t pid, ByteSpan payload, bool unit_start) {
  if (!unit_start) return {};  // sections here fit one packet; continuations are not ours
  ByteReader r(payload);
  r.skip(r.u8());  // pointer_field
  if (!r.has(3)) return fail(ts_errc::bad_section, "no section header");
  const ByteSpan rest = r.rest();
  const size_t length = ((rest[1] & 0x0f) << 8) | rest[2];
  if (length < 9 || 3 + length > rest.size()) {
    return fail(ts_errc::bad_section, "section longer than its packet");
  }
  ByteSpan sec = rest.first(3 + length);
  if (crc32(sec) != 0) return fail(ts_errc::bad_section, "CRC_32 mismatch");
  return pid == kPatPid ? parse_pat(sec) : parse_pmt(sec);
}

Result<> Demuxer::parse_pat(ByteSpan sec) {
  if (sec[0] != 0x00) return fail(ts_errc::bad_section, "PAT table_id");
  ByteReader r(sec.subspan(8, sec.size() - 8 - 4));
  while (r.remaining() >= 4) {
    const uint16_t number = r.u16();
    const uint16_t pid = r.u16() & 0x1fff;
    if (number != 0) program_.pmt_pid = pid;  // program 0 names the network PID
  }
  ++program_.pat_count;
  return {};
}

Result<> Demuxer::parse_pmt(ByteSpan sec) {
  if (sec[0] != 0x02) return fail(ts_errc::bad_section, "PMT table_id");
  ByteReader r(sec.subspan(5, sec.size() - 5 - 4));
  program_.pmt_version = (r.u8() >> 1) & 0x1f;
  r.skip(2);  // section_number, last_section_number
  program_.pcr_pid = r.u16() & 0x1fff;
  r.skip(r.u16() & 0x0fff);  // program descriptors
  program_.streams.clear();
  while (r.remaining() >= 5) {
    ProgramStream st{static_cast<StreamType>(r.u8()), static_cast<uint16_t>(r.u16() & 0x1fff)};
    r.skip(r.u16() & 0x0fff);  // ES descriptors
    program_.streams.push_back(st);
  }
  if (!r.ok()) return fail(ts_errc::bad_section, "PMT runs past its section");
  ++program_.pmt_count;
  return {};
}

Result<> Demuxer::pes_payload(uint16_t pid, PidState& s, ByteSpan payload, bool unit_start,
                              bool rai) {
  if (unit_start) {
    if (s.assembling) {
      if (auto r = deliver(pid, s); !r) return r;
    }
    s.assembling = true;
    s.random_access = rai;
    s.pes.clear();
  } else if (!s.assembling) {
    return {};  // the middle of a PES whose start we never saw
  }
  s.pes.insert(s.pes.end(), payload.begin(), payload.end());
  // A bounded PES is complete once its length is in (2.4.3.7).
  if (s.pes.size() >= 6) {
    const size_t length = (s.pes[4] << 8) | s.pes[5];
    if (length != 0 && s.pes.size() >= 6 + length) return deliver(pid, s);
  }
  return {};
}

Result<> Demuxer::deliver(uint16_t pid, PidState& s) {
  s.assembling = false;
  const Bytes& b = s.pes;
  if (b.size() < 9 || b[0] != 0 || b[1] != 0 || b[2] != 1) {
    return broken(ts_errc::bad_pes_header, fmt::format("pid 0x{:x}: no start code", pid));
  }
  Pes pes;
  pes.pid = pid;
  pes.stream_id = b[3];
  const size_t length = (b[4] << 8) | b[5];
  pes.unbounded = length == 0;
  const size_t end = pes.unbounded ? b.size() : 6 + length;
  const size_t header_end = 9 + b[8];
  if (end > b.size() || header_end > end || (b[6] & 0xc0) != 0x80) {
    return broken(ts_errc::bad_pes_header, fmt::format("pid 0x{:x}: bad lengths", pid));
  }
  const uint8_t flags = b[7] >> 6;  // PTS_DTS_flags
  const size_t needed = flags == 3 ? 10 : flags == 2 ? 5 : 0;
  if (flags == 1 || b[8] < needed) {
    return broken(ts_errc::bad_pes_header, fmt::format("pid 0x{:x}: PTS_DTS_flags", pid));
  }
  if (flags & 2) pes.pts = parse_timestamp(&b[9]);
  if (flags == 3) pes.dts = parse_timestamp(&b[14]);
  if ((flags & 2 && !pes.pts) || (flags == 3 && !pes.dts)) {
    return broken(ts_errc::bad_pes_header, fmt::format("pid 0x{:x}: marker bits", pid));
  }
  for (const ProgramStream& st : program_.streams) {
    if (st.pid == pid) pes.stream_type = static_cast<uint8_t>(st.type);
  }
  pes.random_access = s.random_access;
  pes.data = ByteSpan(b).subspan(header_end, end - header_end);
  if (handlers_.on_pes) handlers_.on_pes(pes);
  return {};
}

}  // namespace srs::ts
