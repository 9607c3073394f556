// The HTTP API (spec http-api.md): `/api/` and `/api/v1/...` JSON documents built from the
// statistics registry and the system sampler, the client kick-off, JSONP, CORS and the
// web console's static files.
//
//   ApiContext api{stats, system, clock, [&] { return server.config_ptr(); }};
//   api.kickers.push_back(&rtmp_service);
//   mount_http_api(api_router, api);                          // patterns on the router
//   HandlerPtr entry = make_api_entry(router_ptr, api);       // OPTIONS + CORS around it
//
// Every answer is computed synchronously from the last samples (no request waits for a
// sampler) and written in one response with Content-Length.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "app/stats.hpp"
#include "app/system_stats.hpp"
#include "core/clock.hpp"
#include "protocol/http/router.hpp"

namespace srs {

// What the API reads. Everything referenced must outlive the router it is mounted on.
struct ApiContext {
  Stats& stats;
  SystemStats& system;
  const Clock& clock;
  // The running config (reload swaps it): crossdomain, vhost settings.
  std::function<Config::Ptr()> config;
  // Tried in order by DELETE /api/v1/clients/<id>.
  std::vector<ClientKicker*> kickers = {};
  // This server's open connections (summaries: conn_srs); may be empty.
  std::function<int()> connections = {};
  // Summaries' self.argv and self.cwd (main fills them; cwd defaults to the current dir).
  std::string argv = {};
  std::string cwd = {};
  int64_t start_ms = 0;  // monotonic, for srs_uptime
};

// Registers the API patterns (and /console/ when `console_dir` is not empty) on `router`.
Result<> mount_http_api(http::Router& router, ApiContext& ctx, std::string console_dir = {});

// The handler an API listener serves: answers OPTIONS on any path (CORS preflight) and
// adds the CORS headers to every answer while `crossdomain` is on, then passes the
// request to `next` (the router).
http::HandlerPtr make_api_entry(http::HandlerPtr next, ApiContext& ctx);

}  // namespace srs
