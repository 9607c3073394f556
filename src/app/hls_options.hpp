// Every hls directive of a vhost as a typed value (spec config.md §4.6, hls-dvr.md §2).
// The config layer maps its directives into this; HLS copies it at publish and never looks
// config up while muxing. Defaults are SRS 2.0's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kernel/ts_muxer.hpp"

namespace srs {

enum class HlsOnError {
  ignore,      // stop HLS for this publish, keep the publisher
  disconnect,  // drop the publisher
  continue_,   // skip a bad packet that looks like a sequence header, else drop; I/O errors
               // lose the segment but keep HLS and the publisher (a full disk must not
               // drop publishers)
};
// "ignore" | "disconnect" | "continue"; nullopt for anything else.
std::optional<HlsOnError> parse_hls_on_error(std::string_view value) noexcept;
// "aac" | "mp3" | "an" (none).
std::optional<ts::AudioCodec> parse_hls_acodec(std::string_view value) noexcept;
// "h264" | "vn" (none).
std::optional<ts::VideoCodec> parse_hls_vcodec(std::string_view value) noexcept;

struct HlsOptions {
  bool enabled = false;
  double fragment = 10;    // hls_fragment, seconds
  double td_ratio = 1.5;   // hls_td_ratio
  double aof_ratio = 2.0;  // hls_aof_ratio
  double window = 60;      // hls_window, seconds
  HlsOnError on_error = HlsOnError::continue_;
  std::string path = "./objs/nginx/html";           // hls_path
  std::string m3u8_file = "[app]/[stream].m3u8";    // hls_m3u8_file
  std::string ts_file = "[app]/[stream]-[seq].ts";  // hls_ts_file
  bool ts_floor = false;                            // hls_ts_floor
  std::string entry_prefix;                         // hls_entry_prefix
  ts::AudioCodec acodec = ts::AudioCodec::aac;      // hls_acodec
  ts::VideoCodec vcodec = ts::VideoCodec::h264;     // hls_vcodec
  bool cleanup = true;                              // hls_cleanup
  double dispose = 0;                               // hls_dispose, seconds; 0 = never
  int nb_notify = 64;                               // hls_nb_notify (for the hooks)
  bool wait_keyframe = true;                        // hls_wait_keyframe
  bool utc_time = false;                            // the global utc_time, for file names

  // int(fragment × td_ratio): the floor of EXT-X-TARGETDURATION.
  int td_floor() const noexcept { return static_cast<int>(fragment * td_ratio); }
};

}  // namespace srs
