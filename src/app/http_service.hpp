// The HTTP side of the server: takes accepted sockets from the HTTP API and HTTP server
// listeners, serves each with http::serve_connection and the listener's router, and keeps
// the registry of live HTTP connections (API, kick-off, graceful stop).
//
//   HttpService http(server, sources);
//   server.set_handler(Service::http_api, &http.api_handler());
//   server.set_handler(Service::http_server, &http.server_handler());
//   http.api_router().handle("/api/", ...);      // the HTTP API's endpoints
//
// The server router holds the static mounts (http_server.dir at "/", vhost http_static
// mounts) and the live remux matcher (http_remux); the API router holds `/console/` and
// whatever the API mounts. When both listen on one port, a server connection asks the API
// router first (spec hls-dvr §4, http-api §1). Mounts follow reload.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/listener.hpp"
#include "app/reload.hpp"
#include "app/source_registry.hpp"
#include "app/stats.hpp"
#include "protocol/http/router.hpp"
#include "protocol/http/server.hpp"

namespace srs {

class Server;
class HttpService;
class HttpRemux;

// One HTTP client from accept to close.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(HttpService& service, asio::ip::tcp::socket socket, ConnectionSlot slot);
  ~HttpConnection();

  // Serves requests with `root` until the client leaves or is kicked.
  static awaitable<void> run(std::shared_ptr<HttpConnection> self, http::HandlerPtr root,
                             http::ServerOptions options);
  // Closes the socket and wakes a live stream's sender: the connection unwinds at once.
  void close() noexcept;
  bool closed() const noexcept { return closed_; }

  ContextId id() const noexcept { return id_; }
  const std::string& ip() const noexcept { return ip_; }
  // While the connection plays a live stream: its key ("/live/s") and how to wake its
  // sender (a kick-off must not wait for the next media to arrive). The socket is watched
  // meanwhile: a client that leaves closes the connection at once, even when nothing is
  // written (a stream not yet published).
  void set_playing(std::string url, std::function<void()> wake);
  void clear_playing() noexcept;
  const std::string& playing() const noexcept { return playing_; }

 private:
  static awaitable<void> watch_peer(std::shared_ptr<HttpConnection> self);

  HttpService& service_;
  asio::ip::tcp::socket socket_;
  ConnectionSlot slot_;
  ContextId id_;
  std::string ip_;
  bool closed_ = false;
  std::string playing_;
  std::function<void()> wake_;
};

class HttpService final : public ClientKicker, private ReloadSubscriber {
 public:
  HttpService(Server& server, SourceRegistry& sources);
  ~HttpService() override;
  HttpService(const HttpService&) = delete;
  HttpService& operator=(const HttpService&) = delete;

  // What the listeners hand their sockets to.
  ConnectionHandler& api_handler() noexcept;
  ConnectionHandler& server_handler() noexcept;

  // The API listener's router: the HTTP API mounts `/api/` here.
  http::Router& api_router() noexcept { return *api_router_; }
  // The HTTP server listener's router: static files and live streams.
  http::Router& server_router() noexcept { return *server_router_; }

  // Live connections by context id (API, kick-off).
  const std::map<ContextId, std::shared_ptr<HttpConnection>>& connections() const noexcept {
    return connections_;
  }
  // The connection with `id` (a handler finds its own with current_context()), or null.
  HttpConnection* find(ContextId id) const noexcept;
  bool kick(ContextId id) override;
  void forget(ContextId id) noexcept { connections_.erase(id); }
  // Graceful quit: closes every connection.
  void stop();

  Server& server() noexcept { return server_; }
  SourceRegistry& sources() noexcept { return sources_; }
  // Timeouts and limits of every HTTP connection (tests shorten them).
  void set_options(const http::ServerOptions& options) { options_ = options; }

 private:
  class Entry;
  void accept(asio::ip::tcp::socket socket, ConnectionSlot slot, bool api);
  void on_reload(const ConfigChange& change, const Config& config) override;
  // (Re)builds the static mounts: root, vhost http_static, /console/.
  void mount_static(const Config& config);

  Server& server_;
  SourceRegistry& sources_;
  http::ServerOptions options_;
  std::shared_ptr<http::Router> api_router_;
  std::shared_ptr<http::Router> server_router_;
  http::HandlerPtr shared_root_;  // API first, then the server router (one shared port)
  std::unique_ptr<Entry> api_entry_;
  std::unique_ptr<Entry> server_entry_;
  std::unique_ptr<HttpRemux> remux_;
  std::vector<std::string> static_patterns_;  // on server_router_
  std::map<ContextId, std::shared_ptr<HttpConnection>> connections_;
  ReloadHub::Subscription subscription_;
};

}  // namespace srs
