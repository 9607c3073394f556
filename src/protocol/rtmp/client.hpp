// Our RTMP client: TCP connect, handshake, connect, createStream, then publish or play.
// Used by the integration tools, the load generator, forward and edge.
//
//   Client c(ex);
//   if (auto r = co_await c.connect("rtmp://127.0.0.1:1935/live/s", 3s); !r) ...
//   if (auto r = co_await c.play(); !r) ...
//   for (;;) { auto m = co_await c.read(); ... }
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <asio/ip/tcp.hpp>

#include "core/coro.hpp"
#include "kernel/amf0.hpp"
#include "protocol/rtmp/commands.hpp"
#include "protocol/rtmp/session.hpp"

namespace srs::rtmp {

// rtmp://host[:port]/app[/more]/stream[?params]: the app is everything before the last '/'.
struct Url {
  std::string host;
  uint16_t port = 1935;
  std::string app;     // may carry "?vhost=..." style parameters
  std::string stream;  // with its "?params"
  std::string tc_url;  // rtmp://host:port/app
};
Result<Url> parse_url(std::string_view url);

class Client {
 public:
  explicit Client(Executor ex);
  ~Client();

  // TCP connect, handshake, RTMP connect (waits for its _result). The whole step is bounded
  // by `timeout`; later reads and writes are not (the caller owns their pacing).
  awaitable<Result<>> connect(std::string_view url, Duration timeout,
                              const amf0::Value& connect_args = amf0::Value());
  // releaseStream, FCPublish, createStream, publish; waits for NetStream.Publish.Start.
  awaitable<Result<>> publish(Duration timeout);
  // createStream, play; waits for NetStream.Play.Start.
  awaitable<Result<>> play(Duration timeout);

  // The next audio/video/data message (commands such as onStatus are returned too).
  awaitable<Result<Message>> read();
  // Sends media as a publisher, with one gather write per call.
  awaitable<Result<>> send(std::span<const SharedMessagePtr> messages);
  awaitable<Result<>> send_command(Bytes payload);
  void close() noexcept;

  const Url& url() const noexcept { return url_; }
  // The server's connect _result info (srs_* identity in info.data).
  const amf0::Value& server_info() const noexcept { return server_info_; }
  Session& session() noexcept { return *session_; }
  // The message stream createStream gave us (media is sent on it).
  uint32_t stream_id() const noexcept { return stream_id_; }
  bool connected() const noexcept { return session_ != nullptr; }

 private:
  awaitable<Result<>> do_connect(const amf0::Value& connect_args);
  awaitable<Result<>> do_publish();
  awaitable<Result<>> do_play();
  // Reads until a command that satisfies `want` (by name), skipping everything else.
  awaitable<Result<Command>> wait_command(std::string_view name, double tid);
  awaitable<Result<std::string>> wait_status();
  awaitable<Result<>> with_deadline(awaitable<Result<>> step, Duration timeout);

  Executor ex_;
  asio::ip::tcp::socket socket_;
  std::unique_ptr<Session> session_;
  Url url_;
  amf0::Value server_info_;
  double next_tid_ = 2;
  uint32_t stream_id_ = kStreamId;
};

}  // namespace srs::rtmp
