#include "protocol/http/client.hpp"

#include <array>

#include <fmt/format.h>
#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include "protocol/http/error.hpp"
#include "protocol/http/url.hpp"

namespace srs::http {

namespace {

constexpr size_t kReadBufferSize = 16 * 1024;

// One call; lives in request()'s frame. The deadline closes the socket and cancels the
// resolver, which wakes whichever step is waiting.
class Call {
 public:
  Call(Executor ex, const ClientOptions& options)
      : socket_(ex), resolver_(ex), options_(options), deadline_(ex, [this] { abort(); }) {}

  awaitable<Result<Response>> run(std::string method, const Url& url, Headers headers,
                                  std::string body);

 private:
  awaitable<Result<>> connect(const Url& url);
  awaitable<Result<Response>> read_response(bool head);
  void abort() {
    std::error_code ec;
    socket_.close(ec);
    resolver_.cancel();
  }
  Error timeout_or(std::error_code ec, std::string what) const {
    if (deadline_.expired()) return Error{make_error_code(core_errc::timeout), std::move(what)};
    return Error{ec, std::move(what)};
  }

  asio::ip::tcp::socket socket_;
  asio::ip::tcp::resolver resolver_;
  ClientOptions options_;
  Deadline deadline_;  // declared last: stopped before the socket and resolver go
};

std::string build_head(std::string_view method, const Url& url, Headers& headers,
                       size_t body_size) {
  if (!headers.has("Host")) {
    const bool v6 = url.host.find(':') != std::string::npos;
    headers.set("Host", v6 ? "[" + url.host + "]" : url.host);
  }
  if (!headers.has("User-Agent")) headers.set("User-Agent", std::string(kServerHeader));
  if (!headers.has("Connection")) headers.set("Connection", "Keep-Alive");
  const bool needs_length = body_size > 0 || method == "POST" || method == "PUT";
  if (needs_length && !headers.has("Content-Length")) {
    headers.set("Content-Length", std::to_string(body_size));
  }
  std::string head = fmt::format("{} {} HTTP/1.1\r\n", method, url.target());
  for (const auto& [k, v] : headers.fields()) {
    fmt::format_to(std::back_inserter(head), "{}: {}\r\n", k, v);
  }
  head += "\r\n";
  return head;
}

awaitable<Result<>> Call::connect(const Url& url) {
  std::error_code ec;
  auto address = asio::ip::make_address(url.host, ec);
  if (!ec) {
    auto [cec] = co_await socket_.async_connect({address, url.port}, use_nothrow);
    if (cec) co_return std::unexpected(timeout_or(cec, "connect " + url.host));
    co_return Result<>{};
  }
  auto [rec, endpoints] =
      co_await resolver_.async_resolve(url.host, std::to_string(url.port), use_nothrow);
  if (rec) co_return std::unexpected(timeout_or(rec, "resolve " + url.host));
  auto [cec, ep] = co_await asio::async_connect(socket_, endpoints, use_nothrow);
  if (cec) co_return std::unexpected(timeout_or(cec, "connect " + url.host));
  co_return Result<>{};
}

awaitable<Result<Response>> Call::read_response(bool head) {
  ResponseParser parser(options_.limits, head, options_.truncate_body);
  std::array<char, kReadBufferSize> buffer;
  std::string pending;
  while (true) {
    while (!pending.empty()) {
      auto n = parser.feed(pending);
      if (!n) co_return wrap(n, "read response");
      pending.erase(0, *n);
      if (!parser.ready()) break;
      Response r = parser.take();
      // 100 Continue and friends come before the real answer (RFC 7231 6.2).
      if (r.status >= 200 || r.status == 101 || r.truncated) co_return r;
    }
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buffer), use_nothrow);
    if (ec == asio::error::eof) {
      if (auto f = parser.finish(); !f) co_return wrap(f, "read response");
      co_return parser.take();
    }
    if (ec) co_return std::unexpected(timeout_or(ec, "read response"));
    pending.append(buffer.data(), n);
  }
}

awaitable<Result<Response>> Call::run(std::string method, const Url& url, Headers headers,
                                      std::string body) {
  deadline_.expires_after(options_.timeout);
  if (auto r = co_await connect(url); !r) co_return std::unexpected(r.error());
  const std::string head = build_head(method, url, headers, body.size());
  const std::array<asio::const_buffer, 2> out = {asio::buffer(head), asio::buffer(body)};
  auto [ec, n] = co_await asio::async_write(socket_, out, use_nothrow);
  if (ec) co_return std::unexpected(timeout_or(ec, "send request"));
  auto r = co_await read_response(method == "HEAD");
  std::error_code ignored;
  socket_.close(ignored);
  co_return r;
}

}  // namespace

awaitable<Result<Response>> request(Executor ex, std::string method, std::string url,
                                    Headers headers, std::string body, ClientOptions options) {
  auto parsed = parse_url(url);
  if (!parsed) co_return std::unexpected(parsed.error());
  Call call(ex, options);
  auto r = co_await call.run(std::move(method), *parsed, std::move(headers), std::move(body));
  if (!r) co_return wrap(r, "http " + url);
  co_return r;
}

awaitable<Result<Response>> request(Executor ex, std::string method, std::string url,
                                    Headers headers, std::string body, Duration timeout) {
  ClientOptions options;
  options.timeout = timeout;
  co_return co_await request(std::move(ex), std::move(method), std::move(url), std::move(headers),
                             std::move(body), options);
}

awaitable<Result<Response>> post_json(std::string url, std::string json, Duration timeout) {
  Headers headers;
  headers.set("Content-Type", "application/json");
  co_return co_await request(co_await asio::this_coro::executor, "POST", std::move(url),
                             std::move(headers), std::move(json), timeout);
}

}  // namespace srs::http
