// Live remux mount templates: expansion per vhost and reverse matching of request paths.
#include "app/http_remux.hpp"

#include <gtest/gtest.h>

namespace srs {
namespace {

TEST(RemuxMount, DefaultVhostTemplateMatchesAnyHost) {
  auto m = RemuxMount::make("__defaultVhost__", "[vhost]/[app]/[stream].flv");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->host(), "");
  EXPECT_EQ(m->path(), "/[app]/[stream].flv");
  auto t = m->match("127.0.0.1", "/live/livestream.flv");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->vhost, "__defaultVhost__");
  EXPECT_EQ(t->app, "live");
  EXPECT_EQ(t->stream, "livestream");
  EXPECT_EQ(t->format, RemuxFormat::flv);
  EXPECT_EQ(t->stream_url(), "/live/livestream");
}

TEST(RemuxMount, NamedVhostTemplateNeedsItsHost) {
  auto m = RemuxMount::make("v.com", "[vhost]/[app]/[stream].ts");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->host(), "v.com");
  EXPECT_FALSE(m->match("other.com", "/live/s.ts"));
  auto t = m->match("v.com", "/live/s.ts");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->stream_url(), "v.com/live/s");
  EXPECT_EQ(t->format, RemuxFormat::ts);
}

TEST(RemuxMount, AppMaySpanSegmentsStreamMayNot) {
  auto m = RemuxMount::make("__defaultVhost__", "/[app]/[stream].mp3");
  ASSERT_TRUE(m);
  auto t = m->match("", "/live/sub/s.mp3");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->app, "live/sub");
  EXPECT_EQ(t->stream, "s");
  EXPECT_FALSE(m->match("", "/s.mp3"));        // no app
  EXPECT_FALSE(m->match("", "/live/.mp3"));    // empty stream
  EXPECT_FALSE(m->match("", "/live/s.flv"));   // another extension
  EXPECT_FALSE(m->match("", "/live/s.mp3x"));  // literal suffix must end the path
}

TEST(RemuxMount, LiteralPrefixAndStreamWithDots) {
  auto m = RemuxMount::make("__defaultVhost__", "/hls/[app]/[stream].aac");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->match("", "/live/a.aac"));
  auto t = m->match("", "/hls/live/a.b.aac");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->app, "live");
  EXPECT_EQ(t->stream, "a.b");
  EXPECT_EQ(t->format, RemuxFormat::aac);
}

TEST(RemuxMount, WithoutAppTheRequestDirectoryIsTheApp) {
  auto m = RemuxMount::make("__defaultVhost__", "/live/[stream].flv");
  ASSERT_TRUE(m);
  auto t = m->match("", "/live/cam.flv");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->app, "live");
  EXPECT_EQ(t->stream, "cam");
}

TEST(RemuxMount, RefusesTemplatesItCannotServe) {
  EXPECT_FALSE(RemuxMount::make("__defaultVhost__", "[vhost]/[app]/[stream].mp4"));
  EXPECT_FALSE(RemuxMount::make("__defaultVhost__", "[vhost]/[app]/live.flv"));
  EXPECT_FALSE(RemuxMount::make("__defaultVhost__", "nohost.flv"));
}

TEST(RemuxMount, HostileRequestPathsDoNotMatch) {
  auto m = RemuxMount::make("__defaultVhost__", "[vhost]/[app]/[stream].flv");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->match("", ""));
  EXPECT_FALSE(m->match("", "/"));
  EXPECT_FALSE(m->match("", "//.flv"));
  EXPECT_FALSE(m->match("", std::string(8000, '/') + ".flv"));
}

TEST(ExpandVhostMount, DefaultVhostBecomesRoot) {
  EXPECT_EQ(expand_vhost_mount("__defaultVhost__", "[vhost]/"), "/");
  EXPECT_EQ(expand_vhost_mount("v.com", "[vhost]/hls/"), "v.com/hls/");
  EXPECT_EQ(expand_vhost_mount("v.com", "/static/"), "/static/");
}

TEST(RemuxFormat, FromExtensionWithContentType) {
  EXPECT_EQ(remux_format_of("/a/b.flv"), RemuxFormat::flv);
  EXPECT_EQ(remux_format_of("/a/b.ts"), RemuxFormat::ts);
  EXPECT_EQ(remux_format_of("/a/b.mp3"), RemuxFormat::mp3);
  EXPECT_EQ(remux_format_of("/a/b.aac"), RemuxFormat::aac);
  EXPECT_FALSE(remux_format_of("/a/b.m3u8"));
  EXPECT_EQ(content_type_of(RemuxFormat::flv), "video/x-flv");
  EXPECT_EQ(content_type_of(RemuxFormat::ts), "video/MP2T");
  EXPECT_EQ(content_type_of(RemuxFormat::mp3), "audio/mpeg");
  EXPECT_EQ(content_type_of(RemuxFormat::aac), "audio/x-aac");
}

}  // namespace
}  // namespace srs
