#include "protocol/http/parser.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "protocol/http/error.hpp"

namespace srs::http {
namespace {

// Feeds `wire` in pieces of `step` bytes, re-feeding what a completed request left over,
// and returns every request parsed (or the first error).
Result<std::vector<Request>> parse_all(std::string_view wire, size_t step,
                                       ParserLimits limits = {}) {
  RequestParser parser(limits);
  std::vector<Request> out;
  std::string pending;
  for (size_t pos = 0; pos < wire.size(); pos += step) {
    pending.append(wire.substr(pos, step));
    while (!pending.empty()) {
      auto n = parser.feed(pending);
      if (!n) return std::unexpected(n.error());
      pending.erase(0, *n);
      if (!parser.ready()) break;
      out.push_back(parser.take());
    }
  }
  return out;
}

constexpr std::string_view kGet =
    "GET /api/v1/versions?callback=cb&x=a%20b+c HTTP/1.1\r\n"
    "Host: v.com:1985\r\n"
    "User-Agent: test\r\n"
    "\r\n";

TEST(RequestParser, ParsesRequestLineHeadersAndQuery) {
  auto r = parse_all(kGet, kGet.size());
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->size(), 1u);
  const Request& req = r->front();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.path, "/api/v1/versions");
  EXPECT_EQ(req.query, "callback=cb&x=a%20b+c");
  EXPECT_EQ(req.query_param("callback"), "cb");
  EXPECT_EQ(req.query_param("x"), "a b c");
  EXPECT_FALSE(req.query_param("missing"));
  EXPECT_EQ(req.host(), "v.com");
  EXPECT_EQ(req.headers.get_or("user-agent", ""), "test");
  EXPECT_TRUE(req.keep_alive);
  EXPECT_EQ(req.version_minor, 1);
}

TEST(RequestParser, SplittingAtEveryByteGivesTheSameRequest) {
  const std::string wire =
      "POST /a%2Fb/c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
  for (size_t step = 1; step <= wire.size(); ++step) {
    auto r = parse_all(wire, step);
    ASSERT_TRUE(r) << "step " << step << ": " << r.error().message();
    ASSERT_EQ(r->size(), 1u) << step;
    EXPECT_EQ(r->front().path, "/a/b/c") << step;
    EXPECT_EQ(r->front().raw_path, "/a%2Fb/c") << step;
    EXPECT_EQ(r->front().body, "hello world") << step;
  }
}

TEST(RequestParser, PipelinedRequestsComeOutInOrderWithBodies) {
  const std::string wire =
      "POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
      "GET /two HTTP/1.1\r\nHost: h\r\n\r\n"
      "GET /three HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  for (size_t step : {wire.size(), size_t{1}, size_t{7}}) {
    auto r = parse_all(wire, step);
    ASSERT_TRUE(r) << r.error().message();
    ASSERT_EQ(r->size(), 3u);
    EXPECT_EQ((*r)[0].path, "/one");
    EXPECT_EQ((*r)[0].body, "abc");
    EXPECT_EQ((*r)[1].path, "/two");
    EXPECT_TRUE((*r)[1].keep_alive);
    EXPECT_EQ((*r)[2].path, "/three");
    EXPECT_FALSE((*r)[2].keep_alive);
  }
}

TEST(RequestParser, LeavesTheNextRequestsBytesUnconsumed) {
  RequestParser parser;
  std::string wire = std::string(kGet) + "GET /next";
  auto n = parser.feed(wire);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, kGet.size());
  EXPECT_TRUE(parser.ready());
  parser.take();
  EXPECT_FALSE(parser.started());
  auto m = parser.feed(std::string_view(wire).substr(*n));
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, 9u);
  EXPECT_TRUE(parser.started());
  EXPECT_FALSE(parser.ready());
}

TEST(RequestParser, Http10WithoutKeepAliveClosesAndKeepAliveHeaderKeepsIt) {
  auto r = parse_all("GET / HTTP/1.0\r\n\r\n", 100);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->front().is_http10());
  EXPECT_FALSE(r->front().keep_alive);
  r = parse_all("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", 100);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->front().keep_alive);
}

TEST(RequestParser, MissingHostIsServedUnlessRequired) {
  auto r = parse_all("GET / HTTP/1.1\r\n\r\n", 100);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->front().host(), "");
  r = parse_all("GET / HTTP/1.1\r\n\r\n", 100, ParserLimits{.require_host = true});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, http_errc::bad_request);
  EXPECT_EQ(status_for(r.error().code), 400);
}

TEST(RequestParser, GarbageIsBadRequest) {
  for (std::string_view wire : {"\x16\x03\x01\x02\x00 hello\r\n\r\n", "GET / HTTP/9.9.9\r\n\r\n",
                                "GET /a b c\r\n\r\n", "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
                                "GET /%zz HTTP/1.1\r\n\r\n", "GET /%00 HTTP/1.1\r\n\r\n"}) {
    auto r = parse_all(wire, wire.size());
    ASSERT_FALSE(r) << wire;
    EXPECT_EQ(r.error().code, http_errc::bad_request) << wire;
    EXPECT_EQ(status_for(r.error().code), 400);
  }
}

TEST(RequestParser, OversizeHeaderBlockIs431EvenWhenFedByteByByte) {
  ParserLimits limits{.max_header_bytes = 64};
  std::string wire = "GET / HTTP/1.1\r\nX: " + std::string(60, 'a') + "\r\n\r\n";
  for (size_t step : {size_t{1}, wire.size()}) {
    auto r = parse_all(wire, step, limits);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, http_errc::header_too_large);
    EXPECT_EQ(status_for(r.error().code), 431);
  }
  // Exactly at the limit is fine.
  std::string fits = "GET / HTTP/1.1\r\nX: " + std::string(64 - 23, 'a') + "\r\n\r\n";
  ASSERT_EQ(fits.size(), 64u);
  EXPECT_TRUE(parse_all(fits, 1, limits));
}

TEST(RequestParser, TooManyHeadersIs431) {
  std::string wire = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 5; ++i) wire += "X-" + std::to_string(i) + ": v\r\n";
  wire += "\r\n";
  auto r = parse_all(wire, wire.size(), ParserLimits{.max_headers = 4});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, http_errc::too_many_headers);
  EXPECT_EQ(status_for(r.error().code), 431);
  EXPECT_TRUE(parse_all(wire, wire.size(), ParserLimits{.max_headers = 5}));
}

TEST(RequestParser, LongUrlIs414) {
  std::string wire = "GET /" + std::string(100, 'u') + " HTTP/1.1\r\n\r\n";
  auto r = parse_all(wire, 3, ParserLimits{.max_url_bytes = 50});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, http_errc::url_too_long);
  EXPECT_EQ(status_for(r.error().code), 414);
}

TEST(RequestParser, DeclaredOversizeBodyIs413BeforeAnyBodyByte) {
  ParserLimits limits{.max_body_bytes = 10};
  auto r = parse_all("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 100, limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, http_errc::body_too_large);
  EXPECT_EQ(status_for(r.error().code), 413);
  EXPECT_TRUE(parse_all("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", 1, limits));
}

TEST(RequestParser, ChunkedBodyPastTheLimitIs413) {
  ParserLimits limits{.max_body_bytes = 8};
  std::string wire =
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n";
  auto r = parse_all(wire, 4, limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, http_errc::body_too_large);
}

TEST(RequestParser, BadChunkSizeIsBadRequest) {
  auto r = parse_all("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 100);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, http_errc::bad_request);
}

TEST(RequestParser, ExpectContinueIsReportedUntilTheBodyArrives) {
  RequestParser parser;
  std::string head = "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
  ASSERT_TRUE(parser.feed(head));
  EXPECT_TRUE(parser.headers_complete());
  EXPECT_TRUE(parser.expects_continue());
  ASSERT_TRUE(parser.feed("ok"));
  EXPECT_FALSE(parser.expects_continue());
  EXPECT_EQ(parser.take().body, "ok");
}

TEST(RequestParser, AbsoluteFormTargetRoutesOnItsPath) {
  auto r = parse_all("GET http://v.com/live/a.flv?k=1 HTTP/1.1\r\nHost: v.com\r\n\r\n", 100);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->front().path, "/live/a.flv");
  EXPECT_EQ(r->front().query, "k=1");
}

TEST(RequestParser, HeadersAreCaseInsensitiveAndKeepTheirSpelling) {
  auto r = parse_all(
      "GET / HTTP/1.1\r\nX-Forwarded-For: 1.2.3.4\r\nx-forwarded-for: 5.6.7.8\r\n\r\n", 100);
  ASSERT_TRUE(r);
  const Headers& h = r->front().headers;
  EXPECT_EQ(h.get_or("X-FORWARDED-FOR", ""), "1.2.3.4");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h.fields()[1].first, "x-forwarded-for");
}

TEST(ResponseParser, ReadsContentLengthChunkedAndCloseDelimitedBodies) {
  ResponseParser a;
  ASSERT_TRUE(a.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n0"));
  ASSERT_TRUE(a.ready());
  Response ra = a.take();
  EXPECT_EQ(ra.status, 200);
  EXPECT_EQ(ra.reason, "OK");
  EXPECT_EQ(ra.body, "0");

  ResponseParser b;
  ASSERT_TRUE(
      b.feed("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
  ASSERT_TRUE(b.ready());
  EXPECT_EQ(b.take().body, "abc");

  ResponseParser c;
  ASSERT_TRUE(c.feed("HTTP/1.0 200 OK\r\n\r\nuntil close"));
  EXPECT_FALSE(c.ready());
  ASSERT_TRUE(c.finish());
  ASSERT_TRUE(c.ready());
  EXPECT_EQ(c.take().body, "until close");
}

TEST(ResponseParser, HeadAnswerHasNoBodyAndTruncationStopsAtTheLimit) {
  ResponseParser head({}, true);
  ASSERT_TRUE(head.feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"));
  ASSERT_TRUE(head.ready());
  EXPECT_EQ(head.take().body, "");

  ResponseParser cut(ParserLimits{.max_body_bytes = 4}, false, true);
  ASSERT_TRUE(cut.feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"));
  ASSERT_TRUE(cut.ready());
  Response r = cut.take();
  EXPECT_EQ(r.body, "0123");
  EXPECT_TRUE(r.truncated);
}

TEST(ResponseParser, CloseMidBodyIsIncomplete) {
  ResponseParser p;
  ASSERT_TRUE(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123"));
  auto r = p.finish();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, http_errc::incomplete);
  ResponseParser empty;
  EXPECT_FALSE(empty.finish());
}

}  // namespace
}  // namespace srs::http
