// One live HTTP player (HTTP-FLV, TS, MP3, AAC; spec hls-dvr §4.2): a consumer of the
// stream's Source whose batches go out as one chunk each (merged write, mw_latency like an
// RTMP player). The answer is 200 with chunked framing and never ends while the stream is
// published; when the publisher leaves, the chunked body is finished. A request before
// the publish (hstrs) waits for it.
//
// Session boundaries, for hooks (on_play/on_stop) and anything else that must gate or
// count players: admit_http_player() runs before the first byte of the answer, and
// end_http_player() once the session is over, however it ended.
#pragma once

#include <string>

#include "app/http_remux.hpp"
#include "app/source.hpp"
#include "protocol/http/handler.hpp"

namespace srs {

class HttpService;
class HttpConnection;
struct VhostConfig;

// A player about to start or just finished.
struct HttpPlayer {
  ContextId id = 0;
  std::string ip;
  RemuxTarget target;
  std::string param;     // the request's query, "?a=b" or empty (the stream param)
  std::string page_url;  // the Referer header
};

// The session may start: hooks (on_play) and access checks go here. An error ends the
// request with its status (http_errc) or closes it, before anything was sent.
awaitable<Result<>> admit_http_player(HttpService& service, const HttpPlayer& player);
// The session is over (client left, kicked, publisher gone, server quit): on_stop goes here.
awaitable<void> end_http_player(HttpService& service, const HttpPlayer& player);

class LiveStream final : public http::Handler {
 public:
  LiveStream(HttpService& service, RemuxTarget target);
  awaitable<Result<>> serve(http::Request& req, http::ResponseWriter& w) override;

 private:
  awaitable<Result<>> play(Source& source, Consumer& consumer, HttpConnection* conn,
                           const VhostConfig& vhost, http::ResponseWriter& w);
  HttpService& service_;
  RemuxTarget target_;
};

}  // namespace srs
