// The messages the parser produces: a Request (server side) and a Response (client side),
// plus the product string every answer and outgoing request carries.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/http/headers.hpp"

namespace srs::http {

// The product and version in `Server:` (and the default `User-Agent:`). One place, so the
// API's version documents and the headers never disagree.
inline constexpr std::string_view kProductName = "SRS";
inline constexpr std::string_view kProductVersion = "2.0.300";
inline constexpr std::string_view kServerHeader = "SRS/2.0.300";

struct Request {
  std::string method = "GET";  // upper case, as http-parser names it
  int method_code = 1;         // http-parser's number (the API echoes it for odd methods)
  std::string target;          // the request-target as sent: "/api/v1/x?a=1"
  std::string raw_path;        // path part of target, still percent-encoded
  std::string path;            // percent-decoded path: what routes and files match
  std::string query;           // raw query, without '?'
  int version_major = 1;
  int version_minor = 1;
  Headers headers;
  std::string body;        // dechunked, bounded by the parser's body limit
  bool keep_alive = true;  // the connection may carry another request after this one
  std::string peer_ip;     // the client's address, set by the server connection

  bool is_head() const noexcept { return method == "HEAD"; }
  bool is_http10() const noexcept { return version_major == 1 && version_minor == 0; }
  // The Host header without its port ("" when absent).
  std::string_view host() const noexcept;
  // The decoded value of query parameter `name` (see url.hpp query_param).
  std::optional<std::string> query_param(std::string_view name) const;
};

struct Response {
  int status = 0;
  std::string reason;
  int version_major = 1;
  int version_minor = 1;
  Headers headers;
  std::string body;  // dechunked
  bool keep_alive = false;
  bool truncated = false;  // the client stopped reading at its body limit (on request)
};

// The reason phrase for a status code ("OK", "Not Found"); "Unknown" for odd codes.
std::string_view status_text(int status) noexcept;

}  // namespace srs::http
