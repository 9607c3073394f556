#include "app/config_build.hpp"

#include <arpa/inet.h>

#include <cstdlib>

namespace srs {

namespace {

const Directive* child(const Directive* d, std::string_view name) {
  return d ? d->get(name) : nullptr;
}
// The 2.0 directive of `parent`, else its v3+ spelling inside the `alias_block` child.
const Directive* child_or_alias(const Directive& parent, std::string_view name,
                                std::string_view alias_block, std::string_view alias_name) {
  if (const Directive* d = parent.get(name)) return d;
  return child(parent.get(alias_block), alias_name);
}

bool default_on(const Directive* d) {
  return !d || !d->has_arg() || d->arg() != "off";
}
bool default_off(const Directive* d) {
  return d && d->arg() == "on";
}
int to_int(const Directive* d, int fallback) {
  return d && d->has_arg() ? std::atoi(d->arg().c_str()) : fallback;
}
double to_double(const Directive* d, double fallback) {
  return d && d->has_arg() ? std::atof(d->arg().c_str()) : fallback;
}
std::string to_string(const Directive* d, std::string fallback) {
  return d && d->has_arg() ? d->arg() : std::move(fallback);
}
std::vector<std::string> to_list(const Directive* d) {
  return d ? d->args : std::vector<std::string>{};
}
ParamList to_params(const Directive* block) {
  ParamList out;
  if (!block) return out;
  for (const auto& c : block->children) out.emplace_back(c.name, c.arg());
  return out;
}

HttpApiConfig build_http_api(const Directive* d) {
  HttpApiConfig c;
  c.enabled = default_off(child(d, "enabled"));
  c.listen = to_string(child(d, "listen"), c.listen);
  c.crossdomain = default_on(child(d, "crossdomain"));
  return c;
}

HttpServerConfig build_http_server(const Directive* d) {
  HttpServerConfig c;
  c.enabled = default_off(child(d, "enabled"));
  c.listen = to_string(child(d, "listen"), c.listen);
  c.dir = to_string(child(d, "dir"), c.dir);
  return c;
}

HeartbeatConfig build_heartbeat(const Directive* d) {
  HeartbeatConfig c;
  c.enabled = default_off(child(d, "enabled"));
  c.interval = to_double(child(d, "interval"), c.interval);
  c.url = to_string(child(d, "url"), c.url);
  c.device_id = to_string(child(d, "device_id"), c.device_id);
  c.summaries = default_off(child(d, "summaries"));
  return c;
}

StatsConfig build_stats(const Directive* d) {
  StatsConfig c;
  c.network = to_int(child(d, "network"), c.network);
  c.disks = to_list(child(d, "disk"));
  return c;
}

StreamCasterConfig build_caster(const Directive& d) {
  StreamCasterConfig c;
  c.enabled = default_off(d.get("enabled"));
  c.caster = to_string(d.get("caster"), "");
  c.output = to_string(d.get("output"), "");
  c.listen = to_int(d.get("listen"), 0);
  c.rtp_port_min = to_int(d.get("rtp_port_min"), 0);
  c.rtp_port_max = to_int(d.get("rtp_port_max"), 0);
  return c;
}

void build_latency(const Directive& v, VhostConfig& c) {
  c.gop_cache = default_on(child_or_alias(v, "gop_cache", "play", "gop_cache"));
  c.queue_length = to_int(child_or_alias(v, "queue_length", "play", "queue_length"), 30);
  c.time_jitter =
      parse_jitter(to_string(child_or_alias(v, "time_jitter", "play", "time_jitter"), "full"));
  c.mix_correct = default_off(child_or_alias(v, "mix_correct", "play", "mix_correct"));
  c.atc = default_off(child_or_alias(v, "atc", "play", "atc"));
  c.atc_auto = default_on(child_or_alias(v, "atc_auto", "play", "atc_auto"));
  c.min_latency = default_off(v.get("min_latency"));
  c.mw_latency = to_int(child_or_alias(v, "mw_latency", "play", "mw_latency"), c.mw_latency);
  c.tcp_nodelay = default_off(v.get("tcp_nodelay"));
  c.send_min_interval =
      to_double(child_or_alias(v, "send_min_interval", "play", "send_min_interval"), 0);
  c.reduce_sequence_header =
      default_off(child_or_alias(v, "reduce_sequence_header", "play", "reduce_sequence_header"));
  const Directive* mr = v.get("mr");
  c.mr.enabled = default_off(mr ? mr->get("enabled") : child(v.get("publish"), "mr"));
  c.mr.latency = to_int(mr ? mr->get("latency") : child(v.get("publish"), "mr_latency"), 350);
  c.publish_1stpkt_timeout =
      to_int(child_or_alias(v, "publish_1stpkt_timeout", "publish", "firstpkt_timeout"), 20000);
  c.publish_normal_timeout =
      to_int(child_or_alias(v, "publish_normal_timeout", "publish", "normal_timeout"), 5000);
  c.parse_sps = default_on(child(v.get("publish"), "parse_sps"));
}

void build_cluster(const Directive& v, VhostConfig& c) {
  c.mode = to_string(child_or_alias(v, "mode", "cluster", "mode"), "local");
  c.origin = to_list(child_or_alias(v, "origin", "cluster", "origin"));
  c.token_traverse = default_off(child_or_alias(v, "token_traverse", "cluster", "token_traverse"));
  c.edge_vhost = to_string(child_or_alias(v, "vhost", "cluster", "vhost"), "[vhost]");
  c.debug_srs_upnode =
      default_on(child_or_alias(v, "debug_srs_upnode", "cluster", "debug_srs_upnode"));
}

// 2.0 lists destinations as arguments; v3+ writes `forward { enabled on; destination ...; }`.
void build_forward_and_refer(const Directive& v, VhostConfig& c) {
  if (const Directive* f = v.get("forward"); f && f->is_block()) {
    if (default_off(f->get("enabled"))) c.forward = to_list(f->get("destination"));
  } else {
    c.forward = to_list(f);
  }
  if (const Directive* r = v.get("refer"); r && r->is_block()) {
    if (default_off(r->get("enabled"))) {
      c.refer = to_list(r->get("all"));
      c.refer_play = to_list(r->get("play"));
      c.refer_publish = to_list(r->get("publish"));
    }
  } else {
    c.refer = to_list(r);
    c.refer_play = to_list(v.get("refer_play"));
    c.refer_publish = to_list(v.get("refer_publish"));
  }
}

SecurityConfig build_security(const Directive* d) {
  SecurityConfig c;
  if (!d) return c;
  c.enabled = default_off(d->get("enabled"));
  for (const auto& r : d->children) {
    if (r.name == "allow" || r.name == "deny") {
      c.rules.push_back(SecurityRule{r.name == "allow", r.arg(0), r.arg(1)});
    }
  }
  return c;
}

HooksConfig build_hooks(const Directive* d) {
  HooksConfig c;
  c.enabled = default_off(child(d, "enabled"));
  c.on_connect = to_list(child(d, "on_connect"));
  c.on_close = to_list(child(d, "on_close"));
  c.on_publish = to_list(child(d, "on_publish"));
  c.on_unpublish = to_list(child(d, "on_unpublish"));
  c.on_play = to_list(child(d, "on_play"));
  c.on_stop = to_list(child(d, "on_stop"));
  c.on_dvr = to_list(child(d, "on_dvr"));
  c.on_hls = to_list(child(d, "on_hls"));
  c.on_hls_notify = to_list(child(d, "on_hls_notify"));
  return c;
}

HlsConfig build_hls(const Directive* d) {
  HlsConfig c;
  c.enabled = default_off(child(d, "enabled"));
  c.fragment = to_double(child(d, "hls_fragment"), c.fragment);
  c.td_ratio = to_double(child(d, "hls_td_ratio"), c.td_ratio);
  c.aof_ratio = to_double(child(d, "hls_aof_ratio"), c.aof_ratio);
  c.window = to_double(child(d, "hls_window"), c.window);
  c.on_error = to_string(child(d, "hls_on_error"), c.on_error);
  c.storage = to_string(child(d, "hls_storage"), c.storage);
  c.mount = to_string(child(d, "hls_mount"), c.mount);
  c.path = to_string(child(d, "hls_path"), c.path);
  c.m3u8_file = to_string(child(d, "hls_m3u8_file"), c.m3u8_file);
  c.ts_file = to_string(child(d, "hls_ts_file"), c.ts_file);
  c.ts_floor = default_off(child(d, "hls_ts_floor"));
  c.entry_prefix = to_string(child(d, "hls_entry_prefix"), c.entry_prefix);
  c.acodec = to_string(child(d, "hls_acodec"), c.acodec);
  c.vcodec = to_string(child(d, "hls_vcodec"), c.vcodec);
  c.cleanup = default_on(child(d, "hls_cleanup"));
  c.dispose = to_int(child(d, "hls_dispose"), c.dispose);
  c.nb_notify = to_int(child(d, "hls_nb_notify"), c.nb_notify);
  c.wait_keyframe = default_on(child(d, "hls_wait_keyframe"));
  return c;
}

HdsConfig build_hds(const Directive* d) {
  HdsConfig c;
  c.enabled = default_off(child(d, "enabled"));
  c.fragment = to_double(child(d, "hds_fragment"), c.fragment);
  c.window = to_double(child(d, "hds_window"), c.window);
  c.path = to_string(child(d, "hds_path"), c.path);
  return c;
}

DvrConfig build_dvr(const Directive* d) {
  DvrConfig c;
  c.enabled = default_off(child(d, "enabled"));
  c.plan = to_string(child(d, "dvr_plan"), c.plan);
  c.path = to_string(child(d, "dvr_path"), c.path);
  c.duration = to_int(child(d, "dvr_duration"), c.duration);
  c.wait_keyframe = default_on(child(d, "dvr_wait_keyframe"));
  c.time_jitter = parse_jitter(to_string(child(d, "time_jitter"), "full"));
  return c;
}

HttpStaticConfig build_http_static(const Directive& v) {
  const Directive* d = v.get("http");  // the SRS1 name wins when both are present
  if (!d) d = v.get("http_static");
  HttpStaticConfig c;
  c.enabled = default_off(child(d, "enabled"));
  c.mount = to_string(child(d, "mount"), c.mount);
  c.dir = to_string(child(d, "dir"), c.dir);
  return c;
}

HttpRemuxConfig build_http_remux(const Directive* d) {
  HttpRemuxConfig c;
  c.enabled = default_off(child(d, "enabled"));
  c.mount = to_string(child(d, "mount"), c.mount);
  c.fast_cache = to_double(child(d, "fast_cache"), c.fast_cache);
  c.hstrs = default_on(child(d, "hstrs"));
  return c;
}

std::vector<EngineConfig> build_engines(const Directive& parent) {
  std::vector<EngineConfig> out;
  for (const Directive* e : parent.all("engine")) out.push_back(build_engine_config(*e));
  return out;
}

TranscodeConfig build_transcode(const Directive& d) {
  TranscodeConfig c;
  c.scope = d.arg();
  c.enabled = default_off(d.get("enabled"));
  c.ffmpeg = to_string(d.get("ffmpeg"), "");
  c.engines = build_engines(d);
  return c;
}

IngestConfig build_ingest(const Directive& d) {
  IngestConfig c;
  c.id = d.arg();
  c.enabled = default_off(d.get("enabled"));
  const Directive* input = d.get("input");
  c.input_type = to_string(child(input, "type"), c.input_type);
  c.input_url = to_string(child(input, "url"), "");
  c.ffmpeg = to_string(d.get("ffmpeg"), "");
  c.engines = build_engines(d);
  return c;
}

BandcheckConfig build_bandcheck(const Directive* d) {
  BandcheckConfig c;
  c.enabled = default_off(child(d, "enabled"));
  c.key = to_string(child(d, "key"), "");
  c.interval = to_double(child(d, "interval"), c.interval);
  c.limit_kbps = to_int(child(d, "limit_kbps"), c.limit_kbps);
  return c;
}

}  // namespace

GlobalConfig build_global_config(const Directive& root) {
  GlobalConfig c;
  c.listen = to_list(root.get("listen"));
  c.pid = to_string(root.get("pid"), c.pid);
  c.chunk_size = to_int(root.get("chunk_size"), c.chunk_size);
  c.ff_log_dir = to_string(root.get("ff_log_dir"), c.ff_log_dir);
  c.log_to_console = to_string(root.get("srs_log_tank"), "file") == "console";
  c.log_level = to_string(root.get("srs_log_level"), c.log_level);
  c.log_file = to_string(root.get("srs_log_file"), c.log_file);
  c.max_connections = to_int(root.get("max_connections"), c.max_connections);
  c.daemon = default_on(root.get("daemon"));
  c.utc_time = default_off(root.get("utc_time"));
  c.pithy_print_ms = to_int(root.get("pithy_print_ms"), c.pithy_print_ms);
  c.work_dir = to_string(root.get("work_dir"), c.work_dir);
  c.asprocess = default_off(root.get("asprocess"));
  c.query_latest_version = default_on(root.get("query_latest_version"));
  c.http_api = build_http_api(root.get("http_api"));
  const Directive* http = root.get("http_stream");  // the SRS1 name wins when both exist
  c.http_server = build_http_server(http ? http : root.get("http_server"));
  c.heartbeat = build_heartbeat(root.get("heartbeat"));
  c.stats = build_stats(root.get("stats"));
  for (const Directive* d : root.all("stream_caster")) c.stream_casters.push_back(build_caster(*d));
  return c;
}

VhostConfig build_vhost_config(const Directive& v, int global_chunk_size) {
  VhostConfig c;
  c.name = v.arg();
  c.enabled = default_on(v.get("enabled"));
  c.chunk_size = to_int(v.get("chunk_size"), global_chunk_size);
  build_latency(v, c);
  build_cluster(v, c);
  build_forward_and_refer(v, c);
  c.security = build_security(v.get("security"));
  c.hooks = build_hooks(v.get("http_hooks"));
  c.hls = build_hls(v.get("hls"));
  c.hds = build_hds(v.get("hds"));
  c.dvr = build_dvr(v.get("dvr"));
  c.http_static = build_http_static(v);
  c.http_remux = build_http_remux(v.get("http_remux"));
  for (const Directive* t : v.all("transcode")) c.transcodes.push_back(build_transcode(*t));
  for (const Directive* i : v.all("ingest")) {
    if (!c.ingest(i->arg())) c.ingests.push_back(build_ingest(*i));  // first id wins
  }
  c.bandcheck = build_bandcheck(v.get("bandcheck"));
  return c;
}

EngineConfig build_engine_config(const Directive& e) {
  EngineConfig c;
  c.name = e.arg();
  c.enabled = default_off(e.get("enabled"));
  c.iformat = to_string(e.get("iformat"), c.iformat);
  c.vfilter = to_params(e.get("vfilter"));
  c.vcodec = to_string(e.get("vcodec"), "");
  c.vbitrate = to_int(e.get("vbitrate"), 0);
  c.vfps = to_double(e.get("vfps"), 0);
  c.vwidth = to_int(e.get("vwidth"), 0);
  c.vheight = to_int(e.get("vheight"), 0);
  c.vthreads = to_int(e.get("vthreads"), 1);
  c.vprofile = to_string(e.get("vprofile"), "");
  c.vpreset = to_string(e.get("vpreset"), "");
  c.vparams = to_params(e.get("vparams"));
  c.acodec = to_string(e.get("acodec"), "");
  c.abitrate = to_int(e.get("abitrate"), 0);
  c.asample_rate = to_int(e.get("asample_rate"), 0);
  c.achannels = to_int(e.get("achannels"), 0);
  c.aparams = to_params(e.get("aparams"));
  c.oformat = to_string(e.get("oformat"), c.oformat);
  c.output = to_string(e.get("output"), "");
  return c;
}

const IngestConfig* VhostConfig::ingest(std::string_view id) const noexcept {
  for (const auto& i : ingests) {
    if (i.id == id) return &i;
  }
  return nullptr;
}

std::optional<Endpoint> parse_endpoint(std::string_view text) {
  Endpoint e;
  std::string_view port = text;
  if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    std::string ip(text.substr(0, colon));
    port = text.substr(colon + 1);
    if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    unsigned char buf[16];
    if (::inet_pton(AF_INET, ip.c_str(), buf) != 1 && ::inet_pton(AF_INET6, ip.c_str(), buf) != 1) {
      return std::nullopt;
    }
    e.ip = std::move(ip);
  }
  if (port.empty() || port.size() > 5) return std::nullopt;
  int value = 0;
  for (char ch : port) {
    if (ch < '0' || ch > '9') return std::nullopt;
    value = value * 10 + (ch - '0');
  }
  if (value > 65535) return std::nullopt;
  e.port = static_cast<uint16_t>(value);
  return e;
}

}  // namespace srs
