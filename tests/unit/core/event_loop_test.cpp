#include "core/event_loop.hpp"

#include <gtest/gtest.h>

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

namespace srs {
namespace {

// Each handler posts the next one: a stream of small events, as many publishers make.
void chain(asio::io_context& io, int* left) {
  if (--*left <= 0) return;
  asio::post(io, [&io, left] { chain(io, left); });
}

TEST(EventLoop, RunsEveryHandlerAndReturnsWhenOutOfWork) {
  asio::io_context io;
  int left = 50000;
  asio::post(io, [&io, &left] { chain(io, &left); });
  run_event_loop(io);
  EXPECT_EQ(left, 0);
  EXPECT_TRUE(io.stopped());
}

TEST(EventLoop, RestingModeStillRunsTimersAndStops) {
  asio::io_context io;
  // A policy that rests from the first window on: every wake-up counts as busy.
  EventLoopPolicy busy{std::chrono::microseconds(200), std::chrono::milliseconds(1), 0};
  int fired = 0;
  asio::steady_timer t1(io, std::chrono::milliseconds(5));
  asio::steady_timer t2(io, std::chrono::milliseconds(20));
  t1.async_wait([&](std::error_code ec) { fired += !ec; });
  t2.async_wait([&](std::error_code ec) {
    fired += !ec;
    io.stop();
  });
  int left = 1000;
  asio::post(io, [&io, &left] { chain(io, &left); });
  run_event_loop(io, busy);
  EXPECT_EQ(fired, 2);
  EXPECT_EQ(left, 0);
  EXPECT_TRUE(io.stopped());
}

}  // namespace
}  // namespace srs
