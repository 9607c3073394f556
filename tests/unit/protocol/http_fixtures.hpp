// Loopback helpers for the HTTP coroutine tests: a server on port 0 serving a handler,
// and a raw client socket that writes bytes and reads parsed responses.
#pragma once

#include <string>
#include <vector>

#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include "core/coro.hpp"
#include "protocol/http/parser.hpp"
#include "protocol/http/server.hpp"

namespace srs::http::test {

using asio::ip::tcp;

// Accepts on 127.0.0.1:<ephemeral> and serves every connection; records how each ended.
class LoopbackServer {
 public:
  LoopbackServer(asio::io_context& io, HandlerPtr handler, ServerOptions options = {})
      : io_(io),
        acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}),
        handler_(std::move(handler)),
        options_(options) {
    spawn(io.get_executor(), accept_loop(this), "test accept");
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
  }
  void stop() {
    std::error_code ec;
    acceptor_.close(ec);
  }
  // How each finished connection ended, in order of ending.
  std::vector<Result<>> results;

 private:
  static awaitable<void> accept_loop(LoopbackServer* s) {
    while (true) {
      auto [ec, socket] = co_await s->acceptor_.async_accept(use_nothrow);
      if (ec) co_return;
      spawn(s->io_.get_executor(), serve_one(s, std::move(socket)), "test conn");
    }
  }
  static awaitable<void> serve_one(LoopbackServer* s, tcp::socket socket) {
    auto r = co_await serve_connection(std::move(socket), s->handler_, s->options_);
    s->results.push_back(std::move(r));
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  HandlerPtr handler_;
  ServerOptions options_;
};

// A raw client connection.
class RawClient {
 public:
  explicit RawClient(asio::io_context& io) : socket_(io) {}

  awaitable<bool> connect(uint16_t port) {
    auto [ec] =
        co_await socket_.async_connect({asio::ip::make_address("127.0.0.1"), port}, use_nothrow);
    co_return !ec;
  }
  awaitable<bool> send(std::string data) {
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(data), use_nothrow);
    co_return !ec;
  }
  // Reads until `needle` is buffered; returns everything buffered up to and including it
  // (and keeps the rest), or "" when the connection ended first.
  awaitable<std::string> read_until(std::string_view needle) {
    while (true) {
      if (size_t at = buffer_.find(needle); at != std::string::npos) {
        std::string out = buffer_.substr(0, at + needle.size());
        buffer_.erase(0, at + needle.size());
        co_return out;
      }
      if (!co_await fill()) co_return "";
    }
  }
  // One response, parsed (HEAD: no body).
  awaitable<Result<Response>> read_response(bool head = false) {
    ResponseParser parser({}, head);
    while (true) {
      auto n = parser.feed(buffer_);
      if (!n) co_return std::unexpected(n.error());
      buffer_.erase(0, *n);
      if (parser.ready()) co_return parser.take();
      if (!co_await fill()) {
        if (auto f = parser.finish(); !f) co_return std::unexpected(f.error());
        co_return parser.take();
      }
    }
  }
  // True when the server closed the connection (EOF or reset) with nothing more to read.
  awaitable<bool> closed_by_peer() {
    if (!buffer_.empty()) co_return false;
    co_return !co_await fill();
  }
  const std::string& buffered() const { return buffer_; }

 private:
  awaitable<bool> fill() {
    char chunk[4096];
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(chunk), use_nothrow);
    if (ec) co_return false;
    buffer_.append(chunk, n);
    co_return true;
  }

  tcp::socket socket_;
  std::string buffer_;
};

}  // namespace srs::http::test
