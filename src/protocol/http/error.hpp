// Error codes of the HTTP layer. A parse error carries the status the server answers before
// closing the connection (400, 413, 414, 431); client errors say which step of an outgoing
// request failed. Timeouts and closes use core_errc / asio codes like every other layer.
#pragma once

#include <system_error>

namespace srs {

enum class http_errc {
  bad_request = 1,        // malformed request or response bytes (400)
  header_too_large,       // the header block passed its limit (431)
  too_many_headers,       // more header fields than allowed (431)
  url_too_long,           // request target longer than allowed (414)
  body_too_large,         // body (declared or received) passed its limit (413)
  bad_url,                // a URL given to the client is not http://host[:port]/...
  bad_response,           // the peer's answer is not HTTP/1.x
  response_too_large,     // the peer's answer passed the client's size limit
  incomplete,             // the peer closed before the message ended
  not_found,              // a file or route does not exist (404)
  forbidden,              // a path escapes its root (403)
  range_not_satisfiable,  // Range / ?start beyond the file (416)
};
const std::error_category& http_category() noexcept;
inline std::error_code make_error_code(http_errc e) noexcept {
  return {static_cast<int>(e), http_category()};
}

namespace http {
// The status a server answers for an error it detected while reading a request: the
// http_errc mapping, else 400 for anything the parser reported.
int status_for(const std::error_code& code) noexcept;
}  // namespace http

}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::http_errc> : true_type {};
}  // namespace std
