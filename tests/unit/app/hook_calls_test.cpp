// Hook calls on the wire: a loopback receiver records what arrives and answers by path.
// Chains stop at the first refusal (http-hooks.md §1), disabled hooks call nobody, and a
// stream's background queue calls on_hls then on_hls_notify in order (§6).
#include <gtest/gtest.h>

#include "app/access_error.hpp"
#include "app/hook_queue.hpp"
#include "app/http_hooks.hpp"
#include "protocol/http/response_writer.hpp"
#include "unit/protocol/http_fixtures.hpp"

namespace srs {
namespace {

using http::test::LoopbackServer;
constexpr auto kTestLimit = std::chrono::seconds(10);

// Runs the loop until `done` holds (or the test limit passes: the assertions then fail).
template <class Done>
void run_until(asio::io_context& io, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + kTestLimit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(std::chrono::milliseconds(100));
  }
}

struct Received {
  std::string method, target, body, content_length;
};

// Answers "/deny" with `1`, "/403" with a 403, "/notify..." with a long body, else `0`.
class Receiver final : public http::Handler {
 public:
  awaitable<Result<>> serve(http::Request& req, http::ResponseWriter& w) override {
    got.push_back(
        {req.method, req.target, req.body, std::string(req.headers.get_or("Content-Length", "-"))});
    if (req.path == "/403") co_return co_await w.send(403, "text/plain", "0");
    if (req.path == "/deny") co_return co_await w.send(200, "text/plain", "1");
    if (req.path.starts_with("/notify")) {
      co_return co_await w.send(200, "text/plain", std::string(100000, 'n'));
    }
    co_return co_await w.send(200, "text/plain", "0");
  }
  std::vector<Received> got;
};

struct Fixture {
  asio::io_context io;
  std::shared_ptr<Receiver> receiver = std::make_shared<Receiver>();
  LoopbackServer server{io, receiver};
};

hooks::Client client() {
  hooks::Client c;
  c.id = 7;
  c.ip = "127.0.0.1";
  c.vhost = "__defaultVhost__";
  c.app = "live";
  c.stream = "s";
  c.param = "?k=v";
  return c;
}

awaitable<void> run_chain(Fixture* f, std::vector<std::string> urls, Result<>* out) {
  std::string event = "on_publish";
  std::string body = R"({"x":1})";
  *out = co_await hooks::call_chain(std::move(event), std::move(urls), std::move(body));
  f->server.stop();
}

TEST(HookCalls, ChainCallsInOrderAndStopsAtTheFirstRefusal) {
  Fixture f;
  Result<> r;
  std::vector<std::string> urls = {f.server.url("/a?x=1"), f.server.url("/deny"),
                                   f.server.url("/never")};
  spawn(f.io.get_executor(), run_chain(&f, urls, &r), "test");
  f.io.run_for(kTestLimit);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, access_errc::hook_denied);
  ASSERT_EQ(f.receiver->got.size(), 2u);
  EXPECT_EQ(f.receiver->got[0].method, "POST");
  EXPECT_EQ(f.receiver->got[0].target, "/a?x=1");
  EXPECT_EQ(f.receiver->got[0].body, R"({"x":1})");
  EXPECT_EQ(f.receiver->got[1].target, "/deny");
}

TEST(HookCalls, EveryUrlAllowingAllowsTheEvent) {
  Fixture f;
  Result<> r = fail(core_errc::io);
  spawn(f.io.get_executor(), run_chain(&f, {f.server.url("/a"), f.server.url("/b")}, &r), "test");
  f.io.run_for(kTestLimit);
  EXPECT_TRUE(r) << r.error().message();
  EXPECT_EQ(f.receiver->got.size(), 2u);
}

TEST(HookCalls, StatusOtherThan200Refuses) {
  Fixture f;
  Result<> r;
  spawn(f.io.get_executor(), run_chain(&f, {f.server.url("/403")}, &r), "test");
  f.io.run_for(kTestLimit);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, access_errc::hook_denied);
}

awaitable<void> refused_port(Result<>* out) {
  // A port that was just free: the connection is refused, which denies.
  asio::ip::tcp::acceptor probe(co_await asio::this_coro::executor,
                                {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();
  // Named locals: GCC 12 mishandles temporaries (an initializer list) in a co_await.
  std::vector<std::string> urls = {"http://127.0.0.1:" + std::to_string(port) + "/"};
  std::string event = "on_play";
  std::string body = "{}";
  *out = co_await hooks::call_chain(std::move(event), std::move(urls), std::move(body));
}

TEST(HookCalls, UnreachableReceiverRefuses) {
  asio::io_context io;
  Result<> r;
  spawn(io.get_executor(), refused_port(&r), "test");
  io.run_for(kTestLimit);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().code, access_errc::hook_denied);
}

awaitable<void> gates(Fixture* f, HooksConfig hooks, std::vector<Result<>>* out) {
  const hooks::Client c = client();
  Result<> r = co_await hooks::on_connect(hooks, c);
  out->push_back(r);
  r = co_await hooks::on_publish(hooks, c);
  out->push_back(r);
  r = co_await hooks::on_play(hooks, c);
  out->push_back(r);
  co_await hooks::on_close(hooks, c, 1, 2);
  f->server.stop();
}

TEST(HookCalls, DisabledHooksCallNobodyAndAllow) {
  Fixture f;
  HooksConfig hooks;
  hooks.enabled = false;
  hooks.on_connect = hooks.on_publish = hooks.on_play = {f.server.url("/deny")};
  std::vector<Result<>> r;
  spawn(f.io.get_executor(), gates(&f, hooks, &r), "test");
  f.io.run_for(kTestLimit);
  ASSERT_EQ(r.size(), 3u);
  for (const auto& one : r) EXPECT_TRUE(one);
  EXPECT_TRUE(f.receiver->got.empty());
}

TEST(HookCalls, GatesSendTheirEventBodies) {
  Fixture f;
  HooksConfig hooks;
  hooks.enabled = true;
  hooks.on_connect = {f.server.url("/c")};
  hooks.on_publish = {f.server.url("/deny")};
  hooks.on_close = {f.server.url("/close")};
  std::vector<Result<>> r;
  spawn(f.io.get_executor(), gates(&f, hooks, &r), "test");
  f.io.run_for(kTestLimit);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[0]);
  EXPECT_FALSE(r[1]);
  EXPECT_TRUE(r[2]);  // on_play has no URL
  ASSERT_EQ(f.receiver->got.size(), 3u);
  EXPECT_EQ(f.receiver->got[0].body, hooks::connect_body(client()));
  EXPECT_EQ(f.receiver->got[1].body, hooks::publish_body(client()));
  EXPECT_EQ(f.receiver->got[2].body, hooks::close_body(client(), 1, 2));
}

TEST(HookQueue, OnHlsThenNotifyInOrderWithoutBlockingThePoster) {
  Fixture f;
  HooksConfig hooks;
  hooks.enabled = true;
  hooks.on_hls = {f.server.url("/deny"), f.server.url("/never")};
  hooks.on_hls_notify = {f.server.url("/notify/[app]/[stream]/[ts_url][param]")};
  HlsSegmentInfo seg;
  seg.uri = "s-1.ts";
  seg.seq_no = 1;
  HookQueue queue(f.io);
  queue.on_hls(hooks, client(), seg, 64);
  seg.uri = "s-2.ts";
  seg.seq_no = 2;
  queue.on_hls(hooks, client(), seg, 64);
  EXPECT_EQ(queue.pending(), 4u);  // nothing ran yet: posting does not wait
  run_until(f.io, [&] { return queue.pending() == 0; });
  const auto& got = f.receiver->got;
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].target, "/deny");  // the refusal skips "/never"
  EXPECT_NE(got[0].body.find(R"("seq_no":1)"), std::string::npos);
  EXPECT_EQ(got[1].method, "GET");
  EXPECT_EQ(got[1].target, "/notify/live/s/s-1.ts?k=v");
  EXPECT_EQ(got[1].content_length, "0");
  EXPECT_EQ(got[2].target, "/deny");
  EXPECT_EQ(got[3].target, "/notify/live/s/s-2.ts?k=v");
  EXPECT_EQ(queue.pending(), 0u);
}

TEST(HookQueue, OnDvrPostsTheFile) {
  Fixture f;
  HooksConfig hooks;
  hooks.enabled = true;
  hooks.on_dvr = {f.server.url("/dvr")};
  HookQueue queue(f.io);
  queue.on_dvr(hooks, client(), "./live/s.1.flv");
  run_until(f.io, [&] { return queue.pending() == 0; });
  ASSERT_EQ(f.receiver->got.size(), 1u);
  EXPECT_EQ(f.receiver->got[0].body,
            hooks::dvr_body(client(), hooks::current_dir(), "./live/s.1.flv"));
}

}  // namespace
}  // namespace srs
