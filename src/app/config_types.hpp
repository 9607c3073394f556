// Typed config values, built once from the directive tree with the SRS 2.0 defaults
// (shared/spec/config.md §2-§4). Components copy the structs they need when a session or
// stream starts and on reload; nothing looks a directive up by name at run time.
// Equality is member-wise, which is what reload compares to decide who to notify.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kernel/jitter.hpp"

namespace srs {

// `[ip:]port`; ip defaults to 0.0.0.0. IPv6 is written `[::1]:1935`.
struct Endpoint {
  std::string ip = "0.0.0.0";
  uint16_t port = 0;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};
// Parses `[ip:]port`; nullopt unless the port is 0..65535 and the ip an address (port 0,
// "any free port", is for tests: validation refuses it in a config file).
std::optional<Endpoint> parse_endpoint(std::string_view text);

// Timestamp correction (rtmp.md): JitterAlgorithm and parse_jitter, from kernel/jitter.hpp.

// `name value;` pairs of engine vfilter/vparams/aparams, in file order.
using ParamList = std::vector<std::pair<std::string, std::string>>;

struct HttpApiConfig {
  bool enabled = false;
  std::string listen = "1985";
  bool crossdomain = true;
  friend bool operator==(const HttpApiConfig&, const HttpApiConfig&) = default;
};

struct HttpServerConfig {
  bool enabled = false;
  std::string listen = "8080";
  std::string dir = "./objs/nginx/html";
  friend bool operator==(const HttpServerConfig&, const HttpServerConfig&) = default;
};

struct HeartbeatConfig {
  bool enabled = false;
  double interval = 9.9;  // seconds
  std::string url = "http://127.0.0.1:8085/api/v1/servers";
  std::string device_id;
  bool summaries = false;
  friend bool operator==(const HeartbeatConfig&, const HeartbeatConfig&) = default;
};

struct StatsConfig {
  int network = 0;
  std::vector<std::string> disks;
  friend bool operator==(const StatsConfig&, const StatsConfig&) = default;
};

struct StreamCasterConfig {
  bool enabled = false;
  std::string caster;  // mpegts_over_udp, rtsp, flv
  std::string output;
  int listen = 0;
  int rtp_port_min = 0;
  int rtp_port_max = 0;
  friend bool operator==(const StreamCasterConfig&, const StreamCasterConfig&) = default;
};

struct GlobalConfig {
  std::vector<std::string> listen;  // raw `[ip:]port` entries
  std::string pid = "./objs/srs.pid";
  int chunk_size = 60000;
  std::string ff_log_dir = "./objs";
  bool log_to_console = false;  // srs_log_tank: anything but `console` is file
  std::string log_level = "trace";
  std::string log_file = "./objs/srs.log";
  int max_connections = 1000;
  bool daemon = true;
  bool utc_time = false;
  int pithy_print_ms = 10000;
  std::string work_dir = "./";
  bool asprocess = false;
  bool query_latest_version = true;  // accepted, never acted on
  HttpApiConfig http_api;
  HttpServerConfig http_server;
  HeartbeatConfig heartbeat;
  StatsConfig stats;
  std::vector<StreamCasterConfig> stream_casters;
  friend bool operator==(const GlobalConfig&, const GlobalConfig&) = default;
};

struct MrConfig {
  bool enabled = false;
  int latency = 350;  // ms
  friend bool operator==(const MrConfig&, const MrConfig&) = default;
};

struct SecurityRule {
  bool allow = true;   // allow or deny
  std::string method;  // play or publish
  std::string target;  // all or an IP
  friend bool operator==(const SecurityRule&, const SecurityRule&) = default;
};

struct SecurityConfig {
  bool enabled = false;
  std::vector<SecurityRule> rules;  // in file order
  friend bool operator==(const SecurityConfig&, const SecurityConfig&) = default;
};

struct HooksConfig {
  bool enabled = false;
  std::vector<std::string> on_connect, on_close, on_publish, on_unpublish, on_play, on_stop, on_dvr,
      on_hls, on_hls_notify;
  friend bool operator==(const HooksConfig&, const HooksConfig&) = default;
};

struct HlsConfig {
  bool enabled = false;
  double fragment = 10;  // seconds
  double td_ratio = 1.5;
  double aof_ratio = 2.0;
  double window = 60;  // seconds
  std::string on_error = "continue";
  std::string storage = "disk";                       // ignored since 2.0.224
  std::string mount = "[vhost]/[app]/[stream].m3u8";  // ignored since 2.0.224
  std::string path = "./objs/nginx/html";
  std::string m3u8_file = "[app]/[stream].m3u8";
  std::string ts_file = "[app]/[stream]-[seq].ts";
  bool ts_floor = false;
  std::string entry_prefix;
  std::string acodec = "aac";
  std::string vcodec = "h264";
  bool cleanup = true;
  int dispose = 0;  // seconds, 0 = never
  int nb_notify = 64;
  bool wait_keyframe = true;
  friend bool operator==(const HlsConfig&, const HlsConfig&) = default;
};

struct HdsConfig {
  bool enabled = false;
  double fragment = 10;
  double window = 60;
  std::string path = "./objs/nginx/html";
  friend bool operator==(const HdsConfig&, const HdsConfig&) = default;
};

struct DvrConfig {
  bool enabled = false;
  std::string plan = "session";  // session, segment, append
  std::string path = "./objs/nginx/html/[app]/[stream].[timestamp].flv";
  int duration = 30;  // seconds
  bool wait_keyframe = true;
  JitterAlgorithm time_jitter = JitterAlgorithm::full;
  friend bool operator==(const DvrConfig&, const DvrConfig&) = default;
};

struct HttpStaticConfig {
  bool enabled = false;
  std::string mount = "[vhost]/";
  std::string dir = "./objs/nginx/html";
  friend bool operator==(const HttpStaticConfig&, const HttpStaticConfig&) = default;
};

struct HttpRemuxConfig {
  bool enabled = false;
  std::string mount = "[vhost]/[app]/[stream].flv";
  double fast_cache = 0;  // seconds
  bool hstrs = true;
  friend bool operator==(const HttpRemuxConfig&, const HttpRemuxConfig&) = default;
};

struct EngineConfig {
  std::string name;  // `engine <name>`, may be empty
  bool enabled = false;
  std::string iformat = "flv";
  ParamList vfilter;
  std::string vcodec;
  int vbitrate = 0;  // kbps
  double vfps = 0;
  int vwidth = 0;
  int vheight = 0;
  int vthreads = 1;
  std::string vprofile;
  std::string vpreset;
  ParamList vparams;
  std::string acodec;
  int abitrate = 0;  // kbps
  int asample_rate = 0;
  int achannels = 0;
  ParamList aparams;
  std::string oformat = "flv";
  std::string output;
  friend bool operator==(const EngineConfig&, const EngineConfig&) = default;
};

struct TranscodeConfig {
  std::string scope;  // "", "<app>" or "<app>/<stream>"
  bool enabled = false;
  std::string ffmpeg;
  std::vector<EngineConfig> engines;
  friend bool operator==(const TranscodeConfig&, const TranscodeConfig&) = default;
};

struct IngestConfig {
  std::string id;
  bool enabled = false;
  std::string input_type = "file";  // file, stream
  std::string input_url;
  std::string ffmpeg;
  std::vector<EngineConfig> engines;
  friend bool operator==(const IngestConfig&, const IngestConfig&) = default;
};

struct BandcheckConfig {
  bool enabled = false;
  std::string key;
  double interval = 30;  // seconds
  int limit_kbps = 1000;
  friend bool operator==(const BandcheckConfig&, const BandcheckConfig&) = default;
};

struct VhostConfig {
  std::string name;
  bool enabled = true;
  // Core and latency.
  int chunk_size = 60000;  // the global chunk_size unless the vhost sets its own
  bool gop_cache = true;
  double queue_length = 30;  // seconds (read with atoi, as 2.0 does)
  JitterAlgorithm time_jitter = JitterAlgorithm::full;
  bool mix_correct = false;
  bool atc = false;
  bool atc_auto = true;
  bool min_latency = false;
  MrConfig mr;
  int mw_latency = 350;  // ms
  bool tcp_nodelay = false;
  double send_min_interval = 0;  // ms
  bool reduce_sequence_header = false;
  int publish_1stpkt_timeout = 20000;  // ms
  int publish_normal_timeout = 5000;   // ms
  bool parse_sps = true;
  bool debug_srs_upnode = true;
  // Cluster.
  std::string mode = "local";
  bool edge() const noexcept { return mode == "remote"; }
  std::vector<std::string> origin;
  bool token_traverse = false;
  std::string edge_vhost = "[vhost]";
  // Delivery and access.
  std::vector<std::string> forward;
  std::vector<std::string> refer, refer_publish, refer_play;
  SecurityConfig security;
  HooksConfig hooks;
  HlsConfig hls;
  HdsConfig hds;
  DvrConfig dvr;
  HttpStaticConfig http_static;
  HttpRemuxConfig http_remux;
  std::vector<TranscodeConfig> transcodes;
  std::vector<IngestConfig> ingests;
  BandcheckConfig bandcheck;

  const IngestConfig* ingest(std::string_view id) const noexcept;
  friend bool operator==(const VhostConfig&, const VhostConfig&) = default;
};

constexpr std::string_view kDefaultVhost = "__defaultVhost__";

}  // namespace srs
