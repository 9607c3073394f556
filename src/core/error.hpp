// Errors are values: every fallible call returns Result<T>. An Error carries a code that
// tests and branches compare (asio, system and our own categories compare alike) and a
// context chain that each layer prepends on the way up, so one log line explains the
// failure: "play live/cam1: send: write: Broken pipe".
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <fmt/format.h>

namespace srs {

struct Error {
  std::error_code code;
  std::string context;

  // "context: message of the code" (or just one of them when the other is empty).
  std::string message() const;
};

template <class T = void>
using Result = std::expected<T, Error>;

// Codes of the core layer itself.
enum class core_errc {
  timeout = 1,       // a deadline passed
  cancelled,         // the owner stopped the task
  closed,            // the peer closed cleanly
  invalid_argument,  // a caller passed something unusable
  limit_exceeded,    // a bound on size/count was hit
  io,                // a file or system call failed (context says which)
};
const std::error_category& core_category() noexcept;
inline std::error_code make_error_code(core_errc e) noexcept {
  return {static_cast<int>(e), core_category()};
}

// Builds a failed Result. Usage: `co_return fail(ec, "read header");`
inline std::unexpected<Error> fail(std::error_code code, std::string context = {}) {
  return std::unexpected(Error{code, std::move(context)});
}
template <class E>
requires std::is_error_code_enum_v<E>
inline std::unexpected<Error> fail(E e, std::string context = {}) {
  return std::unexpected(Error{make_error_code(e), std::move(context)});
}

// Prepends context to an error coming up from a callee: "what: <callee's context>".
inline std::unexpected<Error> wrap(Error e, std::string_view what) {
  if (e.context.empty()) {
    e.context = std::string(what);
  } else {
    std::string c;
    c.reserve(what.size() + 2 + e.context.size());
    c.append(what).append(": ").append(e.context);
    e.context = std::move(c);
  }
  return std::unexpected(std::move(e));
}
template <class T>
inline std::unexpected<Error> wrap(const Result<T>& r, std::string_view what) {
  return wrap(r.error(), what);
}

// True for the ways a connection normally ends: EOF, reset, broken pipe, cancellation.
bool is_normal_close(const Error& e) noexcept;

}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::core_errc> : true_type {};
}  // namespace std

template <>
struct fmt::formatter<srs::Error> : fmt::formatter<std::string_view> {
  auto format(const srs::Error& e, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(e.message(), ctx);
  }
};
