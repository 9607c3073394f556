// The TS muxer on real frames (tests/data), demuxed back with the strict checker: Annex B
// access units with AUD and parameter sets, ADTS, MP3, merged audio PES, PCR placement,
// PMT changes, continuity across segments and republish, and tiny.flv end to end.
#include "kernel/ts_muxer.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "kernel/mp3.hpp"
#include "unit/kernel/ts_test_util.hpp"

namespace srs {
namespace {

using test::aac_sample;
using test::demux;
using test::h264_sample;

const Bytes kAud = test::from_hex("00000001 09f0");

bool starts_with(const Bytes& b, const Bytes& prefix) {
  return b.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), b.begin());
}

// Sequence headers, then video every 40 ms and audio every 23 ms, interleaved by time.
Bytes mux_av(ts::Muxer& m, int64_t start_ms = 0) {
  auto video = h264_sample();
  auto audio = aac_sample();
  Bytes out;
  m.write_tables(out);
  EXPECT_TRUE(m.write_video(start_ms, video.sequence_header, out));
  EXPECT_TRUE(m.write_audio(start_ms, audio.sequence_header, out));
  size_t v = 0;
  size_t a = 0;
  while (v < video.frames.size() || a < audio.frames.size()) {
    const int64_t tv = start_ms + 40 * static_cast<int64_t>(v);
    const int64_t ta = start_ms + 23 * static_cast<int64_t>(a);
    if (v < video.frames.size() && (a >= audio.frames.size() || tv <= ta)) {
      EXPECT_TRUE(m.write_video(tv, video.frames[v++], out));
    } else {
      EXPECT_TRUE(m.write_audio(ta, audio.frames[a++], out));
    }
  }
  m.flush_audio(out);
  return out;
}

TEST(TsMuxer, H264AccessUnitsCarryAudAndParameterSetsBeforeTheKeyframe) {
  ts::Muxer m;
  Bytes out = mux_av(m, 1000);
  auto d = demux(out);
  EXPECT_EQ(d.program.streams,
            (std::vector<ts::ProgramStream>{{ts::StreamType::h264, ts::kVideoPid},
                                            {ts::StreamType::aac_adts, ts::kAacPid}}));
  EXPECT_EQ(d.program.pcr_pid, ts::kVideoPid);
  auto video = d.of(ts::kVideoPid);
  ASSERT_EQ(video.size(), 3u);
  auto sample = h264_sample();
  Bytes key_prefix = kAud;
  for (const Bytes* ps : {&sample.config.sps[0], &sample.config.pps[0]}) {
    key_prefix.insert(key_prefix.end(), {0, 0, 0, 1});
    key_prefix.insert(key_prefix.end(), ps->begin(), ps->end());
  }
  EXPECT_TRUE(starts_with(video[0].data, key_prefix));
  EXPECT_TRUE(video[0].random_access);
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_TRUE(starts_with(video[i].data, kAud));
    EXPECT_FALSE(starts_with(video[i].data, key_prefix)) << "SPS only before keyframes";
    EXPECT_FALSE(video[i].random_access);
  }
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(video[i].stream_id, ts::kVideoStreamId);
    EXPECT_EQ(video[i].pts, (1000u + 40 * i) * 90);
    EXPECT_FALSE(video[i].dts) << "cts 0: PTS alone";
  }
  // One PCR per video PES, equal to its DTS.
  ASSERT_EQ(d.pcrs.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(d.pcrs[i].pid, ts::kVideoPid);
    EXPECT_EQ(d.pcrs[i].base, (1000u + 40 * i) * 90);
  }
}

TEST(TsMuxer, CompositionTimeGivesPtsAfterDts) {
  auto s = h264_sample();
  ts::Muxer m;
  Bytes out;
  m.write_tables(out);
  ASSERT_TRUE(m.write_video(0, s.sequence_header, out));
  Bytes frame = s.frames[0];
  frame[4] = 80;  // cts 80 ms
  ASSERT_TRUE(m.write_video(500, frame, out));
  auto video = demux(out).of(ts::kVideoPid);
  ASSERT_EQ(video.size(), 1u);
  EXPECT_EQ(video[0].dts, 500u * 90);
  EXPECT_EQ(video[0].pts, 580u * 90);
}

TEST(TsMuxer, AacFramesComeBackAsAdtsMergedIntoFewPes) {
  ts::Muxer m;
  Bytes out = mux_av(m);
  auto audio = demux(out).of(ts::kAacPid);
  auto sample = aac_sample();
  ASSERT_GT(sample.raw.size(), 3u);
  EXPECT_LT(audio.size(), sample.raw.size()) << "frames were merged";
  std::vector<Bytes> raw;
  for (const auto& pes : audio) {
    EXPECT_EQ(pes.stream_id, ts::kAudioStreamId);
    aac::AdtsReader reader(pes.data);
    while (true) {
      auto f = reader.next();
      ASSERT_TRUE(f) << f.error().message();
      if (!*f) break;
      EXPECT_EQ((*f)->header.sample_rate(), 44100u);
      raw.emplace_back((*f)->payload.begin(), (*f)->payload.end());
    }
  }
  EXPECT_EQ(raw, sample.raw);
}

TEST(TsMuxer, AudioPesSpansAtMostTheMergeTime) {
  auto s = aac_sample();
  ts::Muxer m({.video = ts::VideoCodec::h264, .audio = ts::AudioCodec::aac, .audio_merge_ms = 50});
  Bytes out;
  m.write_tables(out);
  ASSERT_TRUE(m.write_audio(0, s.sequence_header, out));
  for (size_t i = 0; i < 9; ++i) ASSERT_TRUE(m.write_audio(20 * i, s.frames[i % 4], out));
  EXPECT_TRUE(m.has_pending_audio());
  m.flush_audio(out);
  EXPECT_FALSE(m.has_pending_audio());
  auto audio = demux(out).of(ts::kAacPid);
  // Frames at 0 20 40 | 60 80 100 | 120 140 160: a PES closes when a frame is 50 ms past
  // its first; each PES carries the PTS of its first frame.
  ASSERT_EQ(audio.size(), 3u);
  EXPECT_EQ(audio[0].pts, 0u);
  EXPECT_EQ(audio[1].pts, 60u * 90);
  EXPECT_EQ(audio[2].pts, 120u * 90);
}

TEST(TsMuxer, AudioOnlyPutsPcrAndRandomAccessOnTheAudioPid) {
  auto s = aac_sample();
  ts::Muxer m({.video = ts::VideoCodec::none, .audio = ts::AudioCodec::aac, .audio_merge_ms = 720});
  Bytes out;
  m.write_tables(out);
  ASSERT_TRUE(m.write_audio(0, s.sequence_header, out));
  for (size_t i = 0; i < s.frames.size(); ++i) ASSERT_TRUE(m.write_audio(23 * i, s.frames[i], out));
  m.flush_audio(out);
  auto d = demux(out);
  EXPECT_EQ(d.program.streams,
            (std::vector<ts::ProgramStream>{{ts::StreamType::aac_adts, ts::kAacPid}}));
  EXPECT_EQ(d.program.pcr_pid, ts::kAacPid);
  auto audio = d.of(ts::kAacPid);
  ASSERT_FALSE(audio.empty());
  ASSERT_EQ(d.pcrs.size(), audio.size());
  for (size_t i = 0; i < audio.size(); ++i) {
    EXPECT_TRUE(audio[i].random_access);
    EXPECT_EQ(d.pcrs[i].base, *audio[i].pts);
  }
}

TEST(TsMuxer, Mp3GoesOnItsPidWithTheTypeOfItsMpegVersion) {
  for (auto [file, type] : {std::pair{"mp3_44100_stereo.mp3", ts::StreamType::mpeg1_audio},
                            std::pair{"mp3_22050_mono.mp3", ts::StreamType::mpeg2_audio}}) {
    Bytes mp3 = test::read_data_file(file);
    auto first = mp3::find_first_frame(mp3);
    ASSERT_TRUE(first);
    ts::Muxer m({.video = ts::VideoCodec::none, .audio = ts::AudioCodec::mp3});
    Bytes out;
    m.write_tables(out);
    Bytes body(mp3.begin() + static_cast<long>(*first), mp3.end());
    ASSERT_TRUE(m.write_audio(0, test::mp3_payload(body), out));
    m.flush_audio(out);
    auto d = demux(out);
    EXPECT_EQ(d.program.streams, (std::vector<ts::ProgramStream>{{type, ts::kMp3Pid}})) << file;
    auto audio = d.of(ts::kMp3Pid);
    ASSERT_EQ(audio.size(), 1u);
    EXPECT_EQ(audio[0].data, body);
  }
}

TEST(TsMuxer, AudioCodecChangeRewritesTheTablesWithANewVersion) {
  auto s = aac_sample();
  ts::Muxer m;
  Bytes out;
  m.write_tables(out);
  ASSERT_TRUE(m.write_audio(0, s.sequence_header, out));
  ASSERT_TRUE(m.write_audio(0, s.frames[0], out));
  Bytes mp3 = test::read_data_file("mp3_44100_stereo.mp3");
  auto first = mp3::find_first_frame(mp3);
  ASSERT_TRUE(m.write_audio(30, test::mp3_payload(ByteSpan(mp3).subspan(*first)), out));
  m.flush_audio(out);
  auto d = demux(out);
  EXPECT_EQ(d.program.pat_count, 2u);
  EXPECT_EQ(d.program.pmt_count, 2u);
  EXPECT_EQ(d.program.pmt_version, 1);
  EXPECT_EQ(d.program.streams,
            (std::vector<ts::ProgramStream>{{ts::StreamType::h264, ts::kVideoPid},
                                            {ts::StreamType::mpeg1_audio, ts::kMp3Pid}}));
  EXPECT_EQ(d.of(ts::kAacPid).size(), 1u) << "AAC merged before the change was flushed first";
  EXPECT_EQ(d.of(ts::kMp3Pid).size(), 1u);
}

TEST(TsMuxer, SkipsWhatHlsDoesNotCarryAndFramesBeforeTheirConfig) {
  auto s = h264_sample();
  auto a = aac_sample();
  ts::Muxer m;
  Bytes out;
  ASSERT_TRUE(m.write_video(0, s.frames[0], out));  // no sequence header yet
  ASSERT_TRUE(m.write_audio(0, a.frames[0], out));
  Bytes hevc = s.frames[0];
  hevc[0] = 0x1c;
  ASSERT_TRUE(m.write_video(0, hevc, out));
  ASSERT_TRUE(m.write_audio(0, Bytes{0xb2, 1, 2, 3}, out));  // Speex
  m.flush_audio(out);
  EXPECT_TRUE(out.empty());
}

TEST(TsMuxer, ReportsBrokenSequenceHeadersAndFrames) {
  auto s = h264_sample();
  ts::Muxer m;
  Bytes out;
  auto bad_avc = m.write_video(0, Bytes{0x17, 0, 0, 0, 0, 1, 0x64}, out);
  ASSERT_FALSE(bad_avc);
  EXPECT_EQ(bad_avc.error().code, avc_errc::truncated);
  auto bad_aac = m.write_audio(0, Bytes{0xaf, 0}, out);
  ASSERT_FALSE(bad_aac);
  EXPECT_EQ(bad_aac.error().code.category(), aac_category());
  ASSERT_TRUE(m.write_video(0, s.sequence_header, out));
  Bytes lying = s.frames[1];
  lying[5] = 0x7f;  // the first NALU length runs past the frame
  auto bad_frame = m.write_video(40, lying, out);
  ASSERT_FALSE(bad_frame);
  EXPECT_EQ(bad_frame.error().code, avc_errc::invalid_nalu_length);
}

TEST(TsMuxer, ContinuityHoldsAcrossSegmentsAndRepublish) {
  ts::Muxer m;
  Bytes seg1 = mux_av(m, 0);
  Bytes seg2 = mux_av(m, 200);
  Bytes seg3 = mux_av(m, 0);  // republish: sequence headers again, time restarts
  for (const Bytes* seg : {&seg1, &seg2, &seg3}) demux(*seg);  // each file plays alone
  Bytes all = seg1;
  all.insert(all.end(), seg2.begin(), seg2.end());
  all.insert(all.end(), seg3.begin(), seg3.end());
  auto d = demux(all);  // strict: any counter jump between files fails
  EXPECT_EQ(d.stats.cc_errors, 0u);
  EXPECT_EQ(d.program.pat_count, 3u);
  EXPECT_EQ(d.of(ts::kVideoPid).size(), 9u);
}

// Runs ffprobe on a file when it is installed: codec names, one per line.
std::string ffprobe_streams(const std::string& path) {
  std::string cmd = "ffprobe -v error -show_entries stream=codec_name -of csv=p=0 " + path;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {};
  std::string text;
  char buf[256];
  while (size_t n = fread(buf, 1, sizeof buf, p)) text.append(buf, n);
  pclose(p);
  return text;
}

TEST(TsMuxer, TinyFlvMuxesToATransportStreamFfprobeReads) {
  size_t flv_bytes = 0;
  auto messages = test::tiny_flv_messages(&flv_bytes);
  ts::Muxer m;
  Bytes out;
  m.write_tables(out);
  size_t frames = 0;
  for (const auto& msg : messages) {
    ASSERT_TRUE(m.write(*msg, out));
    if (msg->is_avc() && msg->payload()[1] == 1) ++frames;  // not headers, not end of seq
  }
  m.flush_audio(out);
  auto d = demux(out);
  EXPECT_EQ(d.of(ts::kVideoPid).size(), frames);
  EXPECT_GT(d.of(ts::kAacPid).size(), 0u);

  if (std::system("ffprobe -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ffprobe";
  std::string path = testing::TempDir() + "srs_ts_mux_tiny.ts";
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  // The program section repeats the stream list; the stream section is what counts.
  std::string streams = ffprobe_streams(path);
  EXPECT_NE(streams.find("h264\naac\n"), std::string::npos) << streams;
  std::remove(path.c_str());
}

}  // namespace
}  // namespace srs
