// The HTTP listeners and the HTTP service on a real io_context and loopback ports: each
// listener answers with its router, a shared port answers both, reload opens and closes
// listeners, static files come from http_server.dir, and a connection can be kicked.
#include "app/http_service.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <asio/connect.hpp>
#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/write.hpp>

#include "app/server.hpp"
#include "protocol/http/client.hpp"
#include "protocol/http/response_writer.hpp"

namespace srs {
namespace {

using asio::ip::tcp;

constexpr const char* kBase = "daemon off; srs_log_tank console; srs_log_level error;\n";

uint16_t free_port() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

awaitable<Result<>> answer_api(http::Request&, http::ResponseWriter& w) {
  co_return co_await w.send(200, "application/json", R"({"code":0})");
}

struct HttpServiceTest : ::testing::Test {
  void SetUp() override {
    dir = (std::filesystem::temp_directory_path() / ("srs-http-" + std::to_string(::getpid())))
              .string();
    std::filesystem::create_directories(dir + "/live");
    std::ofstream(dir + "/index.html") << "<h1>hello</h1>";
    std::ofstream(dir + "/live/a.m3u8") << "#EXTM3U\n";
    path = dir + "/srs.conf";
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  void write(const std::string& body) {
    std::ofstream(path) << kBase << "listen 127.0.0.1:" << free_port() << ";\n" << body;
  }
  Config::Ptr load() {
    auto c = Config::load(path);
    EXPECT_TRUE(c) << (c ? "" : c.error().message());
    return *c;
  }
  std::string blocks(uint16_t api, uint16_t http, bool api_on = true, bool http_on = true) {
    return fmt::format(
        "http_api {{ enabled {}; listen 127.0.0.1:{}; }}\n"
        "http_server {{ enabled {}; listen 127.0.0.1:{}; dir {}; }}\n",
        api_on ? "on" : "off", api, http_on ? "on" : "off", http, dir);
  }
  std::string dir, path;
  asio::io_context io;
};

awaitable<Result<http::Response>> get(uint16_t port, std::string path) {
  auto ex = co_await asio::this_coro::executor;
  co_return co_await http::request(ex, "GET", fmt::format("http://127.0.0.1:{}{}", port, path), {},
                                   "", 5s);
}

// A server with the HTTP service on both listeners, as main wires them.
struct Stack {
  Stack(asio::io_context& io, Config::Ptr config)
      : server(io, std::move(config), ServerOptions{{}, false}), service(server, sources) {
    server.set_handler(Service::http_api, &service.api_handler());
    server.set_handler(Service::http_server, &service.server_handler());
  }
  Server server;
  SourceRegistry sources;
  HttpService service;
};

// GETs each path in turn, recording the answers.
awaitable<void> get_all(std::vector<std::pair<uint16_t, std::string>> requests,
                        std::vector<Result<http::Response>>& got) {
  for (auto& [port, path] : requests) got.push_back(co_await get(port, path));
}

awaitable<void> then_quit(awaitable<void> client, Server& server) {
  co_await std::move(client);
  server.quit();
}

// Runs a client coroutine and quits the server when it is done.
void run_client(asio::io_context& io, Server& server, awaitable<void> client) {
  spawn(io.get_executor(), then_quit(std::move(client), server), "client");
  io.run();
}

TEST_F(HttpServiceTest, ApiAndServerListenersAnswerWithTheirRouters) {
  const uint16_t api = free_port(), http = free_port();
  write(blocks(api, http));
  Stack stack(io, load());
  Server& server = stack.server;
  HttpService& service = stack.service;
  ASSERT_TRUE(service.api_router().handle("/api/", http::make_handler(answer_api)));
  ASSERT_TRUE(server.start());
  EXPECT_EQ(server.http_api_port(), api);
  EXPECT_EQ(server.http_server_port(), http);
  std::vector<Result<http::Response>> got;
  run_client(io, server,
             get_all({{api, "/api/v1/versions"},
                      {http, "/index.html"},
                      {http, "/live/a.m3u8"},
                      {http, "/api/v1/versions"},  // not the API's port
                      {http, "/nothing.html"}},
                     got));
  ASSERT_EQ(got.size(), 5u);
  for (auto& r : got) ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(got[0]->status, 200);
  EXPECT_EQ(got[0]->body, R"({"code":0})");
  EXPECT_EQ(got[1]->status, 200);
  EXPECT_EQ(got[1]->body, "<h1>hello</h1>");
  EXPECT_EQ(got[1]->headers.get("Content-Type"), "text/html");
  EXPECT_EQ(got[2]->headers.get("Content-Type"), "application/vnd.apple.mpegurl");
  EXPECT_EQ(got[3]->status, 404);
  EXPECT_EQ(got[4]->status, 404);
}

TEST_F(HttpServiceTest, OneSharedPortServesApiAndFiles) {
  const uint16_t port = free_port();
  write(blocks(port, port));
  Stack stack(io, load());
  Server& server = stack.server;
  HttpService& service = stack.service;
  ASSERT_TRUE(service.api_router().handle("/api/", http::make_handler(answer_api)));
  ASSERT_TRUE(server.start());  // would fail binding the port twice
  EXPECT_EQ(server.http_api_port(), 0);
  EXPECT_EQ(server.http_server_port(), port);
  std::vector<Result<http::Response>> got;
  run_client(io, server, get_all({{port, "/api/v1/summaries"}, {port, "/index.html"}}, got));
  ASSERT_EQ(got.size(), 2u);
  ASSERT_TRUE(got[0] && got[1]);
  EXPECT_EQ(got[0]->body, R"({"code":0})");
  EXPECT_EQ(got[1]->body, "<h1>hello</h1>");
}

TEST_F(HttpServiceTest, ReloadOpensMovesAndClosesListeners) {
  const uint16_t api = free_port(), http = free_port(), moved = free_port();
  write(blocks(api, http, true, false));
  Stack stack(io, load());
  Server& server = stack.server;
  ASSERT_TRUE(server.start());
  EXPECT_EQ(server.http_api_port(), api);
  EXPECT_EQ(server.http_server_port(), 0);

  write(blocks(api, http, true, true));  // http_server enabled
  ASSERT_TRUE(server.reload());
  EXPECT_EQ(server.http_api_port(), api);
  EXPECT_EQ(server.http_server_port(), http);

  write(blocks(moved, http, true, true));  // the API moves
  ASSERT_TRUE(server.reload());
  EXPECT_EQ(server.http_api_port(), moved);

  write(blocks(moved, http, false, false));  // both off
  ASSERT_TRUE(server.reload());
  EXPECT_EQ(server.http_api_port(), 0);
  EXPECT_EQ(server.http_server_port(), 0);
  tcp::socket s(io);
  std::error_code ec;
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), http), ec);
  EXPECT_TRUE(ec);  // nobody listens any more
}

awaitable<void> connect_and_wait_kick(HttpService& service, uint16_t port, bool& closed_by_kick) {
  auto ex = co_await asio::this_coro::executor;
  tcp::socket s(ex);
  co_await s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), use_nothrow);
  // The accept runs on the same loop: poll (bounded) until the connection is registered.
  for (int i = 0; i < 500 && service.connections().empty(); ++i) co_await sleep_for(10ms);
  if (service.connections().size() != 1) co_return;
  const ContextId id = service.connections().begin()->first;
  EXPECT_TRUE(service.kick(id));
  EXPECT_FALSE(service.kick(id + 100000));
  char byte;
  auto [ec, n] = co_await asio::async_read(s, asio::buffer(&byte, 1), use_nothrow);
  closed_by_kick = ec == asio::error::eof || ec == asio::error::connection_reset;
  for (int i = 0; i < 500 && !service.connections().empty(); ++i) co_await sleep_for(10ms);
}

TEST_F(HttpServiceTest, KickClosesAnIdleConnectionAndForgetsIt) {
  const uint16_t api = free_port(), http = free_port();
  write(blocks(api, http));
  Stack stack(io, load());
  Server& server = stack.server;
  HttpService& service = stack.service;
  ASSERT_TRUE(server.start());
  bool closed = false;
  run_client(io, server, connect_and_wait_kick(service, http, closed));
  EXPECT_TRUE(closed);
  EXPECT_TRUE(service.connections().empty());
  EXPECT_EQ(server.connections().active(), 0);
}

// A player of a stream nobody publishes yet (hstrs): answered with the header, held open,
// listed as playing; a kick ends it at once although no media ever comes.
awaitable<void> play_then_get_kicked(HttpService& service, uint16_t port, std::string& head,
                                     bool& closed_by_kick) {
  auto ex = co_await asio::this_coro::executor;
  tcp::socket s(ex);
  co_await s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), use_nothrow);
  const std::string_view req = "GET /live/s.flv HTTP/1.1\r\nHost: x\r\n\r\n";
  co_await asio::async_write(s, asio::buffer(req), use_nothrow);
  std::string buf;
  auto [ec, n] =
      co_await asio::async_read_until(s, asio::dynamic_buffer(buf), "\r\n\r\n", use_nothrow);
  head = buf.substr(0, n);
  HttpConnection* conn = nullptr;
  for (int i = 0; i < 500 && !conn; ++i) {
    for (auto& [id, c] : service.connections()) {
      if (c->playing() == "/live/s") conn = c.get();
    }
    if (!conn) co_await sleep_for(10ms);
  }
  if (!conn) co_return;
  EXPECT_TRUE(service.kick(conn->id()));
  char byte;
  auto [rec, got] = co_await asio::async_read(s, asio::buffer(&byte, 1), use_nothrow);
  closed_by_kick = rec == asio::error::eof || rec == asio::error::connection_reset;
  for (int i = 0; i < 500 && !service.connections().empty(); ++i) co_await sleep_for(10ms);
}

TEST_F(HttpServiceTest, APlayerWaitingForItsStreamIsListedAndKickedOff) {
  const uint16_t api = free_port(), http = free_port();
  write(blocks(api, http) + "vhost __defaultVhost__ { http_remux { enabled on; } }\n");
  Stack stack(io, load());
  ASSERT_TRUE(stack.server.start());
  std::string head;
  bool closed = false;
  run_client(io, stack.server, play_then_get_kicked(stack.service, http, head, closed));
  EXPECT_NE(head.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Content-Type: video/x-flv\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << head;
  EXPECT_TRUE(closed);
  EXPECT_TRUE(stack.service.connections().empty());
  auto source = stack.sources.find("/live/s");
  ASSERT_TRUE(source);
  EXPECT_EQ(source->consumer_count(), 0u);
}

}  // namespace
}  // namespace srs
