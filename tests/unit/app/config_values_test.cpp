// Typed values: the defaults of every directive, the boolean kinds, atoi/atof, aliases.
#include <gtest/gtest.h>

#include "app/config.hpp"
#include "config_test_util.hpp"

namespace srs {
namespace {

using test::config_of;
using test::vhost_of;

TEST(ConfigDefaults, GlobalDirectives) {
  auto c = config_of("listen 1935;");
  const GlobalConfig& g = c->global();
  EXPECT_EQ(g.listen, std::vector<std::string>{"1935"});
  EXPECT_EQ(g.pid, "./objs/srs.pid");
  EXPECT_EQ(g.chunk_size, 60000);
  EXPECT_EQ(g.ff_log_dir, "./objs");
  EXPECT_FALSE(g.log_to_console);
  EXPECT_EQ(g.log_level, "trace");
  EXPECT_EQ(g.log_file, "./objs/srs.log");
  EXPECT_EQ(g.max_connections, 1000);
  EXPECT_TRUE(g.daemon);
  EXPECT_FALSE(g.utc_time);
  EXPECT_EQ(g.pithy_print_ms, 10000);
  EXPECT_EQ(g.work_dir, "./");
  EXPECT_FALSE(g.asprocess);
  EXPECT_TRUE(g.query_latest_version);
  EXPECT_TRUE(g.stream_casters.empty());
}

TEST(ConfigDefaults, GlobalBlocks) {
  auto c = config_of("listen 1935; http_api {} http_server {} heartbeat {} stats {}");
  const GlobalConfig& g = c->global();
  EXPECT_EQ(g.http_api, HttpApiConfig{});
  EXPECT_FALSE(g.http_api.enabled);
  EXPECT_EQ(g.http_api.listen, "1985");
  EXPECT_TRUE(g.http_api.crossdomain);
  EXPECT_FALSE(g.http_server.enabled);
  EXPECT_EQ(g.http_server.listen, "8080");
  EXPECT_EQ(g.http_server.dir, "./objs/nginx/html");
  EXPECT_FALSE(g.heartbeat.enabled);
  EXPECT_DOUBLE_EQ(g.heartbeat.interval, 9.9);
  EXPECT_EQ(g.heartbeat.url, "http://127.0.0.1:8085/api/v1/servers");
  EXPECT_EQ(g.heartbeat.device_id, "");
  EXPECT_FALSE(g.heartbeat.summaries);
  EXPECT_EQ(g.stats.network, 0);
  EXPECT_TRUE(g.stats.disks.empty());
}

TEST(ConfigDefaults, StreamCasters) {
  auto c = config_of(
      "listen 1935; stream_caster { } stream_caster { enabled on; caster rtsp; output "
      "rtmp://127.0.0.1/[app]/[stream]; listen 554; rtp_port_min 57200; rtp_port_max 57300; }");
  ASSERT_EQ(c->global().stream_casters.size(), 2u);
  EXPECT_EQ(c->global().stream_casters[0], StreamCasterConfig{});
  const auto& s = c->global().stream_casters[1];
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.caster, "rtsp");
  EXPECT_EQ(s.output, "rtmp://127.0.0.1/[app]/[stream]");
  EXPECT_EQ(s.listen, 554);
  EXPECT_EQ(s.rtp_port_min, 57200);
  EXPECT_EQ(s.rtp_port_max, 57300);
}

TEST(ConfigDefaults, VhostCoreAndCluster) {
  auto v = vhost_of("");
  EXPECT_EQ(v.name, "v.com");
  EXPECT_TRUE(v.enabled);
  EXPECT_EQ(v.chunk_size, 60000);
  EXPECT_TRUE(v.gop_cache);
  EXPECT_DOUBLE_EQ(v.queue_length, 30);
  EXPECT_EQ(v.time_jitter, JitterAlgorithm::full);
  EXPECT_FALSE(v.mix_correct);
  EXPECT_FALSE(v.atc);
  EXPECT_TRUE(v.atc_auto);
  EXPECT_FALSE(v.min_latency);
  EXPECT_EQ(v.mr, MrConfig{});
  EXPECT_FALSE(v.mr.enabled);
  EXPECT_EQ(v.mr.latency, 350);
  EXPECT_EQ(v.mw_latency, 350);
  EXPECT_FALSE(v.tcp_nodelay);
  EXPECT_DOUBLE_EQ(v.send_min_interval, 0);
  EXPECT_FALSE(v.reduce_sequence_header);
  EXPECT_EQ(v.publish_1stpkt_timeout, 20000);
  EXPECT_EQ(v.publish_normal_timeout, 5000);
  EXPECT_TRUE(v.parse_sps);
  EXPECT_TRUE(v.debug_srs_upnode);
  EXPECT_EQ(v.mode, "local");
  EXPECT_FALSE(v.edge());
  EXPECT_TRUE(v.origin.empty());
  EXPECT_FALSE(v.token_traverse);
  EXPECT_EQ(v.edge_vhost, "[vhost]");
  EXPECT_TRUE(v.forward.empty());
  EXPECT_TRUE(v.refer.empty() && v.refer_play.empty() && v.refer_publish.empty());
  EXPECT_EQ(v.security, SecurityConfig{});
  EXPECT_EQ(v.hooks, HooksConfig{});
  EXPECT_TRUE(v.transcodes.empty());
  EXPECT_TRUE(v.ingests.empty());
}

TEST(ConfigDefaults, VhostChunkSizeFollowsGlobal) {
  EXPECT_EQ(vhost_of("", "chunk_size 4096;").chunk_size, 4096);
  EXPECT_EQ(vhost_of("chunk_size 128;", "chunk_size 4096;").chunk_size, 128);
}

TEST(ConfigDefaults, Hls) {
  auto h = vhost_of("hls { }").hls;
  EXPECT_FALSE(h.enabled);
  EXPECT_DOUBLE_EQ(h.fragment, 10);
  EXPECT_DOUBLE_EQ(h.td_ratio, 1.5);
  EXPECT_DOUBLE_EQ(h.aof_ratio, 2.0);
  EXPECT_DOUBLE_EQ(h.window, 60);
  EXPECT_EQ(h.on_error, "continue");
  EXPECT_EQ(h.storage, "disk");
  EXPECT_EQ(h.mount, "[vhost]/[app]/[stream].m3u8");
  EXPECT_EQ(h.path, "./objs/nginx/html");
  EXPECT_EQ(h.m3u8_file, "[app]/[stream].m3u8");
  EXPECT_EQ(h.ts_file, "[app]/[stream]-[seq].ts");
  EXPECT_FALSE(h.ts_floor);
  EXPECT_EQ(h.entry_prefix, "");
  EXPECT_EQ(h.acodec, "aac");
  EXPECT_EQ(h.vcodec, "h264");
  EXPECT_TRUE(h.cleanup);
  EXPECT_EQ(h.dispose, 0);
  EXPECT_EQ(h.nb_notify, 64);
  EXPECT_TRUE(h.wait_keyframe);
}

TEST(ConfigDefaults, HdsDvrHttpBandcheck) {
  auto v = vhost_of("");
  EXPECT_FALSE(v.hds.enabled);
  EXPECT_DOUBLE_EQ(v.hds.fragment, 10);
  EXPECT_DOUBLE_EQ(v.hds.window, 60);
  EXPECT_EQ(v.hds.path, "./objs/nginx/html");
  EXPECT_FALSE(v.dvr.enabled);
  EXPECT_EQ(v.dvr.plan, "session");
  EXPECT_EQ(v.dvr.path, "./objs/nginx/html/[app]/[stream].[timestamp].flv");
  EXPECT_EQ(v.dvr.duration, 30);
  EXPECT_TRUE(v.dvr.wait_keyframe);
  EXPECT_EQ(v.dvr.time_jitter, JitterAlgorithm::full);
  EXPECT_FALSE(v.http_static.enabled);
  EXPECT_EQ(v.http_static.mount, "[vhost]/");
  EXPECT_EQ(v.http_static.dir, "./objs/nginx/html");
  EXPECT_FALSE(v.http_remux.enabled);
  EXPECT_EQ(v.http_remux.mount, "[vhost]/[app]/[stream].flv");
  EXPECT_DOUBLE_EQ(v.http_remux.fast_cache, 0);
  EXPECT_TRUE(v.http_remux.hstrs);
  EXPECT_FALSE(v.bandcheck.enabled);
  EXPECT_EQ(v.bandcheck.key, "");
  EXPECT_DOUBLE_EQ(v.bandcheck.interval, 30);
  EXPECT_EQ(v.bandcheck.limit_kbps, 1000);
}

TEST(ConfigDefaults, TranscodeEngine) {
  auto v = vhost_of("transcode live { engine { } }");
  ASSERT_EQ(v.transcodes.size(), 1u);
  const auto& t = v.transcodes[0];
  EXPECT_EQ(t.scope, "live");
  EXPECT_FALSE(t.enabled);
  EXPECT_EQ(t.ffmpeg, "");
  ASSERT_EQ(t.engines.size(), 1u);
  const EngineConfig& e = t.engines[0];
  EXPECT_EQ(e, EngineConfig{});
  EXPECT_EQ(e.name, "");
  EXPECT_FALSE(e.enabled);
  EXPECT_EQ(e.iformat, "flv");
  EXPECT_EQ(e.oformat, "flv");
  EXPECT_EQ(e.vthreads, 1);
  EXPECT_EQ(e.vbitrate, 0);
  EXPECT_DOUBLE_EQ(e.vfps, 0);
  EXPECT_EQ(e.vcodec, "");
  EXPECT_EQ(e.acodec, "");
  EXPECT_EQ(e.output, "");
}

TEST(ConfigValues, EngineReadsEveryField) {
  auto v = vhost_of(R"(transcode { enabled on; ffmpeg ./objs/ffmpeg/bin/ffmpeg;
    engine hd { enabled on; iformat off; vfilter { i ./logo.png; filter_complex overlay; }
      vcodec libx264; vbitrate 800; vfps 25.5; vwidth 640; vheight 360; vthreads 4;
      vprofile main; vpreset medium; vparams { t 100; } acodec libfdk_aac; abitrate 64;
      asample_rate 44100; achannels 2; aparams { profile:a aac_low; } oformat off;
      output rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine]; } })");
  ASSERT_EQ(v.transcodes.size(), 1u);
  EXPECT_TRUE(v.transcodes[0].enabled);
  EXPECT_EQ(v.transcodes[0].scope, "");
  EXPECT_EQ(v.transcodes[0].ffmpeg, "./objs/ffmpeg/bin/ffmpeg");
  const EngineConfig& e = v.transcodes[0].engines.at(0);
  EXPECT_EQ(e.name, "hd");
  EXPECT_TRUE(e.enabled);
  EXPECT_EQ(e.iformat, "off");
  EXPECT_EQ(e.vfilter, (ParamList{{"i", "./logo.png"}, {"filter_complex", "overlay"}}));
  EXPECT_EQ(e.vcodec, "libx264");
  EXPECT_EQ(e.vbitrate, 800);
  EXPECT_DOUBLE_EQ(e.vfps, 25.5);
  EXPECT_EQ(e.vwidth, 640);
  EXPECT_EQ(e.vheight, 360);
  EXPECT_EQ(e.vthreads, 4);
  EXPECT_EQ(e.vprofile, "main");
  EXPECT_EQ(e.vpreset, "medium");
  EXPECT_EQ(e.vparams, (ParamList{{"t", "100"}}));
  EXPECT_EQ(e.acodec, "libfdk_aac");
  EXPECT_EQ(e.abitrate, 64);
  EXPECT_EQ(e.asample_rate, 44100);
  EXPECT_EQ(e.achannels, 2);
  EXPECT_EQ(e.aparams, (ParamList{{"profile:a", "aac_low"}}));
  EXPECT_EQ(e.oformat, "off");
  EXPECT_EQ(e.output, "rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine]");
}

TEST(ConfigValues, IngestDefaultsAndFirstIdWins) {
  auto v = vhost_of(
      "ingest a { input { url f.flv; } ffmpeg ff; engine { enabled off; } }\n"
      "ingest b { enabled on; input { type stream; url rtmp://x/y; } }\n"
      "ingest a { enabled on; }");
  ASSERT_EQ(v.ingests.size(), 2u);
  const IngestConfig* a = v.ingest("a");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->enabled);
  EXPECT_EQ(a->input_type, "file");
  EXPECT_EQ(a->input_url, "f.flv");
  EXPECT_EQ(a->ffmpeg, "ff");
  EXPECT_EQ(a->engines.size(), 1u);
  EXPECT_TRUE(v.ingest("b")->enabled);
  EXPECT_EQ(v.ingest("b")->input_type, "stream");
  EXPECT_EQ(v.ingest("c"), nullptr);
}

TEST(ConfigValues, HooksSecurityReferForward) {
  auto v = vhost_of(R"(http_hooks { enabled on; on_connect http://a/1 http://a/2;
      on_close c; on_publish p; on_unpublish u; on_play pl; on_stop s; on_dvr d; on_hls h;
      on_hls_notify n; }
    security { enabled on; allow play all; deny publish 10.0.0.1; }
    refer a.com b.com; refer_play p.com; refer_publish q.com;
    forward 127.0.0.1:1936 127.0.0.1:1937;)");
  EXPECT_TRUE(v.hooks.enabled);
  EXPECT_EQ(v.hooks.on_connect, (std::vector<std::string>{"http://a/1", "http://a/2"}));
  EXPECT_EQ(v.hooks.on_close, std::vector<std::string>{"c"});
  EXPECT_EQ(v.hooks.on_publish, std::vector<std::string>{"p"});
  EXPECT_EQ(v.hooks.on_unpublish, std::vector<std::string>{"u"});
  EXPECT_EQ(v.hooks.on_play, std::vector<std::string>{"pl"});
  EXPECT_EQ(v.hooks.on_stop, std::vector<std::string>{"s"});
  EXPECT_EQ(v.hooks.on_dvr, std::vector<std::string>{"d"});
  EXPECT_EQ(v.hooks.on_hls, std::vector<std::string>{"h"});
  EXPECT_EQ(v.hooks.on_hls_notify, std::vector<std::string>{"n"});
  EXPECT_TRUE(v.security.enabled);
  EXPECT_EQ(v.security.rules,
            (std::vector<SecurityRule>{{true, "play", "all"}, {false, "publish", "10.0.0.1"}}));
  EXPECT_EQ(v.refer, (std::vector<std::string>{"a.com", "b.com"}));
  EXPECT_EQ(v.refer_play, std::vector<std::string>{"p.com"});
  EXPECT_EQ(v.refer_publish, std::vector<std::string>{"q.com"});
  EXPECT_EQ(v.forward, (std::vector<std::string>{"127.0.0.1:1936", "127.0.0.1:1937"}));
}

TEST(ConfigBooleans, DefaultOnIsOffOnlyForExactOff) {
  EXPECT_TRUE(vhost_of("gop_cache yes;").gop_cache);
  EXPECT_TRUE(vhost_of("gop_cache OFF;").gop_cache);
  EXPECT_TRUE(vhost_of("gop_cache;").gop_cache);
  EXPECT_FALSE(vhost_of("gop_cache off;").gop_cache);
  EXPECT_FALSE(config_of("listen 1; daemon off;")->global().daemon);
  EXPECT_TRUE(config_of("listen 1; daemon no;")->global().daemon);
}

TEST(ConfigBooleans, DefaultOffIsOnOnlyForExactOn) {
  EXPECT_FALSE(vhost_of("hls { enabled yes; }").hls.enabled);
  EXPECT_FALSE(vhost_of("hls { enabled ON; }").hls.enabled);
  EXPECT_FALSE(vhost_of("hls { enabled; }").hls.enabled);
  EXPECT_TRUE(vhost_of("hls { enabled on; }").hls.enabled);
  EXPECT_TRUE(config_of("listen 1; utc_time on;")->global().utc_time);
  EXPECT_FALSE(config_of("listen 1; utc_time true;")->global().utc_time);
}

TEST(ConfigNumbers, IntegersAreReadLikeAtoi) {
  EXPECT_EQ(vhost_of("mw_latency 100ms;").mw_latency, 100);
  EXPECT_EQ(vhost_of("mw_latency abc;").mw_latency, 0);
  EXPECT_EQ(vhost_of("mw_latency \" 42\";").mw_latency, 42);
  EXPECT_DOUBLE_EQ(vhost_of("queue_length 10.9;").queue_length, 10);  // atoi, as 2.0
  EXPECT_EQ(vhost_of("mw_latency;").mw_latency, 350);                 // no argument: the default
}

TEST(ConfigNumbers, FloatsAreReadLikeAtof) {
  EXPECT_DOUBLE_EQ(vhost_of("hls { hls_fragment 2.5s; }").hls.fragment, 2.5);
  EXPECT_DOUBLE_EQ(vhost_of("send_min_interval x;").send_min_interval, 0);
}

TEST(ConfigValues, TimeJitterUnknownWordIsOff) {
  EXPECT_EQ(vhost_of("time_jitter zero;").time_jitter, JitterAlgorithm::zero);
  EXPECT_EQ(vhost_of("time_jitter off;").time_jitter, JitterAlgorithm::off);
  EXPECT_EQ(vhost_of("time_jitter bogus;").time_jitter, JitterAlgorithm::off);
  EXPECT_EQ(vhost_of("dvr { time_jitter zero; }").dvr.time_jitter, JitterAlgorithm::zero);
}

TEST(ConfigValues, LogTankAnythingButConsoleIsFile) {
  EXPECT_TRUE(config_of("listen 1; srs_log_tank console;")->global().log_to_console);
  EXPECT_FALSE(config_of("listen 1; srs_log_tank stdout;")->global().log_to_console);
}

TEST(ConfigValues, FirstDirectiveAndFirstVhostBlockWin) {
  auto c = config_of("listen 1935; listen 1936; vhost a { chunk_size 200; } vhost a { }");
  EXPECT_EQ(c->global().listen, std::vector<std::string>{"1935"});
  ASSERT_EQ(c->vhosts().size(), 1u);
  EXPECT_EQ(c->vhosts()[0].chunk_size, 200);
}

TEST(ConfigValues, HttpStreamAliasWinsOverHttpServer) {
  auto c = config_of("listen 1; http_server { listen 1; } http_stream { enabled on; listen 2; }");
  EXPECT_TRUE(c->global().http_server.enabled);
  EXPECT_EQ(c->global().http_server.listen, "2");
  EXPECT_EQ(config_of("listen 1; http_server { listen 3; }")->global().http_server.listen, "3");
}

TEST(ConfigValues, HttpAliasWinsOverHttpStatic) {
  auto v = vhost_of("http_static { dir a; } http { enabled on; dir b; }");
  EXPECT_TRUE(v.http_static.enabled);
  EXPECT_EQ(v.http_static.dir, "b");
  EXPECT_EQ(vhost_of("http_static { mount /m; }").http_static.mount, "/m");
}

TEST(ConfigAliases, PlayBlockFeedsLatencyDirectives) {
  auto v = vhost_of(
      "play { gop_cache off; queue_length 5; time_jitter zero; mix_correct on; atc on;"
      " atc_auto off; mw_latency 100; send_min_interval 10; reduce_sequence_header on; }");
  EXPECT_FALSE(v.gop_cache);
  EXPECT_DOUBLE_EQ(v.queue_length, 5);
  EXPECT_EQ(v.time_jitter, JitterAlgorithm::zero);
  EXPECT_TRUE(v.mix_correct);
  EXPECT_TRUE(v.atc);
  EXPECT_FALSE(v.atc_auto);
  EXPECT_EQ(v.mw_latency, 100);
  EXPECT_DOUBLE_EQ(v.send_min_interval, 10);
  EXPECT_TRUE(v.reduce_sequence_header);
}

TEST(ConfigAliases, TwoPointOhFormWinsOverAlias) {
  EXPECT_TRUE(vhost_of("gop_cache on; play { gop_cache off; }").gop_cache);
}

TEST(ConfigAliases, PublishBlockFeedsMrAndTimeouts) {
  auto v = vhost_of(
      "publish { mr on; mr_latency 200; firstpkt_timeout 1000; normal_timeout 2000; "
      "parse_sps off; }");
  EXPECT_TRUE(v.mr.enabled);
  EXPECT_EQ(v.mr.latency, 200);
  EXPECT_EQ(v.publish_1stpkt_timeout, 1000);
  EXPECT_EQ(v.publish_normal_timeout, 2000);
  EXPECT_FALSE(v.parse_sps);
  auto w = vhost_of("mr { enabled on; latency 100; } publish_1stpkt_timeout 7;");
  EXPECT_TRUE(w.mr.enabled);
  EXPECT_EQ(w.mr.latency, 100);
  EXPECT_EQ(w.publish_1stpkt_timeout, 7);
}

TEST(ConfigAliases, ClusterBlockFeedsEdgeDirectives) {
  auto v = vhost_of(
      "cluster { mode remote; origin a:1935 b; token_traverse on; vhost up.com; "
      "debug_srs_upnode off; }");
  EXPECT_TRUE(v.edge());
  EXPECT_EQ(v.origin, (std::vector<std::string>{"a:1935", "b"}));
  EXPECT_TRUE(v.token_traverse);
  EXPECT_EQ(v.edge_vhost, "up.com");
  EXPECT_FALSE(v.debug_srs_upnode);
  EXPECT_TRUE(vhost_of("mode remote;").edge());
}

TEST(ConfigAliases, ForwardAndReferBlocks) {
  auto v = vhost_of(
      "forward { enabled on; destination a:1936 b; }"
      "refer { enabled on; all x.com; play p.com; publish q.com; }");
  EXPECT_EQ(v.forward, (std::vector<std::string>{"a:1936", "b"}));
  EXPECT_EQ(v.refer, std::vector<std::string>{"x.com"});
  EXPECT_EQ(v.refer_play, std::vector<std::string>{"p.com"});
  EXPECT_EQ(v.refer_publish, std::vector<std::string>{"q.com"});
  auto off = vhost_of("forward { enabled off; destination a; } refer { all x.com; }");
  EXPECT_TRUE(off.forward.empty());
  EXPECT_TRUE(off.refer.empty());
}

TEST(ConfigVhostLookup, ExactBlockThenDefaultVhost) {
  auto c = config_of("listen 1; vhost __defaultVhost__ { chunk_size 300; } vhost a { }");
  EXPECT_EQ(c->vhost("a")->name, "a");
  EXPECT_EQ(c->vhost("unknown")->name, "__defaultVhost__");
  EXPECT_EQ(c->vhost("unknown")->chunk_size, 300);
  EXPECT_EQ(c->find_vhost("unknown"), nullptr);
}

TEST(ConfigVhostLookup, NoDefaultVhostMeansNotFound) {
  auto c = config_of("listen 1; vhost a { }");
  EXPECT_EQ(c->vhost("b"), nullptr);
  EXPECT_EQ(c->resolve_vhost("b"), nullptr);
}

TEST(ConfigVhostLookup, DisabledVhostIsNotResolvedForClients) {
  auto c = config_of("listen 1; vhost __defaultVhost__ { } vhost a { enabled off; }");
  EXPECT_EQ(c->resolve_vhost("a"), nullptr);  // exact block wins, and it is off
  EXPECT_NE(c->vhost("a"), nullptr);          // getters still read it
  EXPECT_EQ(c->resolve_vhost("b")->name, "__defaultVhost__");
}

TEST(ConfigListen, EndpointsAndFirstPort) {
  auto c = config_of("listen 127.0.0.1:1936 1935 [::1]:1937;");
  auto eps = c->listen_endpoints();
  ASSERT_EQ(eps.size(), 3u);
  EXPECT_EQ(eps[0], (Endpoint{"127.0.0.1", 1936}));
  EXPECT_EQ(eps[1], (Endpoint{"0.0.0.0", 1935}));
  EXPECT_EQ(eps[2], (Endpoint{"::1", 1937}));
  EXPECT_EQ(c->first_listen_port(), 1936);
}

TEST(ConfigListen, ParseEndpointRejectsBadPorts) {
  EXPECT_FALSE(parse_endpoint("65536"));
  EXPECT_FALSE(parse_endpoint("19a35"));
  EXPECT_FALSE(parse_endpoint(""));
  EXPECT_FALSE(parse_endpoint("1.2.3:1935"));
  EXPECT_FALSE(parse_endpoint("127.0.0.1:"));
  EXPECT_TRUE(parse_endpoint("65535"));
  EXPECT_EQ(parse_endpoint("0")->port, 0);  // any port: tests only, validation refuses it
}

TEST(ConfigOverrides, DolphinModeForcesForegroundAndPorts) {
  ConfigOverrides o;
  o.rtmp_port = 19350;
  o.http_port = 18080;
  auto c = Config::parse("listen 1935; daemon on; srs_log_tank file;", "t.conf", o);
  ASSERT_TRUE(c);
  const GlobalConfig& g = (*c)->global();
  EXPECT_EQ(g.listen, std::vector<std::string>{"19350"});
  EXPECT_FALSE(g.daemon);
  EXPECT_TRUE(g.log_to_console);
  EXPECT_TRUE(g.http_server.enabled);
  EXPECT_EQ(g.http_server.listen, "18080");
}

}  // namespace
}  // namespace srs
