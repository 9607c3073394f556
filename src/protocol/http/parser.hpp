// Incremental HTTP/1.x message parsing on http-parser (Debian libhttp-parser-dev).
//
// A parser is fed whatever bytes a read returned. It consumes them up to the end of the
// current message and stops there, so bytes of a pipelined next request are left to the
// caller: feed() returns how many it took, and the rest is fed again after take().
// Every input is bounded (ParserLimits); exceeding a bound is an error whose http_errc maps
// to the status the server answers (http::status_for). After an error the parser is done.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "core/error.hpp"
#include "protocol/http/message.hpp"

namespace srs::http {

struct ParserLimits {
  size_t max_header_bytes = 32 * 1024;  // start line + fields + blank line (431)
  size_t max_headers = 100;             // number of header fields (431)
  size_t max_url_bytes = 8 * 1024;      // request-target (414)
  size_t max_body_bytes = 1024 * 1024;  // decoded body, declared or received (413)
  // RFC 7230 5.4 says an HTTP/1.1 request without Host is a 400; SRS 2.0 served such
  // requests (the API echoes "no Host"), so a server only enforces it when asked.
  bool require_host = false;
};

namespace detail {
class ParserCore;
}

class RequestParser {
 public:
  explicit RequestParser(ParserLimits limits = {});
  ~RequestParser();
  RequestParser(RequestParser&&) noexcept;
  RequestParser& operator=(RequestParser&&) noexcept;

  // Consumes bytes of the current request; returns the count taken, which is less than
  // data.size() only when the request completed (ready()). Errors: http_errc codes.
  Result<size_t> feed(std::string_view data);
  // The first byte of a request (other than blank lines between requests) has arrived.
  bool started() const noexcept;
  bool headers_complete() const noexcept;
  // The request carries `Expect: 100-continue` and its body has not arrived yet.
  bool expects_continue() const noexcept;
  bool ready() const noexcept;
  // The completed request; the parser starts over for the next one. Requires ready().
  Request take();

 private:
  std::unique_ptr<detail::ParserCore> core_;
};

class ResponseParser {
 public:
  // `head_response`: the request was HEAD, so the answer has no body whatever it declares.
  // `truncate_body`: stop at limits.max_body_bytes and complete with Response::truncated
  // instead of failing (for callers that read only a prefix, e.g. on_hls_notify).
  explicit ResponseParser(ParserLimits limits = {}, bool head_response = false,
                          bool truncate_body = false);
  ~ResponseParser();
  ResponseParser(ResponseParser&&) noexcept;
  ResponseParser& operator=(ResponseParser&&) noexcept;

  Result<size_t> feed(std::string_view data);
  // The peer closed: completes a body delimited by the close, else http_errc::incomplete.
  Result<> finish();
  bool ready() const noexcept;
  Response take();

 private:
  std::unique_ptr<detail::ParserCore> core_;
};

}  // namespace srs::http
