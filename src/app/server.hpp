// The running server: the config snapshot, the pid file, the listeners, signals, reload
// and the 1-second housekeeping loop, all on one io_context (logging-ops.md §3).
//
// How other components plug in (before or after start()):
//   server.set_handler(Service::rtmp, &rtmp_handler);           // accepted RTMP sockets
//   auto sub = server.reload_hub().subscribe(&my_component);   // reload notifications
//   const VhostConfig* v = server.config().vhost(name);         // typed settings
//   server.on_tick([] { ... });                                  // once a second
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>

#include "app/config.hpp"
#include "app/listener.hpp"
#include "app/pid_file.hpp"
#include "app/reload.hpp"
#include "app/stats.hpp"
#include "core/log.hpp"

namespace srs {

// Services that accept TCP connections.
enum class Service { rtmp, http_api, http_server };

struct ServerOptions {
  ConfigOverrides overrides;  // dolphin mode, re-applied on reload
  bool use_pid_file = true;   // dolphin mode skips it
};

// The log settings of a config.
LogOptions log_options_of(const GlobalConfig& global);

// The HTTP endpoints to listen on. When the API and the HTTP server are both enabled on
// the same endpoint, one listener (the server's) serves both and `api` is empty; the
// HTTP service then answers API paths on server connections too.
struct HttpEndpoints {
  std::optional<Endpoint> api;
  std::optional<Endpoint> server;
  bool shared = false;
};
HttpEndpoints http_endpoints_of(const GlobalConfig& global);

class Server final : private ReloadSubscriber {
 public:
  Server(asio::io_context& io, Config::Ptr config, ServerOptions options = {});
  ~Server() override;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Pid file, listeners, signal handlers, housekeeping. An error here means the server
  // must not run (the caller exits non-zero).
  Result<> start();

  // Parses and validates the config file again and, if good and applicable, installs it
  // and notifies subscribers. On failure the running config stays and the error is
  // returned (and logged). SIGHUP calls this.
  Result<> reload();
  // Closes the listeners, stops the handlers and lets io_context::run() return.
  void quit();

  void set_handler(Service service, ConnectionHandler* handler);
  asio::io_context& io() noexcept { return io_; }
  ReloadHub& reload_hub() noexcept { return reload_hub_; }
  const Config& config() const noexcept { return *config_; }
  Config::Ptr config_ptr() const noexcept { return config_; }
  ConnectionLimiter& connections() noexcept { return limiter_; }
  // Vhosts, streams and clients for the HTTP API; rates are updated on the tick.
  Stats& stats() noexcept { return stats_; }
  // Runs `f` from the housekeeping loop once a second.
  void on_tick(std::function<void()> f) { ticks_.push_back(std::move(f)); }
  // Bound ports of the RTMP listeners (tests use port 0).
  std::vector<uint16_t> rtmp_ports() const;
  // Bound ports of the HTTP listeners, 0 when not listening (shared: the API port is 0).
  uint16_t http_api_port() const;
  uint16_t http_server_port() const;

 private:
  void on_reload(const ConfigChange& change, const Config& config) override;
  Result<> open_listeners();
  Result<> open_rtmp_listeners();
  void close_rtmp_listeners();
  // Opens, keeps or re-listens the HTTP listeners to match the config (start and reload).
  Result<> open_http_listeners();
  void close_http_listeners();
  void reacquire_pid_file();
  awaitable<void> handle_signals();
  awaitable<void> housekeeping();
  void tick();

  asio::io_context& io_;
  Config::Ptr config_;
  ServerOptions options_;
  ReloadHub reload_hub_;
  ReloadHub::Subscription self_subscription_;
  ConnectionLimiter limiter_;
  Stats stats_;
  HandlerSlot handlers_[3];
  std::vector<std::shared_ptr<TcpListener>> rtmp_listeners_;
  std::shared_ptr<TcpListener> http_api_listener_;
  std::shared_ptr<TcpListener> http_server_listener_;
  std::optional<PidFile> pid_file_;
  asio::signal_set signals_;
  asio::steady_timer tick_timer_;
  std::vector<std::function<void()>> ticks_;
  pid_t parent_pid_ = 0;
  bool quitting_ = false;
};

}  // namespace srs
