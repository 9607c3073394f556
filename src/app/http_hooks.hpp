// HTTP callbacks (shared/spec/http-hooks.md): the JSON bodies of every event, how an answer
// is judged, and the calls themselves on the asynchronous HTTP client.
//
// Gates (on_connect, on_publish, on_play) and the session's notifications (on_close,
// on_unpublish, on_stop) are awaited by the client's own coroutine: only that session
// waits. on_dvr / on_hls / on_hls_notify go through a per-stream HookQueue (hook_queue.hpp)
// so media never waits. Every entry point takes the vhost's HooksConfig as it is *now*
// (read per event, so a reload applies to the next event) and copies what it needs before
// suspending.
//
//   auto hooks = config.vhost(vhost)->hooks;                   // current settings
//   if (auto r = co_await hooks::on_publish(hooks, client); !r) // denied: close the client
//
// HTTP players (HTTP-FLV/TS/MP3/AAC) use the same gates with their request's identity:
//   const hooks::Client c = hooks::client_of_http(req, id, vhost, app, stream, param);
//   Result<> allowed = co_await hooks::on_play(hooks, c);     // denied: end the response
//   ... serve ...;  co_await hooks::on_stop(hooks, c);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/config_types.hpp"
#include "app/hls_segmenter.hpp"
#include "core/context.hpp"
#include "core/coro.hpp"
#include "core/error.hpp"
#include "protocol/http/message.hpp"

namespace srs::hooks {

// §1: connect, send and receive of one call (the client bounds the whole call by it).
constexpr Duration kTimeout = 30s;
constexpr Duration kNotifyTimeout = 10s;
// An answer is `0` or a small JSON object; a receiver sending more is cut off here.
constexpr size_t kMaxAnswerBytes = 64 * 1024;

// Who an event is about (§4 common fields).
struct Client {
  ContextId id = 0;   // client_id: the connection's context id
  std::string ip;     // peer address (HTTP players: X-Forwarded-For / X-Real-IP)
  std::string vhost;  // resolved vhost name
  std::string app;
  std::string stream;
  std::string param;     // "?a=b" or ""
  std::string tc_url;    // RTMP connect tcUrl
  std::string page_url;  // RTMP connect pageUrl, HTTP Referer
};

// Request bodies, one JSON object each, fields in the order of §4.
std::string connect_body(const Client& c);
std::string close_body(const Client& c, uint64_t send_bytes, uint64_t recv_bytes);
std::string publish_body(const Client& c);
std::string unpublish_body(const Client& c);
std::string play_body(const Client& c);
std::string stop_body(const Client& c);
std::string dvr_body(const Client& c, std::string_view cwd, std::string_view file);
std::string hls_body(const Client& c, std::string_view cwd, const HlsSegmentInfo& segment);

// §2: success only for status 200 and a body that is `0` (surrounding ASCII whitespace
// accepted, a superset of 2.0) or a JSON object whose "code" is the integer 0. The error
// (access_errc::hook_denied) says what was wrong with the answer.
Result<> judge_answer(int status, std::string_view body);

// §6: the URL one on_hls_notify template asks for a segment whose m3u8 URI is `ts_url`
// (an absolute http URI replaces the template), with [app] [stream] [ts_url] [param].
std::string notify_url(std::string_view tmpl, const Client& c, std::string_view ts_url);

// An HTTP player (HTTP-FLV/TS/MP3/AAC) as hooks see it: ip is the first X-Forwarded-For
// entry, else X-Real-IP, else the peer (port stripped); pageUrl is the Referer.
Client client_of_http(const http::Request& request, ContextId id, std::string vhost,
                      std::string app, std::string stream, std::string param);

// The working directory hooks report as `cwd` ("" if unknown).
std::string current_dir();

// Calls `urls` one after another with the JSON `body` (POST, timeout kTimeout). The first
// URL that fails (transport error or an answer judge_answer refuses) stops the chain; its
// error, with the URL, is returned. Each call is logged with request and answer.
awaitable<Result<>> call_chain(std::string event, std::vector<std::string> urls, std::string body);

// Gates: success allows the event; hooks disabled or no URL is success. The error is
// access_errc::hook_denied or the transport error, wrapped with the event name.
awaitable<Result<>> on_connect(const HooksConfig& hooks, const Client& c);
awaitable<Result<>> on_publish(const HooksConfig& hooks, const Client& c);
awaitable<Result<>> on_play(const HooksConfig& hooks, const Client& c);

// Notifications: a failure is logged, never returned.
awaitable<void> on_close(const HooksConfig& hooks, const Client& c, uint64_t send_bytes,
                         uint64_t recv_bytes);
awaitable<void> on_unpublish(const HooksConfig& hooks, const Client& c);
awaitable<void> on_stop(const HooksConfig& hooks, const Client& c);

}  // namespace srs::hooks
