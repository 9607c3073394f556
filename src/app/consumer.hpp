// One reader of a Source: an RTMP player, an HTTP-FLV player, a forwarder or an edge push.
// The publisher appends each message once to the source's log; the consumer reads from its
// own cursor there, applying its time jitter as it fetches. Its coroutine waits (parked at
// the source) until a batch is worth writing, then sends it.
//
// Queue length (`queue_length`): a consumer further behind than that loses whole GOPs from
// the front and restarts at a keyframe, so what it receives stays decodable (2.0 dropped
// everything). The metadata and sequence headers among what it skips are kept, stamped with
// the restart time, so a codec change is never lost. When no keyframe is in reach, it skips
// everything and waits for the next keyframe before taking audio/video again.
#pragma once

#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "app/stream_log.hpp"
#include "core/coro.hpp"
#include "kernel/jitter.hpp"

namespace srs {

class Source;
class Consumer;

// When the sender is woken (merged write, `mw_latency`):
// - the first batch after play start (metadata, sequence headers, GOP cache) at once, so a
//   player never waits for the window to start;
// - min_latency: at once for every message;
// - otherwise when the unread messages span prompt_ms of media (by default merge_ms / 5, 70
//   ms for the default 350): a short hold that still merges several frames per write while
//   keeping delivery delay below 100 ms. On a source with many players, at the write tick
//   of this consumer's group instead (see Source::park), every 5/4 prompt_ms: the span
//   rule's average write interval, as it wakes at the first message past the span;
// - but after a write that found the player's socket full (the player or the network is
//   slow), only when they span merge_ms: such players get large merged writes.
// A sender that falls behind (a busy server) finds larger batches anyway: the log keeps
// filling while it waits for its turn.
struct ConsumerOptions {
  int64_t queue_length_ms = 30000;
  int64_t merge_ms = 350;  // mw_latency
  int64_t prompt_ms = -1;  // < 0: merge_ms / kPromptShare
  static constexpr int64_t kPromptShare = 5;
  bool min_latency = false;
};

// A sender that can write without its coroutine running. Waking a parked player costs a
// coroutine resumption (several cold frames, players being many) and a new park; a write
// that the socket takes at once needs neither. The source calls send_now() on a consumer
// of a write group whose tick has come, in place of waking its coroutine.
class DirectSender {
 public:
  // Sends what `c` holds now, never waiting. True when all of it went (or there was nothing
  // to send): the coroutine stays parked. False when the coroutine must run (the socket took
  // only part, the write failed, or the sender cannot send now): the source wakes it.
  virtual bool send_now(Consumer& c) noexcept = 0;

 protected:
  ~DirectSender() = default;
};

class Consumer {
 public:
  // Use Source::create_consumer; the consumer removes itself from the source when destroyed.
  Consumer(std::shared_ptr<Source> source, Executor ex, ConsumerOptions options);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Priming, by the source before the first fetch: headers (with a fixed timestamp, or
  // jittered at fetch when `timestamp` is nullopt), then the GOP cache, shared not copied.
  void prime_header(const SharedMessagePtr& msg, std::optional<int64_t> timestamp);
  void prime_gop(std::shared_ptr<const std::vector<SharedMessagePtr>> gop);

  // True when the unread messages are worth a write now (the policy above).
  bool worth_a_write() const noexcept;
  // The sender reports whether its last write found the socket full (see above).
  void set_congested(bool congested) noexcept { congested_ = congested; }

  // Waits until a batch is worth sending or wake() is called. The source wakes it for
  // every reason there is (see Source::park); it needs no timer of its own.
  awaitable<void> wait();
  // Takes up to `max` messages (appended to `out`).
  size_t fetch(std::vector<QueuedMessage>& out, size_t max);
  // Wakes the waiting sender (the publisher left, the connection is closing).
  void wake() noexcept { waiter_.notify(); }
  // While set, the source sends through `sender` when this consumer's write tick comes
  // (see DirectSender); nullptr: it wakes the coroutine.
  void set_direct_sender(DirectSender* sender) noexcept { direct_ = sender; }

  void set_options(const ConsumerOptions& options) { options_ = options; }
  int64_t merge_ms() const noexcept { return options_.merge_ms; }
  void set_paused(bool paused) noexcept { paused_ = paused; }
  bool paused() const noexcept { return paused_; }

  size_t queued() const noexcept;
  uint64_t dropped() const noexcept { return dropped_; }
  const std::shared_ptr<Source>& source() const noexcept { return source_; }

  // For the source: the next log entry this consumer reads.
  uint64_t cursor() const noexcept { return cursor_; }
  // Applies the queue length: skips to a restart point when too far behind.
  void enforce_queue_length();
  // How much media must be unread before a write is worth it (the policy above).
  int64_t hold_ms() const noexcept;
  // Whether its wait is paced by the source's write ticks (the prompt hold).
  bool ticked() const noexcept { return started_ && !options_.min_latency && !congested_; }

 private:
  struct Pending {
    SharedMessagePtr msg;
    std::optional<int64_t> timestamp;  // nullopt: jittered at fetch
  };
  struct PrimedGop;

  const StreamLog& log() const noexcept;
  int64_t correct(const SharedMessage& m) noexcept { return correct(m, jitter_); }
  int64_t correct(const SharedMessage& m, TimeJitter& jitter) const noexcept;
  size_t fetch_pending(std::vector<QueuedMessage>& out, size_t max);
  size_t fetch_primed(std::vector<QueuedMessage>& out, size_t max);
  size_t fetch_log(std::vector<QueuedMessage>& out, size_t max);
  void restart_at(uint64_t restart, bool found, bool video);

  std::shared_ptr<Source> source_;
  ConsumerOptions options_;
  uint64_t cursor_ = 0;
  TimeJitter jitter_;
  std::vector<Pending> pending_;       // headers that go before the primed GOP / the log
  std::unique_ptr<PrimedGop> primed_;  // until the primed GOP is fetched
  Waiter waiter_;
  bool paused_ = false;
  bool started_ = false;  // a batch was fetched since play start
  bool congested_ = false;
  bool wait_keyframe_ = false;
  uint64_t dropped_ = 0;
  size_t park_slot_ = SIZE_MAX;  // index in the source's parked list, while parked
  bool park_ticked_ = false;     // parked in its write group rather than by time
  uint8_t write_group_ = 0;
  DirectSender* direct_ = nullptr;

  friend class Source;
};

}  // namespace srs
