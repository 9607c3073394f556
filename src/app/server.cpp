#include "app/server.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdlib>

namespace srs {

LogOptions log_options_of(const GlobalConfig& g) {
  LogOptions o;
  o.console = g.log_to_console;
  o.file = g.log_file;
  o.level = parse_log_level(g.log_level);
  o.utc = g.utc_time;
  return o;
}

HttpEndpoints http_endpoints_of(const GlobalConfig& g) {
  HttpEndpoints e;
  if (g.http_api.enabled) e.api = parse_endpoint(g.http_api.listen);
  if (g.http_server.enabled) e.server = parse_endpoint(g.http_server.listen);
  if (e.api && e.server && *e.api == *e.server) {
    e.api.reset();
    e.shared = true;
  }
  return e;
}

Server::Server(asio::io_context& io, Config::Ptr config, ServerOptions options)
    : io_(io),
      config_(std::move(config)),
      options_(std::move(options)),
      limiter_(config_->global().max_connections),
      signals_(io),
      tick_timer_(io) {
  // The server reacts first to its own settings (log, pid, listeners), then components.
  self_subscription_ = reload_hub_.subscribe(this);
}

Server::~Server() {
  close_rtmp_listeners();
  close_http_listeners();
  self_subscription_.reset();
}

void Server::set_handler(Service service, ConnectionHandler* handler) {
  handlers_[static_cast<int>(service)].handler = handler;
}

Result<> Server::start() {
  ::signal(SIGPIPE, SIG_IGN);  // a peer closing mid-write is an error value, not a death
  parent_pid_ = ::getppid();
  if (options_.use_pid_file) {
    auto pid = PidFile::acquire(config_->global().pid);
    if (!pid) return std::unexpected(pid.error());
    pid_file_.emplace(std::move(*pid));
  }
  // Signals before listeners: once a port accepts, a supervisor (or test) may signal us,
  // and the default action of SIGTERM/SIGHUP would kill the process without cleanup.
  for (int s : {SIGHUP, SIGTERM, SIGINT, SIGUSR2}) signals_.add(s);
  spawn(new_context_executor(io_), handle_signals(), "signals");
  if (auto r = open_listeners(); !r) return r;
  spawn(new_context_executor(io_), housekeeping(), "housekeeping");
  return {};
}

// Stream casters get their listeners here too, with their issue.
Result<> Server::open_listeners() {
  if (auto r = open_rtmp_listeners(); !r) return r;
  return open_http_listeners();
}

namespace {
// Keeps `listener` when it already listens on `want`; otherwise closes it.
void drop_unless(std::shared_ptr<TcpListener>& listener, const std::optional<Endpoint>& want) {
  if (!listener || (want && listener->endpoint() == *want)) return;
  listener->close();
  listener.reset();
}
}  // namespace

Result<> Server::open_http_listeners() {
  const GlobalConfig& g = config_->global();
  const HttpEndpoints want = http_endpoints_of(g);
  if (g.http_api.enabled && !want.api && !want.shared) {
    return fail(core_errc::invalid_argument, "http_api listen " + g.http_api.listen);
  }
  if (g.http_server.enabled && !want.server) {
    return fail(core_errc::invalid_argument, "http_server listen " + g.http_server.listen);
  }
  // Stale ones first, so a port that moves from one service to the other can be bound.
  drop_unless(http_api_listener_, want.api);
  drop_unless(http_server_listener_, want.server);
  auto open = [&](std::shared_ptr<TcpListener>& l, const Endpoint& ep, const char* role,
                  Service service) -> Result<> {
    if (l) return {};
    auto fresh = std::make_shared<TcpListener>(io_, ep, role, handlers_[static_cast<int>(service)],
                                               limiter_);
    if (auto r = fresh->open(); !r) return r;
    l = std::move(fresh);
    return {};
  };
  if (want.api) {
    if (auto r = open(http_api_listener_, *want.api, "http-api", Service::http_api); !r) return r;
  }
  if (want.server) {
    auto r = open(http_server_listener_, *want.server, "http-server", Service::http_server);
    if (!r) return r;
  }
  return {};
}

void Server::close_http_listeners() {
  drop_unless(http_api_listener_, std::nullopt);
  drop_unless(http_server_listener_, std::nullopt);
}

uint16_t Server::http_api_port() const {
  return http_api_listener_ ? http_api_listener_->port() : 0;
}

uint16_t Server::http_server_port() const {
  return http_server_listener_ ? http_server_listener_->port() : 0;
}

Result<> Server::open_rtmp_listeners() {
  HandlerSlot& slot = handlers_[static_cast<int>(Service::rtmp)];
  for (const auto& endpoint : config_->listen_endpoints()) {
    auto l = std::make_shared<TcpListener>(io_, endpoint, "rtmp", slot, limiter_);
    if (auto r = l->open(); !r) return r;
    rtmp_listeners_.push_back(std::move(l));
  }
  return {};
}

void Server::close_rtmp_listeners() {
  for (auto& l : rtmp_listeners_) l->close();
  rtmp_listeners_.clear();
}

std::vector<uint16_t> Server::rtmp_ports() const {
  std::vector<uint16_t> out;
  for (const auto& l : rtmp_listeners_) out.push_back(l->port());
  return out;
}

Result<> Server::reload() {
  auto next = Config::load(config_->path(), options_.overrides);
  Result<> valid = next ? (*next)->validate() : Result<>(std::unexpected(next.error()));
  if (!valid) {
    log_error("reload: {}; keep the running config", valid.error());
    return valid;
  }
  auto changes = Config::diff(*config_, **next);
  if (!changes) {
    log_error("reload: {}; keep the running config", changes.error());
    return std::unexpected(changes.error());
  }
  config_ = std::move(*next);
  log_trace("reload: {} loaded, {} change(s)", config_->path(), changes->size());
  reload_hub_.notify(*changes, *config_);
  return {};
}

void Server::on_reload(const ConfigChange& change, const Config& config) {
  const GlobalConfig& g = config.global();
  switch (change.kind) {
    case ChangeKind::max_connections:
      limiter_.set_max(g.max_connections);
      log_trace("reload: max_connections is {}", g.max_connections);
      break;
    case ChangeKind::listen:
      close_rtmp_listeners();
      if (auto r = open_rtmp_listeners(); !r) log_error("reload: {}", r.error());
      break;
    case ChangeKind::pid:
      reacquire_pid_file();
      break;
    case ChangeKind::http_api_enabled:
    case ChangeKind::http_api_disabled:
    case ChangeKind::http_api_changed:
    case ChangeKind::http_server_enabled:
    case ChangeKind::http_server_disabled:
    case ChangeKind::http_server_changed:
      // Unchanged endpoints keep their listener; open connections are never dropped.
      if (auto r = open_http_listeners(); !r) log_error("reload: {}", r.error());
      log_trace("reload: {}", to_string(change.kind));
      break;
    case ChangeKind::log_tank:
    case ChangeKind::log_level:
    case ChangeKind::log_file:
    case ChangeKind::utc_time:
      // Several log changes in one reload reopen the file once per change; harmless.
      if (auto failure = logging::configure(log_options_of(g))) log_error("reload: {}", *failure);
      log_trace("reload: log {} now {}", to_string(change.kind),
                g.log_to_console ? std::string("console") : g.log_file);
      break;
    default:
      log_trace("reload: {} {}{}", to_string(change.kind), change.vhost,
                change.ingest.empty() ? "" : "/" + change.ingest);
      break;
  }
}

void Server::reacquire_pid_file() {
  if (!options_.use_pid_file) return;
  auto pid = PidFile::acquire(config_->global().pid);
  if (!pid) {
    log_error("reload: {}; keep the old pid file", pid.error());
    return;
  }
  pid_file_.emplace(std::move(*pid));  // releases the old lock
  log_trace("reload: pid file is {}", pid_file_->path());
}

void Server::quit() {
  if (quitting_) return;
  quitting_ = true;
  log_trace("server: graceful quit, close listeners");
  close_rtmp_listeners();
  close_http_listeners();
  for (auto& slot : handlers_) {
    if (slot.handler) slot.handler->stop();
  }
  std::error_code ec;
  signals_.cancel(ec);
  tick_timer_.cancel();
  io_.stop();
}

awaitable<void> Server::handle_signals() {
  for (;;) {
    auto [ec, signo] = co_await signals_.async_wait(use_nothrow);
    if (ec) co_return;  // cancelled by quit()
    if (signo == SIGHUP) {
      log_trace("server: SIGHUP, reload {}", config_->path());
      (void)reload();  // logged inside; a bad file keeps the server as it was
    } else if (signo == SIGTERM) {
      log_trace("server: SIGTERM, quit gracefully");
      quit();
      co_return;
    } else {
      // SIGINT/SIGUSR2 are "stop now" in 2.0: no cleanup at all.
      log_trace("server: signal {}, quit now", signo);
      ::_exit(0);
    }
  }
}

awaitable<void> Server::housekeeping() {
  while (!quitting_) {
    tick_timer_.expires_after(1s);
    auto [ec] = co_await tick_timer_.async_wait(use_nothrow);
    if (ec || quitting_) co_return;
    tick();
  }
}

void Server::tick() {
  // asprocess: the supervisor that started us is gone when our parent changes.
  if (config_->global().asprocess && ::getppid() != parent_pid_) {
    log_warn("server: parent {} is gone (asprocess), quit", parent_pid_);
    quit();
    return;
  }
  for (auto& f : ticks_) f();
}

}  // namespace srs
