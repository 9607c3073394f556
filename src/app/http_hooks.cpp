#include "app/http_hooks.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/access_error.hpp"
#include "core/log.hpp"
#include "protocol/http/client.hpp"

namespace srs::hooks {

namespace {

using Json = nlohmann::ordered_json;

// Common leading fields of every body: action, client_id, ip, vhost.
Json head(std::string_view action, const Client& c) {
  Json j;
  j["action"] = action;
  j["client_id"] = c.id;
  j["ip"] = c.ip;
  j["vhost"] = c.vhost;
  return j;
}

// Fields of events about a stream: head, app, stream, param.
Json stream_head(std::string_view action, const Client& c) {
  Json j = head(action, c);
  j["app"] = c.app;
  j["stream"] = c.stream;
  j["param"] = c.param;
  return j;
}

// Client-supplied strings may hold anything: invalid UTF-8 is replaced, never thrown.
std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool is_ascii_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

std::unexpected<Error> denied(std::string why) {
  return fail(access_errc::hook_denied, std::move(why));
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

// "1.2.3.4:5678" -> "1.2.3.4", "[::1]:80" -> "::1"; a bare IPv6 address stays whole.
std::string strip_port(std::string_view ip) {
  ip = trim(ip);
  if (ip.starts_with('[')) return std::string(ip.substr(1, ip.find(']') - 1));
  if (ip.find(':') == ip.rfind(':')) return std::string(ip.substr(0, ip.find(':')));
  return std::string(ip);
}

// Hooks on and at least one URL for the event: otherwise no call and no body to build.
bool active(const HooksConfig& hooks, const std::vector<std::string>& urls) {
  return hooks.enabled && !urls.empty();
}

awaitable<Result<>> allowed() {
  co_return Result<>{};
}

awaitable<void> nothing() {
  co_return;
}

// One call: POST, then the answer judged. Logged either way with both bodies.
awaitable<Result<>> call_one(const std::string& event, const std::string& url,
                             const std::string& body) {
  http::ClientOptions options;
  options.timeout = kTimeout;
  options.limits.max_body_bytes = kMaxAnswerBytes;
  http::Headers headers;
  headers.set("Content-Type", "application/json");
  auto ex = co_await asio::this_coro::executor;
  std::string method = "POST";  // named: GCC 12 mishandles temporaries in a co_await
  auto answer =
      co_await http::request(ex, std::move(method), url, std::move(headers), body, options);
  Result<> verdict;
  if (!answer) {
    verdict = std::unexpected(answer.error());
  } else {
    verdict = judge_answer(answer->status, answer->body);
  }
  if (verdict) {
    log_trace("hook: {} ok, url={}, request={}, status={}, response={}", event, url, body,
              answer->status, answer->body);
    co_return verdict;
  }
  log_warn("hook: {} failed, url={}, request={}, {}", event, url, body, verdict.error());
  co_return wrap(verdict, url);
}

awaitable<Result<>> gate(std::string event, std::vector<std::string> urls, std::string body) {
  auto r = co_await call_chain(event, std::move(urls), std::move(body));
  if (!r) co_return wrap(r, event);
  co_return r;
}

awaitable<void> notify(std::string event, std::vector<std::string> urls, std::string body) {
  // The failure was logged by call_chain; a notification never affects the session.
  (void)co_await call_chain(std::move(event), std::move(urls), std::move(body));
}

}  // namespace

std::string connect_body(const Client& c) {
  Json j = head("on_connect", c);
  j["app"] = c.app;
  j["tcUrl"] = c.tc_url;
  j["pageUrl"] = c.page_url;
  return dump(j);
}

std::string close_body(const Client& c, uint64_t send_bytes, uint64_t recv_bytes) {
  Json j = head("on_close", c);
  j["send_bytes"] = send_bytes;
  j["recv_bytes"] = recv_bytes;
  j["app"] = c.app;
  return dump(j);
}

std::string publish_body(const Client& c) {
  Json j = head("on_publish", c);
  j["app"] = c.app;
  j["tcUrl"] = c.tc_url;
  j["stream"] = c.stream;
  j["param"] = c.param;
  return dump(j);
}

std::string unpublish_body(const Client& c) {
  return dump(stream_head("on_unpublish", c));
}

std::string play_body(const Client& c) {
  Json j = stream_head("on_play", c);
  j["pageUrl"] = c.page_url;
  return dump(j);
}

std::string stop_body(const Client& c) {
  return dump(stream_head("on_stop", c));
}

std::string dvr_body(const Client& c, std::string_view cwd, std::string_view file) {
  Json j = stream_head("on_dvr", c);
  j["cwd"] = cwd;
  j["file"] = file;
  return dump(j);
}

std::string hls_body(const Client& c, std::string_view cwd, const HlsSegmentInfo& s) {
  Json j = stream_head("on_hls", c);
  j["duration"] = s.duration;
  j["cwd"] = cwd;
  j["file"] = s.file;
  j["url"] = s.url;
  j["m3u8"] = s.m3u8;
  j["m3u8_url"] = s.m3u8_url;
  j["seq_no"] = s.seq_no;
  return dump(j);
}

Result<> judge_answer(int status, std::string_view body) {
  if (status != 200) return denied("status " + std::to_string(status));
  if (body.empty()) return denied("empty answer");
  if (trim(body) == "0") return {};
  // Only an object can still allow: anything else is refused without parsing it.
  if (!trim(body).starts_with('{')) return denied("answer is neither 0 nor an object");
  const Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded()) return denied("answer is not JSON");
  auto code = j.find("code");
  if (code == j.end() || !code->is_number_integer()) return denied("answer has no integer code");
  if (code->get<int64_t>() != 0) return denied("answer code " + code->dump());
  return {};
}

std::string notify_url(std::string_view tmpl, const Client& c, std::string_view ts_url) {
  std::string url(tmpl);
  if (ts_url.starts_with("http://") || ts_url.starts_with("https://")) url = ts_url;
  replace_all(url, "[app]", c.app);
  replace_all(url, "[stream]", c.stream);
  replace_all(url, "[ts_url]", ts_url);
  replace_all(url, "[param]", c.param);
  return url;
}

Client client_of_http(const http::Request& request, ContextId id, std::string vhost,
                      std::string app, std::string stream, std::string param) {
  Client c;
  c.id = id;
  c.ip = request.peer_ip;
  if (auto xff = request.headers.get("X-Forwarded-For"); xff && !trim(*xff).empty()) {
    c.ip = strip_port(xff->substr(0, xff->find(',')));
  } else if (auto real = request.headers.get("X-Real-IP"); real && !trim(*real).empty()) {
    c.ip = strip_port(*real);
  }
  c.vhost = std::move(vhost);
  c.app = std::move(app);
  c.stream = std::move(stream);
  c.param = std::move(param);
  c.page_url = std::string(request.headers.get_or("Referer", ""));
  return c;
}

std::string current_dir() {
  std::error_code ec;
  auto p = std::filesystem::current_path(ec);
  return ec ? std::string() : p.string();
}

awaitable<Result<>> call_chain(std::string event, std::vector<std::string> urls, std::string body) {
  for (const std::string& url : urls) {
    if (auto r = co_await call_one(event, url, body); !r) co_return r;
  }
  co_return Result<>{};
}

awaitable<Result<>> on_connect(const HooksConfig& hooks, const Client& c) {
  if (!active(hooks, hooks.on_connect)) return allowed();
  return gate("on_connect", hooks.on_connect, connect_body(c));
}

awaitable<Result<>> on_publish(const HooksConfig& hooks, const Client& c) {
  if (!active(hooks, hooks.on_publish)) return allowed();
  return gate("on_publish", hooks.on_publish, publish_body(c));
}

awaitable<Result<>> on_play(const HooksConfig& hooks, const Client& c) {
  if (!active(hooks, hooks.on_play)) return allowed();
  return gate("on_play", hooks.on_play, play_body(c));
}

awaitable<void> on_close(const HooksConfig& hooks, const Client& c, uint64_t send_bytes,
                         uint64_t recv_bytes) {
  if (!active(hooks, hooks.on_close)) return nothing();
  return notify("on_close", hooks.on_close, close_body(c, send_bytes, recv_bytes));
}

awaitable<void> on_unpublish(const HooksConfig& hooks, const Client& c) {
  if (!active(hooks, hooks.on_unpublish)) return nothing();
  return notify("on_unpublish", hooks.on_unpublish, unpublish_body(c));
}

awaitable<void> on_stop(const HooksConfig& hooks, const Client& c) {
  if (!active(hooks, hooks.on_stop)) return nothing();
  return notify("on_stop", hooks.on_stop, stop_body(c));
}

}  // namespace srs::hooks
