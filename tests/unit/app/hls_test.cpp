// HLS segmenting and playlists (hls-dvr.md §2.2-2.4) driven through the SourceBridge, on a
// file system in memory and a hand-driven clock: where segments are cut, which are kept,
// the window and cleanup, target duration, discontinuities and numbering across
// republish, file names and URIs, and the bytes of the segments themselves.
#include "app/hls.hpp"

#include <gtest/gtest.h>

#include "unit/app/hls_fixtures.hpp"

namespace srs {
namespace {

using test::Frames;
using test::MemoryFileWriter;

struct HlsTest : ::testing::Test {
  ManualClock clock{1'000'000};
  MemoryFileWriter disk;
  Frames frames;
  HlsOptions options = test::test_options();
  std::vector<HlsSegmentInfo> closed;

  std::unique_ptr<Hls> make() {
    HlsEvents events;
    events.on_segment = [this](const HlsSegmentInfo& i) { closed.push_back(i); };
    return std::make_unique<Hls>(test::live_request(), options, clock, disk, events);
  }
  std::vector<double> durations(const Hls& h) const {
    std::vector<double> d;
    for (const auto& s : h.segmenter().segments()) d.push_back(s.duration);
    return d;
  }
  std::string m3u8() const { return disk.text("/hls/live/livestream.m3u8"); }
};

TEST_F(HlsTest, CutsAtTheFirstKeyframeAfterTheFragment) {
  auto hls = make();
  hls->on_publish();
  EXPECT_TRUE(disk.has("/hls/live/livestream-0.ts.tmp"));
  EXPECT_FALSE(disk.has("/hls/live/livestream.m3u8")) << "no playlist before a segment";
  frames.publish(*hls, 0, 5000, 1000);
  EXPECT_EQ(durations(*hls), (std::vector<double>{2.0, 2.0}));
  hls->on_unpublish();
  EXPECT_EQ(m3u8(),
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-ALLOW-CACHE:YES\n#EXT-X-MEDIA-SEQUENCE:0\n"
            "#EXT-X-TARGETDURATION:3\n"
            "#EXT-X-DISCONTINUITY\n#EXTINF:2.000, no desc\nlivestream-0.ts\n"
            "#EXTINF:2.000, no desc\nlivestream-1.ts\n"
            "#EXTINF:0.950, no desc\nlivestream-2.ts\n");
  EXPECT_EQ(disk.names(),
            (std::vector<std::string>{"/hls/live/livestream-0.ts", "/hls/live/livestream-1.ts",
                                      "/hls/live/livestream-2.ts", "/hls/live/livestream.m3u8"}));
}

TEST_F(HlsTest, SegmentsStartWithTablesAndTheKeyframeAndContinueEachOther) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 5000, 1000);
  hls->on_unpublish();
  Bytes all;
  for (int i = 0; i < 3; ++i) {
    const Bytes& seg = disk.files.at("/hls/live/livestream-" + std::to_string(i) + ".ts");
    ASSERT_EQ(seg.size() % ts::kPacketSize, 0u);
    EXPECT_EQ(seg[1] & 0x1f, 0) << "PAT first";
    auto d = test::demux(seg);
    ASSERT_FALSE(d.pes.empty());
    EXPECT_EQ(d.pes[0].pid, ts::kVideoPid) << "the cut frame first, then its pending audio";
    EXPECT_TRUE(d.pes[0].random_access);
    EXPECT_EQ(*d.pes[0].pts, static_cast<uint64_t>(i) * 2000 * 90);
    all.insert(all.end(), seg.begin(), seg.end());
  }
  auto d = test::demux(all);  // strict: counters continue from file to file
  EXPECT_EQ(d.of(ts::kVideoPid).size(), 50u);
}

TEST_F(HlsTest, ReportsEachKeptSegment) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 4500, 1000);
  ASSERT_EQ(closed.size(), 2u);
  const HlsSegmentInfo& i = closed[1];
  EXPECT_EQ(i.file, "/hls/live/livestream-1.ts");
  EXPECT_EQ(i.uri, "livestream-1.ts");
  EXPECT_EQ(i.url, "live/livestream-1.ts");
  EXPECT_EQ(i.m3u8, "/hls/live/livestream.m3u8");
  EXPECT_EQ(i.m3u8_url, "live/livestream.m3u8");
  EXPECT_DOUBLE_EQ(i.duration, 2.0);
  EXPECT_EQ(i.seq_no, 1);
  EXPECT_TRUE(disk.has(i.file)) << "reported after the rename";
}

TEST_F(HlsTest, WaitsForAKeyframeUnlessToldNot) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 7000, 3000);
  EXPECT_EQ(durations(*hls), (std::vector<double>{3.0, 3.0}));

  options.wait_keyframe = false;
  closed.clear();
  auto any = make();
  any->on_publish();
  frames.publish(*any, 0, 7000, 3000);
  EXPECT_EQ(durations(*any), (std::vector<double>{2.0, 2.0, 2.0}));
}

TEST_F(HlsTest, AnAudioFrameCutsAGopLongerThanAofRatioTimesFragment) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 9000, 10000);
  EXPECT_EQ(durations(*hls), (std::vector<double>{4.0, 4.0}));
}

TEST_F(HlsTest, PureAudioIsCutByAofAndAnnouncedAlone) {
  options.vcodec = ts::VideoCodec::none;
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 9000, 1000, true, false, true);
  EXPECT_EQ(durations(*hls), (std::vector<double>{4.0, 4.0}));
  auto d = test::demux(disk.files.at("/hls/live/livestream-0.ts"));
  EXPECT_EQ(d.program.streams,
            (std::vector<ts::ProgramStream>{{ts::StreamType::aac_adts, ts::kAacPid}}));
  EXPECT_EQ(d.program.pcr_pid, ts::kAacPid);
  // 4 s of audio in PES of up to 0.72 s: a handful, not one per frame.
  EXPECT_LE(d.of(ts::kAacPid).size(), 6u);
}

TEST_F(HlsTest, ATooShortSegmentIsDroppedAndGivesItsNumberBack) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 100, 1000);  // 0.05 s
  hls->on_unpublish();
  EXPECT_TRUE(disk.files.empty()) << "the .tmp is deleted, no playlist";
  EXPECT_EQ(hls->segmenter().next_seq(), 0);
  hls->on_publish();
  EXPECT_TRUE(disk.has("/hls/live/livestream-0.ts.tmp"));
}

TEST_F(HlsTest, ASegmentLongerThanTwiceTheTargetIsDropped) {
  options.aof_ratio = 100;  // only keyframes cut
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 8100, 8000);  // 8 s > 2 * int(2 * 1.5)
  EXPECT_TRUE(closed.empty());
  EXPECT_FALSE(disk.has("/hls/live/livestream-0.ts"));
  EXPECT_TRUE(disk.has("/hls/live/livestream-0.ts.tmp")) << "number 0 reused by the next";
}

TEST_F(HlsTest, WindowTrimsTheOldestAndCleanupDeletesThem) {
  options.window = 5;
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 10100, 1000);
  ASSERT_EQ(hls->segmenter().segments().size(), 3u);
  EXPECT_EQ(hls->segmenter().segments().front().seq, 2);
  EXPECT_NE(m3u8().find("#EXT-X-MEDIA-SEQUENCE:2\n"), std::string::npos);
  EXPECT_FALSE(disk.has("/hls/live/livestream-0.ts"));
  EXPECT_FALSE(disk.has("/hls/live/livestream-1.ts"));
  EXPECT_TRUE(disk.has("/hls/live/livestream-2.ts"));
}

TEST_F(HlsTest, WithoutCleanupTrimmedFilesStay) {
  options.window = 5;
  options.cleanup = false;
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 10100, 1000);
  EXPECT_EQ(hls->segmenter().segments().size(), 3u);
  EXPECT_TRUE(disk.has("/hls/live/livestream-0.ts"));
}

TEST_F(HlsTest, TargetDurationCoversTheLongestSegment) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 3600, 3500);
  ASSERT_EQ(durations(*hls), (std::vector<double>{3.5}));
  EXPECT_NE(m3u8().find("#EXT-X-TARGETDURATION:4\n"), std::string::npos);
}

TEST_F(HlsTest, RepublishContinuesNumbersAfterADiscontinuity) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 4050, 1000);
  hls->on_unpublish();
  hls->on_publish();
  frames.publish(*hls, 0, 2050, 1000);  // the encoder's clock restarts at 0
  hls->on_unpublish();
  const auto& segs = hls->segmenter().segments();
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(segs[2].seq, 2);
  EXPECT_TRUE(segs[0].discontinuity);
  EXPECT_FALSE(segs[1].discontinuity);
  EXPECT_TRUE(segs[2].discontinuity);
  EXPECT_DOUBLE_EQ(segs[2].duration, 2.0) << "the jump back restarted the segment clock";
  Bytes all;
  for (int i = 0; i < 3; ++i) {
    const Bytes& f = disk.files.at("/hls/live/livestream-" + std::to_string(i) + ".ts");
    all.insert(all.end(), f.begin(), f.end());
  }
  test::demux(all);  // counters continue across the republish too
}

TEST_F(HlsTest, NamesExpandTimeVariablesWhenTheFileOpens) {
  options.ts_file = "[app]/[stream]/[2006][01][02]/[timestamp]-[seq].ts";
  options.utc_time = true;
  ManualClock wall(1420253868776);
  HlsEvents events;
  Hls hls(test::live_request(), options, wall, disk, events);
  hls.on_publish();
  EXPECT_TRUE(disk.has("/hls/live/livestream/20150103/1420253868776-0.ts.tmp"));
  frames.publish(hls, 0, 2100, 1000);
  EXPECT_EQ(hls.segmenter().segments().at(0).uri, "livestream/20150103/1420253868776-0.ts");
  EXPECT_TRUE(disk.dirs.count("/hls/live/livestream/20150103"));
}

TEST_F(HlsTest, TsFloorNamesPiecesAndStretchesSegmentsToTheClock) {
  options.ts_floor = true;
  options.ts_file = "[app]/[stream]-[timestamp].ts";
  auto hls = make();  // wall 1000000 ms: piece 500 of 2 s
  hls->on_publish();
  frames.publish(*hls, 0, 6100, 100);  // every frame a keyframe
  // Pieces 499 (deviation -1: 2 - 0.6 s), 500 (0: 2 s), 501 (+1: 2 + 0.6 s).
  EXPECT_EQ(durations(*hls), (std::vector<double>{1.4, 2.0, 2.6}));
  EXPECT_TRUE(disk.has("/hls/live/livestream-499.ts"));
  EXPECT_TRUE(disk.has("/hls/live/livestream-501.ts"));
}

TEST_F(HlsTest, EntryPrefixMakesAbsoluteUris) {
  options.entry_prefix = "http://cdn.com";
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 2100, 1000);
  EXPECT_NE(m3u8().find("\nhttp://cdn.com/live/livestream-0.ts\n"), std::string::npos);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].url, "http://cdn.com/live/livestream-0.ts");
}

TEST_F(HlsTest, PlaylistIsReplacedAtomically) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 2100, 1000);
  auto w = std::find(disk.ops.begin(), disk.ops.end(), "write_file /hls/live/livestream.m3u8.temp");
  ASSERT_NE(w, disk.ops.end());
  EXPECT_EQ(*(w + 1), "rename /hls/live/livestream.m3u8.temp -> /hls/live/livestream.m3u8");
  EXPECT_FALSE(disk.has("/hls/live/livestream.m3u8.temp"));
  auto r = std::find(disk.ops.begin(), disk.ops.end(),
                     "rename /hls/live/livestream-0.ts.tmp -> /hls/live/livestream-0.ts");
  EXPECT_LT(r, w) << "the segment exists before the playlist names it";
}

TEST_F(HlsTest, DisabledWritesNothing) {
  options.enabled = false;
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 5000, 1000);
  hls->on_unpublish();
  EXPECT_FALSE(hls->active());
  EXPECT_TRUE(disk.files.empty());
}

}  // namespace
}  // namespace srs
