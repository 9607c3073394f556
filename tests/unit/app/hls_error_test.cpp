// HLS when things go wrong or stop (hls-dvr.md §2.6): hls_on_error with a failing disk and
// with undecodable packets, hls_dispose, graceful quit, and the real disk writer.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "app/hls.hpp"
#include "unit/app/hls_fixtures.hpp"

namespace srs {
namespace {

using test::Frames;
using test::MemoryFileWriter;

struct HlsErrorTest : ::testing::Test {
  ManualClock clock{1'000'000};
  MemoryFileWriter disk;
  Frames frames;
  HlsOptions options = test::test_options();
  std::vector<Error> disconnects;

  std::unique_ptr<Hls> make() {
    HlsEvents events;
    events.on_disconnect = [this](const Error& e) { disconnects.push_back(e); };
    return std::make_unique<Hls>(test::live_request(), options, clock, disk, events);
  }
};

TEST_F(HlsErrorTest, AFullDiskLosesSegmentsButNotThePublisher) {
  auto hls = make();  // hls_on_error continue, the default
  disk.fail_open = true;
  hls->on_publish();
  frames.publish(*hls, 0, 4050, 1000);
  EXPECT_TRUE(hls->active());
  EXPECT_TRUE(disconnects.empty());
  EXPECT_TRUE(hls->segmenter().segments().empty());
  EXPECT_EQ(hls->segmenter().next_seq(), 1) << "lost segments give their numbers back";

  disk.fail_open = false;  // space again: the segment open at the next cut is written
  frames.publish(*hls, 4050, 10050, 1000, false);
  const auto& segs = hls->segmenter().segments();
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].seq, 0);
  EXPECT_TRUE(segs[0].discontinuity) << "after a gap";
  EXPECT_TRUE(disk.has("/hls/live/livestream-0.ts"));
  test::demux(disk.files.at("/hls/live/livestream-0.ts"));
}

TEST_F(HlsErrorTest, AFailedWriteDropsThatSegmentOnly) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 2100, 1000);
  disk.fail_write = true;
  frames.publish(*hls, 2100, 4100, 1000, false);  // segment 1 cannot be written at its cut
  disk.fail_write = false;
  frames.publish(*hls, 4100, 6100, 1000, false);
  const auto& segs = hls->segmenter().segments();
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[1].seq, 1);
  EXPECT_DOUBLE_EQ(segs[1].duration, 2.0);
  EXPECT_FALSE(disk.has("/hls/live/livestream-1.ts.tmp"));
  EXPECT_TRUE(disconnects.empty());
}

TEST_F(HlsErrorTest, APlaylistWriteFailureIsRecoveredByTheNextOne) {
  auto hls = make();
  hls->on_publish();
  disk.fail_write_file = true;
  frames.publish(*hls, 0, 2050, 1000);
  EXPECT_FALSE(disk.has("/hls/live/livestream.m3u8"));
  disk.fail_write_file = false;
  frames.publish(*hls, 2050, 4050, 1000, false);
  EXPECT_NE(disk.text("/hls/live/livestream.m3u8").find("livestream-0.ts"), std::string::npos);
  EXPECT_TRUE(hls->active());
}

TEST_F(HlsErrorTest, IgnoreStopsHlsForThisPublishOnly) {
  options.on_error = HlsOnError::ignore;
  auto hls = make();
  disk.fail_open = true;
  hls->on_publish();
  EXPECT_FALSE(hls->active());
  disk.fail_open = false;
  frames.publish(*hls, 0, 4050, 1000);
  EXPECT_TRUE(disk.files.empty());
  EXPECT_TRUE(disconnects.empty());
  hls->on_unpublish();
  hls->on_publish();  // a new publish tries again
  EXPECT_TRUE(hls->active());
  EXPECT_TRUE(disk.has("/hls/live/livestream-0.ts.tmp"));
}

TEST_F(HlsErrorTest, DisconnectAsksForThePublisherToGo) {
  options.on_error = HlsOnError::disconnect;
  auto hls = make();
  disk.fail_open = true;
  hls->on_publish();
  ASSERT_EQ(disconnects.size(), 1u);
  EXPECT_EQ(disconnects[0].code, std::errc::no_space_on_device);
  EXPECT_FALSE(hls->active());
  frames.publish(*hls, 0, 2050, 1000);
  EXPECT_EQ(disconnects.size(), 1u);
}

// A video frame whose first NAL unit length runs past its end, of a chosen size.
SharedMessagePtr broken_video(int64_t ms, size_t size) {
  Bytes p(size, 0);
  p[0] = 0x27;
  p[1] = 1;
  p[5] = 0x7f;
  return SharedMessage::make(MessageType::video, ms, 1, std::move(p));
}

TEST_F(HlsErrorTest, ContinueSkipsABadPacketShapedLikeTheSequenceHeader) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 1000, 1000);
  const size_t sh_size = frames.video_sh(0)->size();
  hls->on_message(broken_video(1000, sh_size));
  EXPECT_TRUE(hls->active());
  EXPECT_TRUE(disconnects.empty());
  hls->on_message(broken_video(1100, sh_size + 1));
  EXPECT_FALSE(hls->active());
  ASSERT_EQ(disconnects.size(), 1u);
  EXPECT_EQ(disconnects[0].code, avc_errc::invalid_nalu_length);
}

TEST_F(HlsErrorTest, DisposeDeletesEverythingAfterTheStreamIsIdleThatLong) {
  options.dispose = 30;
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 4050, 1000);
  hls->on_unpublish();
  ASSERT_FALSE(disk.files.empty());
  clock.advance(29'000);
  hls->on_timer();
  EXPECT_FALSE(hls->disposed());
  EXPECT_TRUE(disk.has("/hls/live/livestream.m3u8"));
  clock.advance(1'000);
  hls->on_timer();
  EXPECT_TRUE(hls->disposed());
  EXPECT_TRUE(disk.files.empty());
  const size_t ops = disk.ops.size();
  clock.advance(60'000);
  hls->on_timer();
  EXPECT_EQ(disk.ops.size(), ops) << "once per publish";

  hls->on_publish();  // numbers go on, the playlist starts afresh
  frames.publish(*hls, 0, 2050, 1000);
  ASSERT_EQ(hls->segmenter().segments().size(), 1u);
  EXPECT_EQ(hls->segmenter().segments()[0].seq, 2);
}

TEST_F(HlsErrorTest, DisposeWhilePublishedButIdleReopensOnMedia) {
  options.dispose = 10;
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 2050, 1000);
  clock.advance(10'000);
  hls->on_timer();
  EXPECT_TRUE(disk.files.empty());
  frames.publish(*hls, 2050, 5050, 1000, false);  // 2.05 .. 5.0: one segment
  EXPECT_EQ(hls->segmenter().segments().size(), 1u);
}

TEST_F(HlsErrorTest, NoDisposeWithoutTheDirective) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 2050, 1000);
  hls->on_unpublish();
  clock.advance(3'600'000);
  hls->on_timer();
  EXPECT_TRUE(disk.has("/hls/live/livestream.m3u8"));
}

TEST_F(HlsErrorTest, QuitClosesTheOpenSegmentAndDisposesOnlyWhenConfigured) {
  auto hls = make();
  hls->on_publish();
  frames.publish(*hls, 0, 1500, 1000);
  hls->on_shutdown();
  EXPECT_TRUE(disk.has("/hls/live/livestream-0.ts"));
  EXPECT_FALSE(disk.has("/hls/live/livestream-0.ts.tmp"));

  options.dispose = 5;
  MemoryFileWriter other;
  Hls disposing(test::live_request(), options, clock, other, {});
  disposing.on_publish();
  frames.publish(disposing, 0, 1500, 1000);
  disposing.on_shutdown();
  EXPECT_TRUE(other.files.empty());
}

TEST(HlsDisk, WritesPlayableFilesWithTheSpecModes) {
  char tmpl[] = "/tmp/srs_hls_test_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string root = tmpl;
  HlsOptions o = test::test_options();
  o.path = root + "/html";
  o.fragment = 0.4;
  o.wait_keyframe = false;  // tiny.flv has a single keyframe
  ManualClock clock;
  DiskFileWriter disk;
  Hls hls(test::live_request(), o, clock, disk, {});
  hls.on_publish();
  for (const auto& m : test::tiny_flv_messages()) hls.on_message(m);
  hls.on_unpublish();

  const std::string m3u8 = root + "/html/live/livestream.m3u8";
  std::ifstream in(m3u8);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("livestream-0.ts\n"), std::string::npos) << text;
  ASSERT_GE(hls.segmenter().segments().size(), 2u);
  const mode_t mask = umask(0);
  umask(mask);
  for (const auto& s : hls.segmenter().segments()) {
    struct stat st;
    ASSERT_EQ(stat(s.file.c_str(), &st), 0) << s.file;
    EXPECT_EQ(st.st_mode & 0777, 0664 & ~mask);
    std::ifstream f(s.file, std::ios::binary);
    Bytes b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    test::demux(b);
  }
  struct stat dir;
  ASSERT_EQ(stat((root + "/html/live").c_str(), &dir), 0);
  EXPECT_EQ(dir.st_mode & 0777, 0775 & ~mask);
  std::system(("rm -rf " + root).c_str());
}

}  // namespace
}  // namespace srs
