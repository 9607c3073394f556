// A small HTTP/1.1 client for hooks, the heartbeat and (later) edge-over-HTTP: one fresh
// connection per call (spec http-hooks §1: no pooling), http:// only.
#pragma once

#include <string>

#include "core/coro.hpp"
#include "core/error.hpp"
#include "protocol/http/message.hpp"
#include "protocol/http/parser.hpp"

namespace srs::http {

struct ClientOptions {
  // The whole call: resolve, connect, send and receive (hooks use 30 s, on_hls_notify 10 s).
  Duration timeout = std::chrono::seconds(30);
  // Bounds on the answer: header block and body (limits.max_body_bytes).
  ParserLimits limits;
  // Read at most limits.max_body_bytes of the body and return it (Response::truncated)
  // instead of failing with http_errc::body_too_large (on_hls_notify reads a prefix).
  bool truncate_body = false;
};

// Sends `method url` with `headers` and `body` and reads the whole answer (Content-Length,
// chunked, or delimited by the close). Adds `Host` (host without port, as 2.0 sends it),
// `User-Agent: SRS/<version>`, `Connection: Keep-Alive` and `Content-Length` unless
// `headers` sets them. Interim 1xx answers are skipped. Errors: http_errc::bad_url,
// core_errc::timeout, connect/read errors from Asio, http_errc::bad_response /
// incomplete / body_too_large for a bad answer. Any HTTP status is a success here: the
// caller judges it.
awaitable<Result<Response>> request(Executor ex, std::string method, std::string url,
                                    Headers headers, std::string body, ClientOptions options);
awaitable<Result<Response>> request(Executor ex, std::string method, std::string url,
                                    Headers headers, std::string body, Duration timeout);

// POSTs a JSON document (Content-Type: application/json) on the current executor.
awaitable<Result<Response>> post_json(std::string url, std::string json, Duration timeout);

}  // namespace srs::http
