#include "protocol/http/router.hpp"

#include <gtest/gtest.h>

#include "protocol/http/response_writer.hpp"
#include "protocol/http/url.hpp"

namespace srs::http {
namespace {

class Named final : public Handler {
 public:
  explicit Named(std::string name) : name(std::move(name)) {}
  awaitable<Result<>> serve(Request&, ResponseWriter&) override { co_return Result<>{}; }
  std::string name;
};

Request make_request(std::string_view target, std::string_view host = "") {
  Request r;
  auto t = split_target(target);
  r.target = target;
  r.raw_path = t->path;
  r.path = *percent_decode(t->path);
  r.query = t->query;
  if (!host.empty()) r.headers.add("Host", std::string(host));
  return r;
}

// Which handler (by name) answers `target`: "" for none, "redirect:<loc>" for a redirect.
std::string route(const Router& router, std::string_view target, std::string_view host = "") {
  auto m = router.find(make_request(target, host));
  if (!m.redirect.empty()) return "redirect:" + m.redirect;
  if (!m.handler) return "";
  return static_cast<Named&>(*m.handler).name;
}

Router api_router() {
  Router r;
  for (auto p : {"/api/", "/api/v1/", "/api/v1/versions", "/api/v1/vhosts/", "/api/v1/clients/",
                 "/console/"}) {
    EXPECT_TRUE(r.handle(p, std::make_shared<Named>(p)));
  }
  return r;
}

TEST(Router, LongestPatternWinsAndSubtreeVersusExact) {
  Router r = api_router();
  const std::vector<std::pair<std::string, std::string>> table = {
      {"/api/", "/api/"},
      {"/api/unknown", "/api/"},
      {"/api/v1/", "/api/v1/"},
      {"/api/v1/reload", "/api/v1/"},
      {"/api/v1/versions", "/api/v1/versions"},
      {"/api/v1/versions/", "/api/v1/"},  // exact pattern does not cover its subtree
      {"/api/v1/vhosts/", "/api/v1/vhosts/"},
      {"/api/v1/vhosts/123", "/api/v1/vhosts/"},
      {"/api/v1/vhosts/1/2", "/api/v1/vhosts/"},
      {"/console/js/app.js", "/console/"},
      {"/", ""},
      {"/apix", ""},
      {"/favicon.ico", ""},
  };
  for (const auto& [path, want] : table) EXPECT_EQ(route(r, path), want) << path;
}

TEST(Router, SubtreeOnlyPatternRedirectsTheBarePathKeepingTheQuery) {
  Router r = api_router();
  EXPECT_EQ(route(r, "/api/v1/vhosts"), "redirect:/api/v1/vhosts/");
  EXPECT_EQ(route(r, "/api/v1/clients?callback=x"), "redirect:/api/v1/clients/?callback=x");
  EXPECT_EQ(route(r, "/api"), "redirect:/api/");
  // An exact registration wins over the redirect.
  ASSERT_TRUE(r.handle("/api/v1/clients", std::make_shared<Named>("exact")));
  EXPECT_EQ(route(r, "/api/v1/clients"), "exact");
}

TEST(Router, HostPatternsMatchTheHostWithoutPortFirst) {
  Router r;
  ASSERT_TRUE(r.handle("/", std::make_shared<Named>("root")));
  ASSERT_TRUE(r.handle("/live/", std::make_shared<Named>("live")));
  ASSERT_TRUE(r.handle("v.com/live/", std::make_shared<Named>("vhost-live")));
  EXPECT_EQ(route(r, "/live/a.flv", "v.com:8080"), "vhost-live");
  EXPECT_EQ(route(r, "/live/a.flv", "V.other.com"), "live");
  EXPECT_EQ(route(r, "/live/a.flv"), "live");
  EXPECT_EQ(route(r, "/other", "v.com"), "root");
  EXPECT_EQ(route(r, "/live", "v.com"), "redirect:/live/");
}

TEST(Router, NothingMatchesWithoutRootAndRemovedPatternsStopMatching) {
  Router r = api_router();
  EXPECT_EQ(route(r, "/hls/a.m3u8"), "");
  EXPECT_TRUE(r.remove("/api/v1/"));
  EXPECT_FALSE(r.remove("/api/v1/"));
  EXPECT_EQ(route(r, "/api/v1/reload"), "/api/");
  EXPECT_FALSE(r.handle("/api/", std::make_shared<Named>("dup")));
  EXPECT_FALSE(r.handle("nopath", std::make_shared<Named>("bad")));
  EXPECT_FALSE(r.handle("/x", nullptr));
}

HandlerPtr live_matcher(const Request& req) {
  static HandlerPtr live = std::make_shared<Named>("stream");
  return req.path.ends_with(".flv") ? live : nullptr;
}

TEST(Router, MatchersBeatOnlyTheRootCatchAll) {
  Router r;
  ASSERT_TRUE(r.handle("/", std::make_shared<Named>("root")));
  ASSERT_TRUE(r.handle("/vod/", std::make_shared<Named>("vod")));
  r.add_matcher("live", live_matcher);
  EXPECT_EQ(route(r, "/live/a.flv"), "stream");
  EXPECT_EQ(route(r, "/live/a.m3u8"), "root");
  EXPECT_EQ(route(r, "/vod/a.flv"), "vod");
  EXPECT_TRUE(r.remove_matcher("live"));
  EXPECT_EQ(route(r, "/live/a.flv"), "root");
  r.add_matcher("live", live_matcher);
  ASSERT_TRUE(r.remove("/"));
  EXPECT_EQ(route(r, "/live/a.flv"), "stream");
  EXPECT_EQ(route(r, "/live/a.ts"), "");
}

}  // namespace
}  // namespace srs::http

namespace srs::http {
namespace {

TEST(Cors, AddsTheThreeSpecHeadersOnce) {
  Headers h;
  h.add("Access-Control-Allow-Origin", "http://old");
  add_cors_headers(h);
  EXPECT_EQ(h.size(), 3u);
  EXPECT_EQ(h.get_or("access-control-allow-origin", ""), "*");
  EXPECT_EQ(h.get_or("Access-Control-Allow-Methods", ""), "GET, POST, HEAD, PUT, DELETE");
  EXPECT_EQ(h.get_or("Access-Control-Allow-Headers", ""),
            "Cache-Control,X-Proxy-Authorization,X-Requested-With,Content-Type");
}

TEST(Url, ParsesHttpUrlsAndSplitsTargets) {
  auto u = parse_url("http://hooks.example.com:8085/api/v1/streams?token=a");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "hooks.example.com");
  EXPECT_EQ(u->port, 8085);
  EXPECT_EQ(u->target(), "/api/v1/streams?token=a");
  auto d = parse_url("http://127.0.0.1");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->port, 80);
  EXPECT_EQ(d->target(), "/");
  EXPECT_FALSE(parse_url("https://h/"));
  EXPECT_EQ(strip_port("v.com:8080"), "v.com");
  EXPECT_EQ(strip_port("[::1]:8080"), "[::1]");
  EXPECT_EQ(strip_port("v.com"), "v.com");
  EXPECT_EQ(query_param("a=1&b=&c&d=x%26y", "d"), "x&y");
  EXPECT_EQ(query_param("a=1&b=&c", "b"), "");
  EXPECT_EQ(query_param("a=1&b=&c", "c"), "");
  EXPECT_FALSE(query_param("a=%zz", "a"));
}

}  // namespace
}  // namespace srs::http
