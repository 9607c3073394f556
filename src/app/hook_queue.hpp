// The background hook calls of one stream: on_dvr, on_hls and on_hls_notify
// (http-hooks.md §1 "concurrency", §6). Posting never suspends and never blocks media; a
// worker coroutine makes the calls one after another, in posting order, and ends when the
// queue is empty. Failures are logged only.
//
// The owner (the stream's HLS/DVR wiring) keeps one HookQueue per stream and posts from
// the publisher's coroutine; the worker then logs under the publisher's context id.
// Destroying the queue does not cancel what was posted: the worker keeps its own state
// and finishes the pending calls (the last segment of a publish is still reported).
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <asio/io_context.hpp>

#include "app/config_types.hpp"
#include "app/hls_segmenter.hpp"
#include "app/http_hooks.hpp"

namespace srs {

class HookQueue {
 public:
  // More pending calls than this means the receiver is far behind (each call may take
  // kTimeout): the oldest are dropped, with a warning, to keep memory bounded.
  static constexpr size_t kMaxPending = 256;

  explicit HookQueue(asio::io_context& io);
  HookQueue(const HookQueue&) = delete;
  HookQueue& operator=(const HookQueue&) = delete;

  // A DVR file was closed and renamed to `file` (as configured/expanded): on_dvr.
  void on_dvr(const HooksConfig& hooks, const hooks::Client& c, std::string_view file);
  // A segment was closed, renamed and listed: on_hls, then on_hls_notify with the
  // vhost's hls_nb_notify (read at most that many bytes of each notify answer).
  void on_hls(const HooksConfig& hooks, const hooks::Client& c, const HlsSegmentInfo& segment,
              int nb_notify);
  // Only the on_hls_notify GETs of a segment (on_hls() already queues them).
  void on_hls_notify(const HooksConfig& hooks, const hooks::Client& c,
                     const HlsSegmentInfo& segment, int nb_notify);

  // Calls posted and not finished (the one running included).
  size_t pending() const noexcept;

 private:
  struct Job {
    std::string event;
    std::vector<std::string> urls;  // POST targets, or the expanded GET URLs of a notify
    std::string body;               // empty for a notify
    size_t nb_notify = 0;           // notify: bytes of the answer to read
  };
  struct State {
    std::deque<Job> jobs;
    bool running = false;    // a worker coroutine exists
    bool in_flight = false;  // it is making a call now
    size_t dropped = 0;
  };

  void post(Job job);
  static awaitable<void> drain(std::shared_ptr<State> state);
  static awaitable<void> run_notify(const Job& job);

  asio::io_context& io_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace srs
