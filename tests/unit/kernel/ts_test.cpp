// Transport packets: CRC_32, PAT/PMT, PES packetisation (stuffing, PCR, timestamps),
// continuity counters, and the demuxer/checker on good and broken input.
#include "kernel/ts.hpp"

#include <gtest/gtest.h>

#include <string_view>

#include "kernel/ts_demuxer.hpp"
#include "unit/kernel/ts_test_util.hpp"

namespace srs {
namespace {

using test::demux;

Bytes filled(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 7 + 1);
  return b;
}

TEST(TsCrc, MatchesTheCrc32Mpeg2CheckValue) {
  constexpr std::string_view kCheck = "123456789";
  ByteSpan s(reinterpret_cast<const uint8_t*>(kCheck.data()), kCheck.size());
  EXPECT_EQ(ts::crc32(s), 0x0376e6e7u);  // CRC-32/MPEG-2 catalogue check value
}

TEST(TsTables, PatIsOnePaddedPacketWithAValidSection) {
  Bytes out;
  ts::ContinuityCounters cc;
  ts::write_pat(out, cc);
  ASSERT_EQ(out.size(), ts::kPacketSize);
  // sync, PUSI + PID 0, payload only, cc 0, pointer 0, table 0, length 13, tsid 1,
  // version 0 current, sections 0/0, program 1 -> PID 0x1001.
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 17),
            test::from_hex("47400010 00 00b00d 0001 c1 0000 0001 f001"));
  const uint32_t crc = (out[17] << 24) | (out[18] << 16) | (out[19] << 8) | out[20];
  EXPECT_EQ(crc, ts::crc32(ByteSpan(out).subspan(5, 12)));
  EXPECT_EQ(ts::crc32(ByteSpan(out).subspan(5, 16)), 0u);  // whole section: residue 0
  for (size_t i = 21; i < out.size(); ++i) ASSERT_EQ(out[i], 0xff) << i;
  EXPECT_EQ(cc.peek(ts::kPatPid), 1);
}

TEST(TsTables, PmtAnnouncesStreamsPcrPidAndVersion) {
  Bytes out;
  ts::ContinuityCounters cc;
  const ts::ProgramStream streams[] = {{ts::StreamType::h264, ts::kVideoPid},
                                       {ts::StreamType::aac_adts, ts::kAacPid}};
  ts::write_pat(out, cc);
  ts::write_pmt(out, cc, ts::kVideoPid, streams, 3);
  ASSERT_EQ(out.size(), 2 * ts::kPacketSize);
  EXPECT_EQ(Bytes(out.begin() + 188, out.begin() + 188 + 27),
            test::from_hex("47500110 00 02b017 0001 c7 0000 e100 f000 1be100f000 0fe101f000"));
  auto d = demux(out);
  ASSERT_TRUE(d.program.pmt_pid);
  EXPECT_EQ(*d.program.pmt_pid, ts::kPmtPid);
  EXPECT_EQ(d.program.pcr_pid, ts::kVideoPid);
  EXPECT_EQ(d.program.pmt_version, 3);
  EXPECT_EQ(d.program.streams,
            std::vector<ts::ProgramStream>(std::begin(streams), std::end(streams)));
}

TEST(TsPes, ShortPesIsOnePacketStuffedThroughTheAdaptationField) {
  Bytes out;
  ts::ContinuityCounters cc;
  ts::PesOptions o{.pid = ts::kAacPid, .stream_id = ts::kAudioStreamId, .pts = 900, .dts = 900};
  Bytes es = filled(100);
  ts::write_pes(out, cc, o, es);
  ASSERT_EQ(out.size(), ts::kPacketSize);
  EXPECT_EQ(out[1], 0x41);  // PUSI, PID high bits
  EXPECT_EQ(out[2], 0x01);
  EXPECT_EQ(out[3], 0x30);  // adaptation field + payload, cc 0
  const size_t af = 184 - 14 - 100;
  EXPECT_EQ(out[4], af - 1);
  EXPECT_EQ(out[5], 0x00);  // no flags: pure stuffing
  for (size_t i = 6; i < 4 + af; ++i) ASSERT_EQ(out[i], 0xff);
  // PES header: start code, audio stream, length 3+5+100, '10' + alignment, PTS only.
  EXPECT_EQ(Bytes(out.begin() + 4 + af, out.begin() + 4 + af + 9),
            test::from_hex("000001c0 006c 84 80 05"));
  auto d = demux(out);  // no PMT: the demuxer still reads PES on unknown PIDs
  ASSERT_EQ(d.pes.size(), 1u);
  EXPECT_EQ(d.pes[0].pts, 900u);
  EXPECT_FALSE(d.pes[0].dts);
  EXPECT_EQ(d.pes[0].data, es);
}

TEST(TsPes, EveryLengthCutsIntoWholePacketsAndComesBackIntact) {
  // Around the packet boundaries: an exact fit, one byte of stuffing (the length byte
  // alone), two (length + flags), and the first packet shortened by a PCR.
  for (size_t n : {0, 1, 169, 170, 171, 172, 183, 184, 353, 354, 355, 1000, 70000}) {
    for (bool pcr : {false, true}) {
      Bytes out;
      ts::ContinuityCounters cc;
      ts::PesOptions o;
      o.pts = 1000;
      o.dts = 1000;
      if (pcr) o.pcr = 1000;
      Bytes es = filled(n);
      ts::write_pes(out, cc, o, es);
      const size_t payload = 14 + n + (pcr ? 8 : 0);
      const size_t packets = (payload + 183) / 184;
      ASSERT_EQ(out.size(), packets * 188) << n << " pcr " << pcr;
      for (size_t i = 0; i < out.size(); i += 188) ASSERT_EQ(out[i], ts::kSyncByte);
      auto d = demux(out);
      ASSERT_EQ(d.pes.size(), 1u) << n;
      EXPECT_EQ(d.pes[0].data, es) << n;
      EXPECT_EQ(d.pcrs.size(), pcr ? 1u : 0u);
    }
  }
}

TEST(TsPes, TimestampsUseAll33BitsAndDtsOnlyWhenItDiffers) {
  Bytes out;
  ts::ContinuityCounters cc;
  ts::PesOptions o;
  o.pts = ts::kTimestampMask;  // 2^33 - 1
  o.dts = 0x123456789;
  o.pcr = 0x1aaaaaaaa;
  o.random_access = true;
  ts::write_pes(out, cc, o, filled(500));
  auto d = demux(out);
  ASSERT_EQ(d.pes.size(), 1u);
  EXPECT_EQ(d.pes[0].pts, ts::kTimestampMask);
  EXPECT_EQ(d.pes[0].dts, 0x123456789u);
  EXPECT_TRUE(d.pes[0].random_access);
  ASSERT_EQ(d.pcrs.size(), 1u);
  EXPECT_EQ(d.pcrs[0].base, 0x1aaaaaaaau);
  EXPECT_EQ(d.pcrs[0].extension, 0);
  // Video PES header: 0xe0, unbounded is not forced, both flags, 10 bytes of timestamps.
  const size_t at = 4 + 8;  // after the adaptation field with the PCR
  EXPECT_EQ(Bytes(out.begin() + at, out.begin() + at + 9),
            test::from_hex("000001e0 0201 84 c0 0a"));  // 3 + 10 + 500 = 0x201
}

TEST(TsPes, PcrBitsAreLaidOutAsTheStandardSays) {
  Bytes out;
  ts::ContinuityCounters cc;
  ts::PesOptions o;
  o.pcr = 0x100000001;  // top and bottom bits of the 33-bit base
  ts::write_pes(out, cc, o, filled(10));
  // adaptation_field_length, flags (PCR), base 33 bits, 6 reserved ones, extension 0.
  EXPECT_EQ(Bytes(out.begin() + 4, out.begin() + 12), test::from_hex("9f 10 80000000 fe 00"));
}

TEST(TsPes, TooLongForItsLengthFieldIsUnbounded) {
  Bytes out;
  ts::ContinuityCounters cc;
  ts::write_pes(out, cc, ts::PesOptions{}, filled(70000));
  EXPECT_EQ(out[4 + 4], 0);  // PES_packet_length 0
  EXPECT_EQ(out[4 + 5], 0);
}

TEST(TsContinuity, CountersWrapPerPidAndCarryAcrossBuffers) {
  ts::ContinuityCounters cc;
  Bytes first;
  Bytes second;
  ts::write_pat(first, cc);
  ts::write_pes(first, cc, ts::PesOptions{}, filled(184 * 20));  // 21 packets: wraps
  ts::write_pat(second, cc);
  ts::write_pes(second, cc, ts::PesOptions{}, filled(300));
  EXPECT_EQ(cc.peek(ts::kVideoPid), (21 + 2) % 16);
  EXPECT_EQ(cc.peek(ts::kPatPid), 2);
  EXPECT_EQ(second[3] & 0x0f, 1);  // the PAT counter continued from the first buffer
  Bytes both = first;
  both.insert(both.end(), second.begin(), second.end());
  auto d = demux(both);  // strict: a counter jump would fail here
  EXPECT_EQ(d.pes.size(), 2u);
  EXPECT_EQ(d.stats.cc_errors, 0u);
}

TEST(TsDemuxer, StrictFailsOnALostPacketLenientCountsAndDropsThePes) {
  ts::ContinuityCounters cc;
  Bytes out;
  ts::write_pes(out, cc, ts::PesOptions{}, filled(1000));
  ts::write_pes(out, cc, ts::PesOptions{}, filled(100));
  Bytes lost = out;
  lost.erase(lost.begin() + 188, lost.begin() + 2 * 188);  // the 2nd packet of the 1st PES

  ts::Demuxer strict({}, true);
  auto r = strict.feed(lost);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ts_errc::cc_discontinuity);

  size_t delivered = 0;
  ts::Demuxer lenient({[&](const ts::Pes&) { ++delivered; }, {}}, false);
  ASSERT_TRUE(lenient.feed(lost));
  ASSERT_TRUE(lenient.finish());
  EXPECT_EQ(lenient.stats().cc_errors, 1u);
  EXPECT_EQ(lenient.stats().dropped_pes, 1u);
  EXPECT_EQ(delivered, 1u);  // the second PES is intact
}

TEST(TsDemuxer, SameResultWhateverTheFeedSize) {
  ts::ContinuityCounters cc;
  Bytes out;
  ts::write_pat(out, cc);
  for (int i = 0; i < 5; ++i) ts::write_pes(out, cc, ts::PesOptions{.pts = 90u * i}, filled(400));
  for (size_t piece : {1, 7, 188, 189, 1000}) {
    std::vector<Bytes> got;
    ts::Demuxer d({[&](const ts::Pes& p) { got.emplace_back(p.data.begin(), p.data.end()); }, {}});
    for (size_t i = 0; i < out.size(); i += piece) {
      ASSERT_TRUE(d.feed(ByteSpan(out).subspan(i, std::min(piece, out.size() - i))));
    }
    ASSERT_TRUE(d.finish());
    ASSERT_EQ(got.size(), 5u) << piece;
    EXPECT_EQ(got[4], filled(400));
  }
}

TEST(TsDemuxer, RejectsBadSyncAndBadCrc) {
  ts::ContinuityCounters cc;
  Bytes out;
  ts::write_pat(out, cc);
  Bytes bad_crc = out;
  bad_crc[20] ^= 1;
  auto crc = ts::Demuxer({}, true).feed(bad_crc);
  ASSERT_FALSE(crc);
  EXPECT_EQ(crc.error().code, ts_errc::bad_section);

  Bytes bad_sync = out;
  bad_sync[0] = 0x48;
  auto sync = ts::Demuxer({}, true).feed(bad_sync);
  ASSERT_FALSE(sync);
  EXPECT_EQ(sync.error().code, ts_errc::lost_sync);

  // Lenient: garbage before the packets is skipped.
  Bytes noisy = {1, 2, 3};
  noisy.insert(noisy.end(), out.begin(), out.end());
  ts::Demuxer lenient({}, false);
  ASSERT_TRUE(lenient.feed(noisy));
  EXPECT_EQ(lenient.stats().sync_errors, 3u);
  EXPECT_EQ(lenient.program().pmt_pid, ts::kPmtPid);
}

TEST(TsDemuxer, RejectsAnAdaptationFieldLongerThanThePacket) {
  Bytes p(188, 0xff);
  p[0] = 0x47;
  p[1] = 0x41;
  p[2] = 0x00;
  p[3] = 0x30;
  p[4] = 184;
  auto r = ts::Demuxer({}, true).feed(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ts_errc::bad_adaptation_field);
}

}  // namespace
}  // namespace srs
