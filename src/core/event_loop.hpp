// The main loop: runs the io_context until it stops or runs out of work.
//
// Many publishers each send a small packet every few milliseconds; a loop that blocks in
// epoll after every drain is woken (a context switch and an epoll_wait) for almost each of
// them. When wake-ups come faster than `coalesce_above_per_s`, the loop rests `rest` between
// drains instead, so the kernel queues several events per wake-up, and it goes back to
// blocking as soon as a `window` brings less work than that. The cost is at most `rest` of
// extra delay per event while busy; an idle or lightly loaded server never rests.
// Measured (bench/RESULTS.md): 200 publishers, context switches 4700/s -> 700/s.
#pragma once

#include <chrono>
#include <cstddef>

#include <asio/io_context.hpp>

namespace srs {

struct EventLoopPolicy {
  std::chrono::microseconds rest{1000};
  std::chrono::milliseconds window{100};
  size_t coalesce_above_per_s = 2000;
};

// Returns when `io` is stopped or out of work.
void run_event_loop(asio::io_context& io, const EventLoopPolicy& policy = {});

}  // namespace srs
