#include "protocol/http/response_writer.hpp"

#include <cassert>
#include <charconv>

#include <fmt/format.h>

#include "protocol/http/handler.hpp"
#include "protocol/socket_write.hpp"

namespace srs::http {

namespace {
// The gather list of a streaming response keeping up fits this many pieces.
constexpr size_t kSteadyIovecs = 128;

class FunctionHandler final : public Handler {
 public:
  explicit FunctionHandler(HandlerFn fn) : fn_(fn) {}
  awaitable<Result<>> serve(Request& req, ResponseWriter& w) override { return fn_(req, w); }

 private:
  HandlerFn fn_;
};

std::optional<uint64_t> parse_length(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}
}  // namespace

HandlerPtr make_handler(HandlerFn fn) {
  return std::make_shared<FunctionHandler>(fn);
}

void add_cors_headers(Headers& h) {
  h.set("Access-Control-Allow-Origin", "*");
  h.set("Access-Control-Allow-Methods", "GET, POST, HEAD, PUT, DELETE");
  h.set("Access-Control-Allow-Headers",
        "Cache-Control,X-Proxy-Authorization,X-Requested-With,Content-Type");
}

ResponseWriter::ResponseWriter(asio::ip::tcp::socket& socket, const Request& request,
                               Deadline* deadline, Duration send_timeout)
    : socket_(socket), request_(request), deadline_(deadline), send_timeout_(send_timeout) {
  if (!request.keep_alive) close_ = true;
}

void ResponseWriter::set_content_type(std::string_view type) {
  headers_.set("Content-Type", std::string(type));
}

bool ResponseWriter::reusable() const noexcept {
  return !close_ && !failed_ && finished_;
}

// 1xx, 204 and 304 answers never carry a body (RFC 7230 3.3.3).
bool ResponseWriter::body_allowed() const noexcept {
  return status_ >= 200 && status_ != 204 && status_ != 304;
}

std::string ResponseWriter::build_header() {
  // A textual Content-Length from the handler counts as set_content_length().
  if (auto v = headers_.get("Content-Length"); v && !content_length_) {
    content_length_ = parse_length(*v);
  }
  if (headers_.has_token("Connection", "close")) close_ = true;
  headers_.remove("Content-Length");
  headers_.remove("Transfer-Encoding");
  headers_.remove("Connection");

  std::string h =
      fmt::format("HTTP/1.1 {} {}\r\nServer: {}\r\n", status_, status_text(status_), kServerHeader);
  for (const auto& [k, v] : headers_.fields())
    fmt::format_to(std::back_inserter(h), "{}: {}\r\n", k, v);
  if (!body_allowed()) {
    content_length_ = 0;
  } else if (content_length_) {
    fmt::format_to(std::back_inserter(h), "Content-Length: {}\r\n", *content_length_);
  } else if (!request_.is_http10()) {
    chunked_ = true;
    h += "Transfer-Encoding: chunked\r\n";
  } else {
    close_ = true;  // HTTP/1.0 without a length: the close ends the body
  }
  h += close_ ? "Connection: close\r\n\r\n" : "Connection: Keep-Alive\r\n\r\n";
  return h;
}

void ResponseWriter::add(const void* data, size_t size) {
  if (size > 0) iov_.push_back(iovec{const_cast<void*>(data), size});
}

void ResponseWriter::add(std::span<const asio::const_buffer> buffers) {
  for (const asio::const_buffer& b : buffers) add(b.data(), b.size());
}

// What is in iov_ goes out at once when the socket takes it (the common case: no timer,
// no coroutine frame below the caller's); only a full socket waits, under the deadline.
Result<bool> ResponseWriter::send_now() {
  if (failed_) return fail(core_errc::closed, "response already failed");
  Result<size_t> done = write_iovecs_now(socket_, iov_);
  if (done && *done < iov_.size()) {
    iov_.erase(iov_.begin(), iov_.begin() + static_cast<ptrdiff_t>(*done));
    return false;
  }
  iov_.clear();
  if (iov_.capacity() > kSteadyIovecs) iov_ = {};  // a large first write: give it back
  if (!done) {
    failed_ = true;
    return wrap(done, "http send");
  }
  return true;
}

awaitable<Result<>> ResponseWriter::send_rest() {
  Result<> r = co_await write_rest(socket_, iov_, deadline_, send_timeout_);
  iov_.clear();
  if (iov_.capacity() > kSteadyIovecs) iov_ = {};
  if (!r) {
    failed_ = true;
    co_return wrap(r, "http send");
  }
  co_return Result<>{};
}

awaitable<Result<>> ResponseWriter::send_added() {
  Result<bool> sent = send_now();
  if (!sent) co_return std::unexpected(sent.error());
  if (*sent) co_return Result<>{};
  co_return co_await send_rest();
}

awaitable<Result<>> ResponseWriter::write_header() {
  if (header_written_) co_return Result<>{};
  head_ = build_header();
  header_written_ = true;
  add(head_.data(), head_.size());
  co_return co_await send_added();
}

awaitable<Result<>> ResponseWriter::send(int status, std::string_view content_type,
                                         std::string_view body) {
  if (header_written_) co_return fail(core_errc::invalid_argument, "header already sent");
  status_ = status;
  if (!content_type.empty()) set_content_type(content_type);
  content_length_ = body_allowed() ? body.size() : 0;
  head_ = build_header();
  header_written_ = true;
  finished_ = true;
  body_bytes_ = body.size();
  add(head_.data(), head_.size());
  if (!request_.is_head() && body_allowed()) add(body.data(), body.size());
  co_return co_await send_added();
}

Result<bool> ResponseWriter::add_body(std::span<const asio::const_buffer> buffers) {
  if (finished_) return fail(core_errc::invalid_argument, "response already finished");
  const bool header_pending = !header_written_;
  if (header_pending) {
    head_ = build_header();
    header_written_ = true;
  }
  const size_t size = asio::buffer_size(buffers);
  if (content_length_ && body_bytes_ + size > *content_length_) {
    failed_ = true;
    return fail(core_errc::invalid_argument, "body longer than Content-Length");
  }
  body_bytes_ += size;
  if (header_pending) add(head_.data(), head_.size());
  // HEAD: the same header as GET, no body bytes.
  const bool send_body = !request_.is_head() && body_allowed() && size > 0;
  if (send_body && chunked_) {
    auto r = fmt::format_to_n(size_line_, sizeof(size_line_), "{:x}\r\n", size);
    add(size_line_, r.size);
  }
  if (send_body) add(buffers);
  if (send_body && chunked_) add("\r\n", 2);
  return !iov_.empty();
}

awaitable<Result<>> ResponseWriter::write(std::span<const asio::const_buffer> buffers) {
  Result<bool> added = add_body(buffers);
  if (!added) co_return std::unexpected(added.error());
  if (!*added) co_return Result<>{};
  // send_added() inlined: a stream's writes are the hot path, one frame fewer each.
  Result<bool> sent = send_now();
  if (!sent) co_return std::unexpected(sent.error());
  if (*sent) co_return Result<>{};
  co_return co_await send_rest();
}

awaitable<Result<>> ResponseWriter::write(std::string_view data) {
  const asio::const_buffer b = asio::buffer(data);
  co_return co_await write({&b, 1});
}

awaitable<Result<>> ResponseWriter::write_chunk(std::span<const asio::const_buffer> buffers) {
  if (!header_written_) content_length_.reset();  // a stream has no length
  return write(buffers);                          // not a coroutine: no frame of its own
}

Result<bool> ResponseWriter::write_chunk_now(std::span<const asio::const_buffer> buffers) {
  assert(header_written_ && iov_.empty());
  Result<bool> added = add_body(buffers);
  if (!added) return added;
  if (!*added) return true;  // nothing to send (a HEAD request)
  return send_now();
}

awaitable<Result<>> ResponseWriter::write_chunk_rest() {
  if (iov_.empty()) co_return Result<>{};
  co_return co_await send_rest();
}

awaitable<Result<>> ResponseWriter::finish() {
  if (finished_ || failed_) co_return Result<>{};
  if (!header_written_) {
    if (!content_length_) content_length_ = 0;
    if (auto r = co_await write_header(); !r) co_return r;
  }
  finished_ = true;
  if (chunked_ && !request_.is_head()) {
    add("0\r\n\r\n", 5);
    co_return co_await send_added();
  }
  // A body shorter than its declared length leaves the peer waiting: only a close ends it.
  if (content_length_ && body_bytes_ < *content_length_ && !request_.is_head()) close_ = true;
  co_return Result<>{};
}

}  // namespace srs::http
