// The process log, in the spec's line shape (shared/spec/logging-ops.md):
//   [2025-03-01 10:00:00.123][trace][4021][107] rtmp: publish start, stream=live/cam1
//   [2025-03-01 10:00:00.123][warn][4021][107][11] publish timeout 20000ms
// The context id comes from core/context.hpp, so callers never pass it. Formats are checked
// at compile time. The sink is the one global of the process. Never log per media message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace srs {

enum class LogLevel { verbose = 0, info = 1, trace = 2, warn = 3, error = 4, disabled = 5 };

// "verbose" "info" "trace" "warn" "error"; any other word disables logging (spec).
LogLevel parse_log_level(std::string_view name) noexcept;
// The tag printed in the line: verb, debug, trace, warn, error.
std::string_view log_level_tag(LogLevel level) noexcept;

struct LogOptions {
  bool console = true;  // srs_log_tank console (else file)
  std::string file;     // srs_log_file, used when !console
  LogLevel level = LogLevel::trace;
  bool utc = false;  // utc_time
};

namespace logging {
// Applies new options; (re)opens the file in append mode. Returns an error text when the
// file cannot be opened (logging then falls back to the console).
std::optional<std::string> configure(const LogOptions& options);
const LogOptions& options() noexcept;
bool enabled(LogLevel level) noexcept;
void write(LogLevel level, std::string_view message);
// Formats one line exactly as written (without the trailing newline); for tests.
std::string format_line(LogLevel level, std::string_view message, long long now_ms, int pid,
                        long long context, int errno_value, bool utc);
}  // namespace logging

template <class... A>
void log_verbose(fmt::format_string<A...> f, A&&... a) {
  if (logging::enabled(LogLevel::verbose))
    logging::write(LogLevel::verbose, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void log_info(fmt::format_string<A...> f, A&&... a) {
  if (logging::enabled(LogLevel::info))
    logging::write(LogLevel::info, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void log_trace(fmt::format_string<A...> f, A&&... a) {
  if (logging::enabled(LogLevel::trace))
    logging::write(LogLevel::trace, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void log_warn(fmt::format_string<A...> f, A&&... a) {
  if (logging::enabled(LogLevel::warn))
    logging::write(LogLevel::warn, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void log_error(fmt::format_string<A...> f, A&&... a) {
  if (logging::enabled(LogLevel::error))
    logging::write(LogLevel::error, fmt::format(f, std::forward<A>(a)...));
}

}  // namespace srs
