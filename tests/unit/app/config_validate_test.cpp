// Validation (spec §5): every rule, and that each error names file:line and the directive.
#include <gtest/gtest.h>

#include "app/config.hpp"
#include "config_test_util.hpp"

namespace srs {
namespace {

constexpr ValidationLimits kLimits{100000};

Result<> validate(std::string_view text, ValidationLimits limits = kLimits) {
  auto c = Config::parse(text, "t.conf");
  EXPECT_TRUE(c) << (c ? "" : c.error().message());
  if (!c) return fail(config_errc::parse, "parse");
  return (*c)->validate(limits);
}

std::string error_of(std::string_view text, ValidationLimits limits = kLimits) {
  auto r = validate(text, limits);
  EXPECT_FALSE(r) << "accepted: " << text;
  if (r) return {};
  EXPECT_EQ(r.error().code, config_errc::invalid);
  return r.error().context;
}

TEST(ConfigValidate, MinimalConfigIsValid) {
  EXPECT_TRUE(validate("listen 1935;"));
}

TEST(ConfigValidate, EmptyConfigIsRejected) {
  EXPECT_EQ(error_of(""), "t.conf: conf is empty");
  EXPECT_EQ(error_of("# nothing\n"), "t.conf: conf is empty");
}

TEST(ConfigValidate, UnknownRootDirectiveNamesFileLineAndDirective) {
  EXPECT_EQ(error_of("listen 1935;\n\nlisten_port 1;"),
            "t.conf:3: directive \"listen_port\": unknown directive");
}

TEST(ConfigValidate, EveryRootNameOfTwoPointOhIsAccepted) {
  EXPECT_TRUE(validate(R"(listen 1935; pid a.pid; chunk_size 128; ff_log_dir ./objs;
    srs_log_tank file; srs_log_level trace; srs_log_file a.log; max_connections 10;
    daemon off; heartbeat { } http_api { } stats { } pithy_print_ms 1000; http_stream { }
    http_server { } stream_caster { } utc_time off; work_dir ./; asprocess off;
    query_latest_version off; vhost v { })"));
}

TEST(ConfigValidate, UnknownChildrenOfGlobalBlocks) {
  EXPECT_EQ(error_of("listen 1;\nhttp_api {\n  port 1;\n}"),
            "t.conf:3: directive \"http_api.port\": unknown directive");
  EXPECT_EQ(error_of("listen 1;\nhttp_server { root x; }"),
            "t.conf:2: directive \"http_server.root\": unknown directive");
  EXPECT_EQ(error_of("listen 1;\nhttp_stream { root x; }"),
            "t.conf:2: directive \"http_stream.root\": unknown directive");
  EXPECT_EQ(error_of("listen 1;\nheartbeat { period 1; }"),
            "t.conf:2: directive \"heartbeat.period\": unknown directive");
  EXPECT_EQ(error_of("listen 1;\nstats { cpu 1; }"),
            "t.conf:2: directive \"stats.cpu\": unknown directive");
  EXPECT_EQ(error_of("listen 1;\nstream_caster { port 1; }"),
            "t.conf:2: directive \"stream_caster.port\": unknown directive");
}

TEST(ConfigValidate, ListenIsRequired) {
  EXPECT_EQ(error_of("pid x;"), "t.conf: directive \"listen\": missing, the RTMP port is required");
}

TEST(ConfigValidate, ListenPortsAreCheckedProperly) {
  EXPECT_EQ(error_of("listen 1935 abc;"),
            "t.conf:1: directive \"listen\": \"abc\" is not [ip:]port with a port in 1..65535");
  EXPECT_FALSE(validate("listen 0;"));
  EXPECT_FALSE(validate("listen 70000;"));
  EXPECT_FALSE(validate("listen 1935x;"));  // 2.0's atoi would take it; we do not
  EXPECT_FALSE(validate("listen bad.ip:1935;"));
  EXPECT_EQ(error_of("listen;"), "t.conf:1: directive \"listen\": needs a value");
  EXPECT_TRUE(validate("listen 127.0.0.1:1935 [::1]:1936 1937;"));
}

TEST(ConfigValidate, MaxConnectionsMustBePositive) {
  EXPECT_EQ(error_of("listen 1;\nmax_connections 0;"),
            "t.conf:2: directive \"max_connections\": must be greater than 0");
  EXPECT_FALSE(validate("listen 1; max_connections -5;"));
}

TEST(ConfigValidate, MaxConnectionsMustFitTheOpenFileLimit) {
  // 1000 + 1 listen + 1 log file + 3 = 1005 must stay below the limit.
  EXPECT_TRUE(validate("listen 1; max_connections 1000;", ValidationLimits{1006}));
  auto e = error_of("listen 1; max_connections 1000;", ValidationLimits{1005});
  EXPECT_NE(e.find("t.conf:1: directive \"max_connections\""), std::string::npos) << e;
  EXPECT_NE(e.find("ulimit -HSn"), std::string::npos) << e;
  // The API and HTTP listeners count too; the console log does not.
  EXPECT_FALSE(
      validate("listen 1; max_connections 1000; http_api { enabled on; }", ValidationLimits{1006}));
  EXPECT_TRUE(
      validate("listen 1; max_connections 1001; srs_log_tank console;", ValidationLimits{1006}));
}

TEST(ConfigValidate, HeartbeatIntervalAndStatsNetwork) {
  EXPECT_EQ(error_of("listen 1;\nheartbeat { interval 0; }"),
            "t.conf:2: directive \"heartbeat.interval\": must be greater than 0");
  EXPECT_EQ(error_of("listen 1;\nstats { network -1; }"),
            "t.conf:2: directive \"stats.network\": must not be negative");
  EXPECT_TRUE(validate("listen 1; heartbeat { interval 0.5; } stats { network 9; disk sda; }"));
}

TEST(ConfigValidate, HttpListenersNeedAValidEndpoint) {
  EXPECT_EQ(error_of("listen 1;\nhttp_api { listen; }"),
            "t.conf:2: directive \"http_api.listen\": needs a value");
  EXPECT_FALSE(validate("listen 1; http_server { listen x; }"));
  EXPECT_FALSE(validate("listen 1; http_stream { listen 99999; }"));
  EXPECT_TRUE(
      validate("listen 1; http_api { listen 127.0.0.1:1985; } http_server { listen 8080; }"));
}

TEST(ConfigValidate, LogFileNeedsAValue) {
  EXPECT_EQ(error_of("listen 1;\nsrs_log_file \"\";"),
            "t.conf:2: directive \"srs_log_file\": needs a value");
}

TEST(ConfigValidate, ValueDirectivesWithoutValueAreRejected) {
  EXPECT_EQ(error_of("listen 1;\nvhost v {\n hls { hls_path; }\n}"),
            "t.conf:3: directive \"vhost.hls.hls_path\": needs a value");
  EXPECT_FALSE(validate("listen 1; pid;"));
  EXPECT_FALSE(validate("listen 1; vhost v { dvr { dvr_plan; } }"));
  EXPECT_FALSE(validate("listen 1; vhost v { transcode { engine { oformat; } } }"));
}

TEST(ConfigValidate, UnknownVhostChild) {
  EXPECT_EQ(error_of("listen 1;\nvhost v {\n  gop 1;\n}"),
            "t.conf:3: directive \"vhost.gop\": unknown directive");
}

TEST(ConfigValidate, VhostNeedsAName) {
  EXPECT_EQ(error_of("listen 1;\nvhost { }"), "t.conf:2: directive \"vhost\": needs a name");
}

TEST(ConfigValidate, EveryVhostNameOfTwoPointOhIsAccepted) {
  EXPECT_TRUE(validate(R"(listen 1; vhost v { enabled on; chunk_size 128; mode remote;
    origin a; token_traverse on; vhost x; dvr { } ingest i { } hls { } http_hooks { }
    gop_cache on; queue_length 1; refer a; refer_publish a; refer_play a; forward a;
    transcode { } bandcheck { } time_jitter full; mix_correct on; atc on; atc_auto on;
    debug_srs_upnode on; mr { } mw_latency 1; min_latency on; publish { } tcp_nodelay on;
    send_min_interval 1; reduce_sequence_header on; publish_1stpkt_timeout 1;
    publish_normal_timeout 1; security { } http_remux { } http { } http_static { } hds { } })"));
}

TEST(ConfigValidate, SecondLevelBlocksAreChecked) {
  const std::pair<const char*, const char*> cases[] = {
      {"dvr { plan x; }", "vhost.dvr.plan"},
      {"mr { enabled on; size 1; }", "vhost.mr.size"},
      {"publish { sps on; }", "vhost.publish.sps"},
      {"ingest a { output x; }", "vhost.ingest.output"},
      {"http { root x; }", "vhost.http.root"},
      {"http_static { root x; }", "vhost.http_static.root"},
      {"http_remux { hls on; }", "vhost.http_remux.hls"},
      {"hls { hls_fragmnet 1; }", "vhost.hls.hls_fragmnet"},
      {"http_hooks { on_start x; }", "vhost.http_hooks.on_start"},
      {"security { enabled on; block all; }", "vhost.security.block"},
      {"transcode { engine_name x; }", "vhost.transcode.engine_name"},
      {"transcode { engine { vcodecs x; } }", "vhost.transcode.engine.vcodecs"},
      {"bandcheck { limit 1; }", "vhost.bandcheck.limit"},
      {"play { gop 1; }", "vhost.play.gop"},
      {"cluster { edge on; }", "vhost.cluster.edge"},
      {"forward { enabled on; to a; }", "vhost.forward.to"},
      {"refer { enabled on; page a; }", "vhost.refer.page"},
  };
  for (const auto& [body, path] : cases) {
    auto e = error_of(std::string("listen 1;\nvhost v {\n") + body + "\n}");
    EXPECT_EQ(e, std::string("t.conf:3: directive \"") + path + "\": unknown directive") << body;
  }
}

TEST(ConfigValidate, FreeFormBlocksAreNotChecked) {
  EXPECT_TRUE(validate(R"(listen 1; vhost v { hds { anything 1; }
    ingest a { input { whatever 1; } engine { custom 1; } }
    transcode { engine { vfilter { i a; } vparams { x y; } aparams { z w; } } } })"));
}

TEST(ConfigValidate, DvrPlanMustBeKnown) {
  EXPECT_EQ(error_of("listen 1;\nvhost v { dvr {\n dvr_plan daily; } }"),
            "t.conf:3: directive \"vhost.dvr.dvr_plan\": \"daily\" is not session, segment or "
            "append");
  EXPECT_TRUE(validate("listen 1; vhost v { dvr { dvr_plan append; } }"));
}

TEST(ConfigValidate, IngestIdsAreUniquePerVhost) {
  EXPECT_EQ(error_of("listen 1;\nvhost v {\n ingest a { }\n ingest a { }\n}"),
            "t.conf:4: directive \"vhost.ingest\": id \"a\" is used twice in this vhost");
  EXPECT_TRUE(validate("listen 1; vhost v { ingest a { } } vhost w { ingest a { } }"));
  EXPECT_EQ(error_of("listen 1;\nvhost v { ingest { } }"),
            "t.conf:2: directive \"vhost.ingest\": needs an id");
}

TEST(ConfigValidate, ChunkSizeRange) {
  EXPECT_EQ(error_of("listen 1;\nchunk_size 127;"),
            "t.conf:2: directive \"chunk_size\": 127 is out of range 128..65536");
  EXPECT_FALSE(validate("listen 1; chunk_size 65537;"));
  EXPECT_EQ(error_of("listen 1;\nvhost v {\n chunk_size 70000;\n}"),
            "t.conf:3: directive \"vhost.chunk_size\": 70000 is out of range 128..65536");
  EXPECT_TRUE(validate("listen 1; chunk_size 65536; vhost v { chunk_size 128; }"));
}

TEST(ConfigValidate, DaemonAndAsprocessExcludeEachOther) {
  EXPECT_EQ(error_of("listen 1;\nasprocess on;"),
            "t.conf:2: directive \"asprocess\": cannot be on together with `daemon on`");
  EXPECT_FALSE(validate("listen 1; daemon on; asprocess on;"));
  EXPECT_TRUE(validate("listen 1; daemon off; asprocess on;"));
}

}  // namespace
}  // namespace srs
