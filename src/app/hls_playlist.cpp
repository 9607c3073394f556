#include "app/hls_playlist.hpp"

#include <cmath>

#include <fmt/format.h>

#include "app/path_template.hpp"

namespace srs {

int target_duration(const HlsSegments& segments, int td_floor) noexcept {
  double longest = 0;
  for (const HlsSegment& s : segments) longest = std::max(longest, s.duration);
  return std::max(static_cast<int>(std::ceil(longest)), td_floor);
}

size_t expired_count(const HlsSegments& segments, double window) noexcept {
  double sum = 0;
  for (size_t i = segments.size(); i > 0; --i) {
    sum += segments[i - 1].duration;
    if (static_cast<double>(static_cast<int64_t>(sum)) > window) return i - 1;
  }
  return 0;
}

std::string render_m3u8(const HlsSegments& segments, int td_floor) {
  std::string m;
  m.reserve(128 + segments.size() * 64);
  m += "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-ALLOW-CACHE:YES\n";
  const int64_t first = segments.empty() ? 0 : segments.front().seq;
  fmt::format_to(std::back_inserter(m), "#EXT-X-MEDIA-SEQUENCE:{}\n", first);
  fmt::format_to(std::back_inserter(m), "#EXT-X-TARGETDURATION:{}\n",
                 target_duration(segments, td_floor));
  for (const HlsSegment& s : segments) {
    if (s.discontinuity) m += "#EXT-X-DISCONTINUITY\n";
    fmt::format_to(std::back_inserter(m), "#EXTINF:{:.3f}, no desc\n{}\n", s.duration, s.uri);
  }
  return m;
}

std::string segment_uri(std::string_view ts_rel, std::string_view m3u8_url,
                        std::string_view entry_prefix) {
  // Relative to the m3u8's directory when the segment lies in or below it.
  const std::string_view dir = path_dirname(m3u8_url);
  std::string_view rel = ts_rel;
  if (!dir.empty() && rel.starts_with(dir) &&
      (rel.size() == dir.size() || rel[dir.size()] == '/' || dir.back() == '/')) {
    rel.remove_prefix(dir.size());
  }
  while (rel.starts_with('/')) rel.remove_prefix(1);
  if (entry_prefix.empty()) return std::string(rel);

  std::string uri(entry_prefix);
  // 2.0 quirk kept: a prefix ending in "/" is taken as the segments' own directory.
  if (!entry_prefix.ends_with('/')) {
    uri += '/';
    if (!dir.empty()) uri.append(dir).append("/");
  }
  uri += rel;
  return uri;
}

std::string hook_url(std::string_view uri, std::string_view m3u8_url) {
  if (uri.starts_with("http://") || uri.starts_with("https://")) return std::string(uri);
  const std::string_view dir = path_dirname(m3u8_url);
  if (dir.empty()) return std::string(uri);
  return fmt::format("{}/{}", dir, uri);
}

}  // namespace srs
