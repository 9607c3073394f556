// Server and client over loopback: real sockets, one io_context, no sleeps.
#include <gtest/gtest.h>

#include "http_fixtures.hpp"
#include "protocol/http/client.hpp"
#include "protocol/http/error.hpp"
#include "protocol/http/response_writer.hpp"
#include "protocol/http/router.hpp"

namespace srs::http {
namespace {

using test::LoopbackServer;
using test::RawClient;

constexpr auto kTestLimit = std::chrono::seconds(10);

awaitable<Result<>> answer_json(Request& req, ResponseWriter& w) {
  // The body is a named local: GCC 12 mishandles a temporary chosen by ?: in a co_await.
  const std::string body = req.path == "/big" ? std::string(100000, 'x') : R"({"code":0})";
  co_return co_await w.send(200, "application/json", body);
}

awaitable<Result<>> echo(Request& req, ResponseWriter& w) {
  std::string body = req.method + " " + req.path + " " + req.query_param("q").value_or("-") + " " +
                     req.body + " " + req.peer_ip;
  co_return co_await w.send(200, "text/plain", body);
}

// Streams two chunks; the second only after the test says it has read the first, which
// proves chunks leave as they are written.
class StreamHandler final : public Handler {
 public:
  explicit StreamHandler(asio::io_context& io) : first_read(io.get_executor()) {}
  awaitable<Result<>> serve(Request&, ResponseWriter& w) override {
    w.set_content_type("video/x-flv");
    static const std::string shared_a = "FLV", shared_b = "-tag";
    const std::array<asio::const_buffer, 2> tag = {asio::buffer(shared_a), asio::buffer(shared_b)};
    if (auto r = co_await w.write_chunk(tag); !r) co_return r;
    co_await first_read.wait(kTestLimit);
    co_return co_await w.write_chunk(std::array{asio::buffer(std::string_view("second"))});
  }
  Waiter first_read;
};

awaitable<Result<>> broken(Request&, ResponseWriter&) {
  co_return fail(core_errc::io, "disk on fire");
}
awaitable<Result<>> missing(Request&, ResponseWriter&) {
  co_return fail(http_errc::not_found, "no such stream");
}

HandlerPtr api_router() {
  auto router = std::make_shared<Router>();
  EXPECT_TRUE(router->handle("/api/v1/versions", make_handler(answer_json)));
  EXPECT_TRUE(router->handle("/big", make_handler(answer_json)));
  EXPECT_TRUE(router->handle("/api/v1/clients/", make_handler(echo)));
  EXPECT_TRUE(router->handle("/echo", make_handler(echo)));
  EXPECT_TRUE(router->handle("/fail", make_handler(broken)));
  EXPECT_TRUE(router->handle("/missing", make_handler(missing)));
  return router;
}

// --- client against server ---

awaitable<void> get_json(LoopbackServer* srv, Result<Response>* out) {
  *out = co_await request(co_await asio::this_coro::executor, "GET", srv->url("/api/v1/versions"),
                          {}, "", std::chrono::seconds(5));
  srv->stop();
}

TEST(HttpServer, ClientGetsAJsonAnswerWithContentLength) {
  asio::io_context io;
  LoopbackServer srv(io, api_router());
  Result<Response> r = fail(core_errc::io);
  spawn(io.get_executor(), get_json(&srv, &r), "test");
  io.run_for(kTestLimit);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"code":0})");
  EXPECT_EQ(r->headers.get_or("Server", ""), "SRS/2.0.300");
  EXPECT_EQ(r->headers.get_or("Content-Type", ""), "application/json");
  EXPECT_EQ(r->headers.get_or("Content-Length", ""), "10");
  EXPECT_EQ(r->headers.get_or("Connection", ""), "Keep-Alive");
  ASSERT_EQ(srv.results.size(), 1u);
  EXPECT_TRUE(srv.results[0]) << srv.results[0].error().message();
}

awaitable<void> post_then_big(LoopbackServer* srv, std::vector<Result<Response>>* out) {
  out->push_back(
      co_await post_json(srv->url("/echo?q=a%20b"), R"({"x":1})", std::chrono::seconds(5)));
  ClientOptions small;
  small.limits.max_body_bytes = 1000;
  out->push_back(
      co_await request(co_await asio::this_coro::executor, "GET", srv->url("/big"), {}, "", small));
  small.truncate_body = true;
  out->push_back(
      co_await request(co_await asio::this_coro::executor, "GET", srv->url("/big"), {}, "", small));
  srv->stop();
}

TEST(HttpServer, ClientPostsJsonAndBoundsTheAnswer) {
  asio::io_context io;
  LoopbackServer srv(io, api_router());
  std::vector<Result<Response>> r;
  spawn(io.get_executor(), post_then_big(&srv, &r), "test");
  io.run_for(kTestLimit);
  ASSERT_EQ(r.size(), 3u);
  ASSERT_TRUE(r[0]) << r[0].error().message();
  EXPECT_EQ(r[0]->body, R"(POST /echo a b {"x":1} 127.0.0.1)");
  ASSERT_FALSE(r[1]);
  EXPECT_EQ(r[1].error().code, http_errc::body_too_large);
  ASSERT_TRUE(r[2]);
  EXPECT_TRUE(r[2]->truncated);
  EXPECT_EQ(r[2]->body, std::string(1000, 'x'));
}

// One chunk larger than the socket takes at once, written in two halves: what goes now,
// then the rest from the coroutine, as a player's direct send does.
class BigChunkHandler final : public Handler {
 public:
  static constexpr size_t kSize = 8 * 1024 * 1024;
  awaitable<Result<>> serve(Request&, ResponseWriter& w) override {
    w.set_content_type("video/x-flv");
    if (auto r = co_await w.write_header(); !r) co_return r;
    body.assign(kSize, 'x');
    body.back() = 'z';
    const std::array<asio::const_buffer, 1> chunk = {asio::buffer(body)};
    Result<bool> all = w.write_chunk_now(chunk);
    if (!all) co_return std::unexpected(all.error());
    went_at_once = *all;
    unfinished = w.write_unfinished();
    co_return co_await w.write_chunk_rest();
  }
  std::string body;
  bool went_at_once = true;
  bool unfinished = false;
};

// --- raw clients against the server ---

awaitable<void> stream_read(asio::io_context* io, LoopbackServer* srv, StreamHandler* h,
                            std::vector<std::string>* out) {
  RawClient c(*io);
  EXPECT_TRUE(co_await c.connect(srv->port()));
  co_await c.send("GET /live/a.flv HTTP/1.1\r\nHost: h\r\n\r\n");
  out->push_back(co_await c.read_until("\r\n\r\n"));
  out->push_back(co_await c.read_until("FLV-tag\r\n"));
  h->first_read.notify();
  out->push_back(co_await c.read_until("0\r\n\r\n"));
  srv->stop();
}

TEST(HttpServer, ChunkedStreamIsReadChunkByChunk) {
  asio::io_context io;
  auto handler = std::make_shared<StreamHandler>(io);
  LoopbackServer srv(io, handler);
  std::vector<std::string> got;
  spawn(io.get_executor(), stream_read(&io, &srv, handler.get(), &got), "test");
  io.run_for(kTestLimit);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(got[0].starts_with("HTTP/1.1 200 OK\r\n")) << got[0];
  EXPECT_NE(got[0].find("Transfer-Encoding: chunked\r\n"), std::string::npos) << got[0];
  EXPECT_NE(got[0].find("Content-Type: video/x-flv\r\n"), std::string::npos) << got[0];
  EXPECT_EQ(got[0].find("Content-Length"), std::string::npos) << got[0];
  EXPECT_EQ(got[1], "7\r\nFLV-tag\r\n");
  EXPECT_EQ(got[2], "6\r\nsecond\r\n0\r\n\r\n");
}

awaitable<void> big_chunk_read(asio::io_context* io, LoopbackServer* srv,
                               std::vector<std::string>* out) {
  RawClient c(*io);
  EXPECT_TRUE(co_await c.connect(srv->port()));
  co_await c.send("GET /live/a.flv HTTP/1.1\r\nHost: h\r\n\r\n");
  out->push_back(co_await c.read_until("\r\n\r\n"));
  out->push_back(co_await c.read_until("z\r\n"));
  out->push_back(co_await c.read_until("0\r\n\r\n"));
  srv->stop();
}

TEST(HttpServer, AChunkTheSocketCannotTakeAtOnceIsFinishedByTheCoroutine) {
  asio::io_context io;
  auto handler = std::make_shared<BigChunkHandler>();
  LoopbackServer srv(io, handler);
  std::vector<std::string> got;
  spawn(io.get_executor(), big_chunk_read(&io, &srv, &got), "test");
  io.run_for(kTestLimit);
  EXPECT_FALSE(handler->went_at_once);
  EXPECT_TRUE(handler->unfinished);
  ASSERT_EQ(got.size(), 3u);
  const std::string size_line = "800000\r\n";  // 8 MiB in hex
  ASSERT_TRUE(got[1].starts_with(size_line)) << got[1].substr(0, 16);
  EXPECT_EQ(got[1].size(), size_line.size() + BigChunkHandler::kSize + 2);
  EXPECT_EQ(got[1].substr(size_line.size(), BigChunkHandler::kSize), handler->body);
  EXPECT_EQ(got[2], "0\r\n\r\n");
}

awaitable<void> keep_alive(asio::io_context* io, LoopbackServer* srv,
                           std::vector<Result<Response>>* out) {
  RawClient c(*io);
  EXPECT_TRUE(co_await c.connect(srv->port()));
  co_await c.send("GET /api/v1/versions HTTP/1.1\r\nHost: h\r\n\r\n");
  out->push_back(co_await c.read_response());
  co_await c.send("HEAD /api/v1/versions HTTP/1.1\r\nHost: h\r\n\r\n");
  out->push_back(co_await c.read_response(true));
  // Two pipelined requests in one write, answered in order; the last asks to close.
  co_await c.send(
      "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"
      "GET /echo?q=2 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  out->push_back(co_await c.read_response());
  out->push_back(co_await c.read_response());
  EXPECT_TRUE(co_await c.closed_by_peer());
  srv->stop();
}

TEST(HttpServer, KeepAliveHeadAndPipelinedRequestsShareOneConnection) {
  asio::io_context io;
  LoopbackServer srv(io, api_router());
  std::vector<Result<Response>> r;
  spawn(io.get_executor(), keep_alive(&io, &srv, &r), "test");
  io.run_for(kTestLimit);
  ASSERT_EQ(r.size(), 4u);
  for (auto& x : r) ASSERT_TRUE(x) << x.error().message();
  EXPECT_EQ(r[0]->body, R"({"code":0})");
  EXPECT_EQ(r[0]->headers.get_or("Connection", ""), "Keep-Alive");
  // HEAD: the GET's headers, no body bytes (else the next answer would not parse).
  EXPECT_EQ(r[1]->headers.get_or("Content-Length", ""), "10");
  EXPECT_EQ(r[1]->body, "");
  EXPECT_EQ(r[2]->body, "POST /echo - hi 127.0.0.1");
  EXPECT_EQ(r[3]->body, "GET /echo 2  127.0.0.1");
  EXPECT_EQ(r[3]->headers.get_or("Connection", ""), "close");
  ASSERT_EQ(srv.results.size(), 1u);  // all on one connection
  EXPECT_TRUE(srv.results[0]);
}

awaitable<void> http10(asio::io_context* io, LoopbackServer* srv, Result<Response>* out) {
  RawClient c(*io);
  EXPECT_TRUE(co_await c.connect(srv->port()));
  co_await c.send("GET /api/v1/versions HTTP/1.0\r\n\r\n");
  *out = co_await c.read_response();
  EXPECT_TRUE(co_await c.closed_by_peer());
  srv->stop();
}

TEST(HttpServer, Http10WithoutKeepAliveIsAnsweredAndClosed) {
  asio::io_context io;
  LoopbackServer srv(io, api_router());
  Result<Response> r = fail(core_errc::io);
  spawn(io.get_executor(), http10(&io, &srv, &r), "test");
  io.run_for(kTestLimit);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.get_or("Connection", ""), "close");
}

awaitable<void> routed(asio::io_context* io, LoopbackServer* srv,
                       std::vector<Result<Response>>* out) {
  RawClient c(*io);
  EXPECT_TRUE(co_await c.connect(srv->port()));
  co_await c.send("GET /nothing HTTP/1.1\r\nHost: h\r\n\r\n");
  out->push_back(co_await c.read_response());
  co_await c.send("GET /api/v1/clients?callback=f HTTP/1.1\r\nHost: h\r\n\r\n");
  out->push_back(co_await c.read_response());
  srv->stop();
}

TEST(HttpServer, RouterAnswers404AndRedirectOnTheWire) {
  asio::io_context io;
  LoopbackServer srv(io, api_router());
  std::vector<Result<Response>> r;
  spawn(io.get_executor(), routed(&io, &srv, &r), "test");
  io.run_for(kTestLimit);
  ASSERT_EQ(r.size(), 2u);
  ASSERT_TRUE(r[0] && r[1]);
  EXPECT_EQ(r[0]->status, 404);
  EXPECT_EQ(r[0]->body, "Not Found");
  EXPECT_EQ(r[0]->headers.get_or("Content-Type", ""), "text/plain; charset=utf-8");
  EXPECT_EQ(r[1]->status, 302);
  EXPECT_EQ(r[1]->headers.get_or("Location", ""), "/api/v1/clients/?callback=f");
  EXPECT_EQ(r[1]->body, "Redirect to/api/v1/clients/?callback=f");
}

awaitable<void> send_bad(asio::io_context* io, LoopbackServer* srv, std::string wire,
                         Result<Response>* out, bool* closed) {
  RawClient c(*io);
  EXPECT_TRUE(co_await c.connect(srv->port()));
  co_await c.send(std::move(wire));
  *out = co_await c.read_response();
  *closed = co_await c.closed_by_peer();
  srv->stop();
}

TEST(HttpServer, LimitsAreAnsweredWithTheirStatusThenClosed) {
  ServerOptions options;
  options.limits.max_header_bytes = 256;
  options.limits.max_body_bytes = 16;
  const std::vector<std::pair<std::string, int>> cases = {
      {"GET / HTTP/1.1\r\nX: " + std::string(300, 'a') + "\r\n\r\n", 431},
      {"POST /echo HTTP/1.1\r\nContent-Length: 17\r\n\r\n" + std::string(17, 'b'), 413},
      {"BREW /pot HTCPCP/1.0\r\n\r\n", 400},
  };
  for (const auto& [wire, status] : cases) {
    asio::io_context io;
    LoopbackServer srv(io, api_router(), options);
    Result<Response> r = fail(core_errc::io);
    bool closed = false;
    spawn(io.get_executor(), send_bad(&io, &srv, wire, &r, &closed), "test");
    io.run_for(kTestLimit);
    ASSERT_TRUE(r) << status;
    EXPECT_EQ(r->status, status);
    EXPECT_EQ(r->headers.get_or("Connection", ""), "close");
    EXPECT_TRUE(closed) << status;
    ASSERT_EQ(srv.results.size(), 1u);
    EXPECT_FALSE(srv.results[0]);
  }
}

awaitable<void> slowloris(asio::io_context* io, LoopbackServer* srv, bool* closed) {
  RawClient c(*io);
  EXPECT_TRUE(co_await c.connect(srv->port()));
  co_await c.send("GET / HTTP/1.1\r\nHo");
  *closed = co_await c.closed_by_peer();  // the server gives up on the headers
  srv->stop();
}

TEST(HttpServer, SlowlorisIsClosedAfterTheHeaderTimeout) {
  asio::io_context io;
  ServerOptions options;
  options.header_timeout = std::chrono::milliseconds(50);
  LoopbackServer srv(io, api_router(), options);
  bool closed = false;
  spawn(io.get_executor(), slowloris(&io, &srv, &closed), "test");
  io.run_for(kTestLimit);
  EXPECT_TRUE(closed);
  ASSERT_EQ(srv.results.size(), 1u);
  ASSERT_FALSE(srv.results[0]);
  EXPECT_EQ(srv.results[0].error().code, core_errc::timeout);
}

awaitable<void> idle(asio::io_context* io, LoopbackServer* srv, bool* closed) {
  RawClient c(*io);
  EXPECT_TRUE(co_await c.connect(srv->port()));
  *closed = co_await c.closed_by_peer();
  srv->stop();
}

TEST(HttpServer, IdleConnectionIsClosedQuietly) {
  asio::io_context io;
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(50);
  LoopbackServer srv(io, api_router(), options);
  bool closed = false;
  spawn(io.get_executor(), idle(&io, &srv, &closed), "test");
  io.run_for(kTestLimit);
  EXPECT_TRUE(closed);
  ASSERT_EQ(srv.results.size(), 1u);
  EXPECT_TRUE(srv.results[0]);
}

awaitable<void> failing(asio::io_context* io, LoopbackServer* srv,
                        std::vector<Result<Response>>* out, bool* closed) {
  RawClient c(*io);
  EXPECT_TRUE(co_await c.connect(srv->port()));
  co_await c.send("GET /missing HTTP/1.1\r\nHost: h\r\n\r\n");
  out->push_back(co_await c.read_response());
  co_await c.send("GET /fail HTTP/1.1\r\nHost: h\r\n\r\n");
  out->push_back(co_await c.read_response());
  *closed = co_await c.closed_by_peer();
  srv->stop();
}

TEST(HttpServer, HandlerErrorsBecomeTheirStatusOr500AndClose) {
  asio::io_context io;
  LoopbackServer srv(io, api_router());
  std::vector<Result<Response>> r;
  bool closed = false;
  spawn(io.get_executor(), failing(&io, &srv, &r, &closed), "test");
  io.run_for(kTestLimit);
  ASSERT_EQ(r.size(), 2u);
  ASSERT_TRUE(r[0] && r[1]);
  EXPECT_EQ(r[0]->status, 404);  // an http_errc: answered, connection kept
  EXPECT_EQ(r[0]->headers.get_or("Connection", ""), "Keep-Alive");
  EXPECT_EQ(r[1]->status, 500);
  EXPECT_EQ(r[1]->headers.get_or("Connection", ""), "close");
  EXPECT_TRUE(closed);
}

// --- client against peers that misbehave ---

awaitable<void> hold_connection(test::tcp::acceptor* acceptor, test::tcp::socket* held) {
  auto [ec, s] = co_await acceptor->async_accept(use_nothrow);
  if (!ec) *held = std::move(s);
}

awaitable<void> call_silent(test::tcp::acceptor* acceptor, test::tcp::socket* held,
                            Result<Response>* out) {
  const auto port = acceptor->local_endpoint().port();
  *out = co_await request(co_await asio::this_coro::executor, "GET",
                          "http://127.0.0.1:" + std::to_string(port) + "/", {}, "",
                          std::chrono::milliseconds(50));
  std::error_code ec;
  held->close(ec);
  acceptor->close(ec);
}

TEST(HttpClient, TimesOutAgainstAServerThatNeverAnswers) {
  asio::io_context io;
  test::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  test::tcp::socket held(io);
  Result<Response> r;
  spawn(io.get_executor(), hold_connection(&acceptor, &held), "accept");
  spawn(io.get_executor(), call_silent(&acceptor, &held, &r), "test");
  io.run_for(kTestLimit);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core_errc::timeout);
}

awaitable<void> answer_and_close(test::tcp::acceptor* acceptor, std::string answer) {
  auto [ec, s] = co_await acceptor->async_accept(use_nothrow);
  if (ec) co_return;
  char buf[1024];
  co_await s.async_read_some(asio::buffer(buf), use_nothrow);  // the request
  co_await asio::async_write(s, asio::buffer(answer), use_nothrow);
  s.shutdown(test::tcp::socket::shutdown_send, ec);
}

awaitable<void> call_once(uint16_t port, Result<Response>* out) {
  *out = co_await request(co_await asio::this_coro::executor, "GET",
                          "http://127.0.0.1:" + std::to_string(port) + "/x", {}, "",
                          std::chrono::seconds(5));
}

Result<Response> call_raw_server(std::string answer) {
  asio::io_context io;
  test::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  Result<Response> r;
  spawn(io.get_executor(), answer_and_close(&acceptor, std::move(answer)), "server");
  spawn(io.get_executor(), call_once(acceptor.local_endpoint().port(), &r), "test");
  io.run_for(kTestLimit);
  return r;
}

TEST(HttpClient, ReadsChunkedCloseDelimitedAndSkipsInterimAnswers) {
  auto chunked = call_raw_server(
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n0\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked) << chunked.error().message();
  EXPECT_EQ(chunked->status, 200);
  EXPECT_EQ(chunked->body, "0");
  auto to_close = call_raw_server("HTTP/1.0 500 Oops\r\n\r\n{\"code\":1}");
  ASSERT_TRUE(to_close) << to_close.error().message();
  EXPECT_EQ(to_close->status, 500);
  EXPECT_EQ(to_close->body, R"({"code":1})");
  auto cut = call_raw_server("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, http_errc::incomplete);
  auto garbage = call_raw_server("SSH-2.0-OpenSSH\r\n");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, http_errc::bad_response);
}

awaitable<void> bad_urls(std::vector<Result<Response>>* out) {
  auto ex = co_await asio::this_coro::executor;
  for (auto url : {"https://127.0.0.1/", "127.0.0.1:80/x", "http:///x"}) {
    out->push_back(co_await request(ex, "GET", url, {}, "", std::chrono::seconds(1)));
  }
}

TEST(HttpClient, RejectsUrlsItCannotCall) {
  asio::io_context io;
  std::vector<Result<Response>> r;
  spawn(io.get_executor(), bad_urls(&r), "test");
  io.run_for(kTestLimit);
  ASSERT_EQ(r.size(), 3u);
  for (auto& x : r) {
    ASSERT_FALSE(x);
    EXPECT_EQ(x.error().code, http_errc::bad_url);
  }
}

}  // namespace
}  // namespace srs::http
