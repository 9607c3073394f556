// The HLS playlist as data and text (spec hls-dvr.md §2.2, §2.3): the listed segments, the
// window trim, EXT-X-TARGETDURATION, the byte-exact m3u8, and segment URIs with
// hls_entry_prefix. Pure functions, so every rule is tested without files.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

namespace srs {

struct HlsSegment {
  int64_t seq = 0;
  double duration = 0;  // seconds
  std::string file;     // <hls_path>/<expanded hls_ts_file>
  std::string uri;      // as listed in the m3u8
  bool discontinuity = false;
};
using HlsSegments = std::deque<HlsSegment>;

// max(ceil(longest listed duration), td_floor).
int target_duration(const HlsSegments& segments, int td_floor) noexcept;

// How many of the oldest segments fall out of a window of `window` seconds: walking from
// the newest and summing durations, the first segment where int(sum) > window stays and
// every older one goes.
size_t expired_count(const HlsSegments& segments, double window) noexcept;

// The m3u8 text: header, media sequence of the first listed segment, target duration,
// then per segment an optional EXT-X-DISCONTINUITY, EXTINF with 3 decimals and the URI.
// Never EXT-X-ENDLIST: these playlists are live.
std::string render_m3u8(const HlsSegments& segments, int td_floor);

// The URI of a segment in the m3u8 at m3u8_url (both relative to hls_path):
// ts_rel relative to the m3u8's directory when it is in or below it, else as is; with a
// prefix P, P + ("/" + dirname(m3u8_url) + "/" unless P ends with "/") + that.
std::string segment_uri(std::string_view ts_rel, std::string_view m3u8_url,
                        std::string_view entry_prefix);

// The `url` of on_hls (http-hooks.md §4): the URI, prefixed with dirname(m3u8_url) + "/"
// unless it is an absolute http URL.
std::string hook_url(std::string_view uri, std::string_view m3u8_url);

}  // namespace srs
