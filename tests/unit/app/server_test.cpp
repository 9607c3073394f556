// The server runtime on a real io_context and loopback port 0: accept hand-over, the
// connection limit, reload (good, bad, refused) and listen failures.
#include "app/server.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <asio/connect.hpp>
#include <asio/read.hpp>

#include "core/context.hpp"

namespace srs {
namespace {

using asio::ip::tcp;

constexpr const char* kBase = "daemon off; srs_log_tank console; srs_log_level error;\n";

Config::Ptr config_of(const std::string& text) {
  auto c = Config::parse(kBase + text, "t.conf");
  EXPECT_TRUE(c) << (c ? "" : c.error().message());
  return *c;
}

struct RecordingHandler : ConnectionHandler {
  explicit RecordingHandler(Executor ex) : accepted(std::move(ex)) {}
  void on_accept(tcp::socket s, ConnectionSlot slot) override {
    contexts.push_back(current_context());
    sockets.push_back(std::move(s));
    slots.push_back(std::move(slot));
    accepted.notify();
  }
  void stop() override { stopped = true; }
  std::vector<ContextId> contexts;
  std::vector<tcp::socket> sockets;
  std::vector<ConnectionSlot> slots;
  Waiter accepted;
  bool stopped = false;
};

awaitable<void> connect_two(Server& server, RecordingHandler& handler, bool& second_closed) {
  auto ex = co_await asio::this_coro::executor;
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), server.rtmp_ports().at(0));
  tcp::socket first(ex), second(ex);
  co_await first.async_connect(ep, use_nothrow);
  co_await handler.accepted.wait(5s);
  co_await second.async_connect(ep, use_nothrow);
  char byte;
  auto [ec, n] = co_await asio::async_read(second, asio::buffer(&byte, 1), use_nothrow);
  second_closed = ec == asio::error::eof || ec == asio::error::connection_reset;
  server.quit();
}

TEST(Server, HandsSocketsToTheHandlerAndEnforcesMaxConnections) {
  asio::io_context io;
  Server server(io, config_of("listen 127.0.0.1:0; max_connections 1;"), ServerOptions{{}, false});
  RecordingHandler handler(io.get_executor());
  server.set_handler(Service::rtmp, &handler);
  ASSERT_TRUE(server.start());
  bool second_closed = false;
  spawn(io.get_executor(), connect_two(server, handler, second_closed), "client");
  io.run();
  ASSERT_EQ(handler.contexts.size(), 1u);
  EXPECT_GE(handler.contexts[0], 100);  // its own id, not the listener's
  EXPECT_TRUE(second_closed);
  EXPECT_EQ(server.connections().active(), 1);
  EXPECT_TRUE(handler.stopped);  // quit() stops the handlers
  handler.slots.clear();
  EXPECT_EQ(server.connections().active(), 0);
}

TEST(Server, ListenFailureNamesTheEndpoint) {
  asio::io_context io;
  tcp::acceptor taken(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = taken.local_endpoint().port();
  Server server(io, config_of(fmt::format("listen 127.0.0.1:{};", port)), ServerOptions{{}, false});
  auto r = server.start();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().context.find(fmt::format("rtmp listen 127.0.0.1:{}: bind", port)),
            std::string::npos)
      << r.error().context;
}

struct Recorder : ReloadSubscriber {
  void on_reload(const ConfigChange& c, const Config&) override { seen.push_back(c); }
  std::vector<ConfigChange> seen;
};

// A port nobody listens on right now (reload validates the file, and port 0 is refused).
uint16_t free_port() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

class ServerReload : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("srs-reload-" + std::to_string(::getpid()) + ".conf"))
                .string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  // `{0}` and `{1}` in body become two free ports.
  void write(const std::string& body) {
    std::ofstream(path_) << kBase << fmt::format(fmt::runtime(body), port0_, port1_);
  }
  Config::Ptr load() {
    auto c = Config::load(path_);
    EXPECT_TRUE(c);
    return *c;
  }
  std::string path_;
  uint16_t port0_ = free_port();
  uint16_t port1_ = free_port();
};

TEST_F(ServerReload, GoodFileIsInstalledAndSubscribersNotified) {
  write("listen 127.0.0.1:{0}; max_connections 10; vhost a {{ }}");
  asio::io_context io;
  Server server(io, load(), ServerOptions{{}, false});
  ASSERT_TRUE(server.start());
  Recorder recorder;
  auto sub = server.reload_hub().subscribe(&recorder);
  write("listen 127.0.0.1:{0} 127.0.0.1:{1}; max_connections 20; vhost a {{ }} vhost b {{ }}");
  ASSERT_TRUE(server.reload());
  EXPECT_EQ(server.config().global().max_connections, 20);
  EXPECT_EQ(server.connections().max(), 20);
  EXPECT_EQ(server.rtmp_ports(), (std::vector<uint16_t>{port0_, port1_}));  // reopened
  EXPECT_EQ(recorder.seen, (std::vector<ConfigChange>{{ChangeKind::max_connections, "", ""},
                                                      {ChangeKind::listen, "", ""},
                                                      {ChangeKind::vhost_added, "b", ""}}));
}

TEST_F(ServerReload, BadFileKeepsTheRunningConfig) {
  write("listen 127.0.0.1:{0}; max_connections 10;");
  asio::io_context io;
  Server server(io, load(), ServerOptions{{}, false});
  ASSERT_TRUE(server.start());
  Recorder recorder;
  auto sub = server.reload_hub().subscribe(&recorder);
  write("listen 127.0.0.1:{0}; max_connections 20; vhost x {{ bogus on; }}");
  auto r = server.reload();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().context.find("directive \"vhost.bogus\""), std::string::npos);
  write("listen 127.0.0.1:{0}; max_connections 20");
  EXPECT_FALSE(server.reload());
  EXPECT_EQ(server.config().global().max_connections, 10);
  EXPECT_EQ(server.connections().max(), 10);
  EXPECT_TRUE(recorder.seen.empty());
}

TEST_F(ServerReload, ModeChangeIsRefusedAndKeepsTheRunningConfig) {
  write("listen 127.0.0.1:{0}; vhost a {{ }}");
  asio::io_context io;
  Server server(io, load(), ServerOptions{{}, false});
  ASSERT_TRUE(server.start());
  write("listen 127.0.0.1:{0}; max_connections 5; vhost a {{ mode remote; origin x; }}");
  auto r = server.reload();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, config_errc::reload_refused);
  EXPECT_FALSE(server.config().find_vhost("a")->edge());
  EXPECT_EQ(server.config().global().max_connections, 1000);
}

}  // namespace
}  // namespace srs
