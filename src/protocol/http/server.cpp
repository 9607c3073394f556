#include "protocol/http/server.hpp"

#include <memory>
#include <optional>
#include <string>

#include "core/log.hpp"
#include "protocol/http/error.hpp"
#include "protocol/http/response_writer.hpp"

// GCC 12 with -fsanitize=address warns -Wmismatched-new-delete on Asio's coroutine frame
// (allocated and freed by Asio's own operator new/delete pair) for serve_connection; the
// plain build does not. A false positive, silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace srs::http {

namespace {

constexpr Duration kNoDeadline = std::chrono::hours(24 * 365);
constexpr size_t kReadBufferSize = 16 * 1024;
constexpr size_t kMaxLingerBytes = 256 * 1024;

// One connection; lives in serve_connection's frame. The socket is the caller's.
class Connection {
 public:
  Connection(asio::ip::tcp::socket& socket, HandlerPtr handler, ServerOptions options)
      : socket_(socket),
        handler_(std::move(handler)),
        options_(options),
        parser_(options.limits),
        deadline_(socket_.get_executor(), [this] { close(); }) {}

  awaitable<Result<>> run();

 private:
  enum class Phase { idle, headers, body };

  awaitable<Result<std::optional<Request>>> read_request();
  Result<bool> parse_pending(Phase& phase);
  awaitable<Result<bool>> dispatch(Request& req);
  awaitable<Result<bool>> answer_error(const Request& req, int status, bool close);
  awaitable<void> linger_close();
  void close() {
    std::error_code ec;
    socket_.close(ec);
  }
  Error timeout_or(std::error_code ec, std::string_view what) const {
    if (deadline_.expired()) return Error{make_error_code(core_errc::timeout), std::string(what)};
    return Error{ec, std::string(what)};
  }

  asio::ip::tcp::socket& socket_;
  HandlerPtr handler_;
  ServerOptions options_;
  RequestParser parser_;
  Deadline deadline_;  // stopped when the connection ends, before the socket goes
  // Only while reading: a connection that streams a response for hours reads nothing.
  std::unique_ptr<char[]> buffer_;  // not zero-filled: only what is read is touched
  std::string pending_;             // bytes read but not yet parsed (a pipelined next request)
  std::string peer_ip_;
};

awaitable<Result<>> Connection::run() {
  std::error_code ec;
  auto peer = socket_.remote_endpoint(ec);
  if (!ec) peer_ip_ = peer.address().to_string();
  while (true) {
    auto req = co_await read_request();
    if (!req) {
      const int status = status_for(req.error().code);
      if (req.error().code.category() == http_category()) {
        Request dummy;
        dummy.keep_alive = false;
        co_await answer_error(dummy, status, true);
        co_await linger_close();
      }
      co_return std::unexpected(req.error());
    }
    if (!*req) co_return Result<>{};  // the peer closed between requests
    auto again = co_await dispatch(**req);
    if (!again) co_return std::unexpected(again.error());
    if (!*again) break;
  }
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  co_return Result<>{};
}

// Feeds buffered bytes; true when a whole request is ready. Moves the deadline as the
// request advances: idle -> header timeout at its first byte -> body timeout after headers.
Result<bool> Connection::parse_pending(Phase& phase) {
  auto n = parser_.feed(pending_);
  if (!n) return std::unexpected(n.error());
  pending_.erase(0, *n);
  if (phase == Phase::idle && parser_.started()) {
    phase = Phase::headers;
    deadline_.expires_after(options_.header_timeout);
  }
  if (phase == Phase::headers && parser_.headers_complete()) {
    phase = Phase::body;
    deadline_.expires_after(options_.body_timeout);
  }
  return parser_.ready();
}

// The next request, or an empty optional when the peer closed cleanly before sending one.
awaitable<Result<std::optional<Request>>> Connection::read_request() {
  Phase phase = Phase::idle;
  bool continued = false;
  deadline_.expires_after(options_.idle_timeout);
  while (true) {
    auto ready = parse_pending(phase);
    if (!ready) co_return wrap(ready, "read request");
    if (*ready) break;
    if (parser_.expects_continue() && !continued) {
      continued = true;  // RFC 7231 5.1.1: tell the client to send the body
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(kContinue), use_nothrow);
      if (ec) co_return std::unexpected(timeout_or(ec, "write 100-continue"));
    }
    if (!buffer_) buffer_ = std::make_unique_for_overwrite<char[]>(kReadBufferSize);
    auto [ec, n] =
        co_await socket_.async_read_some(asio::buffer(buffer_.get(), kReadBufferSize), use_nothrow);
    // A peer that leaves, or stays silent past the idle timeout, between requests ends
    // the connection normally; inside a request either is an error.
    const bool between = !parser_.started();
    if (between && (ec == asio::error::eof || (ec && deadline_.expired()))) {
      co_return std::optional<Request>{};
    }
    if (ec) co_return std::unexpected(timeout_or(ec, "read request"));
    pending_.append(buffer_.get(), n);
  }
  deadline_.expires_after(kNoDeadline);  // a handler may stream for hours
  buffer_.reset();
  pending_.shrink_to_fit();
  Request req = parser_.take();
  req.peer_ip = peer_ip_;
  co_return std::optional<Request>(std::move(req));
}

// Runs the handler; returns whether the connection may carry another request.
awaitable<Result<bool>> Connection::dispatch(Request& req) {
  ResponseWriter w(socket_, req, &deadline_, options_.send_timeout);
  auto r = co_await handler_->serve(req, w);
  if (!r && !w.header_written()) {
    const auto& code = r.error().code;
    const bool answerable = code.category() == http_category();
    if (!answerable) log_warn("http: {} {} failed, {}", req.method, req.path, r.error());
    // A handler's 404/403/416... leaves the connection usable; a failure of ours does not.
    const int status = answerable ? status_for(code) : 500;
    co_return co_await answer_error(req, status, !answerable);
  }
  if (!r) co_return wrap(r, "http " + req.path);
  if (auto f = co_await w.finish(); !f) co_return wrap(f, "http " + req.path);
  co_return w.reusable();
}

// Answers `status` with its reason as the body; returns whether the connection stays usable.
awaitable<Result<bool>> Connection::answer_error(const Request& req, int status, bool close) {
  ResponseWriter w(socket_, req, &deadline_, options_.send_timeout);
  if (close) w.set_close();
  if (auto r = co_await w.send(status, "text/plain; charset=utf-8", status_text(status)); !r) {
    co_return std::unexpected(r.error());
  }
  co_return w.reusable();
}

// Half-closes and reads what the peer still sends (bounded), so our answer is not lost to
// a reset caused by closing with unread bytes.
awaitable<void> Connection::linger_close() {
  std::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  deadline_.expires_after(options_.linger_timeout);
  size_t drained = 0;
  if (!buffer_) buffer_ = std::make_unique_for_overwrite<char[]>(kReadBufferSize);
  while (drained < kMaxLingerBytes) {
    auto [rec, n] =
        co_await socket_.async_read_some(asio::buffer(buffer_.get(), kReadBufferSize), use_nothrow);
    if (rec) break;
    drained += n;
  }
}

}  // namespace

awaitable<Result<>> serve_borrowed_connection(asio::ip::tcp::socket& socket, HandlerPtr handler,
                                              ServerOptions options) {
  Connection c(socket, std::move(handler), options);
  co_return co_await c.run();
}

awaitable<Result<>> serve_connection(asio::ip::tcp::socket socket, HandlerPtr handler,
                                     ServerOptions options) {
  asio::ip::tcp::socket& owned = socket;  // lives in this frame for the whole connection
  co_return co_await serve_borrowed_connection(owned, std::move(handler), options);
}

}  // namespace srs::http
