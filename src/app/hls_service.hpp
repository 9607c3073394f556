// The HLS of the running server (hls-dvr.md §2.1): one Hls per stream for the process
// lifetime, so sequence numbers, the playlist window and the TS continuity counters survive
// republish (even when the idle source was reaped in between). Before each publish the
// stream's Hls is attached to its source as a bridge; the server's tick drives hls_dispose;
// a reload of a vhost's hls block restarts HLS of its live streams without touching the
// publishers; a graceful quit closes the open segments.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "app/config_types.hpp"
#include "app/file_writer.hpp"
#include "app/hls.hpp"
#include "app/hook_queue.hpp"
#include "app/reload.hpp"
#include "core/clock.hpp"
#include "core/context.hpp"

namespace srs {

class Server;

// The typed options of a vhost's hls block; values validation would refuse fall back to
// the defaults. `utc_time` is the global directive (file name times).
HlsOptions hls_options_of(const HlsConfig& config, bool utc_time);

class HlsService final : private ReloadSubscriber {
 public:
  // Disconnects the publisher with this context id (hls_on_error).
  using Kick = std::function<void(ContextId)>;
  using WriterFactory = std::function<std::unique_ptr<FileWriter>()>;

  // Without a factory every stream writes through its own DiskFileWriter.
  HlsService(Server& server, Kick kick, Clock& clock = SystemClock::instance(),
             WriterFactory make_writer = {});
  ~HlsService() override;
  HlsService(const HlsService&) = delete;
  HlsService& operator=(const HlsService&) = delete;

  // Called before `source` is published for `request` (its vhost is the resolved block
  // name): makes the stream's Hls one of the source's bridges. Idempotent.
  void attach(const std::shared_ptr<Source>& source, const StreamRequest& request);
  // Once a second: hls_dispose.
  void on_timer();
  // Graceful quit: every open segment is closed; hls_dispose > 0 deletes the files.
  void on_shutdown();

  size_t size() const noexcept { return streams_.size(); }
  // The Hls of a stream key (vhost/app/stream or /app/stream), or null.
  const Hls* find(const std::string& stream_url) const;

 private:
  struct Stream {
    std::string url;
    std::string vhost;
    std::unique_ptr<FileWriter> writer;
    std::unique_ptr<Hls> hls;
    std::weak_ptr<Source> source;      // the source it is a bridge of; reaped sources expire
    StreamRequest request;             // of the latest publish: the on_hls fields
    std::unique_ptr<HookQueue> hooks;  // on_hls/on_hls_notify, made at the first segment
  };

  void on_reload(const ConfigChange& change, const Config& config) override;
  HlsOptions options_for(const Config& config, const std::string& vhost) const;
  std::unique_ptr<Stream> make_stream(const StreamRequest& request);
  void restart(Stream& s, const HlsOptions& options);
  void disconnect_publisher(Stream& s, const Error& e);
  // A segment is listed: on_hls then on_hls_notify, queued in the background.
  void on_segment(Stream& s, const HlsSegmentInfo& info);

  Server& server_;
  Kick kick_;
  Clock& clock_;
  WriterFactory make_writer_;
  std::unordered_map<std::string, std::unique_ptr<Stream>> streams_;
  ReloadHub::Subscription subscription_;
};

}  // namespace srs
