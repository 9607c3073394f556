// Cuts a stream into HLS segments and keeps its playlist (spec hls-dvr.md §2.2-2.4): when
// to close a segment (hls_fragment at a keyframe, hls_aof_ratio at an audio frame,
// hls_ts_floor drift correction), which closed segments to keep, the window, cleanup,
// the m3u8 (written to .temp and renamed), and disposal. Pure logic over a Clock and a
// FileWriter: the tests run it against memory and a hand-driven clock.
//
// Files: a segment is muxed into a memory buffer, written to `<ts>.tmp` in large pieces
// and renamed to `<ts>` when it is kept. A file error loses that segment only: the
// segment is marked broken, later data of it is dropped, and the next segment tries again
// (flagged discontinuous), so a full disk costs segments, never the stream.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "app/file_writer.hpp"
#include "app/hls_options.hpp"
#include "app/hls_playlist.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "kernel/shared_message.hpp"
#include "kernel/ts_muxer.hpp"

namespace srs {

// A segment that was closed, renamed and listed: what on_hls and on_hls_notify report
// (http-hooks.md §4).
struct HlsSegmentInfo {
  std::string file;      // <hls_path>/<expanded hls_ts_file>
  std::string url;       // the URI, prefixed with dirname(m3u8_url) unless absolute
  std::string uri;       // exactly as listed in the m3u8
  std::string m3u8;      // <hls_path>/<m3u8_url>
  std::string m3u8_url;  // expanded hls_m3u8_file
  double duration = 0;   // seconds
  int64_t seq_no = 0;
};

class HlsSegmenter {
 public:
  HlsSegmenter(std::string vhost, std::string app, std::string stream, Clock& clock,
               FileWriter& writer);

  // Called for every kept segment, after its rename and the m3u8 update.
  std::function<void(const HlsSegmentInfo&)> on_segment;

  // Options apply from the next publish.
  void set_options(const HlsOptions& options) { next_options_ = options; }
  const HlsOptions& options() const noexcept { return options_; }

  // Opens the first segment (start = the last stream time seen).
  Result<> publish();
  // An audio or video message, in stream order. Errors: the message did not decode (avc,
  // aac codes; nothing was written) or a file operation failed (system codes; that
  // segment is lost, later ones are tried again).
  Result<> write(const SharedMessage& msg);
  // Flushes merged audio and closes the open segment (kept or dropped by the same rule
  // as any other). The playlist stays, and a republish continues it.
  Result<> unpublish();
  // Deletes every listed segment, the open .tmp and the m3u8, and forgets them.
  Result<> dispose();
  // Stops without keeping the open segment (its .tmp is deleted).
  void abort();

  bool segment_open() const noexcept { return current_.has_value(); }
  // Seconds covered by the open segment; 0 when none is open.
  double duration() const noexcept;
  int64_t next_seq() const noexcept { return next_seq_; }
  // The latest dts seen (90 kHz), kept across publishes.
  int64_t stream_dts() const noexcept { return stream_dts_; }
  const HlsSegments& segments() const noexcept { return segments_; }
  const std::string& m3u8_url() const noexcept { return m3u8_url_; }
  const std::string& m3u8_path() const noexcept { return m3u8_path_; }
  const ts::Muxer& muxer() const noexcept { return muxer_; }

 private:
  struct OpenSegment {
    int64_t seq = 0;
    int64_t start_dts = 0;  // 90 kHz
    std::string file;
    std::string tmp;
    std::string uri;
    bool discontinuity = false;
    bool broken = false;  // a file operation failed: dropped at close
    // The counters before this segment: a dropped segment gives them back, so the next
    // file continues the last kept one without a gap players would take for packet loss.
    ts::ContinuityCounters counters;
  };

  Result<> open_segment();
  Result<> close_segment();
  // Close and open: the cut.
  Result<> reap();
  Result<> mux(const SharedMessage& msg);
  Result<> flush_buffer();
  Result<> lose(const Error& e, std::string_view what);
  Result<> write_m3u8();
  // The [timestamp] of the next segment with hls_ts_floor; updates the deviation.
  int64_t next_floor_index();
  // Extra seconds a segment may run under hls_ts_floor (negative: shorter).
  double floor_shift() const noexcept;
  HlsSegmentInfo info_of(const HlsSegment& s) const;

  std::string vhost_;
  std::string app_;
  std::string stream_;
  Clock& clock_;
  FileWriter& writer_;
  HlsOptions next_options_;
  HlsOptions options_;
  ts::Muxer muxer_;

  std::optional<OpenSegment> current_;
  Bytes buffer_;            // the open segment's bytes not yet written
  int64_t stream_dts_ = 0;  // the latest dts seen, 90 kHz; kept across publishes
  int64_t next_seq_ = 0;
  bool discontinuity_next_ = false;  // a segment was lost: the next one says so
  HlsSegments segments_;
  std::string m3u8_url_;
  std::string m3u8_path_;

  bool floor_started_ = false;
  int64_t floor_index_ = 0;
  int64_t deviation_ = 0;
};

}  // namespace srs
