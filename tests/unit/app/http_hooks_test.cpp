// Hook bodies (http-hooks.md §4), answer judging (§2), on_hls_notify URLs (§6) and the
// identity of HTTP players.
#include "app/http_hooks.hpp"

#include <gtest/gtest.h>

#include "app/access_error.hpp"

namespace srs::hooks {
namespace {

Client sample() {
  Client c;
  c.id = 107;
  c.ip = "192.168.1.10";
  c.vhost = "__defaultVhost__";
  c.app = "live";
  c.stream = "livestream";
  c.param = "?token=abc";
  c.tc_url = "rtmp://192.168.1.2/live";
  c.page_url = "http://a.com/p.html";
  return c;
}

TEST(HookBodies, OnConnectFieldsInOrder) {
  EXPECT_EQ(connect_body(sample()),
            R"({"action":"on_connect","client_id":107,"ip":"192.168.1.10",)"
            R"("vhost":"__defaultVhost__","app":"live","tcUrl":"rtmp://192.168.1.2/live",)"
            R"("pageUrl":"http://a.com/p.html"})");
}

TEST(HookBodies, OnCloseCarriesByteCountsAsIntegers) {
  EXPECT_EQ(close_body(sample(), 12345, 678),
            R"({"action":"on_close","client_id":107,"ip":"192.168.1.10",)"
            R"("vhost":"__defaultVhost__","send_bytes":12345,"recv_bytes":678,"app":"live"})");
}

TEST(HookBodies, OnPublishMatchesTheSpecExample) {
  EXPECT_EQ(publish_body(sample()),
            R"({"action":"on_publish","client_id":107,"ip":"192.168.1.10",)"
            R"("vhost":"__defaultVhost__","app":"live","tcUrl":"rtmp://192.168.1.2/live",)"
            R"("stream":"livestream","param":"?token=abc"})");
}

TEST(HookBodies, OnUnpublishAndOnStopShareTheStreamFields) {
  const std::string tail =
      R"(,"client_id":107,"ip":"192.168.1.10","vhost":"__defaultVhost__","app":"live",)"
      R"("stream":"livestream","param":"?token=abc"})";
  EXPECT_EQ(unpublish_body(sample()), R"({"action":"on_unpublish")" + tail);
  EXPECT_EQ(stop_body(sample()), R"({"action":"on_stop")" + tail);
}

TEST(HookBodies, OnPlayEndsWithPageUrl) {
  EXPECT_EQ(play_body(sample()), R"({"action":"on_play","client_id":107,"ip":"192.168.1.10",)"
                                 R"("vhost":"__defaultVhost__","app":"live","stream":"livestream",)"
                                 R"("param":"?token=abc","pageUrl":"http://a.com/p.html"})");
}

TEST(HookBodies, OnDvrAddsCwdAndFile) {
  EXPECT_EQ(dvr_body(sample(), "/opt/srs", "./objs/nginx/html/live/livestream.1.flv"),
            R"({"action":"on_dvr","client_id":107,"ip":"192.168.1.10",)"
            R"("vhost":"__defaultVhost__","app":"live","stream":"livestream",)"
            R"("param":"?token=abc","cwd":"/opt/srs",)"
            R"("file":"./objs/nginx/html/live/livestream.1.flv"})");
}

TEST(HookBodies, OnHlsMatchesTheSpecExample) {
  Client c = sample();
  c.param = "";
  HlsSegmentInfo s;
  s.duration = 9.36;
  s.file = "./objs/nginx/html/live/livestream-12.ts";
  s.url = "live/livestream-12.ts";
  s.uri = "livestream-12.ts";
  s.m3u8 = "./objs/nginx/html/live/livestream.m3u8";
  s.m3u8_url = "live/livestream.m3u8";
  s.seq_no = 12;
  EXPECT_EQ(hls_body(c, "/opt/srs", s),
            R"({"action":"on_hls","client_id":107,"ip":"192.168.1.10",)"
            R"("vhost":"__defaultVhost__","app":"live","stream":"livestream","param":"",)"
            R"("duration":9.36,"cwd":"/opt/srs","file":"./objs/nginx/html/live/livestream-12.ts",)"
            R"("url":"live/livestream-12.ts","m3u8":"./objs/nginx/html/live/livestream.m3u8",)"
            R"("m3u8_url":"live/livestream.m3u8","seq_no":12})");
}

TEST(HookBodies, ClientStringsAreEscapedAndBadUtf8Replaced) {
  Client c = sample();
  c.page_url = "http://a.com/\"x\"\\\n";
  c.stream = std::string("s\xff", 2);
  const std::string play = play_body(c);
  EXPECT_NE(play.find(R"("pageUrl":"http://a.com/\"x\"\\\n")"), std::string::npos) << play;
  EXPECT_NE(play.find("\"stream\":\"s\xEF\xBF\xBD\""), std::string::npos) << play;
}

// §2: every listed case.
TEST(HookJudge, AllowsOnlyStatus200WithZeroOrCodeZero) {
  EXPECT_TRUE(judge_answer(200, "0"));
  EXPECT_TRUE(judge_answer(200, R"({"code":0})"));
  EXPECT_TRUE(judge_answer(200, R"({"code":0,"data":null})"));
  EXPECT_TRUE(judge_answer(200, R"({"data":{"x":[1,2]},"code":0})"));
}

TEST(HookJudge, AcceptsWhitespaceAroundBareZero) {
  EXPECT_TRUE(judge_answer(200, "0\n"));
  EXPECT_TRUE(judge_answer(200, "0\r\n"));
  EXPECT_TRUE(judge_answer(200, " \t0 "));
}

TEST(HookJudge, RefusesEverythingElse) {
  const std::pair<int, std::string_view> refused[] = {
      {403, "0"},
      {500, R"({"code":0})"},
      {201, "0"},
      {200, ""},
      {200, "1"},
      {200, R"("0")"},
      {200, R"({"code":"0"})"},
      {200, "{}"},
      {200, R"({"code":1})"},
      {200, R"({"code":0.0})"},
      {200, "[0]"},
      {200, "00"},
      {200, "0 0"},
      {200, "null"},
      {200, "garbage"},
      {200, "{\"code\":0"},
      {200, "  "},
      {200, R"({"code":null})"},
      {200, "false"},
  };
  for (const auto& [status, body] : refused) {
    auto r = judge_answer(status, body);
    ASSERT_FALSE(r) << status << " " << body;
    EXPECT_EQ(r.error().code, access_errc::hook_denied) << body;
  }
}

TEST(HookJudge, SurvivesHostileBodies) {
  EXPECT_FALSE(judge_answer(200, std::string(100000, '[')));
  EXPECT_FALSE(judge_answer(200, std::string("\0\x01\xff", 3)));
  EXPECT_FALSE(judge_answer(200, R"({"code":99999999999999999999999})"));
}

TEST(HookNotify, ExpandsTheTemplate) {
  EXPECT_EQ(notify_url("http://cdn.com/prefetch/[app]/[stream]/[ts_url][param]", sample(),
                       "livestream-12.ts"),
            "http://cdn.com/prefetch/live/livestream/livestream-12.ts?token=abc");
}

TEST(HookNotify, AnAbsoluteSegmentUriReplacesTheTemplate) {
  EXPECT_EQ(notify_url("http://cdn.com/[ts_url]", sample(), "http://edge.com/live/s-1.ts"),
            "http://edge.com/live/s-1.ts");
}

http::Request player(std::string peer) {
  http::Request r;
  r.peer_ip = std::move(peer);
  return r;
}

TEST(HookHttpClient, PeerAddressAndRefererByDefault) {
  http::Request r = player("10.0.0.9");
  r.headers.add("Referer", "http://page.com/x");
  Client c = client_of_http(r, 200, "v", "live", "s", "?k=1");
  EXPECT_EQ(c.id, 200);
  EXPECT_EQ(c.ip, "10.0.0.9");
  EXPECT_EQ(c.page_url, "http://page.com/x");
  EXPECT_EQ(c.vhost, "v");
  EXPECT_EQ(c.param, "?k=1");
  EXPECT_EQ(play_body(c).find("tcUrl"), std::string::npos);
}

TEST(HookHttpClient, ForwardedForFirstEntryWinsOverRealIp) {
  http::Request r = player("10.0.0.9");
  r.headers.add("X-Real-IP", "5.5.5.5");
  r.headers.add("X-Forwarded-For", " 1.2.3.4:5678, 7.7.7.7");
  EXPECT_EQ(client_of_http(r, 1, "v", "a", "s", "").ip, "1.2.3.4");
}

TEST(HookHttpClient, RealIpWithPortStripped) {
  http::Request r = player("10.0.0.9");
  r.headers.add("X-Real-IP", "5.5.5.5:80");
  EXPECT_EQ(client_of_http(r, 1, "v", "a", "s", "").ip, "5.5.5.5");
  http::Request v6 = player("10.0.0.9");
  v6.headers.add("X-Real-IP", "[::1]:80");
  EXPECT_EQ(client_of_http(v6, 1, "v", "a", "s", "").ip, "::1");
}

}  // namespace
}  // namespace srs::hooks
