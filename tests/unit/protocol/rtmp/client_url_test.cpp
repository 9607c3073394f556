#include <gtest/gtest.h>

#include "protocol/rtmp/client.hpp"

namespace srs::rtmp {
namespace {

TEST(RtmpUrl, SplitsHostPortAppAndStream) {
  auto u = parse_url("rtmp://127.0.0.1:19350/live/cam1?token=a/b");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 19350);
  EXPECT_EQ(u->app, "live");
  EXPECT_EQ(u->stream, "cam1?token=a/b");
  EXPECT_EQ(u->tc_url, "rtmp://127.0.0.1:19350/live");
}

TEST(RtmpUrl, KeepsVhostParameterOnTheApp) {
  auto u = parse_url("rtmp://h/live?vhost=v1/cam1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->port, 1935);
  EXPECT_EQ(u->app, "live?vhost=v1");
  EXPECT_EQ(u->stream, "cam1");
}

TEST(RtmpUrl, RejectsUrlsWithoutAppOrStream) {
  EXPECT_FALSE(parse_url("rtmp://h/live"));
  EXPECT_FALSE(parse_url("rtmp://h/live/"));
  EXPECT_FALSE(parse_url("http://h/live/s"));
  EXPECT_FALSE(parse_url("rtmp://h:0/live/s"));
}

}  // namespace
}  // namespace srs::rtmp
