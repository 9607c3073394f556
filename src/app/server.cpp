#include "app/server.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include "core/clock.hpp"

namespace srs {

LogOptions log_options_of(const GlobalConfig& g) {
  LogOptions o;
  o.console = g.log_to_console;
  o.file = g.log_file;
  o.level = parse_log_level(g.log_level);
  o.utc = g.utc_time;
  return o;
}

Server::Server(asio::io_context& io, Config::Ptr config, ServerOptions options)
    : io_(io),
      config_(std::move(config)),
      options_(std::move(options)),
      limiter_(config_->global().max_connections),
      stats_(::getpid(), SystemClock::instance().now_ms()),
      signals_(io),
      tick_timer_(io) {
  // The server reacts first to its own settings (log, pid, listeners), then components.
  self_subscription_ = reload_hub_.subscribe(this);
}

Server::~Server() {
  close_rtmp_listeners();
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

// The HTTP API and HTTP server listeners belong here too, opened from
// config_->global().http_api / http_server with handlers_[Service::http_*], once those
// services exist (their issues); stream casters likewise.
Result<> Server::open_listeners() {
  return open_rtmp_listeners();
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
  stats_.sample(SystemClock::instance().now_ms());
  for (auto& f : ticks_) f();
}

}  // namespace srs
