#include "app/request.hpp"

#include <gtest/gtest.h>

namespace srs {
namespace {

StreamRequest parse(std::string_view tc_url, std::string_view stream) {
  StreamRequest r;
  r.set_tc_url(tc_url);
  r.set_stream(stream);
  return r;
}

TEST(StreamRequest, PlainUrlUsesHostAsVhostAndDefaultPort) {
  auto r = parse("rtmp://10.0.0.1/live", "livestream");
  EXPECT_EQ(r.schema, "rtmp");
  EXPECT_EQ(r.host, "10.0.0.1");
  EXPECT_EQ(r.vhost, "10.0.0.1");
  EXPECT_EQ(r.port, "1935");
  EXPECT_EQ(r.app, "live");
  EXPECT_EQ(r.stream, "livestream");
  EXPECT_EQ(r.param, "");
  EXPECT_TRUE(r.complete());
}

TEST(StreamRequest, VhostParameterOnAppReplacesHost) {
  auto r = parse("rtmp://10.0.0.1/live?vhost=v.com", "s1");
  EXPECT_EQ(r.vhost, "v.com");
  EXPECT_EQ(r.app, "live");
  EXPECT_EQ(r.param, "?vhost=v.com");
}

TEST(StreamRequest, StreamParametersWinAndPortIsParsed) {
  auto r = parse("rtmp://v.com:1936/live", "s1?token=abc");
  EXPECT_EQ(r.vhost, "v.com");
  EXPECT_EQ(r.port, "1936");
  EXPECT_EQ(r.stream, "s1");
  EXPECT_EQ(r.param, "?token=abc");
}

TEST(StreamRequest, AlternativeSeparatorsCarryTheVhostWithoutParam) {
  for (auto app :
       {"live...vhost...v.com", "live,vhost,v.com", "live&vhost=v.com", "live&&vhost&&v.com"}) {
    auto r = parse(std::string("rtmp://10.0.0.1/") + app, "s1");
    EXPECT_EQ(r.vhost, "v.com") << app;
    EXPECT_EQ(r.app, "live") << app;
    EXPECT_EQ(r.param, "") << app;
  }
}

TEST(StreamRequest, VhostOnStreamNameWins) {
  auto r = parse("rtmp://10.0.0.1/live?vhost=a.com", "s1?vhost=b.com&token=1");
  EXPECT_EQ(r.vhost, "b.com");
  EXPECT_EQ(r.stream, "s1");
  EXPECT_EQ(r.param, "?vhost=b.com&token=1");
}

TEST(StreamRequest, DefinstSuffixBlanksAndSlashesAreRemoved) {
  auto r = parse("rtmp://h/live/_definst_", " s 1/\r\n");
  EXPECT_EQ(r.app, "live");
  EXPECT_EQ(r.stream, "s1");
  auto multi = parse("rtmp://h//live/sub/", "/s");
  EXPECT_EQ(multi.app, "live/sub");
  EXPECT_EQ(multi.stream, "s");
}

TEST(StreamRequest, DefaultVhostParamIsCleared) {
  auto r = parse("rtmp://h/live", "s?vhost=__defaultVhost__");
  EXPECT_EQ(r.param, "");
  EXPECT_EQ(r.vhost, "__defaultVhost__");
}

TEST(StreamRequest, EmptyPartsAreIncomplete) {
  EXPECT_FALSE(parse("rtmp://h/live", "").complete());
  EXPECT_FALSE(parse("rtmp://h/", "s").complete());
  EXPECT_FALSE(parse("h/live", "s").complete());
}

TEST(StreamRequest, StreamUrlOmitsTheDefaultVhost) {
  auto r = parse("rtmp://h/live", "s");
  EXPECT_EQ(r.stream_url(), "h/live/s");
  r.vhost = "__defaultVhost__";
  EXPECT_EQ(r.stream_url(), "/live/s");
}

}  // namespace
}  // namespace srs
