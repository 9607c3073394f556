// Path templates (hls-dvr.md §1) and the playlist rules (§2.2, §2.3) as pure functions.
#include "app/hls_playlist.hpp"

#include <gtest/gtest.h>

#include <ctime>

#include <fmt/format.h>

#include "app/path_template.hpp"

namespace srs {
namespace {

// 2015-01-03 02:57:48.776 UTC.
constexpr int64_t kWall = 1420253868776;

TEST(PathTemplate, ExpandsTheSpecExamples) {
  PathVars v{"__defaultVhost__", "live", "livestream", kWall, true, 12, {}};
  EXPECT_EQ(expand_path("[app]/[stream]-[seq].ts", v), "live/livestream-12.ts");
  EXPECT_EQ(expand_path("[app]/[stream]/[2006][01][02]/[timestamp].ts", v),
            "live/livestream/20150103/1420253868776.ts");
  EXPECT_EQ(
      expand_path("/data/[vhost]/[app]/[stream]/[2006]/[01]/[02]/[15].[04].[05].[999].flv", v),
      "/data/__defaultVhost__/live/livestream/2015/01/03/02.57.48.776.flv");
}

TEST(PathTemplate, ReplacesEveryOccurrenceAndLeavesSeqWhenUnset) {
  PathVars v{"v", "a", "s", kWall, true, {}, {}};
  EXPECT_EQ(expand_path("[stream]/[stream]-[seq]-[05][05]", v), "s/s-[seq]-4848");
}

TEST(PathTemplate, FloorIndexReplacesTimestampOnly) {
  PathVars v{"v", "a", "s", kWall, true, 3, 142025386};
  EXPECT_EQ(expand_path("[timestamp]-[seq]-[2006].ts", v), "142025386-3-2015.ts");
}

TEST(PathTemplate, LocalTimeUnlessUtc) {
  PathVars v{"v", "a", "s", kWall, false, {}, {}};
  const std::time_t secs = kWall / 1000;
  std::tm tm{};
  localtime_r(&secs, &tm);
  EXPECT_EQ(expand_path("[15]", v), fmt::format("{:02d}", tm.tm_hour));
}

TEST(PathTemplate, StreamVarsOnlyForTheM3u8) {
  EXPECT_EQ(expand_stream_vars("[vhost]/[app]/[stream]-[seq].m3u8", "v", "a", "s"),
            "v/a/s-[seq].m3u8");
  EXPECT_EQ(path_dirname("live/x.ts"), "live");
  EXPECT_EQ(path_dirname("x.ts"), "");
  EXPECT_EQ(path_dirname("/x.ts"), "/");
}

HlsSegments segments(std::initializer_list<double> durations, int64_t first_seq = 0) {
  HlsSegments s;
  int64_t seq = first_seq;
  for (double d : durations) {
    s.push_back({seq, d, "/hls/live/s-" + std::to_string(seq) + ".ts",
                 "s-" + std::to_string(seq) + ".ts", false});
    ++seq;
  }
  return s;
}

TEST(HlsPlaylist, RendersTheByteExactFormat) {
  HlsSegments s = segments({9.36, 10.0, 10.5}, 12);
  s[0].discontinuity = true;
  EXPECT_EQ(render_m3u8(s, 15),
            "#EXTM3U\n"
            "#EXT-X-VERSION:3\n"
            "#EXT-X-ALLOW-CACHE:YES\n"
            "#EXT-X-MEDIA-SEQUENCE:12\n"
            "#EXT-X-TARGETDURATION:15\n"
            "#EXT-X-DISCONTINUITY\n"
            "#EXTINF:9.360, no desc\n"
            "s-12.ts\n"
            "#EXTINF:10.000, no desc\n"
            "s-13.ts\n"
            "#EXTINF:10.500, no desc\n"
            "s-14.ts\n");
}

TEST(HlsPlaylist, TargetDurationIsTheLongestRoundedUpOrTheFloor) {
  EXPECT_EQ(target_duration(segments({9.36, 10.0}), 15), 15);
  EXPECT_EQ(target_duration(segments({9.36, 16.01}), 15), 17);
  EXPECT_EQ(target_duration(segments({3.0}), 3), 3);
  EXPECT_EQ(target_duration({}, 4), 4);
}

TEST(HlsPlaylist, WindowKeepsTheSegmentThatCrossesItAndDropsOlderOnes) {
  // Newest to oldest: 2 (2), 4 (4), 6 -> int 6 > 5: that one stays, older ones go.
  EXPECT_EQ(expired_count(segments({2, 2, 2, 2, 2}), 5), 2u);
  EXPECT_EQ(expired_count(segments({2, 2, 2}), 5), 0u);
  // int(sum) is compared: 5.9 is not above a window of 5.
  EXPECT_EQ(expired_count(segments({1.9, 2, 2}), 5), 0u);
  EXPECT_EQ(expired_count(segments({10, 10, 10, 10, 10, 10, 10, 10}), 60), 1u);
}

TEST(HlsPlaylist, SegmentUriIsRelativeToThePlaylistDirectory) {
  EXPECT_EQ(segment_uri("live/livestream-12.ts", "live/livestream.m3u8", ""), "livestream-12.ts");
  EXPECT_EQ(segment_uri("live/livestream/20150103/1.ts", "live/livestream.m3u8", ""),
            "livestream/20150103/1.ts");
  EXPECT_EQ(segment_uri("other/x.ts", "live/livestream.m3u8", ""), "other/x.ts");
  EXPECT_EQ(segment_uri("live2/x.ts", "live/livestream.m3u8", ""), "live2/x.ts");
  EXPECT_EQ(segment_uri("x-1.ts", "x.m3u8", ""), "x-1.ts");
}

TEST(HlsPlaylist, EntryPrefixAddsTheAppDirectoryUnlessItEndsWithSlash) {
  EXPECT_EQ(segment_uri("live/livestream-12.ts", "live/livestream.m3u8", "http://cdn.com"),
            "http://cdn.com/live/livestream-12.ts");
  EXPECT_EQ(segment_uri("live/livestream-12.ts", "live/livestream.m3u8", "http://cdn.com/"),
            "http://cdn.com/livestream-12.ts");
  EXPECT_EQ(segment_uri("x-1.ts", "x.m3u8", "http://cdn.com"), "http://cdn.com/x-1.ts");
}

TEST(HlsPlaylist, HookUrlIsRelativeToTheHttpRoot) {
  EXPECT_EQ(hook_url("livestream-12.ts", "live/livestream.m3u8"), "live/livestream-12.ts");
  EXPECT_EQ(hook_url("http://cdn.com/live/a.ts", "live/livestream.m3u8"),
            "http://cdn.com/live/a.ts");
  EXPECT_EQ(hook_url("a.ts", "a.m3u8"), "a.ts");
}

}  // namespace
}  // namespace srs
