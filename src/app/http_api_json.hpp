// The JSON documents of the HTTP API (spec http-api §3), in the spec's field order.
// Pure builders over the registries: the handlers in http_api.cpp add routing, the
// envelope ("code", "server") and JSONP.
#pragma once

#include <nlohmann/json.hpp>

#include "app/config.hpp"
#include "app/stats.hpp"
#include "app/system_stats.hpp"
#include "protocol/http/message.hpp"

namespace srs::api {

// Ordered: the spec fixes field order and the envelope's "code" comes first.
using Json = nlohmann::ordered_json;

// API error codes (spec §5).
inline constexpr int kSuccess = 0;
inline constexpr int kTestError = 100;
inline constexpr int kStreamNotFound = 2048;
inline constexpr int kClientNotFound = 2049;

// {"code":code,"server":S} to which the caller appends its fields.
Json envelope(int64_t server_id, int code = kSuccess);
// Serialises with proper escaping; bytes that are not UTF-8 become U+FFFD instead of
// failing (a tcUrl is whatever the client sent).
std::string dump(const Json& j);

Json api_index();
Json v1_index();
Json versions();
Json authors();
Json features();

struct ProcessInfo {
  std::string argv;
  std::string cwd;
  double uptime_s = 0;
  int connections = 0;
};
Json summaries(const SystemSample& s, const Stats& stats, const ProcessInfo& self,
               int64_t now_wall_ms);
Json rusages(const SystemSample& s);
Json self_proc_stats(const SystemSample& s);
Json system_proc_stats(const SystemSample& s);
Json meminfos(const SystemSample& s);
// `server_ip` is used for the uri when the request has no Host header.
Json request_echo(const http::Request& req, std::string_view server_ip, int64_t now_wall_ms);

Json vhost(const VhostStat& v, const Config& config);
Json stream(const StreamStat& s, int64_t now_wall_ms);
Json client(const ClientStat& c, int64_t now_ms);

}  // namespace srs::api
