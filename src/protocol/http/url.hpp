// URL pieces: percent-decoding, query parameters, request targets and the absolute
// http:// URLs the client calls (hooks, heartbeat, edge-over-HTTP).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace srs::http {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`, the form-encoding rule for
// queries). A '%' not followed by two hex digits, or a decoded NUL, is http_errc::bad_request.
Result<std::string> percent_decode(std::string_view in, bool plus_is_space = false);

// The decoded value of the first `name=value` pair of a raw query string (no leading
// '?'); an empty optional when absent or undecodable, "" for `name` or `name=`.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

// An origin-form request target split at '?': both parts still percent-encoded.
struct Target {
  std::string path;   // "/" when the target had none (absolute-form "http://h")
  std::string query;  // without '?'
};
// Splits an origin-form ("/a?b") or absolute-form ("http://h/a?b") target; "*" (OPTIONS)
// gives path "*". Anything else is http_errc::bad_request.
Result<Target> split_target(std::string_view target);

// An absolute http URL.
struct Url {
  std::string host;  // name or address, without brackets for IPv6
  uint16_t port = 80;
  std::string path = "/";  // still percent-encoded
  std::string query;       // without '?'

  // The origin-form request target: path plus "?query" when there is one.
  std::string target() const;
};
// Parses "http://host[:port][/path][?query]"; other schemes (https) and malformed URLs are
// http_errc::bad_url.
Result<Url> parse_url(std::string_view url);

// The Host header value without its port ("v.com:8080" -> "v.com", "[::1]:80" -> "[::1]").
std::string_view strip_port(std::string_view host) noexcept;

}  // namespace srs::http
