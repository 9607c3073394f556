// Config::diff: the reload comparison of shared/spec/config.md §6.
#include <fmt/format.h>

#include "app/config.hpp"

namespace srs {

namespace {

using Changes = std::vector<ConfigChange>;

void diff_global(const GlobalConfig& a, const GlobalConfig& b, Changes& out) {
  auto add = [&out](bool changed, ChangeKind k) {
    if (changed) out.push_back({k, {}, {}});
  };
  add(a.max_connections != b.max_connections, ChangeKind::max_connections);
  add(a.listen != b.listen, ChangeKind::listen);
  add(a.pid != b.pid, ChangeKind::pid);
  add(a.log_to_console != b.log_to_console, ChangeKind::log_tank);
  add(a.log_level != b.log_level, ChangeKind::log_level);
  add(a.log_file != b.log_file, ChangeKind::log_file);
  add(a.utc_time != b.utc_time, ChangeKind::utc_time);
  add(a.pithy_print_ms != b.pithy_print_ms, ChangeKind::pithy_print_ms);
  add(!a.http_api.enabled && b.http_api.enabled, ChangeKind::http_api_enabled);
  add(a.http_api.enabled && !b.http_api.enabled, ChangeKind::http_api_disabled);
  add(a.http_api.enabled && b.http_api.enabled && a.http_api != b.http_api,
      ChangeKind::http_api_changed);
  add(!a.http_server.enabled && b.http_server.enabled, ChangeKind::http_server_enabled);
  add(a.http_server.enabled && !b.http_server.enabled, ChangeKind::http_server_disabled);
  add(a.http_server.enabled && b.http_server.enabled && a.http_server != b.http_server,
      ChangeKind::http_server_changed);
}

void diff_ingests(const VhostConfig& a, const VhostConfig& b, Changes& out) {
  auto enabled = [](const IngestConfig* i) { return i && i->enabled; };
  for (const auto& old : a.ingests) {
    if (old.enabled && !enabled(b.ingest(old.id))) {
      out.push_back({ChangeKind::ingest_removed, b.name, old.id});
    }
  }
  for (const auto& now : b.ingests) {
    if (!now.enabled) continue;
    const IngestConfig* old = a.ingest(now.id);
    if (!enabled(old)) {
      out.push_back({ChangeKind::ingest_added, b.name, now.id});
    } else if (*old != now) {
      out.push_back({ChangeKind::ingest_changed, b.name, now.id});
    }
  }
}

// Both versions of the vhost are enabled and in the same mode.
void diff_vhost(const VhostConfig& a, const VhostConfig& b, Changes& out) {
  auto add = [&out, &b](bool changed, ChangeKind k) {
    if (changed) out.push_back({k, b.name, {}});
  };
  add(a.atc != b.atc, ChangeKind::atc);
  // Not reloadable in 2.0; here they are source options like atc, so they follow too.
  add(a.atc_auto != b.atc_auto, ChangeKind::atc_auto);
  add(a.reduce_sequence_header != b.reduce_sequence_header, ChangeKind::reduce_sequence_header);
  add(a.gop_cache != b.gop_cache, ChangeKind::gop_cache);
  add(a.queue_length != b.queue_length, ChangeKind::queue_length);
  add(a.time_jitter != b.time_jitter, ChangeKind::time_jitter);
  add(a.mix_correct != b.mix_correct, ChangeKind::mix_correct);
  add(a.forward != b.forward, ChangeKind::forward);
  add(a.hls != b.hls, ChangeKind::hls);
  add(a.hds != b.hds, ChangeKind::hds);
  add(a.dvr != b.dvr, ChangeKind::dvr);
  add(a.mr != b.mr, ChangeKind::mr);
  add(a.chunk_size != b.chunk_size, ChangeKind::chunk_size);
  add(a.mw_latency != b.mw_latency, ChangeKind::mw_latency);
  add(a.send_min_interval != b.send_min_interval, ChangeKind::send_min_interval);
  add(a.tcp_nodelay != b.tcp_nodelay, ChangeKind::tcp_nodelay);
  add(a.publish_1stpkt_timeout != b.publish_1stpkt_timeout, ChangeKind::publish_1stpkt_timeout);
  add(a.publish_normal_timeout != b.publish_normal_timeout, ChangeKind::publish_normal_timeout);
  add(a.min_latency != b.min_latency, ChangeKind::min_latency);
  add(a.http_static != b.http_static, ChangeKind::http_static);
  add(a.http_remux != b.http_remux, ChangeKind::http_remux);
  add(a.transcodes != b.transcodes, ChangeKind::transcode);
  diff_ingests(a, b, out);
}

std::unexpected<Error> mode_changed(const Config& after, const VhostConfig& a,
                                    const VhostConfig& b) {
  const Directive* block = after.root().get("vhost", b.name);
  const Directive* mode = block ? block->get("mode") : nullptr;
  if (!mode) mode = block;
  return directive_error(*mode, "vhost.mode",
                         fmt::format("vhost {} changes mode from {} to {}, which needs a restart",
                                     b.name, a.mode, b.mode),
                         config_errc::reload_refused);
}

}  // namespace

Result<std::vector<ConfigChange>> Config::diff(const Config& before, const Config& after) {
  Changes out;
  diff_global(before.global(), after.global(), out);
  std::vector<std::string> names;
  for (const auto& v : after.vhosts()) names.push_back(v.name);
  for (const auto& v : before.vhosts()) {
    if (!after.find_vhost(v.name)) names.push_back(v.name);
  }
  for (const auto& name : names) {
    const VhostConfig* a = before.find_vhost(name);
    const VhostConfig* b = after.find_vhost(name);
    const bool was = a && a->enabled;
    const bool is = b && b->enabled;
    if (!was && is) {
      out.push_back({ChangeKind::vhost_added, name, {}});
    } else if (was && !is) {
      out.push_back({ChangeKind::vhost_removed, name, {}});
    } else if (was && is) {
      if (a->mode != b->mode) return mode_changed(after, *a, *b);
      diff_vhost(*a, *b, out);
    }
  }
  return out;
}

std::string_view to_string(ChangeKind kind) noexcept {
  switch (kind) {
    case ChangeKind::max_connections:
      return "max_connections";
    case ChangeKind::listen:
      return "listen";
    case ChangeKind::pid:
      return "pid";
    case ChangeKind::log_tank:
      return "srs_log_tank";
    case ChangeKind::log_level:
      return "srs_log_level";
    case ChangeKind::log_file:
      return "srs_log_file";
    case ChangeKind::utc_time:
      return "utc_time";
    case ChangeKind::pithy_print_ms:
      return "pithy_print_ms";
    case ChangeKind::http_api_enabled:
      return "http_api enabled";
    case ChangeKind::http_api_disabled:
      return "http_api disabled";
    case ChangeKind::http_api_changed:
      return "http_api changed";
    case ChangeKind::http_server_enabled:
      return "http_server enabled";
    case ChangeKind::http_server_disabled:
      return "http_server disabled";
    case ChangeKind::http_server_changed:
      return "http_server changed";
    case ChangeKind::vhost_added:
      return "vhost added";
    case ChangeKind::vhost_removed:
      return "vhost removed";
    case ChangeKind::atc:
      return "atc";
    case ChangeKind::atc_auto:
      return "atc_auto";
    case ChangeKind::reduce_sequence_header:
      return "reduce_sequence_header";
    case ChangeKind::gop_cache:
      return "gop_cache";
    case ChangeKind::queue_length:
      return "queue_length";
    case ChangeKind::time_jitter:
      return "time_jitter";
    case ChangeKind::mix_correct:
      return "mix_correct";
    case ChangeKind::forward:
      return "forward";
    case ChangeKind::hls:
      return "hls";
    case ChangeKind::hds:
      return "hds";
    case ChangeKind::dvr:
      return "dvr";
    case ChangeKind::mr:
      return "mr";
    case ChangeKind::chunk_size:
      return "chunk_size";
    case ChangeKind::mw_latency:
      return "mw_latency";
    case ChangeKind::send_min_interval:
      return "send_min_interval";
    case ChangeKind::tcp_nodelay:
      return "tcp_nodelay";
    case ChangeKind::publish_1stpkt_timeout:
      return "publish_1stpkt_timeout";
    case ChangeKind::publish_normal_timeout:
      return "publish_normal_timeout";
    case ChangeKind::min_latency:
      return "min_latency";
    case ChangeKind::http_static:
      return "http_static";
    case ChangeKind::http_remux:
      return "http_remux";
    case ChangeKind::transcode:
      return "transcode";
    case ChangeKind::ingest_added:
      return "ingest added";
    case ChangeKind::ingest_removed:
      return "ingest removed";
    case ChangeKind::ingest_changed:
      return "ingest changed";
  }
  return "unknown";
}

}  // namespace srs
