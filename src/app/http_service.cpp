#include "app/http_service.hpp"

#include <sys/socket.h>

#include <cerrno>

#include "app/config.hpp"
#include "app/http_remux.hpp"
#include "app/server.hpp"
#include "core/log.hpp"
#include "protocol/http/file_server.hpp"

namespace srs {

// What one listener hands its sockets to.
class HttpService::Entry final : public ConnectionHandler {
 public:
  Entry(HttpService& service, bool api) : service_(service), api_(api) {}
  void on_accept(asio::ip::tcp::socket socket, ConnectionSlot slot) override {
    service_.accept(std::move(socket), std::move(slot), api_);
  }
  void stop() override { service_.stop(); }

 private:
  HttpService& service_;
  bool api_;
};

namespace {

// One port for both: what the API router claims (anything but a catch-all root) goes
// there, the rest to the HTTP server's router.
class SharedPortRoot final : public http::Handler {
 public:
  SharedPortRoot(std::shared_ptr<http::Router> api, std::shared_ptr<http::Router> server)
      : api_(std::move(api)), server_(std::move(server)) {}
  awaitable<Result<>> serve(http::Request& req, http::ResponseWriter& w) override {
    const http::Router::Match m = api_->find(req);
    const bool to_api = (m.handler || !m.redirect.empty()) && m.pattern != "/";
    http::Router& router = to_api ? *api_ : *server_;
    co_return co_await router.serve(req, w);
  }

 private:
  std::shared_ptr<http::Router> api_;
  std::shared_ptr<http::Router> server_;
};

}  // namespace

HttpConnection::HttpConnection(HttpService& service, asio::ip::tcp::socket socket,
                               ConnectionSlot slot)
    : service_(service),
      socket_(std::move(socket)),
      slot_(std::move(slot)),
      id_(current_context()) {
  std::error_code ec;
  auto peer = socket_.remote_endpoint(ec);
  ip_ = ec ? "unknown" : peer.address().to_string();
}

// Runs when the last owner lets go, possibly after the service is gone (io_context
// teardown destroys suspended frames): it must not touch the service.
HttpConnection::~HttpConnection() = default;

awaitable<void> HttpConnection::run(std::shared_ptr<HttpConnection> self, http::HandlerPtr root,
                                    http::ServerOptions options) {
  Result<> r = co_await http::serve_borrowed_connection(self->socket_, std::move(root), options);
  if (!r && !self->closed_ && !is_normal_close(r.error())) {
    log_trace("http: client {} closed, {}", self->ip_, r.error());
  }
  self->close();
  self->service_.forget(self->id_);
}

void HttpConnection::close() noexcept {
  closed_ = true;
  std::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  if (wake_) wake_();
}

void HttpConnection::set_playing(std::string url, std::function<void()> wake) {
  playing_ = std::move(url);
  wake_ = std::move(wake);
  spawn(socket_.get_executor(), watch_peer(shared_from_this()), "http peer watch");
}

void HttpConnection::clear_playing() noexcept {
  playing_.clear();
  wake_ = nullptr;
  // Ends the watch: the stream's writes are over and the next request's read has not begun,
  // so its wait is the only operation on the socket.
  std::error_code ignored;
  socket_.cancel(ignored);
}

// A client sends nothing while it plays; readable means it left (EOF or an error), or it sent
// a request to follow the stream, which is peeked at, not read: the server reads it later.
awaitable<void> HttpConnection::watch_peer(std::shared_ptr<HttpConnection> self) {
  while (self->wake_ && !self->closed_) {
    uint8_t byte = 0;
    const ssize_t n = ::recv(self->socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0) co_return;
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      log_trace("http: client {} left while playing {}", self->ip_, self->playing_);
      self->close();
      co_return;
    }
    if (errno == EINTR) continue;
    // Checked before the first wait too: the reactor reports a new edge only.
    auto [ec] = co_await self->socket_.async_wait(asio::socket_base::wait_read, use_nothrow);
    if (ec) co_return;  // cancelled by clear_playing(), or the socket closed
  }
}

HttpService::HttpService(Server& server, SourceRegistry& sources)
    : server_(server),
      sources_(sources),
      api_router_(std::make_shared<http::Router>()),
      server_router_(std::make_shared<http::Router>()),
      shared_root_(std::make_shared<SharedPortRoot>(api_router_, server_router_)),
      api_entry_(std::make_unique<Entry>(*this, true)),
      server_entry_(std::make_unique<Entry>(*this, false)),
      remux_(std::make_unique<HttpRemux>(*this, *server_router_)) {
  mount_static(server_.config());
  remux_->rebuild(server_.config());
  subscription_ = server_.reload_hub().subscribe(this);
}

HttpService::~HttpService() {
  stop();
}

ConnectionHandler& HttpService::api_handler() noexcept {
  return *api_entry_;
}

ConnectionHandler& HttpService::server_handler() noexcept {
  return *server_entry_;
}

void HttpService::accept(asio::ip::tcp::socket socket, ConnectionSlot slot, bool api) {
  auto ex = socket.get_executor();
  auto conn = std::make_shared<HttpConnection>(*this, std::move(socket), std::move(slot));
  connections_[conn->id()] = conn;
  http::HandlerPtr root = server_router_;
  if (api) {
    root = api_router_;
  } else if (http_endpoints_of(server_.config().global()).shared) {
    root = shared_root_;
  }
  spawn(ex, HttpConnection::run(conn, std::move(root), options_), "http connection");
}

HttpConnection* HttpService::find(ContextId id) const noexcept {
  auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : it->second.get();
}

bool HttpService::kick(ContextId id) {
  HttpConnection* conn = find(id);
  if (!conn) return false;
  log_trace("http: kick off client {}", id);
  conn->close();
  return true;
}

void HttpService::stop() {
  // Closing makes every connection's pending I/O fail; each then forgets itself.
  auto all = connections_;
  for (auto& [id, conn] : all) conn->close();
}

void HttpService::on_reload(const ConfigChange& change, const Config& config) {
  switch (change.kind) {
    case ChangeKind::http_server_enabled:
    case ChangeKind::http_server_changed:
    case ChangeKind::vhost_added:
    case ChangeKind::vhost_removed:
    case ChangeKind::http_static:
    case ChangeKind::http_remux:
      // Cheap and idempotent: several changes in one reload rebuild a few times.
      mount_static(config);
      remux_->rebuild(config);
      break;
    default:
      break;
  }
}

void HttpService::mount_static(const Config& config) {
  for (const auto& p : static_patterns_) server_router_->remove(p);
  static_patterns_.clear();
  api_router_->remove("/console/");
  auto mount = [&](const std::string& pattern, const std::string& dir) {
    if (auto r = server_router_->handle(pattern, std::make_shared<http::FileServer>(pattern, dir));
        !r) {
      log_warn("http: static mount {} skipped, {}", pattern, r.error());
      return;
    }
    static_patterns_.push_back(pattern);
    log_trace("http: static mount {} -> {}", pattern, dir);
  };
  for (const VhostConfig& v : config.vhosts()) {
    if (!v.enabled || !v.http_static.enabled) continue;
    std::string pattern = expand_vhost_mount(v.name, v.http_static.mount);
    if (pattern.empty() || pattern.back() != '/') pattern += '/';
    mount(pattern, v.http_static.dir);
  }
  const HttpServerConfig& hs = config.global().http_server;
  if (!server_router_->has("/")) mount("/", hs.dir);
  // The web console, on the API listener (spec http-api §1 routing).
  (void)api_router_->handle("/console/",
                            std::make_shared<http::FileServer>("/console/", hs.dir + "/console"));
}

}  // namespace srs
