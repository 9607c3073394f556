// File name templates of HLS and DVR (spec hls-dvr.md §1): [vhost] [app] [stream], the
// time tokens ([timestamp] and the Go-style layout [2006] [01] [02] [15] [04] [05] [999]),
// and [seq]. Plain text replacement of every occurrence, in the spec's order, so templates
// written for SRS 2.0 give the same paths.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace srs {

struct PathVars {
  std::string_view vhost;
  std::string_view app;
  std::string_view stream;
  // The moment the file is opened, ms since the epoch; the time tokens show it in local
  // time, or UTC with utc_time on.
  int64_t wall_ms = 0;
  bool utc = false;
  // [seq]: HLS segment numbers; left as is when unset (the m3u8 and DVR paths).
  std::optional<int64_t> seq;
  // [timestamp] when it is not the wall clock: the piece index of hls_ts_floor.
  std::optional<int64_t> timestamp;
};

// Replaces every variable in tmpl: vhost, app, stream, then [timestamp], then the layout
// tokens, then [seq].
std::string expand_path(std::string_view tmpl, const PathVars& vars);
// Only [vhost], [app] and [stream]: the m3u8 name and HTTP mounts.
std::string expand_stream_vars(std::string_view tmpl, std::string_view vhost, std::string_view app,
                               std::string_view stream);

// Replaces every occurrence of `from` in s with `to`.
void replace_all(std::string& s, std::string_view from, std::string_view to);

// The directory part of a path, "" when it has none ("live/a.ts" -> "live", "a.ts" -> "").
std::string_view path_dirname(std::string_view path) noexcept;

}  // namespace srs
