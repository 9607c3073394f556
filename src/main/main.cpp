// The srs daemon: command line, config, daemonize, pid file, listeners, signals, and the
// one io_context everything runs on (logging-ops.md §3 gives the order of these steps).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <asio/io_context.hpp>

#include "app/command_line.hpp"
#include "app/config.hpp"
#include "app/hls_service.hpp"
#include "app/http_api.hpp"
#include "app/http_service.hpp"
#include "app/rtmp_service.hpp"
#include "app/server.hpp"
#include "app/source_registry.hpp"
#include "app/system_stats.hpp"
#include "core/clock.hpp"
#include "core/context.hpp"
#include "core/event_loop.hpp"
#include "core/log.hpp"
#include "core/version.hpp"

namespace srs {
namespace {

// Up to the hard limit: max_connections is checked against the soft one, and a server
// is expected to use what the administrator allowed.
void raise_open_file_limit() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
}

// The path of the config as given, made absolute so a reload after chdir(work_dir) and
// daemonizing still finds it.
std::string absolute_path(const std::string& file) {
  std::error_code ec;
  auto p = std::filesystem::absolute(file, ec);
  return ec ? file : p.lexically_normal().string();
}

// A config error stops start-up; when the log is a file, say it on stderr as well, since
// the operator is looking at the terminal.
int refuse(const std::string& what) {
  log_error("{}", what);
  if (!logging::options().console) std::fprintf(stderr, "srs: %s\n", what.c_str());
  return 1;
}

int test_config(const Config& config) {
  if (auto r = config.validate(); !r) return refuse(r.error().message());
  log_trace("config {} is valid", config.path());
  return 0;
}

int change_work_dir(const GlobalConfig& g) {
  if (g.work_dir.empty() || g.work_dir == "./") return 0;
  if (::chdir(g.work_dir.c_str()) != 0) {
    return refuse(fmt::format("chdir to work_dir {}: {}", g.work_dir, std::strerror(errno)));
  }
  return 0;
}

void log_banner(const Config& config) {
  const GlobalConfig& g = config.global();
  log_trace("{} {} starting, a live streaming server (MIT license)", kServerName, kVersion);
  log_trace("build: {} {}, gcc {}, __cplusplus {}", __DATE__, __TIME__, __VERSION__, __cplusplus);
  std::error_code ec;
  log_trace("conf: {}, limit: {}, cwd: {}", config.path(), g.max_connections,
            std::filesystem::current_path(ec).string());
  log_trace("daemon: {}, log: {}, pid: {}, chunk_size: {}", g.daemon ? "on" : "off",
            g.log_to_console ? std::string("console") : g.log_file, g.pid, g.chunk_size);
}

// Double fork, as 2.0 does: the starting process exits 0 once the first child exits, the
// first child exits right after forking, and the grandchild is the server (not a session
// leader, stdio kept: the init script redirects it).
void daemonize() {
  const pid_t child = ::fork();
  if (child < 0) std::exit(refuse(fmt::format("fork: {}", std::strerror(errno))));
  if (child > 0) {
    int status = 0;
    ::waitpid(child, &status, 0);
    std::_Exit(0);
  }
  const pid_t grandchild = ::fork();
  if (grandchild < 0) std::_Exit(1);
  if (grandchild > 0) std::_Exit(0);
}

int run(const CommandLine& cl) {
  raise_open_file_limit();
  auto loaded = Config::load(absolute_path(cl.config_file), cl.overrides);
  if (!loaded) return refuse(loaded.error().message());
  Config::Ptr config = *loaded;
  if (cl.action == CommandLine::Action::test) return test_config(*config);

  if (int rc = change_work_dir(config->global())) return rc;
  if (auto failure = logging::configure(log_options_of(config->global()))) log_warn("{}", *failure);
  if (auto r = config->validate(); !r) return refuse(r.error().message());
  log_banner(*config);
  if (config->global().asprocess && ::getppid() == 1) {
    return refuse("asprocess on, but the parent is already gone (ppid is 1)");
  }
  if (config->global().daemon) {
    daemonize();
    logging::configure(logging::options());  // the pid in log lines changed
  }

  asio::io_context io(1);
  ServerOptions options{cl.overrides, !cl.overrides.any()};
  Server server(io, config, options);
  SourceRegistry sources;
  RtmpService rtmp(server, sources);
  server.set_handler(Service::rtmp, &rtmp);
  HttpService http(server, sources);
  server.set_handler(Service::http_api, &http.api_handler());
  server.set_handler(Service::http_server, &http.server_handler());
  // The HTTP API on the API router (with a shared port it answers there too), fed by the
  // server's statistics and a /proc sampler on the tick.
  const Clock& clock = SystemClock::instance();
  SystemStats system(config->global().stats.disks);
  system.sample(clock.wall_ms());
  ApiContext api{server.stats(), system, clock, [&server] { return server.config_ptr(); }};
  api.kickers = {&rtmp, &http};
  api.connections = [&server] { return server.connections().active(); };
  api.argv = process_command_line();
  api.start_ms = clock.now_ms();
  if (auto r = mount_http_api(http.api_router(), api); !r) return refuse(r.error().message());
  server.on_tick([&sources] { sources.reap_idle(); });
  server.on_tick([&server, &system, &clock] {
    system.set_disks(server.config().global().stats.disks);  // follows reload
    system.sample(clock.wall_ms());
  });
  // HLS: a bridge per published stream; hls_on_error disconnect kicks the RTMP publisher.
  HlsService hls(server, [&rtmp](ContextId id) { rtmp.kick(id); });
  sources.on_prepare_publish(
      [&hls](const auto& source, const auto& req) { hls.attach(source, req); });
  server.on_tick([&hls] { hls.on_timer(); });
  if (auto r = server.start(); !r) return refuse(r.error().message());
  log_trace("server: running, pid {}", ::getpid());
  run_event_loop(io);
  hls.on_shutdown();  // graceful quit only: SIGINT exits without cleanup
  log_trace("server: stopped");
  return 0;
}

}  // namespace
}  // namespace srs

int main(int argc, char** argv) {
  using namespace srs;
  ContextScope main_context(next_context_id());  // the main loop takes the first id
  std::vector<std::string_view> args(argv + 1, argv + argc);
  auto cl = parse_command_line(args);
  if (!cl) {
    std::fprintf(stderr, "srs: %s\n%s", cl.error().context.c_str(), usage(argv[0]).c_str());
    return 1;
  }
  switch (cl->action) {
    case CommandLine::Action::help:
      std::fputs(usage(argv[0]).c_str(), stdout);
      return 0;
    case CommandLine::Action::version:
      std::fprintf(stderr, "%.*s\n", static_cast<int>(kVersion.size()), kVersion.data());
      return 0;
    default:
      return run(*cl);
  }
}
