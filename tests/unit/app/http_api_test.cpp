// The API through its router on a loopback socket: shapes (fields, types, order) per
// spec http-api §2-§3, routing quirks, JSONP, CORS and the kick-off.
#include "app/http_api.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stats_fixtures.hpp"
#include "unit/protocol/http_fixtures.hpp"

namespace srs {
namespace {

using nlohmann::ordered_json;
using test::client_info;

struct FakeKicker final : ClientKicker {
  std::vector<ContextId> kicked;
  bool kick(ContextId id) override {
    if (id != 107) return false;
    kicked.push_back(id);
    return true;
  }
};

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() {
    test::write_proc(proc_);
    system_.set_public_interfaces({"eth0"});
    system_.sample(1000);
    ctx_.kickers.push_back(&kicker_);
    ctx_.connections = [] { return 3; };
    ctx_.argv = "./objs/srs -c conf/srs.conf";
    auto router = std::make_shared<http::Router>();
    EXPECT_TRUE(mount_http_api(*router, ctx_));
    server_ = std::make_unique<http::test::LoopbackServer>(io_, make_api_entry(router, ctx_));
  }

  void set_config(std::string_view text) { config_ = *Config::parse(text); }

  // One request on its own connection; the raw text after the request line is `extra`.
  http::Response call(std::string method, std::string target, std::string extra = "") {
    http::Response out;
    spawn(io_.get_executor(),
          exchange(this,
                   method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:1985\r\n" + extra +
                       "Connection: close\r\n\r\n",
                   &out),
          "test");
    io_.restart();
    io_.run_for(std::chrono::seconds(10));
    return out;
  }
  ordered_json get_json(std::string target) {
    auto r = call("GET", target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.headers.get_or("Content-Type", ""), "application/json") << target;
    return ordered_json::parse(r.body);
  }

  static awaitable<void> exchange(ApiTest* t, std::string request, http::Response* out) {
    http::test::RawClient client(t->io_);
    if (co_await client.connect(t->server_->port()) && co_await client.send(request)) {
      auto r = co_await client.read_response();
      if (r) *out = std::move(*r);
    }
    t->io_.stop();
  }

  // A publisher of live/livestream (id 107) with H.264 + AAC, and a player (id 108).
  void publish_and_play() {
    StreamStat* s = stats_.on_client(107, client_info("fmle-publish"), &pub_, 0)->stream;
    stats_.on_publish(107);
    s->on_video(*test::real_avc_sequence_header());
    s->on_audio(*test::real_aac_sequence_header());
    stats_.on_client(108, client_info("Play"), &play_, 0);
    pub_.recv = 300000;
    play_.send = 150000;
    clock_.advance(3000);
    stats_.sample(clock_.now_ms());
  }

  asio::io_context io_;
  test::ProcDir proc_;
  ManualClock clock_{0};
  Stats stats_{4000, 0};
  SystemStats system_{{"sda"}, proc_.path()};
  Config::Ptr config_ =
      *Config::parse("vhost __defaultVhost__ { hls { enabled on; hls_fragment 5; } }");
  FakeKicker kicker_;
  test::FakeConnection pub_, play_;
  ApiContext ctx_{stats_, system_, clock_, [this] { return config_; }};
  std::unique_ptr<http::test::LoopbackServer> server_;
};

std::vector<std::string> keys_of(const ordered_json& j) {
  std::vector<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
  return out;
}

using Keys = std::vector<std::string>;

TEST_F(ApiTest, IndexesAnswerCodeServerAndUrls) {
  auto root = get_json("/api/");
  EXPECT_EQ(keys_of(root), (Keys{"code", "server", "urls"}));
  EXPECT_EQ(root["code"], 0);
  EXPECT_EQ(root["server"], 4000);
  EXPECT_TRUE(root["urls"]["v1"].is_string());
  auto v1 = get_json("/api/v1/");
  EXPECT_EQ(keys_of(v1["urls"]), (Keys{"versions", "summaries", "rusages", "self_proc_stats",
                                       "system_proc_stats", "meminfos", "authors", "features",
                                       "requests", "vhosts", "streams", "clients", "tests"}));
  EXPECT_EQ(keys_of(v1["urls"]["tests"]), (Keys{"requests", "errors", "redirects", "[vhost]"}));
  // Unknown paths under /api/v1/ get the index, not an error (2.0 quirk).
  for (auto path : {"/api/v1/reload", "/api/v1/raw", "/api/v1/requests", "/api/v1/versions/"}) {
    EXPECT_EQ(get_json(path), v1) << path;
  }
  EXPECT_EQ(get_json("/api/anything"), root);
}

TEST_F(ApiTest, NonApiPathsAre404PlainText) {
  for (auto path : {"/", "/favicon.ico", "/apix"}) {
    auto r = call("GET", path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body, "Not Found");
    EXPECT_EQ(r.headers.get_or("Content-Type", ""), "text/plain; charset=utf-8");
  }
}

TEST_F(ApiTest, VersionsAuthorsFeatures) {
  auto v = get_json("/api/v1/versions");
  EXPECT_EQ(keys_of(v), (Keys{"code", "server", "data"}));
  EXPECT_EQ(keys_of(v["data"]), (Keys{"major", "minor", "revision", "version"}));
  EXPECT_EQ(v["data"]["major"], 2);
  EXPECT_EQ(v["data"]["minor"], 0);
  EXPECT_EQ(v["data"]["version"], fmt::format("2.0.{}", v["data"]["revision"].get<int>()));
  auto a = get_json("/api/v1/authors");
  EXPECT_EQ(keys_of(a["data"]), (Keys{"primary", "license", "copyright", "authors",
                                      "contributors_link", "contributors"}));
  for (auto& [k, val] : a["data"].items()) EXPECT_TRUE(val.is_string()) << k;
  auto f = get_json("/api/v1/features");
  EXPECT_EQ(keys_of(f["data"]),
            (Keys{"ssl", "hls", "hds", "callback", "api", "httpd", "dvr", "transcode", "ingest",
                  "stat", "nginx", "ffmpeg", "stream_caster", "complex_send", "tcp_nodelay",
                  "so_sendbuf", "mr"}));
  for (auto& [k, val] : f["data"].items()) EXPECT_TRUE(val.is_boolean()) << k;
}

TEST_F(ApiTest, SummariesHaveNoServerFieldAndTheSampledValues) {
  publish_and_play();
  auto s = get_json("/api/v1/summaries");
  EXPECT_EQ(keys_of(s), (Keys{"code", "data"}));
  const auto& d = s["data"];
  EXPECT_EQ(keys_of(d), (Keys{"ok", "now_ms", "self", "system"}));
  EXPECT_EQ(d["ok"], true);
  EXPECT_EQ(keys_of(d["self"]), (Keys{"version", "pid", "ppid", "argv", "cwd", "mem_kbyte",
                                      "mem_percent", "cpu_percent", "srs_uptime"}));
  EXPECT_EQ(d["self"]["argv"], "./objs/srs -c conf/srs.conf");
  EXPECT_DOUBLE_EQ(d["self"]["srs_uptime"].get<double>(), 3.0);
  const auto& sys = d["system"];
  EXPECT_EQ(keys_of(sys), (Keys{"cpu_percent",       "disk_read_KBps",   "disk_write_KBps",
                                "disk_busy_percent", "mem_ram_kbyte",    "mem_ram_percent",
                                "mem_swap_kbyte",    "mem_swap_percent", "cpus",
                                "cpus_online",       "uptime",           "ilde_time",
                                "load_1m",           "load_5m",          "load_15m",
                                "net_sample_time",   "net_recv_bytes",   "net_send_bytes",
                                "net_recvi_bytes",   "net_sendi_bytes",  "srs_sample_time",
                                "srs_recv_bytes",    "srs_send_bytes",   "conn_sys",
                                "conn_sys_et",       "conn_sys_tw",      "conn_sys_udp",
                                "conn_srs"}));
  EXPECT_EQ(sys["mem_ram_kbyte"], 8000000);
  EXPECT_DOUBLE_EQ(sys["mem_ram_percent"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(sys["load_1m"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(sys["ilde_time"].get<double>(), 300000.5);
  EXPECT_EQ(sys["net_recv_bytes"], 5000000);
  EXPECT_EQ(sys["net_sendi_bytes"], 123000);
  EXPECT_EQ(sys["srs_recv_bytes"], 300000);
  EXPECT_EQ(sys["srs_send_bytes"], 150000);
  EXPECT_EQ(sys["conn_sys"], 18);  // alloc + time-wait
  EXPECT_EQ(sys["conn_sys_et"], 9);
  EXPECT_EQ(sys["conn_srs"], 3);
}

TEST_F(ApiTest, ProcessAndSystemDocuments) {
  auto ru = get_json("/api/v1/rusages")["data"];
  EXPECT_EQ(keys_of(ru),
            (Keys{"ok", "sample_time", "ru_utime", "ru_stime", "ru_maxrss", "ru_ixrss", "ru_idrss",
                  "ru_isrss", "ru_minflt", "ru_majflt", "ru_nswap", "ru_inblock", "ru_oublock",
                  "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw"}));
  EXPECT_TRUE(ru["ru_maxrss"].is_number_integer());
  EXPECT_TRUE(ru["ru_utime"].is_number_integer());

  auto self = get_json("/api/v1/self_proc_stats")["data"];
  auto keys = keys_of(self);
  ASSERT_EQ(keys.size(), 6u + kSelfStatNames.size());
  EXPECT_EQ(Keys(keys.begin(), keys.begin() + 6),
            (Keys{"ok", "sample_time", "percent", "pid", "comm", "state"}));
  EXPECT_EQ(keys.back(), "cguest_time");
  EXPECT_EQ(self["comm"], "srs (test) x");
  EXPECT_EQ(self["tpgid"], -1);
  EXPECT_EQ(self["rsslim"].get<uint64_t>(), UINT64_MAX);

  auto cpu = get_json("/api/v1/system_proc_stats")["data"];
  EXPECT_EQ(keys_of(cpu), (Keys{"ok", "sample_time", "percent", "user", "nice", "sys", "idle",
                                "iowait", "irq", "softirq", "steal", "guest"}));
  EXPECT_EQ(cpu["user"], 1000);
  EXPECT_TRUE(cpu["percent"].is_number());

  auto mem = get_json("/api/v1/meminfos")["data"];
  EXPECT_EQ(keys_of(mem), (Keys{"ok", "sample_time", "percent_ram", "percent_swap", "MemActive",
                                "RealInUse", "NotInUse", "MemTotal", "MemFree", "Buffers", "Cached",
                                "SwapTotal", "SwapFree"}));
  EXPECT_EQ(mem["RealInUse"], 4000000);
  EXPECT_DOUBLE_EQ(mem["percent_swap"].get<double>(), 0.25);
}

TEST_F(ApiTest, TestEndpoints) {
  auto r = call("GET", "/api/v1/tests/requests?x=1", "User-Agent: curl/7.88\r\n");
  auto j = ordered_json::parse(r.body);
  EXPECT_EQ(keys_of(j["data"]), (Keys{"uri", "path", "METHOD", "headers", "server"}));
  EXPECT_EQ(j["data"]["uri"], "http://127.0.0.1:1985/api/v1/tests/requests");
  EXPECT_EQ(j["data"]["METHOD"], "GET");
  EXPECT_EQ(j["data"]["headers"]["User-Agent"], "curl/7.88");
  EXPECT_EQ(keys_of(j["data"]["server"]), (Keys{"sigature", "name", "version", "link", "time"}));

  for (auto m : {"GET", "POST", "DELETE"}) {
    auto e = call(m, "/api/v1/tests/errors");
    EXPECT_EQ(e.status, 200);
    EXPECT_EQ(e.body, R"({"code":100})");
  }
  auto redirect = call("GET", "/api/v1/tests/redirects");
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(redirect.headers.get_or("Location", ""), "/api/v1/tests/errors");
}

TEST_F(ApiTest, CollectionsWithoutSlashRedirectKeepingTheQuery) {
  for (auto x : {"vhosts", "streams", "clients"}) {
    auto r = call("GET", fmt::format("/api/v1/{}?callback=cb", x));
    EXPECT_EQ(r.status, 302);
    EXPECT_EQ(r.headers.get_or("Location", ""), fmt::format("/api/v1/{}/?callback=cb", x));
    EXPECT_EQ(r.body, fmt::format("Redirect to/api/v1/{}/?callback=cb", x));
  }
}

TEST_F(ApiTest, VhostsListAndById) {
  publish_and_play();
  auto list = get_json("/api/v1/vhosts/");
  EXPECT_EQ(keys_of(list), (Keys{"code", "server", "vhosts"}));
  ASSERT_EQ(list["vhosts"].size(), 1u);
  const auto& v = list["vhosts"][0];
  EXPECT_EQ(keys_of(v), (Keys{"id", "name", "enabled", "clients", "streams", "send_bytes",
                              "recv_bytes", "kbps", "hls"}));
  EXPECT_EQ(v["id"], 4001);
  EXPECT_EQ(v["name"], "__defaultVhost__");
  EXPECT_EQ(v["enabled"], true);
  EXPECT_EQ(v["clients"], 2);
  EXPECT_EQ(v["streams"], 1);
  EXPECT_EQ(v["recv_bytes"], 300000);
  EXPECT_EQ(v["kbps"]["recv_30s"], 800);
  EXPECT_EQ(v["kbps"]["send_30s"], 400);
  EXPECT_EQ(v["hls"], (ordered_json{{"enabled", true}, {"fragment", 5}}));

  auto one = get_json("/api/v1/vhosts/4001");
  EXPECT_EQ(keys_of(one), (Keys{"code", "server", "vhost"}));
  EXPECT_EQ(one["vhost"], v);
  EXPECT_EQ(get_json("/api/v1/vhosts/0"), list);    // 0: no id
  EXPECT_EQ(get_json("/api/v1/vhosts/abc"), list);  // not a number: no id
  EXPECT_EQ(call("GET", "/api/v1/vhosts/999").body, R"({"code":2048})");
  EXPECT_EQ(call("POST", "/api/v1/vhosts/").status, 405);

  set_config("vhost __defaultVhost__ { }");
  EXPECT_EQ(get_json("/api/v1/vhosts/4001")["vhost"]["hls"], (ordered_json{{"enabled", false}}));
}

TEST_F(ApiTest, StreamsListAndById) {
  publish_and_play();
  auto list = get_json("/api/v1/streams/");
  ASSERT_EQ(list["streams"].size(), 1u);
  const auto& s = list["streams"][0];
  EXPECT_EQ(keys_of(s), (Keys{"id", "name", "vhost", "app", "live_ms", "clients", "frames",
                              "send_bytes", "recv_bytes", "kbps", "publish", "video", "audio"}));
  EXPECT_EQ(s["id"], 4002);
  EXPECT_EQ(s["name"], "livestream");
  EXPECT_EQ(s["vhost"], 4001);
  EXPECT_EQ(s["app"], "live");
  EXPECT_EQ(s["live_ms"], clock_.wall_ms());
  EXPECT_EQ(s["clients"], 2);
  EXPECT_EQ(s["publish"], (ordered_json{{"active", true}, {"cid", 107}}));
  EXPECT_EQ(s["video"], (ordered_json{{"codec", "H264"},
                                      {"profile", "High"},
                                      {"level", "3.1"},
                                      {"width", 640},
                                      {"height", 360}}));
  EXPECT_EQ(
      s["audio"],
      (ordered_json{{"codec", "AAC"}, {"sample_rate", 44100}, {"channel", 2}, {"profile", "LC"}}));
  EXPECT_EQ(get_json("/api/v1/streams/4002")["stream"], s);
  EXPECT_EQ(call("GET", "/api/v1/streams/abc").body, R"({"code":2048})");   // atoi: 0
  EXPECT_EQ(call("GET", "/api/v1/streams/4001").body, R"({"code":2048})");  // a vhost id
  EXPECT_EQ(call("DELETE", "/api/v1/streams/4002").status, 405);

  stats_.on_close(107);
  auto after = get_json("/api/v1/streams/4002")["stream"];
  EXPECT_EQ(after["publish"], (ordered_json{{"active", false}, {"cid", 107}}));
  EXPECT_TRUE(after["video"].is_null());
  EXPECT_TRUE(after["audio"].is_null());
}

TEST_F(ApiTest, ClientsListByIdAndKick) {
  publish_and_play();
  clock_.advance(500);
  auto list = get_json("/api/v1/clients/");
  ASSERT_EQ(list["clients"].size(), 2u);
  const auto& c = list["clients"][0];
  EXPECT_EQ(keys_of(c), (Keys{"id", "vhost", "stream", "ip", "pageUrl", "swfUrl", "tcUrl", "url",
                              "type", "publish", "alive"}));
  EXPECT_EQ(c["id"], 107);
  EXPECT_EQ(c["vhost"], 4001);
  EXPECT_EQ(c["stream"], 4002);
  EXPECT_EQ(c["url"], "/live/livestream");
  EXPECT_EQ(c["type"], "fmle-publish");
  EXPECT_EQ(c["publish"], true);
  EXPECT_EQ(c["alive"], 3500);
  EXPECT_EQ(list["clients"][1]["type"], "Play");
  EXPECT_EQ(get_json("/api/v1/clients/108")["client"]["publish"], false);
  EXPECT_EQ(call("GET", "/api/v1/clients/999").body, R"({"code":2049})");

  EXPECT_EQ(call("DELETE", "/api/v1/clients/107").body, R"({"code":0})");
  EXPECT_EQ(kicker_.kicked, (std::vector<ContextId>{107}));
  EXPECT_EQ(call("DELETE", "/api/v1/clients/999").body, R"({"code":2049})");
  EXPECT_EQ(call("DELETE", "/api/v1/clients/").body, R"({"code":2049})");
  auto put = call("PUT", "/api/v1/clients/107");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(put.headers.get_or("Content-Type", ""), "text/plain; charset=utf-8");
}

TEST_F(ApiTest, ClientListStopsAtTen) {
  for (ContextId id = 200; id < 215; ++id) stats_.on_client(id, client_info("Play"), nullptr, 0);
  auto list = get_json("/api/v1/clients/");
  ASSERT_EQ(list["clients"].size(), 10u);
  EXPECT_EQ(list["clients"][0]["id"], 200);
  EXPECT_EQ(list["clients"][9]["id"], 209);
}

TEST_F(ApiTest, JsonpWrapsTheBodyAndMayOverrideTheMethod) {
  auto r = call("GET", "/api/v1/versions?callback=jQuery_1.cb");
  EXPECT_EQ(r.headers.get_or("Content-Type", ""), "text/javascript");
  ASSERT_TRUE(r.body.starts_with("jQuery_1.cb({\"code\":0,") && r.body.ends_with("})")) << r.body;
  auto kick = call("GET", "/api/v1/clients/107?callback=k&method=DELETE");
  EXPECT_EQ(kick.body, R"(k({"code":0}))");
  EXPECT_EQ(kicker_.kicked.size(), 1u);
  // Without callback the method parameter means nothing.
  call("GET", "/api/v1/clients/107?method=DELETE");
  EXPECT_EQ(kicker_.kicked.size(), 1u);
  // A callback that is not a script name is not reflected.
  auto bad = call("GET", "/api/v1/versions?callback=alert(1)%3B");
  EXPECT_EQ(bad.headers.get_or("Content-Type", ""), "application/json");
  EXPECT_TRUE(bad.body.starts_with("{\"code\":0"));
}

TEST_F(ApiTest, CorsFollowsCrossdomain) {
  auto pre = call("OPTIONS", "/any/path");
  EXPECT_EQ(pre.status, 200);
  EXPECT_EQ(pre.body, "");
  EXPECT_EQ(pre.headers.get_or("Access-Control-Allow-Origin", ""), "*");
  EXPECT_EQ(pre.headers.get_or("Access-Control-Allow-Methods", ""), "GET, POST, HEAD, PUT, DELETE");
  auto get = call("GET", "/api/v1/versions");
  EXPECT_EQ(get.headers.get_or("Access-Control-Allow-Origin", ""), "*");
  EXPECT_EQ(get.headers.get_or("Server", ""), "SRS/2.0.300");

  set_config("http_api { enabled on; crossdomain off; }");
  EXPECT_EQ(call("OPTIONS", "/api/v1/versions").status, 405);
  EXPECT_FALSE(call("GET", "/api/v1/versions").headers.has("Access-Control-Allow-Origin"));
}

TEST_F(ApiTest, StringsAreEscapedAndBadUtf8Replaced) {
  ClientInfo info = client_info("Play");
  info.tc_url = "rtmp://h/live\"\\\n\x01\xff";
  stats_.on_client(300, info, nullptr, 0);
  auto r = call("GET", "/api/v1/clients/300");
  auto j = ordered_json::parse(r.body);  // valid JSON
  EXPECT_EQ(j["client"]["tcUrl"], "rtmp://h/live\"\\\n\x01\xef\xbf\xbd");
}

}  // namespace
}  // namespace srs
