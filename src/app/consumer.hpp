// One reader of a Source: an RTMP player, an HTTP-FLV player, a forwarder or an edge push.
// The source's publisher fills the queue synchronously (it never waits on a consumer); the
// consumer's own coroutine waits for a batch worth writing and sends it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "app/message_queue.hpp"
#include "core/coro.hpp"
#include "kernel/jitter.hpp"

namespace srs {

class Source;

// When the sender is woken (merged write, `mw_latency`):
// - the first batch after play start (metadata, sequence headers, GOP cache) at once, so a
//   player never waits for the window to start;
// - min_latency: at once for every message;
// - otherwise when the queue spans prompt_ms of media (by default merge_ms / 5, 70 ms for
//   the default 350): a short hold that still merges several frames per write (a fifth of
//   the syscalls of writing every message) while keeping delivery delay low;
// - but after a write that found the player's socket full (the player or the network is
//   slow), only when the queue spans merge_ms: such players get large merged writes.
// A sender that falls behind (a busy server) finds larger batches anyway: the queue keeps
// filling while it waits for its turn.
struct ConsumerOptions {
  int64_t queue_length_ms = 30000;
  int64_t merge_ms = 350;  // mw_latency
  int64_t prompt_ms = -1;  // < 0: merge_ms / kPromptShare
  static constexpr int64_t kPromptShare = 5;
  bool min_latency = false;
};

class Consumer {
 public:
  // Use Source::create_consumer; the consumer removes itself from the source when destroyed.
  Consumer(std::shared_ptr<Source> source, Executor ex, ConsumerOptions options);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Called by the source for every message, in order; never suspends.
  void enqueue(const SharedMessagePtr& msg, bool atc, JitterAlgorithm jitter);
  // Enqueues with a timestamp chosen by the caller (cached headers under ATC).
  void enqueue_at(const SharedMessagePtr& msg, int64_t timestamp);
  // Primes with the source's GOP cache after the queued headers: shared, not copied.
  void prime_gop(std::shared_ptr<const std::vector<SharedMessagePtr>> gop, bool atc,
                 JitterAlgorithm jitter);

  // True when the queued messages are worth a write now (the policy above).
  bool worth_a_write() const noexcept;
  // The sender reports whether its last write found the socket full (see above).
  void set_congested(bool congested) noexcept { congested_ = congested; }

  // Waits until a batch is worth sending, the timeout passes, or wake() is called.
  awaitable<void> wait(Duration timeout);
  // Takes up to `max` queued messages (appended to `out`).
  size_t fetch(std::vector<QueuedMessage>& out, size_t max);
  // Wakes the waiting sender (the source stopped, the connection is closing).
  void wake() noexcept { waiter_.notify(); }

  void set_options(const ConsumerOptions& options);
  int64_t merge_ms() const noexcept { return options_.merge_ms; }
  void set_paused(bool paused) noexcept { paused_ = paused; }
  bool paused() const noexcept { return paused_; }

  size_t queued() const noexcept;
  uint64_t dropped() const noexcept { return dropped_; }
  const std::shared_ptr<Source>& source() const noexcept { return source_; }

 private:
  struct PrimedGop;
  size_t fetch_primed(std::vector<QueuedMessage>& out, size_t max);
  void drop_primed_gop() noexcept;

  std::shared_ptr<Source> source_;
  ConsumerOptions options_;
  MessageQueue queue_;
  TimeJitter jitter_;
  std::unique_ptr<PrimedGop> primed_;  // until the primed GOP is fetched
  Waiter waiter_;
  bool paused_ = false;
  bool started_ = false;  // a batch was fetched since play start
  bool congested_ = false;
  uint64_t dropped_ = 0;
};

}  // namespace srs
