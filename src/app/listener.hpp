// TCP listeners and the connection limit. A listener accepts on one `[ip:]port` and hands
// every socket, with a fresh context id of its own, to the ConnectionHandler of its
// service. The RTMP, HTTP API and HTTP server listeners all draw from one
// ConnectionLimiter (`max_connections`): a socket over the limit is closed at once.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "app/config_types.hpp"
#include "core/coro.hpp"
#include "core/error.hpp"

namespace srs {

// One accepted connection's place under max_connections; freed when destroyed, so a
// connection keeps it exactly as long as it lives. Safe to outlive the limiter.
class ConnectionSlot {
 public:
  ConnectionSlot() = default;
  ConnectionSlot(ConnectionSlot&&) noexcept = default;
  ConnectionSlot& operator=(ConnectionSlot&& o) noexcept;
  ~ConnectionSlot() { release(); }
  void release() noexcept;

 private:
  friend class ConnectionLimiter;
  struct Count {
    int active = 0;
    int max = 0;
  };
  explicit ConnectionSlot(std::shared_ptr<Count> count) : count_(std::move(count)) {}
  std::shared_ptr<Count> count_;
};

class ConnectionLimiter {
 public:
  explicit ConnectionLimiter(int max) : count_(std::make_shared<ConnectionSlot::Count>()) {
    count_->max = max;
  }
  // Takes a slot, or nullopt when `max` connections are open.
  std::optional<ConnectionSlot> try_acquire();
  // A lower limit closes nobody; it only refuses new connections until under it.
  void set_max(int max) noexcept { count_->max = max; }
  int max() const noexcept { return count_->max; }
  int active() const noexcept { return count_->active; }

 private:
  std::shared_ptr<ConnectionSlot::Count> count_;
};

// Where accepted sockets go. The socket's executor carries the connection's context id:
// spawn the connection's coroutine on `socket.get_executor()` so its log lines carry it.
// on_accept runs under that id too and must not block.
class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;
  virtual void on_accept(asio::ip::tcp::socket socket, ConnectionSlot slot) = 0;
  // Graceful quit: stop serving (close sockets, stop tasks). Default: nothing to stop.
  virtual void stop() {}
};

// The listener's view of its handler; the server may change `handler` at any time.
struct HandlerSlot {
  ConnectionHandler* handler = nullptr;
};

class TcpListener : public std::enable_shared_from_this<TcpListener> {
 public:
  // `role` prefixes log lines ("rtmp"); `handlers` and `limiter` must outlive the listener.
  TcpListener(asio::io_context& io, Endpoint endpoint, std::string role,
              const HandlerSlot& handlers, ConnectionLimiter& limiter);

  // Binds (SO_REUSEADDR) and starts accepting. Errors name the endpoint.
  Result<> open();
  // Stops accepting; connections already handed over are not affected.
  void close();
  const Endpoint& endpoint() const noexcept { return endpoint_; }
  // The bound port (differs from endpoint().port when that was 0, as in tests).
  uint16_t port() const;

 private:
  awaitable<void> accept_loop(std::shared_ptr<TcpListener> self);
  void hand_over(asio::ip::tcp::socket socket, ContextId id);

  asio::io_context& io_;
  Endpoint endpoint_;
  std::string role_;
  const HandlerSlot& handlers_;
  ConnectionLimiter& limiter_;
  asio::ip::tcp::acceptor acceptor_;
};

}  // namespace srs
