// The server's HLS wiring: one Hls per stream that outlives reaped sources, attach before
// publish, reload restarting live HLS, hls_on_error disconnect reaching the publisher,
// hls_dispose from the tick and the open segment closed on graceful quit.
#include "app/hls_service.hpp"

#include <gtest/gtest.h>

#include "app/server.hpp"
#include "unit/app/hls_fixtures.hpp"

namespace srs {
namespace {

using test::Frames;
using test::MemoryFileWriter;

constexpr const char* kM3u8 = "/hls/live/livestream.m3u8";
constexpr ContextId kPublisher = 42;

Config::Ptr config_of(const std::string& hls) {
  auto c = Config::parse(
      "daemon off; srs_log_tank console; srs_log_level error;\n"
      "vhost __defaultVhost__ { hls { enabled on; hls_path /hls; " +
      hls + " } }\n");
  EXPECT_TRUE(c) << (c ? "" : c.error().message());
  return *c;
}

// Feeds a Source the way a publisher does, so Frames can drive it.
struct SourceFeed final : SourceBridge {
  explicit SourceFeed(Source& s) : source(s) {}
  void on_publish() override {}
  void on_unpublish() override {}
  void on_message(const SharedMessagePtr& m) override {
    if (m->is_video()) source.on_video(m);
    if (m->is_audio()) source.on_audio(m);
  }
  Source& source;
};

struct HlsServiceTest : ::testing::Test {
  asio::io_context io;
  Server server{io, config_of("hls_fragment 2; hls_window 60;"), ServerOptions{{}, false}};
  ManualClock clock{1'000'000};
  std::vector<MemoryFileWriter*> disks;
  std::vector<ContextId> kicked;
  HlsService service{server, [this](ContextId id) { kicked.push_back(id); }, clock,
                     [this] {
                       auto d = std::make_unique<MemoryFileWriter>();
                       disks.push_back(d.get());
                       return d;
                     }};
  Frames frames;
  StreamRequest request = test::live_request();

  std::shared_ptr<Source> new_source() {
    return std::make_shared<Source>(request.stream_url(), SourceOptions{}, request.vhost);
  }
  void publish(const std::shared_ptr<Source>& s, int64_t from, int64_t to, bool headers = true) {
    service.attach(s, request);
    ASSERT_TRUE(s->acquire_publish(kPublisher));
    feed(s, from, to, headers);
  }
  void feed(const std::shared_ptr<Source>& s, int64_t from, int64_t to, bool headers = false) {
    SourceFeed f(*s);
    frames.publish(f, from, to, 1000, headers);
  }
  const HlsSegmenter& segmenter() const { return service.find("/live/livestream")->segmenter(); }
  std::vector<int64_t> seqs() const {
    std::vector<int64_t> out;
    for (const auto& s : segmenter().segments()) out.push_back(s.seq);
    return out;
  }
  std::string m3u8() const { return disks.at(0)->text(kM3u8); }
};

TEST_F(HlsServiceTest, OneHlsPerStreamContinuesOnANewSourceAfterTheOldWasReaped) {
  auto first = new_source();
  publish(first, 0, 5000);
  first->release_publish();
  first.reset();  // reaped while nobody published
  auto second = new_source();
  publish(second, 5000, 10000);
  second->release_publish();
  EXPECT_EQ(service.size(), 1u);
  EXPECT_EQ(disks.size(), 1u);
  EXPECT_EQ(seqs(), (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
  const std::string text = m3u8();
  size_t discontinuities = 0;
  for (size_t p = 0; (p = text.find("#EXT-X-DISCONTINUITY", p)) != std::string::npos; ++p) {
    ++discontinuities;
  }
  EXPECT_EQ(discontinuities, 2u) << text;
}

TEST_F(HlsServiceTest, AttachingTwiceFeedsTheMuxerOnce) {
  auto source = new_source();
  service.attach(source, request);
  publish(source, 0, 5000);
  source->release_publish();
  EXPECT_EQ(seqs(), (std::vector<int64_t>{0, 1, 2}));
  EXPECT_NE(m3u8().find("#EXTINF:2.000"), std::string::npos) << m3u8();
}

TEST_F(HlsServiceTest, ReloadRestartsLiveHlsWithTheCachedHeadersAndNewOptions) {
  auto source = new_source();
  publish(source, 0, 5000);
  server.reload_hub().notify({ConfigChange{ChangeKind::hls, "__defaultVhost__", ""}},
                             *config_of("hls_fragment 4; hls_window 60;"));
  EXPECT_TRUE(source->publishing());
  EXPECT_TRUE(kicked.empty());
  // No new headers from the publisher: the restarted muxer got the cached ones, stamped
  // with the stream's time (the new segment starts at the last frame seen, 4950 ms).
  feed(source, 5000, 14000);
  source->release_publish();
  std::vector<double> durations;
  for (const auto& s : segmenter().segments()) durations.push_back(s.duration);
  EXPECT_EQ(durations, (std::vector<double>{2.0, 2.0, 0.95, 4.05, 4.0, 0.95}));
  EXPECT_NE(m3u8().find("#EXT-X-DISCONTINUITY\n#EXTINF:4.050"), std::string::npos) << m3u8();
}

TEST_F(HlsServiceTest, ReloadOfAnotherVhostLeavesTheStreamAlone) {
  auto source = new_source();
  publish(source, 0, 3000);
  server.reload_hub().notify({ConfigChange{ChangeKind::hls, "other.com", ""}},
                             *config_of("hls_fragment 4;"));
  feed(source, 3000, 5000);
  source->release_publish();
  EXPECT_EQ(seqs(), (std::vector<int64_t>{0, 1, 2}));
}

TEST_F(HlsServiceTest, DisconnectPolicyKicksThePublisher) {
  auto source = new_source();
  service.attach(source, request);
  server.reload_hub().notify({ConfigChange{ChangeKind::hls, "__defaultVhost__", ""}},
                             *config_of("hls_on_error disconnect;"));
  disks.at(0)->fail_open = true;
  ASSERT_TRUE(source->acquire_publish(kPublisher));
  EXPECT_EQ(kicked, (std::vector<ContextId>{kPublisher}));
}

TEST_F(HlsServiceTest, TimerDisposesFilesOfAStoppedStream) {
  auto source = new_source();
  service.attach(source, request);
  server.reload_hub().notify({ConfigChange{ChangeKind::hls, "__defaultVhost__", ""}},
                             *config_of("hls_fragment 2; hls_dispose 3;"));
  publish(source, 0, 5000);
  source->release_publish();
  ASSERT_TRUE(disks.at(0)->has(kM3u8));
  clock.advance(2000);
  service.on_timer();
  EXPECT_TRUE(disks.at(0)->has(kM3u8)) << "disposed before hls_dispose seconds";
  clock.advance(1500);
  service.on_timer();
  EXPECT_TRUE(disks.at(0)->names().empty());
}

TEST_F(HlsServiceTest, ShutdownClosesTheOpenSegment) {
  auto source = new_source();
  publish(source, 0, 3000);
  service.on_shutdown();
  EXPECT_EQ(seqs(), (std::vector<int64_t>{0, 1}));
  EXPECT_TRUE(disks.at(0)->has("/hls/live/livestream-1.ts"));
}

}  // namespace
}  // namespace srs
