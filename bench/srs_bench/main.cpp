// srs_bench: load and latency generator (one thread, one io_context, coroutines).
//
//   srs_bench play    -u rtmp://127.0.0.1:1935/live/s -n 1000 -r 500 -d 30
//   srs_bench flv     -u http://127.0.0.1:8080/live/s.flv -n 1000 -r 500 -d 30
//   srs_bench publish -u rtmp://127.0.0.1:1935/live/s -n 200 -r 100 -d 30 -i in.flv
//                     (with -n > 1 each publisher gets its own stream: s_0, s_1, ...)
//   srs_bench latency -u rtmp://127.0.0.1:1935/live/s -i in.flv -d 20 [--flv-url URL]
//                     [-n PLAYERS] [--join-after SECONDS]
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include "srs_bench/latency.hpp"
#include "srs_bench/players.hpp"
#include "srs_bench/publisher.hpp"
#include "srs_bench/stats.hpp"

namespace srs::bench {
namespace {

struct Args {
  std::string mode;
  std::string url;
  std::string flv_url;
  std::string input;
  int clients = 1;
  double rate = 100;
  double seconds = 10;
  double timeout = 10;
  double join_after = 0;  // latency: the player joins this long after the publisher
};

void usage() {
  std::fputs(
      "usage: srs_bench play|flv|publish|latency -u URL [-n N] [-r RATE/s] [-d SECONDS]\n"
      "                 [-i FILE.flv] [--flv-url URL] [--timeout SECONDS] [--join-after SECONDS]\n",
      stderr);
  std::exit(2);
}

Args parse_args(int argc, char** argv) {
  if (argc < 2) usage();
  Args a;
  a.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string k = argv[i];
    if (i + 1 >= argc) usage();
    std::string v = argv[++i];
    if (k == "-u")
      a.url = v;
    else if (k == "-n")
      a.clients = std::atoi(v.c_str());
    else if (k == "-r")
      a.rate = std::atof(v.c_str());
    else if (k == "-d")
      a.seconds = std::atof(v.c_str());
    else if (k == "-i")
      a.input = v;
    else if (k == "--flv-url")
      a.flv_url = v;
    else if (k == "--timeout")
      a.timeout = std::atof(v.c_str());
    else if (k == "--join-after")
      a.join_after = std::atof(v.c_str());
    else
      usage();
  }
  if (a.url.empty() || a.clients < 1 || a.rate <= 0 || a.seconds <= 0) usage();
  if (a.join_after < 0 || a.join_after >= a.seconds) usage();
  if ((a.mode == "publish" || a.mode == "latency") && a.input.empty()) usage();
  return a;
}

// Thousands of sockets: take the hard limit.
void raise_fd_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

Duration seconds(double s) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

// Starts `start(i)` for i in [0, n) at `rate` per second, then marks the steady window.
template <class Start>
awaitable<void> ramp(int n, double rate, Reporter& reporter, Start start) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    timer.expires_at(t0 + seconds(i / rate));
    co_await timer.async_wait(use_nothrow);
    start(i);
  }
  reporter.steady();
}

awaitable<void> ticker(Reporter& reporter) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto next = Clock::now();
  for (;;) {
    next += std::chrono::seconds(1);
    timer.expires_at(next);
    auto [ec] = co_await timer.async_wait(use_nothrow);
    if (ec) co_return;
    reporter.tick();
  }
}

// With several publishers each gets its own stream: url + "_" + i.
std::string publisher_url(const std::string& url, int i, int n) {
  if (n == 1) return url;
  const size_t q = url.find('?');
  if (q == std::string::npos) return fmt::format("{}_{}", url, i);
  return fmt::format("{}_{}{}", url.substr(0, q), i, url.substr(q));
}

int run_load(const Args& a) {
  asio::io_context io(1);
  auto target = resolve_target(io, a.url);
  if (!target) {
    fmt::print(stderr, "srs_bench: {}\n", target.error());
    return 1;
  }
  std::shared_ptr<const FlvFile> file;
  if (a.mode == "publish") {
    auto f = load_flv(a.input);
    if (!f) {
      fmt::print(stderr, "srs_bench: {}\n", f.error());
      return 1;
    }
    file = *f;
  }
  Stats stats;
  stats.mode = a.mode;
  Reporter reporter(stats);
  Executor ex = io.get_executor();
  PlayerOptions po;
  po.startup_timeout = seconds(a.timeout);
  PublishOptions pub;
  pub.timeout = seconds(a.timeout);
  auto start = [&](int i) {
    if (a.mode == "play") {
      start_rtmp_player(ex, *target, stats, po);
    } else if (a.mode == "flv") {
      start_flv_player(ex, *target, stats, po);
    } else {
      Target t = *target;
      t.url = publisher_url(a.url, i, a.clients);
      start_publisher(ex, t, file, stats, pub);
    }
  };
  spawn(ex, ramp(a.clients, a.rate, reporter, start), "ramp");
  spawn(ex, ticker(reporter), "ticker");
  io.run_for(seconds(a.seconds));
  reporter.summary();
  return 0;
}

int run_latency(const Args& a) {
  asio::io_context io(1);
  const bool flv = !a.flv_url.empty();
  auto publish_target = resolve_target(io, a.url);
  auto play_target = resolve_target(io, flv ? a.flv_url : a.url);
  auto file = load_flv(a.input);
  if (!publish_target || !play_target || !file) {
    fmt::print(stderr, "srs_bench: bad url or input\n");
    return 1;
  }
  Stats play_stats, pub_stats;
  play_stats.mode = flv ? "latency-flv-player" : "latency-player";
  pub_stats.mode = "latency-publisher";
  // One meter per probe player; the publisher's frames go to all of them.
  std::vector<LatencyMeter> meters(static_cast<size_t>(a.clients));
  Reporter play_reporter(play_stats);
  Executor ex = io.get_executor();
  PublishOptions pub;
  pub.timeout = seconds(a.timeout);
  pub.on_video_sent = [&](const MediaEvent& e, Clock::time_point at) {
    for (LatencyMeter& m : meters) m.sent(e, at);
  };
  auto start_players = [&] {
    for (LatencyMeter& m : meters) {
      PlayerOptions po;
      po.startup_timeout = seconds(a.timeout);
      po.on_media = [&m](const MediaEvent& e, Clock::time_point at) { m.received(e, at); };
      if (flv)
        start_flv_player(ex, *play_target, play_stats, po);
      else
        start_rtmp_player(ex, *play_target, play_stats, po);
    }
  };
  const auto end = Clock::now() + seconds(a.seconds);
  if (a.join_after > 0) {
    // The players join a running stream, after other players (a server may serve its
    // players in the order they came: the first one is not a fair sample).
    start_publisher(ex, *publish_target, *file, pub_stats, pub);
    io.run_for(seconds(a.join_after));
    for (LatencyMeter& m : meters) m.player_joined(Clock::now());
    start_players();
  } else {
    // The players go first, so every frame they get was sent while they watched (no cache).
    start_players();
    const auto deadline = Clock::now() + seconds(a.timeout);
    while (static_cast<size_t>(play_stats.connected + play_stats.failed) < meters.size() &&
           Clock::now() < deadline) {
      io.run_one_for(std::chrono::milliseconds(50));
    }
    start_publisher(ex, *publish_target, *file, pub_stats, pub);
  }
  io.run_until(end);
  LatencyMeter all;
  for (LatencyMeter& m : meters) {
    m.finish(Clock::now(), std::chrono::seconds(1));
    all.absorb(m);
  }
  play_reporter.summary();
  all.summary();
  return 0;
}

}  // namespace
}  // namespace srs::bench

int main(int argc, char** argv) {
  using namespace srs::bench;
  Args a = parse_args(argc, argv);
  raise_fd_limit();
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (a.mode == "play" || a.mode == "flv" || a.mode == "publish") return run_load(a);
  if (a.mode == "latency") return run_latency(a);
  usage();
}
