// The stream hub: one Source per vhost/app/stream. The publisher feeds it; it caches
// metadata, sequence headers and the latest GOP for late joiners; it hands every message
// once, in order, to its bridges (HLS, DVR) and appends it once to the log its consumers
// read (stream_log.hpp). It never suspends: a slow player must never slow the publisher or
// the other players.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/consumer.hpp"
#include "app/gop_cache.hpp"
#include "app/mix_queue.hpp"
#include "app/stream_log.hpp"
#include "core/context.hpp"
#include "core/error.hpp"
#include "kernel/jitter.hpp"

namespace srs {

// The per-vhost play-side settings a source applies (config.md §4.1); reloadable.
struct SourceOptions {
  bool gop_cache = true;
  JitterAlgorithm jitter = JitterAlgorithm::full;
  bool mix_correct = false;
  bool atc = false;
  bool atc_auto = true;
  bool reduce_sequence_header = false;
};

// Sees every message of a source, in order, synchronously (HLS muxer, DVR writer).
class SourceBridge {
 public:
  virtual ~SourceBridge() = default;
  virtual void on_publish() = 0;
  virtual void on_message(const SharedMessagePtr& msg) = 0;
  virtual void on_unpublish() = 0;
};

enum class hub_errc { stream_busy = 1 };
const std::error_category& hub_category() noexcept;
inline std::error_code make_error_code(hub_errc e) noexcept {
  return {static_cast<int>(e), hub_category()};
}

class Source : public std::enable_shared_from_this<Source> {
 public:
  // `url` is the stream key: vhost/app/stream, or /app/stream for the default vhost.
  Source(std::string url, SourceOptions options, std::string vhost = {});
  ~Source();

  const std::string& url() const noexcept { return url_; }
  // The vhost block whose settings apply (reload looks sources up by it).
  const std::string& vhost() const noexcept { return vhost_; }
  // The id of the source: the publisher's context id while published (spec: source_id).
  ContextId source_id() const noexcept { return publisher_; }
  bool publishing() const noexcept { return publishing_; }
  void set_options(const SourceOptions& options);
  const SourceOptions& options() const noexcept { return options_; }

  // Fails with hub_errc::stream_busy when another publisher holds the stream.
  Result<> acquire_publish(ContextId publisher);
  void release_publish();

  // `metadata` is already in its stored form (onMetaData + object, spec/rtmp.md §4).
  void on_metadata(SharedMessagePtr metadata, bool bravo_atc);
  void on_audio(SharedMessagePtr msg);
  void on_video(SharedMessagePtr msg);

  // A new consumer primed with metadata, sequence headers and the GOP cache.
  std::unique_ptr<Consumer> create_consumer(Executor ex, const ConsumerOptions& options);
  void remove_consumer(Consumer* c) noexcept;
  // A reload changed queue_length / mw_latency / min_latency: every consumer takes them.
  void set_consumer_options(const ConsumerOptions& options);
  size_t consumer_count() const noexcept { return consumers_.size(); }

  // The messages consumers have yet to read (see stream_log.hpp).
  const StreamLog& log() const noexcept { return log_; }
  // A waiting consumer parks here, and is woken by the message that brings its unread span
  // to its hold. But when a source has many players, those writing at the prompt hold wait
  // for their write group's tick instead: the groups are woken in turn, one every hold /
  // kWriteGroups, so each player writes once per hold while a burst is one group. (Woken by
  // the same message, 3000 players wrote in one 50 ms burst and the last of them got every
  // frame 50 ms late: delivery delay p99 140 ms instead of 95.)
  static constexpr size_t kWriteGroups = 8;
  static constexpr size_t kGroupedFrom = 256;  // consumers; fewer make a short burst
  // Parked consumers are also woken when the publisher leaves, and when it has sent
  // nothing for kStallFlush while they hold unread messages (a stalled publisher must not
  // keep its last frames from the players): they need no timer of their own.
  static constexpr Duration kStallFlush = std::chrono::milliseconds(100);
  void park(Consumer& c);
  void unpark(Consumer& c) noexcept;

  void add_bridge(SourceBridge* bridge);
  void remove_bridge(SourceBridge* bridge) noexcept;

  const SharedMessagePtr& metadata() const noexcept { return metadata_; }
  const SharedMessagePtr& video_sequence_header() const noexcept { return video_sh_; }
  const SharedMessagePtr& audio_sequence_header() const noexcept { return audio_sh_; }
  const GopCache& gop_cache() const noexcept { return gop_; }
  bool atc() const noexcept { return options_.atc || atc_from_metadata_; }

 private:
  void on_av(SharedMessagePtr msg);
  void distribute(const SharedMessagePtr& msg);
  // Updates the cached header; false when it is identical and reduce_sequence_header
  // says existing players need not see it again.
  bool cache_sequence_header(const SharedMessagePtr& msg);
  void prime(Consumer& c) const;
  void append_to_log(const SharedMessagePtr& msg);
  void trim_log();
  void wake_parked(int64_t time);
  void remove_parked(size_t slot) noexcept;
  void park_ticked(Consumer& c);
  void remove_ticked(Consumer& c) noexcept;
  void wake_group(size_t group);
  static awaitable<void> run_ticker(std::shared_ptr<Source> self);
  void flush_stalled();
  void watch_stalls(const Executor& ex);
  static awaitable<void> run_stall_watch(std::shared_ptr<Source> self, Executor ex);

  std::string url_;
  std::string vhost_;
  SourceOptions options_;
  bool publishing_ = false;
  ContextId publisher_ = 0;
  bool atc_from_metadata_ = false;

  SharedMessagePtr metadata_;
  SharedMessagePtr video_sh_;
  SharedMessagePtr audio_sh_;
  GopCache gop_;
  MixQueue mix_;

  StreamLog log_;
  TimeJitter timeline_;    // makes the log's timeline from the publisher's timestamps
  int64_t trim_span_ = 0;  // the longest queue length among consumers (ms)

  struct Parked {
    Consumer* consumer;
    int64_t wake_at;  // on the log's timeline; only when resolved
    bool resolved;    // false: it had nothing unread; the next message sets wake_at
  };
  std::vector<Parked> parked_;
  int64_t parked_min_ = INT64_MAX;  // the earliest resolved wake_at (may be stale-early)
  size_t unresolved_ = 0;

  std::array<std::vector<Consumer*>, kWriteGroups> ticking_;
  size_t ticking_count_ = 0;
  size_t tick_group_ = 0;
  std::chrono::microseconds tick_{10000};
  bool ticker_running_ = false;
  uint8_t next_write_group_ = 0;

  std::chrono::steady_clock::time_point last_append_{};
  bool stall_watch_running_ = false;

  std::vector<Consumer*> consumers_;
  std::vector<SourceBridge*> bridges_;
};

}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::hub_errc> : true_type {};
}  // namespace std
