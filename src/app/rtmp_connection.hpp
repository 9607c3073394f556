// One RTMP client from handshake to close (spec/rtmp.md §3): connect, identification, then
// publishing into a Source or playing from it. Failures come back up as errors with the
// context each step added, and are logged once when the connection ends.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "app/listener.hpp"
#include "app/request.hpp"
#include "app/security.hpp"
#include "app/source.hpp"
#include "app/stats.hpp"
#include "core/coro.hpp"
#include "protocol/rtmp/commands.hpp"
#include "protocol/rtmp/session.hpp"

namespace srs {

class RtmpService;
struct VhostConfig;
struct HooksConfig;
namespace hooks {
struct Client;
}

enum class RtmpClientType { unknown, play, fmle_publish, flash_publish, haivision_publish };
std::string_view client_type_name(RtmpClientType t) noexcept;
inline bool is_publisher(RtmpClientType t) noexcept {
  return t == RtmpClientType::fmle_publish || t == RtmpClientType::flash_publish ||
         t == RtmpClientType::haivision_publish;
}

// The per-connection settings of a connection's vhost (config.md §4.1), copied when it is
// admitted and again on reload, so loops never look the config up.
struct RtmpSettings {
  uint32_t chunk_size = 60000;
  Duration send_min_interval{};  // play: at least this between two writes
  bool merged_read = false;      // mr: let a publisher's bytes pile up between reads
  Duration mr_latency = 350ms;
  Duration first_packet_timeout = 20s;
  Duration normal_timeout = 5s;
  // tcp_nodelay needs no setting: every socket has it on, since we batch writes ourselves
  // and Nagle could only add delay.
};
RtmpSettings rtmp_settings_of(const VhostConfig& vhost);

class RtmpConnection : public std::enable_shared_from_this<RtmpConnection>,
                       public ByteCounter,
                       private DirectSender {
 public:
  RtmpConnection(RtmpService& service, asio::ip::tcp::socket socket, ConnectionSlot slot);
  ~RtmpConnection();

  // Serves the client until it leaves or is kicked; `self` keeps the connection alive.
  static awaitable<void> run(std::shared_ptr<RtmpConnection> self);
  // Closes the socket: every pending read or write fails and the connection unwinds.
  void close() noexcept;

  ContextId id() const noexcept { return id_; }
  const std::string& ip() const noexcept { return ip_; }
  const StreamRequest& request() const noexcept { return request_; }
  RtmpClientType type() const noexcept { return type_; }
  uint64_t bytes_received() const noexcept override { return session_.bytes_received(); }
  uint64_t bytes_sent() const noexcept override { return session_.bytes_sent(); }
  // A reload changed this connection's vhost: a new chunk size is announced before the
  // next write, the other settings apply from the next read or write.
  void reload(const VhostConfig& vhost);

 private:
  struct Identity {
    RtmpClientType type = RtmpClientType::unknown;
    std::string stream;
    double duration = -1;  // play: ms of media, negative = no limit
  };

  awaitable<Result<>> serve();
  awaitable<Result<>> accept_connect();
  awaitable<Result<Identity>> identify();
  awaitable<Result<rtmp::Command>> read_command();
  awaitable<Result<>> finish_publish_handshake(const Identity& who);
  Result<const VhostConfig*> admit(const Identity& who);

  awaitable<Result<>> publish(const Identity& who, const VhostConfig& vhost);
  // NetStream.Publish.BadName, on_unpublish, and the error that closes the connection.
  awaitable<Result<>> refuse_busy(const std::string& url);
  awaitable<Result<>> receive_media(Source& source, bool fmle);
  bool read_block_waiting();
  Result<bool> on_publisher_message(Source& source, rtmp::Message& m, bool fmle);
  void on_publisher_audio(Source& source, SharedMessagePtr msg);
  void on_publisher_video(Source& source, SharedMessagePtr msg);
  void on_metadata(Source& source, const rtmp::Message& m);
  void send_unpublish_replies(double tid);

  awaitable<Result<>> play(const Identity& who, const VhostConfig& vhost);
  awaitable<Result<>> send_media(Consumer& consumer, double duration_ms);
  static awaitable<void> receive_while_playing(std::shared_ptr<RtmpConnection> self,
                                               Consumer* consumer);
  void on_player_command(const rtmp::Command& c, Consumer& consumer);
  // Fetches up to `max` messages into a new batch (after any queued replies); false when
  // the batch is empty.
  bool start_media_batch(Consumer& consumer, size_t max);
  bool send_now(Consumer& consumer) noexcept override;
  awaitable<Result<>> finish_direct_send(Consumer& consumer);
  Result<> send_failed(const Result<>& w) const;
  void arm_deadline(Duration d) { deadline_.expires_after(d); }
  // Statistics for the HTTP API (app/stats.hpp): the client entry and its stream's.
  void report_client();
  Stats& stats() noexcept;

  // Access control and HTTP callbacks (rtmp_access.cpp), in http-hooks.md §5 order.
  awaitable<Result<>> authorize(const Identity& who, const VhostConfig& vhost);
  awaitable<Result<>> authorize_start(AccessKind kind, const VhostConfig& vhost);
  awaitable<void> notify_unpublish();
  awaitable<void> notify_stop();
  awaitable<void> notify_close();
  hooks::Client hook_client() const;
  HooksConfig current_hooks() const;
  void arm_for_hook(const std::vector<std::string>& urls);

  RtmpService& service_;
  asio::ip::tcp::socket socket_;
  ConnectionSlot slot_;
  ContextId id_;
  std::string ip_;
  rtmp::Session session_;
  Deadline deadline_;
  StreamRequest request_;
  RtmpClientType type_ = RtmpClientType::unknown;
  RtmpSettings settings_;
  uint32_t out_chunk_size_ = 0;        // the SetChunkSize we last sent
  Consumer* consumer_ = nullptr;       // while playing
  StreamStat* stream_stat_ = nullptr;  // set once identified; entries are never deleted
  bool connected_ = false;             // connect was answered: on_close fires when the client ends

  // Play state shared with the receiving coroutine.
  bool play_stopped_ = false;  // closeStream/EOF: the sender stops
  bool receiver_done_ = true;
  // Why the receiver stopped reading, when it was the socket (the client left): after an
  // EOF a second read would wait for an edge epoll never reports again.
  std::optional<Error> receiver_error_;
  // The messages of the batch being written (they own its payloads), and why a direct
  // send failed, for the sender to report.
  std::vector<QueuedMessage> sending_;
  std::optional<Error> direct_error_;
  Waiter receiver_exit_;
};

}  // namespace srs
