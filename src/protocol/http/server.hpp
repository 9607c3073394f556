// The server side of one HTTP connection (the listener that accepts it lives in app).
#pragma once

#include <asio/ip/tcp.hpp>

#include "core/coro.hpp"
#include "core/error.hpp"
#include "protocol/http/handler.hpp"
#include "protocol/http/parser.hpp"

namespace srs::http {

struct ServerOptions {
  ParserLimits limits;
  // Waiting for the first byte of a request, before the first one and between kept-alive
  // ones (spec http-api §1: 60 s).
  Duration idle_timeout = std::chrono::seconds(60);
  // From a request's first byte to the end of its header block: a client that trickles
  // headers (slowloris) is closed when it passes.
  Duration header_timeout = std::chrono::seconds(10);
  // From the end of the headers to the end of the body.
  Duration body_timeout = std::chrono::seconds(30);
  // Each write of a response must complete within this (a player that stopped reading).
  Duration send_timeout = std::chrono::seconds(30);
  // After an error answer, how long unread request bytes are drained before the close, so
  // the peer reads the answer instead of a reset.
  Duration linger_timeout = std::chrono::seconds(2);
};

// Serves requests on `socket` with `handler` (usually a Router) until the peer closes,
// keep-alive ends, a timeout passes or the task is cancelled. Requests are read whole
// (body included, bounded by options.limits) and answered in order, pipelined ones too.
// A request that breaks a limit is answered with its status (400/413/414/431) and the
// connection closed. Returns success for a normal end; otherwise the error that ended the
// connection, for the caller to log (timeouts: core_errc::timeout).
awaitable<Result<>> serve_connection(asio::ip::tcp::socket socket, HandlerPtr handler,
                                     ServerOptions options);
// The same on a socket the caller owns and may close from elsewhere (kick-off, graceful
// stop): a pending read or write then fails and the connection ends. `socket` must
// outlive the returned task.
awaitable<Result<>> serve_borrowed_connection(asio::ip::tcp::socket& socket, HandlerPtr handler,
                                              ServerOptions options);

}  // namespace srs::http
