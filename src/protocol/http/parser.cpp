#include "protocol/http/parser.hpp"

#include <climits>
#include <string>

#include <http_parser.h>

#include "protocol/http/error.hpp"
#include "protocol/http/url.hpp"

namespace srs::http {

namespace detail {

// One message at a time over http-parser's callbacks. The callbacks only collect and check
// bounds; a bound broken inside a callback is remembered in error_ and stops the parser.
class ParserCore {
 public:
  ParserCore(http_parser_type type, ParserLimits limits, bool head_response, bool truncate)
      : type_(type), limits_(limits), head_response_(head_response), truncate_(truncate) {
    reset();
  }

  void reset() {
    http_parser_init(&parser_, type_);
    parser_.data = this;
    request_ = {};
    response_ = {};
    field_.clear();
    value_.clear();
    in_value_ = false;
    header_bytes_ = 0;
    started_ = headers_done_ = complete_ = false;
  }

  Result<size_t> feed(std::string_view data);
  Result<> finish();

  bool started() const noexcept { return started_; }
  bool headers_done() const noexcept { return headers_done_; }
  bool complete() const noexcept { return complete_; }
  bool failed() const noexcept { return static_cast<bool>(error_.code); }
  Request& request() noexcept { return request_; }
  Response& response() noexcept { return response_; }

 private:
  Headers& headers() { return type_ == HTTP_REQUEST ? request_.headers : response_.headers; }
  std::string& body() { return type_ == HTTP_REQUEST ? request_.body : response_.body; }
  size_t run(std::string_view chunk);
  int stop(http_errc code, std::string context) {
    error_ = Error{make_error_code(code), std::move(context)};
    return -1;
  }
  int commit_field();
  int finish_request_line();
  int on_headers_complete();
  int on_body(const char* at, size_t len);
  int on_message_complete();

  static ParserCore& self(http_parser* p) { return *static_cast<ParserCore*>(p->data); }
  static const http_parser_settings& settings();

  http_parser_type type_;
  ParserLimits limits_;
  bool head_response_;
  bool truncate_;
  http_parser parser_;
  Request request_;
  Response response_;
  std::string field_, value_;
  bool in_value_ = false;
  size_t header_bytes_ = 0;
  bool started_ = false, headers_done_ = false, complete_ = false;
  Error error_;
};

const http_parser_settings& ParserCore::settings() {
  static const http_parser_settings s = [] {
    http_parser_settings v;
    http_parser_settings_init(&v);
    v.on_message_begin = [](http_parser* p) {
      self(p).started_ = true;
      return 0;
    };
    v.on_url = [](http_parser* p, const char* at, size_t len) {
      auto& c = self(p);
      if (c.request_.target.size() + len > c.limits_.max_url_bytes) {
        return c.stop(http_errc::url_too_long, "request target");
      }
      c.request_.target.append(at, len);
      return 0;
    };
    v.on_status = [](http_parser* p, const char* at, size_t len) {
      self(p).response_.reason.append(at, len);  // bounded by the header limit
      return 0;
    };
    v.on_header_field = [](http_parser* p, const char* at, size_t len) {
      auto& c = self(p);
      if (c.in_value_ && c.commit_field() != 0) return -1;
      c.field_.append(at, len);
      return 0;
    };
    v.on_header_value = [](http_parser* p, const char* at, size_t len) {
      auto& c = self(p);
      c.in_value_ = true;
      c.value_.append(at, len);
      return 0;
    };
    v.on_headers_complete = [](http_parser* p) { return self(p).on_headers_complete(); };
    v.on_body = [](http_parser* p, const char* at, size_t len) { return self(p).on_body(at, len); };
    v.on_message_complete = [](http_parser* p) { return self(p).on_message_complete(); };
    return v;
  }();
  return s;
}

int ParserCore::commit_field() {
  if (headers().size() >= limits_.max_headers) {
    return stop(http_errc::too_many_headers, "header fields");
  }
  headers().add(std::move(field_), std::move(value_));
  field_.clear();
  value_.clear();
  in_value_ = false;
  return 0;
}

// Splits and decodes the target once the request line is known, so a bad target is a 400
// before any handler sees it.
int ParserCore::finish_request_line() {
  Request& r = request_;
  r.method_code = static_cast<int>(parser_.method);
  r.method = http_method_str(static_cast<http_method>(parser_.method));
  r.version_major = parser_.http_major;
  r.version_minor = parser_.http_minor;
  auto target = split_target(r.target);
  if (!target) return stop(http_errc::bad_request, "request target");
  auto path = percent_decode(target->path);
  if (!path) return stop(http_errc::bad_request, "request path");
  r.raw_path = std::move(target->path);
  r.query = std::move(target->query);
  r.path = std::move(*path);
  if (limits_.require_host && !r.is_http10() && !r.headers.has("Host")) {
    return stop(http_errc::bad_request, "HTTP/1.1 request without Host");
  }
  return 0;
}

int ParserCore::on_headers_complete() {
  if (in_value_ && commit_field() != 0) return -1;
  headers_done_ = true;
  if (type_ == HTTP_REQUEST) {
    if (finish_request_line() != 0) return -1;
  } else {
    response_.status = static_cast<int>(parser_.status_code);
    response_.version_major = parser_.http_major;
    response_.version_minor = parser_.http_minor;
    if (head_response_) return 1;  // 1 = no body follows, whatever the headers declare
  }
  // Refuse a declared oversize body before reading a byte of it.
  const bool declared = (parser_.flags & F_CONTENTLENGTH) != 0;
  if (declared && !truncate_ && parser_.content_length > limits_.max_body_bytes) {
    return stop(http_errc::body_too_large, "declared Content-Length");
  }
  return 0;
}

int ParserCore::on_body(const char* at, size_t len) {
  std::string& b = body();
  const size_t room = limits_.max_body_bytes - b.size();
  if (len <= room) {
    b.append(at, len);
    return 0;
  }
  if (!truncate_) return stop(http_errc::body_too_large, "body");
  b.append(at, room);
  response_.truncated = true;
  complete_ = true;
  http_parser_pause(&parser_, 1);
  return 0;
}

int ParserCore::on_message_complete() {
  complete_ = true;
  const bool keep_alive = http_should_keep_alive(&parser_) != 0;
  request_.keep_alive = response_.keep_alive = keep_alive;
  // Pausing makes http_parser_execute return right after this message, leaving the bytes
  // of a pipelined next one unconsumed.
  http_parser_pause(&parser_, 1);
  return 0;
}

// Runs http-parser over one chunk; returns bytes consumed, 0 with error_ set on failure.
size_t ParserCore::run(std::string_view chunk) {
  size_t n = http_parser_execute(&parser_, &settings(), chunk.data(), chunk.size());
  if (failed()) return 0;
  auto err = HTTP_PARSER_ERRNO(&parser_);
  if (err == HPE_PAUSED) return n;
  if (err != HPE_OK) {
    const http_errc code = type_ == HTTP_REQUEST ? http_errc::bad_request : http_errc::bad_response;
    stop(code, http_errno_description(err));
    return 0;
  }
  return n;
}

Result<size_t> ParserCore::feed(std::string_view data) {
  if (failed()) return std::unexpected(error_);
  size_t total = 0;
  while (total < data.size() && !complete_) {
    std::string_view chunk = data.substr(total);
    // Until the headers end, never hand the library more than one byte past our header
    // limit, so the limit is exact whatever the read sizes were.
    if (!headers_done_) chunk = chunk.substr(0, limits_.max_header_bytes - header_bytes_ + 1);
    const size_t n = run(chunk);
    if (failed()) return std::unexpected(error_);
    if (!headers_done_) {
      header_bytes_ += n;
      if (header_bytes_ > limits_.max_header_bytes) {
        return fail(http_errc::header_too_large, "header block");
      }
    }
    total += n;
    if (n < chunk.size() && !complete_) return fail(http_errc::bad_request, "parser stalled");
  }
  return total;
}

Result<> ParserCore::finish() {
  if (failed()) return std::unexpected(error_);
  if (complete_) return {};
  if (started_) run({});  // EOF ends a body delimited by the connection close
  if (failed()) return fail(http_errc::incomplete, error_.context);
  if (!complete_) return fail(http_errc::incomplete, "closed before the message ended");
  return {};
}

}  // namespace detail

RequestParser::RequestParser(ParserLimits limits)
    : core_(std::make_unique<detail::ParserCore>(HTTP_REQUEST, limits, false, false)) {}
RequestParser::~RequestParser() = default;
RequestParser::RequestParser(RequestParser&&) noexcept = default;
RequestParser& RequestParser::operator=(RequestParser&&) noexcept = default;

Result<size_t> RequestParser::feed(std::string_view data) {
  return core_->feed(data);
}
bool RequestParser::started() const noexcept {
  return core_->started();
}
bool RequestParser::headers_complete() const noexcept {
  return core_->headers_done();
}
bool RequestParser::expects_continue() const noexcept {
  return core_->headers_done() && !core_->complete() &&
         core_->request().headers.has_token("Expect", "100-continue");
}
bool RequestParser::ready() const noexcept {
  return core_->complete() && !core_->failed();
}
Request RequestParser::take() {
  Request r = std::move(core_->request());
  core_->reset();
  return r;
}

ResponseParser::ResponseParser(ParserLimits limits, bool head_response, bool truncate_body)
    : core_(std::make_unique<detail::ParserCore>(HTTP_RESPONSE, limits, head_response,
                                                 truncate_body)) {}
ResponseParser::~ResponseParser() = default;
ResponseParser::ResponseParser(ResponseParser&&) noexcept = default;
ResponseParser& ResponseParser::operator=(ResponseParser&&) noexcept = default;

Result<size_t> ResponseParser::feed(std::string_view data) {
  return core_->feed(data);
}
Result<> ResponseParser::finish() {
  return core_->finish();
}
bool ResponseParser::ready() const noexcept {
  return core_->complete() && !core_->failed();
}
Response ResponseParser::take() {
  Response r = std::move(core_->response());
  core_->reset();
  return r;
}

}  // namespace srs::http
