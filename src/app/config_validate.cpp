#include "app/config_validate.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <span>
#include <string>

#include <fmt/format.h>

#include "app/config_types.hpp"

namespace srs {

namespace {

using Names = std::span<const std::string_view>;

constexpr std::string_view kRoot[] = {"listen",
                                      "pid",
                                      "chunk_size",
                                      "ff_log_dir",
                                      "srs_log_tank",
                                      "srs_log_level",
                                      "srs_log_file",
                                      "max_connections",
                                      "daemon",
                                      "heartbeat",
                                      "http_api",
                                      "stats",
                                      "vhost",
                                      "pithy_print_ms",
                                      "http_stream",
                                      "http_server",
                                      "stream_caster",
                                      "utc_time",
                                      "work_dir",
                                      "asprocess",
                                      "query_latest_version"};
constexpr std::string_view kHttpApi[] = {"enabled", "listen", "crossdomain"};
constexpr std::string_view kHttpServer[] = {"enabled", "listen", "dir"};
constexpr std::string_view kHeartbeat[] = {"enabled", "interval", "url", "device_id", "summaries"};
constexpr std::string_view kStats[] = {"network", "disk"};
constexpr std::string_view kCaster[] = {"enabled", "caster",       "output",
                                        "listen",  "rtp_port_min", "rtp_port_max"};
// The 2.0 vhost names, plus the v3+ `play` and `cluster` blocks we accept as aliases.
constexpr std::string_view kVhost[] = {"enabled",
                                       "chunk_size",
                                       "mode",
                                       "origin",
                                       "token_traverse",
                                       "vhost",
                                       "dvr",
                                       "ingest",
                                       "hls",
                                       "http_hooks",
                                       "gop_cache",
                                       "queue_length",
                                       "refer",
                                       "refer_publish",
                                       "refer_play",
                                       "forward",
                                       "transcode",
                                       "bandcheck",
                                       "time_jitter",
                                       "mix_correct",
                                       "atc",
                                       "atc_auto",
                                       "debug_srs_upnode",
                                       "mr",
                                       "mw_latency",
                                       "min_latency",
                                       "publish",
                                       "tcp_nodelay",
                                       "send_min_interval",
                                       "reduce_sequence_header",
                                       "publish_1stpkt_timeout",
                                       "publish_normal_timeout",
                                       "security",
                                       "http_remux",
                                       "http",
                                       "http_static",
                                       "hds",
                                       "play",
                                       "cluster"};
constexpr std::string_view kDvr[] = {"enabled",      "dvr_plan",          "dvr_path",
                                     "dvr_duration", "dvr_wait_keyframe", "time_jitter"};
constexpr std::string_view kMr[] = {"enabled", "latency"};
constexpr std::string_view kPublish[] = {"parse_sps", "mr", "mr_latency", "firstpkt_timeout",
                                         "normal_timeout"};
constexpr std::string_view kIngest[] = {"enabled", "input", "ffmpeg", "engine"};
constexpr std::string_view kHttpStatic[] = {"enabled", "mount", "dir"};
constexpr std::string_view kHttpRemux[] = {"enabled", "mount", "fast_cache", "hstrs"};
constexpr std::string_view kHls[] = {
    "enabled",      "hls_fragment", "hls_td_ratio",     "hls_aof_ratio",    "hls_window",
    "hls_on_error", "hls_storage",  "hls_mount",        "hls_path",         "hls_m3u8_file",
    "hls_ts_file",  "hls_ts_floor", "hls_entry_prefix", "hls_acodec",       "hls_vcodec",
    "hls_cleanup",  "hls_dispose",  "hls_nb_notify",    "hls_wait_keyframe"};
constexpr std::string_view kHooks[] = {"enabled",      "on_connect",   "on_close", "on_publish",
                                       "on_unpublish", "on_play",      "on_stop",  "on_dvr",
                                       "on_hls",       "on_hls_notify"};
constexpr std::string_view kSecurity[] = {"enabled", "allow", "deny"};
constexpr std::string_view kTranscode[] = {"enabled", "ffmpeg", "engine"};
constexpr std::string_view kEngine[] = {
    "enabled",      "iformat",   "vfilter",  "vcodec",  "vbitrate", "vfps",   "vwidth",
    "vheight",      "vthreads",  "vprofile", "vpreset", "vparams",  "acodec", "abitrate",
    "asample_rate", "achannels", "aparams",  "oformat", "output"};
constexpr std::string_view kBandcheck[] = {"enabled", "key", "interval", "limit_kbps"};
constexpr std::string_view kPlay[] = {"gop_cache",
                                      "queue_length",
                                      "time_jitter",
                                      "mix_correct",
                                      "atc",
                                      "atc_auto",
                                      "mw_latency",
                                      "send_min_interval",
                                      "reduce_sequence_header",
                                      "mw_msgs",
                                      "gop_cache_max_frames"};
constexpr std::string_view kCluster[] = {"mode", "origin", "token_traverse", "vhost",
                                         "debug_srs_upnode"};
constexpr std::string_view kForwardBlock[] = {"enabled", "destination"};
constexpr std::string_view kReferBlock[] = {"enabled", "all", "play", "publish"};

// 2.0 reads these as ""/0 when written without a value; a valid file never does that,
// so we refuse rather than guess (spec §1 "Value semantics").
constexpr std::string_view kNeedValue[] = {
    "listen",   "pid",          "chunk_size",   "max_connections", "srs_log_file",
    "hls_path", "hls_fragment", "hls_window",   "hls_m3u8_file",   "hls_ts_file",
    "dvr_path", "dvr_plan",     "dvr_duration", "iformat",         "oformat"};

bool contains(Names names, std::string_view n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}
std::string join(std::string_view path, std::string_view name) {
  return path.empty() ? std::string(name) : fmt::format("{}.{}", path, name);
}

// Every child of `block` must be one of `allowed` and carry a value where one is needed.
Result<> check_children(const Directive& block, std::string_view path, Names allowed) {
  for (const auto& c : block.children) {
    if (!contains(allowed, c.name)) {
      return directive_error(c, join(path, c.name), "unknown directive");
    }
    if (contains(kNeedValue, c.name) && !c.has_arg() && !c.is_block()) {
      return directive_error(c, join(path, c.name), "needs a value");
    }
  }
  return {};
}
Result<> check_child_block(const Directive& parent, std::string_view path, std::string_view name,
                           Names allowed) {
  for (const Directive* d : parent.all(name)) {
    if (auto r = check_children(*d, join(path, name), allowed); !r) return r;
  }
  return {};
}

Result<> check_endpoint(const Directive& d, std::string_view path, const std::string& value) {
  if (auto e = parse_endpoint(value); e && e->port > 0) return {};
  return directive_error(d, path,
                         fmt::format("\"{}\" is not [ip:]port with a port in 1..65535", value));
}

Result<> check_chunk_size(const Directive* d, std::string_view path) {
  if (!d) return {};
  const int v = std::atoi(d->arg().c_str());
  if (v >= 128 && v <= 65536) return {};
  return directive_error(*d, path, fmt::format("{} is out of range 128..65536", v));
}

Result<> check_global_blocks(const Directive& root) {
  if (auto r = check_children(root, "", kRoot); !r) return r;
  if (auto r = check_child_block(root, "", "http_api", kHttpApi); !r) return r;
  if (auto r = check_child_block(root, "", "http_server", kHttpServer); !r) return r;
  if (auto r = check_child_block(root, "", "http_stream", kHttpServer); !r) return r;
  if (auto r = check_child_block(root, "", "heartbeat", kHeartbeat); !r) return r;
  return check_child_block(root, "", "stats", kStats);
}

Result<> check_listen(const Directive& root) {
  const Directive* listen = root.get("listen");
  if (!listen) {
    return fail(
        config_errc::invalid,
        fmt::format("{}: directive \"listen\": missing, the RTMP port is required", root.file));
  }
  for (const auto& a : listen->args) {
    if (auto r = check_endpoint(*listen, "listen", a); !r) return r;
  }
  return {};
}

bool block_enabled(const Directive* block) {
  const Directive* e = block ? block->get("enabled") : nullptr;
  return e && e->arg() == "on";
}

Result<> check_max_connections(const Directive& root, const ValidationLimits& limits) {
  const Directive* d = root.get("max_connections");
  if (!d) return {};  // the default (1000) is checked at start by the listener limit
  const long max = std::atol(d->arg().c_str());
  if (max <= 0) return directive_error(*d, "max_connections", "must be greater than 0");
  const Directive* http =
      root.get("http_stream") ? root.get("http_stream") : root.get("http_server");
  const Directive* tank = root.get("srs_log_tank");
  const long needed = max + static_cast<long>(root.get("listen")->args.size()) +
                      block_enabled(root.get("http_api")) + block_enabled(http) +
                      (tank && tank->arg() == "console" ? 0 : 1) + 3;
  if (needed < limits.open_files) return {};
  return directive_error(
      *d, "max_connections",
      fmt::format("{} connections need {} open files but the limit is {}; raise it with "
                  "`ulimit -HSn {}` or lower max_connections",
                  max, needed, limits.open_files, needed + 1));
}

Result<> check_http_listen(const Directive& root, std::string_view name) {
  const Directive* block = root.get(name);
  const Directive* listen = block ? block->get("listen") : nullptr;
  if (!listen) return {};
  const std::string path = join(name, "listen");
  if (!listen->has_arg()) return directive_error(*listen, path, "needs a value");
  return check_endpoint(*listen, path, listen->arg());
}

Result<> check_misc_globals(const Directive& root) {
  if (const Directive* hb = root.get("heartbeat")) {
    if (const Directive* i = hb->get("interval"); i && std::atof(i->arg().c_str()) <= 0) {
      return directive_error(*i, "heartbeat.interval", "must be greater than 0");
    }
  }
  if (const Directive* st = root.get("stats")) {
    if (const Directive* n = st->get("network"); n && std::atoi(n->arg().c_str()) < 0) {
      return directive_error(*n, "stats.network", "must not be negative");
    }
  }
  for (auto name : {"http_api", "http_server", "http_stream"}) {
    if (auto r = check_http_listen(root, name); !r) return r;
  }
  for (const Directive* c : root.all("stream_caster")) {
    if (auto r = check_children(*c, "stream_caster", kCaster); !r) return r;
  }
  if (auto r = check_chunk_size(root.get("chunk_size"), "chunk_size"); !r) return r;
  const Directive* daemon = root.get("daemon");
  const Directive* asprocess = root.get("asprocess");
  if (asprocess && asprocess->arg() == "on" && (!daemon || daemon->arg() != "off")) {
    return directive_error(*asprocess, "asprocess", "cannot be on together with `daemon on`");
  }
  return {};
}

Result<> check_engines(const Directive& parent, std::string_view path) {
  return check_child_block(parent, path, "engine", kEngine);
}

Result<> check_vhost_blocks(const Directive& v, std::string_view p) {
  struct Rule {
    std::string_view name;
    Names allowed;
  };
  const Rule rules[] = {{"dvr", kDvr},
                        {"mr", kMr},
                        {"publish", kPublish},
                        {"ingest", kIngest},
                        {"http", kHttpStatic},
                        {"http_static", kHttpStatic},
                        {"http_remux", kHttpRemux},
                        {"hls", kHls},
                        {"http_hooks", kHooks},
                        {"security", kSecurity},
                        {"transcode", kTranscode},
                        {"bandcheck", kBandcheck},
                        {"play", kPlay},
                        {"cluster", kCluster}};
  for (const auto& rule : rules) {
    if (auto r = check_child_block(v, p, rule.name, rule.allowed); !r) return r;
  }
  for (const Directive* t : v.all("transcode")) {
    if (auto r = check_engines(*t, join(p, "transcode")); !r) return r;
  }
  if (const Directive* f = v.get("forward"); f && f->is_block()) {
    if (auto r = check_children(*f, join(p, "forward"), kForwardBlock); !r) return r;
  }
  if (const Directive* f = v.get("refer"); f && f->is_block()) {
    return check_children(*f, join(p, "refer"), kReferBlock);
  }
  return {};
}

Result<> check_vhost_values(const Directive& v, std::string_view p) {
  if (auto r = check_chunk_size(v.get("chunk_size"), join(p, "chunk_size")); !r) return r;
  if (const Directive* dvr = v.get("dvr")) {
    if (const Directive* plan = dvr->get("dvr_plan")) {
      const auto& a = plan->arg();
      if (a != "session" && a != "segment" && a != "append") {
        return directive_error(*plan, join(p, "dvr.dvr_plan"),
                               fmt::format("\"{}\" is not session, segment or append", a));
      }
    }
  }
  std::set<std::string> ids;
  for (const Directive* i : v.all("ingest")) {
    if (!i->has_arg()) return directive_error(*i, join(p, "ingest"), "needs an id");
    if (!ids.insert(i->arg()).second) {
      return directive_error(*i, join(p, "ingest"),
                             fmt::format("id \"{}\" is used twice in this vhost", i->arg()));
    }
  }
  return {};
}

Result<> check_vhosts(const Directive& root) {
  for (const Directive* v : root.all("vhost")) {
    if (!v->has_arg()) return directive_error(*v, "vhost", "needs a name");
    if (auto r = check_children(*v, "vhost", kVhost); !r) return r;
    if (auto r = check_vhost_blocks(*v, "vhost"); !r) return r;
    if (auto r = check_vhost_values(*v, "vhost"); !r) return r;
  }
  return {};
}

}  // namespace

ValidationLimits ValidationLimits::of_process() {
  ValidationLimits l;
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0) {
    l.open_files = r.rlim_cur == RLIM_INFINITY ? 1L << 30 : static_cast<long>(r.rlim_cur);
  }
  return l;
}

Result<> validate_config(const Directive& root, const ValidationLimits& limits) {
  if (root.children.empty()) {
    return fail(config_errc::invalid, fmt::format("{}: conf is empty", root.file));
  }
  if (auto r = check_global_blocks(root); !r) return r;
  if (auto r = check_listen(root); !r) return r;
  if (auto r = check_max_connections(root, limits); !r) return r;
  if (auto r = check_misc_globals(root); !r) return r;
  return check_vhosts(root);
}

}  // namespace srs
