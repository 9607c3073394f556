#include "app/http_api.hpp"

#include <cctype>
#include <filesystem>

#include "app/http_api_json.hpp"
#include "protocol/http/file_server.hpp"
#include "protocol/http/response_writer.hpp"

namespace srs {

namespace {
using api::Json;

// One API request as the endpoints see it: the method after the JSONP override.
struct Call {
  const http::Request& req;
  std::string method;
  ApiContext& ctx;
  std::string_view rest;  // the path after the pattern ("123" for /api/v1/streams/123)
};

// An endpoint's answer: a JSON document (JSONP applies), or a status with a text body.
struct Answer {
  int status = 200;
  Json json;  // null: use text
  std::string text;
  std::string location;  // 301/302
};

Answer json_answer(Json j) {
  return Answer{200, std::move(j), {}, {}};
}
Answer code_answer(int code) {
  return json_answer(Json{{"code", code}});
}
Answer method_not_allowed() {
  return Answer{405, nullptr, "Method Not Allowed", {}};
}

// {"code":0,"server":S,"data":data}
Answer data_answer(const Call& c, Json data) {
  Json j = api::envelope(c.ctx.stats.server_id());
  j["data"] = std::move(data);
  return json_answer(std::move(j));
}

// A JSONP callback must be a JavaScript name path: anything else is answered as plain
// JSON, so the API cannot be made to reflect script into a page.
bool valid_callback(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '$' && ch != '.') {
      return false;
    }
  }
  return true;
}

// 2.0 reads ids with atoi: leading digits count, anything else is 0; -1 when there is no id.
int64_t rest_id(std::string_view rest) {
  if (rest.empty()) return -1;
  int64_t id = 0;
  for (char ch : rest) {
    if (ch < '0' || ch > '9') break;
    id = id * 10 + (ch - '0');
    if (id > (int64_t{1} << 53)) break;  // no real id is that large
  }
  return id;
}

int64_t wall_ms(const ApiContext& ctx) {
  return ctx.clock.wall_ms();
}

using ApiFn = Answer (*)(const Call&);

Answer api_index(const Call& c) {
  Json j = api::envelope(c.ctx.stats.server_id());
  j["urls"] = api::api_index();
  return json_answer(std::move(j));
}

Answer v1_index(const Call& c) {
  Json j = api::envelope(c.ctx.stats.server_id());
  j["urls"] = api::v1_index();
  return json_answer(std::move(j));
}

Answer versions(const Call& c) {
  return data_answer(c, api::versions());
}
Answer authors(const Call& c) {
  return data_answer(c, api::authors());
}
Answer features(const Call& c) {
  return data_answer(c, api::features());
}
Answer rusages(const Call& c) {
  return data_answer(c, api::rusages(c.ctx.system.last()));
}
Answer self_proc_stats(const Call& c) {
  return data_answer(c, api::self_proc_stats(c.ctx.system.last()));
}
Answer system_proc_stats(const Call& c) {
  return data_answer(c, api::system_proc_stats(c.ctx.system.last()));
}
Answer meminfos(const Call& c) {
  return data_answer(c, api::meminfos(c.ctx.system.last()));
}

Answer summaries(const Call& c) {
  const ApiContext& ctx = c.ctx;
  api::ProcessInfo self{ctx.argv, ctx.cwd,
                        static_cast<double>(ctx.clock.now_ms() - ctx.start_ms) / 1000.0,
                        ctx.connections ? ctx.connections() : 0};
  return json_answer(api::summaries(ctx.system.last(), ctx.stats, self, wall_ms(ctx)));
}

Answer test_requests(const Call& c) {
  return data_answer(c, api::request_echo(c.req, "127.0.0.1", wall_ms(c.ctx)));
}
Answer test_errors(const Call&) {
  return code_answer(api::kTestError);
}
Answer test_redirects(const Call&) {
  return Answer{301, nullptr, "Redirect to/api/v1/tests/errors", "/api/v1/tests/errors"};
}

Answer vhosts(const Call& c) {
  if (c.method != "GET") return method_not_allowed();
  const Stats& stats = c.ctx.stats;
  const Config::Ptr config = c.ctx.config();
  const int64_t id = rest_id(c.rest);
  Json j = api::envelope(stats.server_id());
  if (id <= 0) {  // no id, 0 or not a number: the list (spec §2)
    Json list = Json::array();
    for (const auto& v : stats.vhosts()) list.push_back(api::vhost(*v, *config));
    j["vhosts"] = std::move(list);
    return json_answer(std::move(j));
  }
  const VhostStat* v = stats.find_vhost(id);
  if (!v) return code_answer(api::kStreamNotFound);
  j["vhost"] = api::vhost(*v, *config);
  return json_answer(std::move(j));
}

Answer streams(const Call& c) {
  if (c.method != "GET") return method_not_allowed();
  const Stats& stats = c.ctx.stats;
  const int64_t id = rest_id(c.rest);
  Json j = api::envelope(stats.server_id());
  if (id < 0) {
    Json list = Json::array();
    for (const auto& s : stats.streams()) list.push_back(api::stream(*s, wall_ms(c.ctx)));
    j["streams"] = std::move(list);
    return json_answer(std::move(j));
  }
  const StreamStat* s = stats.find_stream(id);  // a non-numeric id is 0: not found
  if (!s) return code_answer(api::kStreamNotFound);
  j["stream"] = api::stream(*s, wall_ms(c.ctx));
  return json_answer(std::move(j));
}

// 2.0 lists the first 10 clients by id and has no paging (spec §2).
constexpr size_t kClientListLimit = 10;

Answer kick(const Call& c, int64_t id) {
  if (id <= 0) return code_answer(api::kClientNotFound);
  for (ClientKicker* k : c.ctx.kickers) {
    if (k->kick(id)) return code_answer(api::kSuccess);
  }
  return code_answer(api::kClientNotFound);
}

Answer clients(const Call& c) {
  const int64_t id = rest_id(c.rest);
  if (c.method == "DELETE") return kick(c, id);
  if (c.method != "GET") return method_not_allowed();
  const Stats& stats = c.ctx.stats;
  const int64_t now = c.ctx.clock.now_ms();
  Json j = api::envelope(stats.server_id());
  if (id < 0) {
    Json list = Json::array();
    for (const auto& [cid, client] : stats.clients()) {
      if (list.size() >= kClientListLimit) break;
      list.push_back(api::client(*client, now));
    }
    j["clients"] = std::move(list);
    return json_answer(std::move(j));
  }
  const ClientStat* client = stats.find_client(id);
  if (!client) return code_answer(api::kClientNotFound);
  j["client"] = api::client(*client, now);
  return json_answer(std::move(j));
}

// Adds the CORS headers while `crossdomain` is on; for OPTIONS returns the status to
// answer (200 with them, 405 without), else 0.
int apply_cors(const ApiContext& ctx, const http::Request& req, http::ResponseWriter& w) {
  const bool crossdomain = ctx.config()->global().http_api.crossdomain;
  if (crossdomain) http::add_cors_headers(w.headers());
  if (req.method != "OPTIONS") return 0;
  return crossdomain ? 200 : 405;
}

awaitable<Result<>> answer_preflight(int status, http::ResponseWriter& w) {
  if (status == 200) co_return co_await w.send(200, "", "");
  co_return co_await w.send(status, "text/plain; charset=utf-8", "Method Not Allowed");
}

// Runs an endpoint and writes its answer. CORS is applied here too, so the API behaves
// the same when mounted on a router that has no make_api_entry in front (a shared port).
class ApiHandler final : public http::Handler {
 public:
  ApiHandler(std::string pattern, ApiFn endpoint, ApiContext& ctx)
      : pattern_(std::move(pattern)), endpoint_(endpoint), ctx_(ctx) {}

  awaitable<Result<>> serve(http::Request& req, http::ResponseWriter& w) override {
    const int preflight = apply_cors(ctx_, req, w);
    if (preflight) co_return co_await answer_preflight(preflight, w);
    const auto callback = req.query_param("callback");
    const bool jsonp = callback && valid_callback(*callback);
    Call call{req, req.method, ctx_, {}};
    // JSONP can only GET, so it names the method it means (a kick-off via <script>).
    if (jsonp) {
      call.method = req.query_param("method").value_or(req.method);
      for (char& ch : call.method)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    if (req.path.size() > pattern_.size())
      call.rest = std::string_view(req.path).substr(pattern_.size());
    Answer a = endpoint_(call);
    if (!a.location.empty()) w.headers().set("Location", a.location);
    if (a.json.is_null()) co_return co_await w.send(a.status, "text/plain; charset=utf-8", a.text);
    std::string body = api::dump(a.json);
    if (!jsonp) co_return co_await w.send(a.status, "application/json", body);
    body = *callback + "(" + body + ")";
    co_return co_await w.send(a.status, "text/javascript", body);
  }

 private:
  std::string pattern_;
  ApiFn endpoint_;
  ApiContext& ctx_;
};

// OPTIONS and CORS around the API's router (spec §1 CORS).
class ApiEntry final : public http::Handler {
 public:
  ApiEntry(http::HandlerPtr next, ApiContext& ctx) : next_(std::move(next)), ctx_(ctx) {}

  awaitable<Result<>> serve(http::Request& req, http::ResponseWriter& w) override {
    const int preflight = apply_cors(ctx_, req, w);
    if (preflight) co_return co_await answer_preflight(preflight, w);
    co_return co_await next_->serve(req, w);
  }

 private:
  http::HandlerPtr next_;
  ApiContext& ctx_;
};
}  // namespace

Result<> mount_http_api(http::Router& router, ApiContext& ctx, std::string console_dir) {
  if (ctx.cwd.empty()) {
    std::error_code ec;
    ctx.cwd = std::filesystem::current_path(ec).string();
  }
  const std::pair<std::string_view, ApiFn> endpoints[] = {
      {"/api/", api_index},
      {"/api/v1/", v1_index},
      {"/api/v1/versions", versions},
      {"/api/v1/summaries", summaries},
      {"/api/v1/rusages", rusages},
      {"/api/v1/self_proc_stats", self_proc_stats},
      {"/api/v1/system_proc_stats", system_proc_stats},
      {"/api/v1/meminfos", meminfos},
      {"/api/v1/authors", authors},
      {"/api/v1/features", features},
      {"/api/v1/tests/requests", test_requests},
      {"/api/v1/tests/errors", test_errors},
      {"/api/v1/tests/redirects", test_redirects},
      {"/api/v1/vhosts/", vhosts},
      {"/api/v1/streams/", streams},
      {"/api/v1/clients/", clients},
  };
  for (const auto& [pattern, endpoint] : endpoints) {
    auto h = std::make_shared<ApiHandler>(std::string(pattern), endpoint, ctx);
    if (auto r = router.handle(pattern, std::move(h)); !r) return r;
  }
  if (!console_dir.empty()) {
    auto files = std::make_shared<http::FileServer>("/console/", std::move(console_dir));
    if (auto r = router.handle("/console/", std::move(files)); !r) return r;
  }
  return {};
}

http::HandlerPtr make_api_entry(http::HandlerPtr next, ApiContext& ctx) {
  return std::make_shared<ApiEntry>(std::move(next), ctx);
}

}  // namespace srs
