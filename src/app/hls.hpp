// HLS for one stream: a SourceBridge that feeds every message of the stream, in order, to
// the segmenter (hls_segmenter.hpp) and applies hls_on_error and hls_dispose (spec
// hls-dvr.md §2.1, §2.6). It never suspends and never throws: failures become log lines,
// a stopped HLS, or a request to disconnect the publisher, per the configured policy.
//
// The owner (the source's HLS wiring) keeps one Hls per source for the process lifetime,
// so sequence numbers, the playlist and the TS continuity counters survive republish;
// it calls on_timer() about once a second for hls_dispose.
#pragma once

#include <functional>
#include <string>

#include "app/file_writer.hpp"
#include "app/hls_options.hpp"
#include "app/hls_segmenter.hpp"
#include "app/request.hpp"
#include "app/source.hpp"
#include "core/clock.hpp"

namespace srs {

struct HlsEvents {
  // A segment was closed, renamed and listed: queue on_hls, then on_hls_notify.
  std::function<void(const HlsSegmentInfo&)> on_segment;
  // hls_on_error asks for the publisher to be disconnected; HLS stopped for this publish.
  std::function<void(const Error&)> on_disconnect;
};

class Hls final : public SourceBridge {
 public:
  Hls(const StreamRequest& request, const HlsOptions& options, Clock& clock, FileWriter& writer,
      HlsEvents events = {});

  // Applies from the next publish; a reload does on_unpublish, set_options, on_publish and
  // feeds the cached sequence headers (§2.1).
  void set_options(const HlsOptions& options);

  void on_publish() override;
  void on_message(const SharedMessagePtr& msg) override;
  void on_unpublish() override;

  // About once a second: with hls_dispose N, after N s without media since the last
  // publish activity, every HLS file of the stream is deleted (once per publish).
  void on_timer();
  // Graceful quit: the open segment is closed (playlist updated); files are deleted only
  // with hls_dispose > 0.
  void on_shutdown();

  // HLS is running for the current publish (enabled, and not stopped by an error).
  bool active() const noexcept { return active_; }
  bool disposed() const noexcept { return disposed_; }
  const HlsSegmenter& segmenter() const noexcept { return segmenter_; }

 private:
  // msg is the message that failed, or null for a failure outside one (opening at publish).
  void on_error(const Error& e, const SharedMessage* msg);
  void stop(const Error& e);

  std::string url_;
  HlsOptions options_;
  Clock& clock_;
  HlsEvents events_;
  HlsSegmenter segmenter_;
  bool publishing_ = false;
  bool active_ = false;
  bool disposed_ = false;
  int64_t last_activity_ms_ = 0;
  size_t video_sh_size_ = 0;
  size_t audio_sh_size_ = 0;
};

// Decode errors (a frame or header that does not parse) as opposed to file errors.
bool is_hls_decode_error(const Error& e) noexcept;

}  // namespace srs
