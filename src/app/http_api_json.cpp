#include "app/http_api_json.hpp"

#include <unistd.h>

#include <cmath>

#include "core/version.hpp"

namespace srs::api {

namespace {
Json kbps_of(const KbpsMeter& m) {
  return Json{{"recv_30s", m.recv_kbps_30s()}, {"send_30s", m.send_kbps_30s()}};
}

Json number_of(const ProcNumber& n) {
  return std::visit([](auto v) { return Json(v); }, n);
}

// The methods 2.0 names; others are reported by their http-parser number (spec §3.10).
Json method_of(const http::Request& req) {
  for (std::string_view m : {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"}) {
    if (req.method == m) return req.method;
  }
  return req.method_code;
}
}  // namespace

Json envelope(int64_t server_id, int code) {
  return Json{{"code", code}, {"server", server_id}};
}

std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json api_index() {
  return Json{{"v1", "the api version 1.0"}};
}

Json v1_index() {
  return Json{
      {"versions", "the version of SRS"},
      {"summaries", "the summary(pid, argv, pwd, cpu, mem) of SRS"},
      {"rusages", "the rusage of SRS"},
      {"self_proc_stats", "the self process stats"},
      {"system_proc_stats", "the system process stats"},
      {"meminfos", "the meminfo of system"},
      {"authors", "the license, copyright, authors and contributors"},
      {"features", "the supported features of SRS"},
      {"requests", "the request itself, for http debug"},
      {"vhosts", "manage all vhosts or specified vhost"},
      {"streams", "manage all streams or specified stream"},
      {"clients", "manage all clients or specified client, default query top 10 clients"},
      {"tests", Json{{"requests", "show the request info"},
                     {"errors", "always return an error 100"},
                     {"redirects", "always redirect to /api/v1/test/errors"},
                     {"[vhost]", "http vhost for http://error.srs.com:1985/api/v1/tests/errors"}}}};
}

Json versions() {
  return Json{{"major", kVersionMajor},
              {"minor", kVersionMinor},
              {"revision", kVersionRevision},
              {"version", kVersion}};
}

Json authors() {
  return Json{{"primary", "the SRS authors"},
              {"license", "The MIT License (MIT)"},
              {"copyright", "Copyright (c) the SRS authors"},
              {"authors", "the SRS authors"},
              {"contributors_link", "https://github.com/ossrs/srs/blob/develop/AUTHORS.txt"},
              {"contributors", "see contributors_link"}};
}

// What this build has: the same keys as 2.0; HDS is not implemented here.
Json features() {
  return Json{{"ssl", true},
              {"hls", true},
              {"hds", false},
              {"callback", true},
              {"api", true},
              {"httpd", true},
              {"dvr", true},
              {"transcode", true},
              {"ingest", true},
              {"stat", true},
              {"nginx", false},
              {"ffmpeg", false},
              {"stream_caster", true},
              {"complex_send", true},
              {"tcp_nodelay", true},
              {"so_sendbuf", false},
              {"mr", true}};
}

Json summaries(const SystemSample& s, const Stats& stats, const ProcessInfo& self,
               int64_t now_wall_ms) {
  const MemInfo mem = s.mem.value_or(MemInfo{});
  const double maxrss = static_cast<double>(s.ru.ru_maxrss);
  Json me{{"version", kVersion},
          {"pid", ::getpid()},
          {"ppid", ::getppid()},
          {"argv", self.argv},
          {"cwd", self.cwd},
          {"mem_kbyte", s.ru.ru_maxrss},
          {"mem_percent", mem.total ? maxrss / static_cast<double>(mem.total) : 0.0},
          {"cpu_percent", s.self_percent},
          {"srs_uptime", std::round(self.uptime_s * 10) / 10}};
  Json sys{{"cpu_percent", s.cpu_percent},
           {"disk_read_KBps", std::llround(s.disk_read_kbps)},
           {"disk_write_KBps", std::llround(s.disk_write_kbps)},
           {"disk_busy_percent", s.disk_busy},
           {"mem_ram_kbyte", mem.total},
           {"mem_ram_percent", mem.ram_ratio()},
           {"mem_swap_kbyte", mem.swap_total},
           {"mem_swap_percent", mem.swap_ratio()},
           {"cpus", s.cpus},
           {"cpus_online", s.cpus_online},
           {"uptime", s.uptime[0]},
           {"ilde_time", s.uptime[1]},  // sic: the interface's spelling
           {"load_1m", s.load[0]},
           {"load_5m", s.load[1]},
           {"load_15m", s.load[2]},
           {"net_sample_time", s.sample_ms},
           {"net_recv_bytes", s.net_recv},
           {"net_send_bytes", s.net_send},
           {"net_recvi_bytes", s.net_recvi},
           {"net_sendi_bytes", s.net_sendi},
           {"srs_sample_time", s.sample_ms},
           {"srs_recv_bytes", stats.total().recv_bytes()},
           {"srs_send_bytes", stats.total().send_bytes()},
           {"conn_sys", s.sock.tcp_alloc + s.sock.tcp_tw},
           {"conn_sys_et", s.sock.tcp_inuse},
           {"conn_sys_tw", s.sock.tcp_tw},
           {"conn_sys_udp", s.sock.udp_inuse},
           {"conn_srs", self.connections}};
  Json data{
      {"ok", s.ok}, {"now_ms", now_wall_ms}, {"self", std::move(me)}, {"system", std::move(sys)}};
  return Json{{"code", kSuccess}, {"data", std::move(data)}};
}

Json rusages(const SystemSample& s) {
  const rusage& r = s.ru;
  return Json{{"ok", s.ok},
              {"sample_time", s.sample_ms},
              {"ru_utime", r.ru_utime.tv_sec},
              {"ru_stime", r.ru_stime.tv_sec},
              {"ru_maxrss", r.ru_maxrss},
              {"ru_ixrss", r.ru_ixrss},
              {"ru_idrss", r.ru_idrss},
              {"ru_isrss", r.ru_isrss},
              {"ru_minflt", r.ru_minflt},
              {"ru_majflt", r.ru_majflt},
              {"ru_nswap", r.ru_nswap},
              {"ru_inblock", r.ru_inblock},
              {"ru_oublock", r.ru_oublock},
              {"ru_msgsnd", r.ru_msgsnd},
              {"ru_msgrcv", r.ru_msgrcv},
              {"ru_nsignals", r.ru_nsignals},
              {"ru_nvcsw", r.ru_nvcsw},
              {"ru_nivcsw", r.ru_nivcsw}};
}

Json self_proc_stats(const SystemSample& s) {
  Json j{{"ok", s.self.has_value()}, {"sample_time", s.sample_ms}, {"percent", s.self_percent}};
  const SelfStat self = s.self.value_or(SelfStat{});
  j["pid"] = self.pid;
  j["comm"] = self.comm;
  j["state"] = self.state;
  for (size_t i = 0; i < kSelfStatNames.size(); ++i) {
    j[std::string(kSelfStatNames[i])] = number_of(self.fields[i]);
  }
  return j;
}

Json system_proc_stats(const SystemSample& s) {
  const CpuTimes c = s.cpu.value_or(CpuTimes{});
  return Json{{"ok", s.cpu.has_value()},
              {"sample_time", s.sample_ms},
              {"percent", s.cpu_percent},
              {"user", c.user},
              {"nice", c.nice},
              {"sys", c.sys},
              {"idle", c.idle},
              {"iowait", c.iowait},
              {"irq", c.irq},
              {"softirq", c.softirq},
              {"steal", c.steal},
              {"guest", c.guest}};
}

Json meminfos(const SystemSample& s) {
  const MemInfo m = s.mem.value_or(MemInfo{});
  return Json{{"ok", s.mem.has_value()},
              {"sample_time", s.sample_ms},
              {"percent_ram", m.ram_ratio()},
              {"percent_swap", m.swap_ratio()},
              {"MemActive", m.active()},
              {"RealInUse", m.real_in_use()},
              {"NotInUse", m.not_in_use()},
              {"MemTotal", m.total},
              {"MemFree", m.free},
              {"Buffers", m.buffers},
              {"Cached", m.cached},
              {"SwapTotal", m.swap_total},
              {"SwapFree", m.swap_free}};
}

Json request_echo(const http::Request& req, std::string_view server_ip, int64_t now_wall_ms) {
  const std::string host(req.headers.get_or("Host", server_ip));
  Json headers = Json::object();
  for (const auto& [name, value] : req.headers.fields()) headers[name] = value;
  Json server{{"sigature", kServerName},  // sic: the interface's spelling
              {"name", "SRS(Simple RTMP Server)"},
              {"version", kVersion},
              {"link", "https://github.com/ossrs/srs"},
              {"time", now_wall_ms}};
  return Json{{"uri", "http://" + host + req.path},
              {"path", req.path},
              {"METHOD", method_of(req)},
              {"headers", std::move(headers)},
              {"server", std::move(server)}};
}

Json vhost(const VhostStat& v, const Config& config) {
  const VhostConfig* conf = config.find_vhost(v.name);
  Json hls{{"enabled", conf && conf->hls.enabled}};
  if (conf && conf->hls.enabled) hls["fragment"] = conf->hls.fragment;
  return Json{{"id", v.id},
              {"name", v.name},
              {"enabled", conf && conf->enabled},
              {"clients", v.clients},
              {"streams", v.publishing},
              {"send_bytes", v.kbps.send_bytes()},
              {"recv_bytes", v.kbps.recv_bytes()},
              {"kbps", kbps_of(v.kbps)},
              {"hls", std::move(hls)}};
}

Json stream(const StreamStat& s, int64_t now_wall_ms) {
  Json video = nullptr;
  if (s.video) {
    // width/height: beyond the 2.0 shape (later versions report them), a superset.
    video = Json{{"codec", s.video->codec},
                 {"profile", s.video->profile},
                 {"level", s.video->level},
                 {"width", s.video->width},
                 {"height", s.video->height}};
  }
  Json audio = nullptr;
  if (s.audio) {
    audio = Json{{"codec", s.audio->codec},
                 {"sample_rate", s.audio->sample_rate},
                 {"channel", s.audio->channels},
                 {"profile", s.audio->profile}};
  }
  return Json{{"id", s.id},
              {"name", s.name},
              {"vhost", s.vhost->id},
              {"app", s.app},
              {"live_ms", now_wall_ms},
              {"clients", s.clients},
              {"frames", s.frames},
              {"send_bytes", s.kbps.send_bytes()},
              {"recv_bytes", s.kbps.recv_bytes()},
              {"kbps", kbps_of(s.kbps)},
              {"publish", Json{{"active", s.active}, {"cid", s.publisher}}},
              {"video", std::move(video)},
              {"audio", std::move(audio)}};
}

Json client(const ClientStat& c, int64_t now_ms) {
  return Json{{"id", c.id},
              {"vhost", c.stream->vhost->id},
              {"stream", c.stream->id},
              {"ip", c.info.ip},
              {"pageUrl", c.info.page_url},
              {"swfUrl", c.info.swf_url},
              {"tcUrl", c.info.tc_url},
              {"url", c.info.url},
              {"type", c.info.type},
              {"publish", c.info.publish},
              {"alive", now_ms - c.created_ms}};
}

}  // namespace srs::api
