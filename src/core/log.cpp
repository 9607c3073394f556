#include "core/log.hpp"

#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "core/context.hpp"

namespace srs {

namespace {
constexpr size_t kMaxLine = 4096;

struct Sink {
  LogOptions options;
  int fd = -1;  // the log file when !options.console
  int pid = ::getpid();
};
Sink g_sink;

long long now_ms() {
  timeval tv{};
  ::gettimeofday(&tv, nullptr);
  return static_cast<long long>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}
}  // namespace

LogLevel parse_log_level(std::string_view name) noexcept {
  if (name == "verbose") return LogLevel::verbose;
  if (name == "info") return LogLevel::info;
  if (name == "trace") return LogLevel::trace;
  if (name == "warn") return LogLevel::warn;
  if (name == "error") return LogLevel::error;
  return LogLevel::disabled;
}

std::string_view log_level_tag(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::verbose:
      return "verb";
    case LogLevel::info:
      return "debug";
    case LogLevel::trace:
      return "trace";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
    case LogLevel::disabled:
      break;
  }
  return "";
}

namespace logging {

std::optional<std::string> configure(const LogOptions& options) {
  g_sink.pid = ::getpid();  // changes after daemonizing
  int fd = -1;
  std::optional<std::string> failure;
  if (!options.console) {
    fd = ::open(options.file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0664);
    if (fd < 0) failure = fmt::format("open log file {}: {}", options.file, std::strerror(errno));
  }
  if (g_sink.fd >= 0) ::close(g_sink.fd);
  g_sink.fd = fd;
  g_sink.options = options;
  if (fd < 0) g_sink.options.console = true;
  return failure;
}

const LogOptions& options() noexcept {
  return g_sink.options;
}

bool enabled(LogLevel level) noexcept {
  return level != LogLevel::disabled && g_sink.options.level != LogLevel::disabled &&
         level >= g_sink.options.level;
}

std::string format_line(LogLevel level, std::string_view message, long long ms, int pid,
                        long long context, int errno_value, bool utc) {
  time_t secs = static_cast<time_t>(ms / 1000);
  tm t{};
  if (utc) {
    ::gmtime_r(&secs, &t);
  } else {
    ::localtime_r(&secs, &t);
  }
  std::string line =
      fmt::format("[{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}.{:03d}][{}][{}][{}]",
                  t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
                  static_cast<int>(ms % 1000), log_level_tag(level), pid, context);
  if (level >= LogLevel::warn) line += fmt::format("[{}]", errno_value);
  line += ' ';
  line += message;
  if (level == LogLevel::error && errno_value != 0) {
    line += fmt::format("({})", std::strerror(errno_value));
  }
  if (line.size() > kMaxLine - 1) line.resize(kMaxLine - 1);
  return line;
}

void write(LogLevel level, std::string_view message) {
  const int saved_errno = errno;
  std::string line = format_line(level, message, now_ms(), g_sink.pid, current_context(),
                                 saved_errno, g_sink.options.utc);
  if (g_sink.options.console) {
    if (level == LogLevel::warn) line = "\033[33m" + line + "\033[0m";
    if (level == LogLevel::error) line = "\033[31m" + line + "\033[0m";
  }
  line += '\n';
  const int fd = g_sink.options.console ? STDOUT_FILENO : g_sink.fd;
  // One write per line keeps lines whole when logrotate copies/truncates the file.
  [[maybe_unused]] auto n = ::write(fd, line.data(), line.size());
  errno = saved_errno;
}

}  // namespace logging
}  // namespace srs
