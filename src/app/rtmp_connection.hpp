// One RTMP client from handshake to close (spec/rtmp.md §3): connect, identification, then
// publishing into a Source or playing from it. Failures come back up as errors with the
// context each step added, and are logged once when the connection ends.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "app/listener.hpp"
#include "app/request.hpp"
#include "app/security.hpp"
#include "app/source.hpp"
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

class RtmpConnection : public std::enable_shared_from_this<RtmpConnection> {
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
  uint64_t bytes_received() const noexcept { return session_.bytes_received(); }
  uint64_t bytes_sent() const noexcept { return session_.bytes_sent(); }

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
  awaitable<Result<>> receive_media(Source& source, const VhostConfig& vhost, bool fmle);
  Result<bool> on_publisher_message(Source& source, rtmp::Message& m, bool fmle);
  void on_metadata(Source& source, const rtmp::Message& m);
  void send_unpublish_replies(double tid);

  awaitable<Result<>> play(const Identity& who, const VhostConfig& vhost);
  awaitable<Result<>> send_media(Consumer& consumer, double duration_ms);
  static awaitable<void> receive_while_playing(std::shared_ptr<RtmpConnection> self,
                                               Consumer* consumer);
  void on_player_command(const rtmp::Command& c, Consumer& consumer);
  void arm_deadline(Duration d) { deadline_.expires_after(d); }

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
  bool connected_ = false;  // connect was answered: on_close fires when the client ends

  // Play state shared with the receiving coroutine.
  bool play_stopped_ = false;  // closeStream/EOF: the sender stops
  bool player_left_ = false;   // the receiver's read failed: the client is gone
  bool receiver_done_ = true;
  Waiter receiver_exit_;
};

}  // namespace srs
