// One thing that changed between the running config and a reloaded one. Config::diff
// lists changes in the order of shared/spec/config.md §6, and ReloadHub hands each one to
// the subscribers, which read the new values from the Config passed alongside.
#pragma once

#include <string>
#include <string_view>

namespace srs {

enum class ChangeKind {
  // Global, in notification order.
  max_connections,
  listen,
  pid,
  log_tank,
  log_level,
  log_file,
  utc_time,
  pithy_print_ms,
  http_api_enabled,
  http_api_disabled,
  http_api_changed,
  http_server_enabled,
  http_server_disabled,
  http_server_changed,
  // Per vhost (ConfigChange::vhost names it), in notification order.
  vhost_added,
  vhost_removed,
  atc,
  atc_auto,
  reduce_sequence_header,
  gop_cache,
  queue_length,
  time_jitter,
  mix_correct,
  forward,
  hls,
  hds,
  dvr,
  mr,
  chunk_size,
  mw_latency,
  send_min_interval,
  tcp_nodelay,
  publish_1stpkt_timeout,
  publish_normal_timeout,
  min_latency,
  http_static,
  http_remux,
  transcode,
  // Per ingest (ConfigChange::ingest names it).
  ingest_added,
  ingest_removed,
  ingest_changed,
};

std::string_view to_string(ChangeKind kind) noexcept;

struct ConfigChange {
  ChangeKind kind;
  std::string vhost;   // for vhost and ingest changes
  std::string ingest;  // for ingest changes
  friend bool operator==(const ConfigChange&, const ConfigChange&) = default;
};

}  // namespace srs
