// What answers a request: the router, the static file server, the API, live streams.
#pragma once

#include <memory>

#include "core/coro.hpp"
#include "core/error.hpp"
#include "protocol/http/message.hpp"

namespace srs::http {

class ResponseWriter;

class Handler {
 public:
  virtual ~Handler() = default;
  // Answers one request; may stream for as long as it likes (HTTP-FLV). The request and
  // writer live until this returns. An error whose code is an http_errc with a status
  // (404, 403, 416...) and nothing written yet becomes that answer; any other error, or an
  // error after the header went out, closes the connection.
  virtual awaitable<Result<>> serve(Request& req, ResponseWriter& w) = 0;
};
using HandlerPtr = std::shared_ptr<Handler>;

// A handler from a plain coroutine function (a function pointer: it cannot capture).
using HandlerFn = awaitable<Result<>> (*)(Request&, ResponseWriter&);
HandlerPtr make_handler(HandlerFn fn);

}  // namespace srs::http
