// The load generator's lean parsers: RTMP chunks, FLV tags, HTTP responses. They must report
// exactly what a full parser would (type, timestamp, size, first bytes) however the input
// is cut, and fail cleanly on garbage.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "kernel/flv.hpp"
#include "protocol/rtmp/chunk_writer.hpp"
#include "srs_bench/latency.hpp"
#include "srs_bench/publisher.hpp"
#include "srs_bench/skim.hpp"
#include "srs_bench/stats.hpp"

namespace srs::bench {
namespace {

struct Seen {
  MessageType type;
  uint32_t timestamp;
  uint32_t size;
  uint8_t b0, b1;
};

Bytes payload(size_t n, uint8_t b0, uint8_t b1) {
  Bytes p(n, 0xAB);
  if (n > 0) p[0] = b0;
  if (n > 1) p[1] = b1;
  return p;
}

// Feeds `bytes` in pieces of `piece` bytes.
template <class Skimmer>
Result<> feed_in_pieces(Skimmer& s, const Bytes& bytes, size_t piece) {
  for (size_t i = 0; i < bytes.size(); i += piece) {
    const size_t n = std::min(piece, bytes.size() - i);
    if (auto r = s.feed(ByteSpan(bytes.data() + i, n)); !r) return r;
  }
  return {};
}

TEST(RtmpSkimmer, ReportsEveryMessageWhateverTheCut) {
  // Messages chunked at 128, a SetChunkSize to 4096, then larger messages; a timestamp
  // past 0xFFFFFF exercises the extended timestamp on continuation chunks.
  rtmp::ChunkBatch b(128);
  Bytes v1 = payload(300, 0x17, 0x01), a1 = payload(20, 0xAF, 0x01);
  Bytes size_payload = {0, 0, 0x10, 0};
  Bytes v2 = payload(9000, 0x27, 0x01), v3 = payload(5000, 0x17, 0x01);
  ASSERT_TRUE(b.add({MessageType::video, 40, 1, 6, v1}));
  ASSERT_TRUE(b.add({MessageType::audio, 45, 1, 7, a1}));
  ASSERT_TRUE(b.add({MessageType::set_chunk_size, 0, 0, 2, size_payload}));
  ASSERT_TRUE(b.set_chunk_size(4096));
  ASSERT_TRUE(b.add({MessageType::video, 80, 1, 6, v2}));
  ASSERT_TRUE(b.add({MessageType::video, 0x1000000, 1, 6, v3}));
  const Bytes wire = b.flatten();
  for (size_t piece : {size_t(1), size_t(7), size_t(128), size_t(100000)}) {
    std::vector<Seen> seen;
    RtmpSkimmer s([&](const MediaEvent& e) {
      seen.push_back({e.type, e.timestamp, e.size, e.b0, e.b1});
      return Result<>{};
    });
    ASSERT_TRUE(feed_in_pieces(s, wire, piece)) << piece;
    ASSERT_EQ(seen.size(), 5u) << piece;
    EXPECT_EQ(seen[0].type, MessageType::video);
    EXPECT_EQ(seen[0].timestamp, 40u);
    EXPECT_EQ(seen[0].size, 300u);
    EXPECT_EQ(seen[0].b0, 0x17);
    EXPECT_EQ(seen[1].type, MessageType::audio);
    EXPECT_EQ(seen[1].b0, 0xAF);
    EXPECT_EQ(s.chunk_size(), 4096u);
    EXPECT_EQ(seen[3].timestamp, 80u);
    EXPECT_EQ(seen[3].size, 9000u);
    EXPECT_EQ(seen[3].b0, 0x27);
    EXPECT_EQ(seen[4].timestamp, 0x1000000u);
    EXPECT_EQ(seen[4].size, 5000u);
  }
}

TEST(RtmpSkimmer, CollectsSmallNonMediaPayloads) {
  rtmp::ChunkBatch b(128);
  Bytes cmd = payload(200, 0x02, 0x00);
  ASSERT_TRUE(b.add({MessageType::amf0_command, 0, 0, 3, cmd}));
  const Bytes wire = b.flatten();
  Bytes got;
  RtmpSkimmer s([&](const MediaEvent& e) {
    got.assign(e.small.begin(), e.small.end());
    return Result<>{};
  });
  ASSERT_TRUE(feed_in_pieces(s, wire, 13));
  EXPECT_EQ(got, cmd);
}

TEST(RtmpSkimmer, GarbageFailsWithBoundedState) {
  std::mt19937 rng(7);
  int failures = 0;
  for (int round = 0; round < 200; ++round) {
    Bytes junk(4096);
    for (auto& x : junk) x = static_cast<uint8_t>(rng());
    RtmpSkimmer s([](const MediaEvent&) { return Result<>{}; });
    if (!s.feed(junk)) ++failures;
  }
  EXPECT_GT(failures, 0);  // most random streams hit a chunk without a fmt 0 header
}

Bytes flv_bytes() {
  Bytes out(13, 0);
  std::array<uint8_t, 13> head{};
  flv::encode_file_header(true, true, std::span<uint8_t, 13>(head));
  std::copy(head.begin(), head.end(), out.begin());
  flv::append_tag(out, flv::TagType::script, 0, payload(30, 0x02, 0x00));
  flv::append_tag(out, flv::TagType::video, 0, payload(50, 0x17, 0x00));
  flv::append_tag(out, flv::TagType::video, 40, payload(3000, 0x17, 0x01));
  flv::append_tag(out, flv::TagType::audio, 0x1234567, payload(1, 0xAF, 0));
  return out;
}

TEST(FlvSkimmer, ReportsTagsWhateverTheCut) {
  const Bytes wire = flv_bytes();
  for (size_t piece : {size_t(1), size_t(5), size_t(4096)}) {
    std::vector<Seen> seen;
    FlvSkimmer s([&](const MediaEvent& e) {
      seen.push_back({e.type, e.timestamp, e.size, e.b0, e.b1});
      return Result<>{};
    });
    ASSERT_TRUE(feed_in_pieces(s, wire, piece));
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_EQ(seen[0].type, MessageType::amf0_data);
    EXPECT_EQ(seen[1].b1, 0);
    EXPECT_EQ(seen[2].timestamp, 40u);
    EXPECT_EQ(seen[2].size, 3000u);
    EXPECT_EQ(seen[2].b0, 0x17);
    EXPECT_EQ(seen[2].b1, 1);
    EXPECT_EQ(seen[3].timestamp, 0x1234567u);
    EXPECT_EQ(seen[3].size, 1u);
  }
}

TEST(FlvSkimmer, RejectsNonFlv) {
  FlvSkimmer s([](const MediaEvent&) { return Result<>{}; });
  const std::string html = "<html>";
  EXPECT_FALSE(s.feed(ByteSpan(reinterpret_cast<const uint8_t*>(html.data()), html.size())));
}

Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

TEST(HttpResponseSkimmer, DechunksTheBody) {
  Bytes wire = text(
      "HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nTransfer-Encoding: Chunked\r\n\r\n"
      "5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\n\r\n");
  for (size_t piece : {size_t(1), size_t(3), size_t(1000)}) {
    std::string body;
    HttpResponseSkimmer s([&](ByteSpan b) {
      body.append(b.begin(), b.end());
      return Result<>{};
    });
    // The bytes after the last chunk are rejected: the body has ended.
    (void)feed_in_pieces(s, wire, piece);
    EXPECT_EQ(s.status(), 200);
    EXPECT_EQ(body, "hello world!");
  }
}

TEST(HttpResponseSkimmer, PassesAPlainBodyAndRejectsErrors) {
  std::string body;
  HttpResponseSkimmer ok([&](ByteSpan b) {
    body.append(b.begin(), b.end());
    return Result<>{};
  });
  ASSERT_TRUE(ok.feed(text("HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nFLV")));
  EXPECT_EQ(body, "FLV");
  HttpResponseSkimmer missing([](ByteSpan) { return Result<>{}; });
  EXPECT_FALSE(missing.feed(text("HTTP/1.1 404 Not Found\r\n\r\n")));
  HttpResponseSkimmer endless([](ByteSpan) { return Result<>{}; });
  Bytes junk(HttpResponseSkimmer::kMaxHeader + 10, 'x');
  EXPECT_FALSE(endless.feed(junk));
}

// Arbitrary bytes, cut arbitrarily, after a valid start: every skimmer either keeps going
// or fails; none crashes or grows (ASan/UBSan run this too).
TEST(Skimmers, SurviveRandomBytesAfterAValidStart) {
  std::mt19937 rng(11);
  const Bytes flv_start = flv_bytes();
  const Bytes http_start = text("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (int round = 0; round < 300; ++round) {
    Bytes junk(1 + rng() % 3000);
    for (auto& x : junk) x = static_cast<uint8_t>(rng());
    auto noop = [](const MediaEvent&) { return Result<>{}; };
    RtmpSkimmer rtmp_skim(noop);
    FlvSkimmer flv(noop);
    HttpResponseSkimmer http([&](ByteSpan b) { return flv.feed(b); });
    Bytes a = flv_start, b = http_start;
    a.insert(a.end(), junk.begin(), junk.end());
    b.insert(b.end(), junk.begin(), junk.end());
    const size_t piece = 1 + rng() % 700;
    (void)feed_in_pieces(flv, a, piece);
    (void)feed_in_pieces(http, b, piece);
    (void)feed_in_pieces(rtmp_skim, junk, piece);
  }
  SUCCEED();
}

// Publishers loop the file: headers (metadata, sequence headers) are sent once, and each
// loop advances timestamps by the file's span plus one frame, so they keep rising.
TEST(LoadFlv, SplitsHeadersAndKeepsLoopsRising) {
  Bytes file = flv_bytes();  // script, AVC sequence header, a frame at 40 ms, audio
  flv::append_tag(file, flv::TagType::video, 0x1234567 + 40, payload(10, 0x27, 0x01));
  char path[] = "/tmp/srs_bench_test_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
  auto loaded = load_flv(path);
  std::remove(path);
  ASSERT_TRUE(loaded) << loaded.error().message();
  const FlvFile& f = **loaded;
  ASSERT_EQ(f.tags.size(), 5u);
  EXPECT_TRUE(f.tags[0].header);   // onMetaData
  EXPECT_TRUE(f.tags[1].header);   // sequence header
  EXPECT_FALSE(f.tags[2].header);  // the first coded frame: time 0 from here on
  EXPECT_EQ(f.tags[2].timestamp, 0u);
  uint32_t last = 0;
  for (const auto& t : f.tags) last = std::max(last, t.header ? 0 : t.timestamp);
  EXPECT_GT(f.loop_ms, last);  // the next loop's first frame comes after this loop's last
  EXPECT_EQ(f.tags[2].payload[0], 0x17);  // views into the file bytes, not copies
}

TEST(LatencyMeter, MatchesInOrderAndCountsLosses) {
  LatencyMeter m;
  const auto t0 = Clock::now();
  auto frame = [](uint32_t ts, uint32_t size) {
    MediaEvent e;
    e.type = MessageType::video;
    e.timestamp = ts;
    e.size = size;
    e.b0 = 0x27;
    e.b1 = 1;
    return e;
  };
  for (uint32_t i = 0; i < 5; ++i)
    m.sent(frame(i * 40, 100 + i), t0 + std::chrono::milliseconds(i));
  // The server re-based timestamps by -1000 and dropped the third frame.
  m.received(frame(0 - 1000u + 0, 100), t0 + std::chrono::milliseconds(10));
  m.received(frame(40 - 1000u, 101), t0 + std::chrono::milliseconds(11));
  m.received(frame(120 - 1000u, 103), t0 + std::chrono::milliseconds(12));
  m.received(frame(120 - 1000u, 103), t0 + std::chrono::milliseconds(13));  // duplicate
  m.finish(t0 + std::chrono::seconds(10), std::chrono::seconds(1));
  EXPECT_EQ(m.sent_frames(), 5u);
  EXPECT_EQ(m.matched(), 3u);
  EXPECT_EQ(m.missing(), 2u);  // the dropped one and the never-delivered last one
  EXPECT_EQ(m.unmatched(), 1u);
}

TEST(LatencyMeter, ALateJoinerSamplesOnlyFramesSentAfterItJoined) {
  LatencyMeter m;
  const auto t0 = Clock::now();
  auto frame = [](uint32_t ts) {
    MediaEvent e;
    e.type = MessageType::video;
    e.timestamp = ts;
    e.size = 100 + ts;
    e.b0 = 0x27;
    e.b1 = 1;
    return e;
  };
  auto at = [&](int ms) { return t0 + std::chrono::milliseconds(ms); };
  for (uint32_t i = 0; i < 5; ++i) m.sent(frame(i), at(int(i)));
  m.player_joined(at(5));
  for (uint32_t i = 5; i < 8; ++i) m.sent(frame(i), at(int(i)));
  // Primed with the cache (frames 3 and 4), then live.
  for (uint32_t i = 3; i < 8; ++i) m.received(frame(i), at(20));
  m.finish(at(20), std::chrono::seconds(1));
  EXPECT_EQ(m.matched(), 5u);
  EXPECT_EQ(m.missing(), 0u);  // frames 0-2 were before its time, not lost
  EXPECT_EQ(m.delay_samples(), 3u);
}

TEST(Percentile, PicksTheRankedSample) {
  std::vector<double> v{5, 1, 4, 2, 3};
  EXPECT_EQ(percentile(v, 50), 3);
  EXPECT_EQ(percentile(v, 100), 5);
  std::vector<double> none;
  EXPECT_EQ(percentile(none, 99), 0);
}

}  // namespace
}  // namespace srs::bench
