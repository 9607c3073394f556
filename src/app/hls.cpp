#include "app/hls.hpp"

#include "core/log.hpp"
#include "kernel/aac.hpp"
#include "kernel/avc.hpp"
#include "kernel/mp3.hpp"

namespace srs {

bool is_hls_decode_error(const Error& e) noexcept {
  const std::error_category& c = e.code.category();
  return c == avc_category() || c == aac_category() || c == mp3_category();
}

Hls::Hls(const StreamRequest& request, const HlsOptions& options, Clock& clock, FileWriter& writer,
         HlsEvents events)
    : url_(request.stream_url()),
      options_(options),
      clock_(clock),
      events_(std::move(events)),
      segmenter_(request.vhost, request.app, request.stream, clock, writer) {
  segmenter_.set_options(options_);
  segmenter_.on_segment = [this](const HlsSegmentInfo& info) {
    if (events_.on_segment) events_.on_segment(info);
  };
}

void Hls::set_options(const HlsOptions& options) {
  options_ = options;
  segmenter_.set_options(options);
}

void Hls::on_publish() {
  publishing_ = true;
  disposed_ = false;
  last_activity_ms_ = clock_.now_ms();
  video_sh_size_ = audio_sh_size_ = 0;
  active_ = options_.enabled;
  if (!active_) return;
  log_trace("hls: start {}, m3u8={}", url_, options_.m3u8_file);
  if (auto r = segmenter_.publish(); !r) on_error(r.error(), nullptr);
}

void Hls::on_message(const SharedMessagePtr& msg) {
  if (!active_ || !msg->is_av()) return;
  last_activity_ms_ = clock_.now_ms();
  if (msg->is_video_sequence_header()) video_sh_size_ = msg->size();
  if (msg->is_audio_sequence_header()) audio_sh_size_ = msg->size();
  if (auto r = segmenter_.write(*msg); !r) on_error(r.error(), msg.get());
}

void Hls::on_error(const Error& e, const SharedMessage* msg) {
  switch (options_.on_error) {
    case HlsOnError::ignore:
      log_warn("hls: {}: stopped for this publish (hls_on_error ignore), {}", url_, e);
      (void)segmenter_.unpublish();
      active_ = false;
      return;
    case HlsOnError::disconnect:
      stop(e);
      return;
    case HlsOnError::continue_:
      break;
  }
  if (!is_hls_decode_error(e)) {
    // A file error cost the open segment; the next one is tried again. Dropping the
    // publisher would not free the disk.
    log_warn("hls: {}: segment lost, continuing, {}", url_, e);
    return;
  }
  // A packet the size of the cached sequence header is most likely a repeated or
  // damaged header: skip it and keep going (2.0 behaviour).
  const size_t sh = !msg ? 0 : msg->is_video() ? video_sh_size_ : audio_sh_size_;
  if (sh != 0 && msg->size() == sh) {
    log_warn("hls: {}: skipped a bad packet of {} bytes, {}", url_, msg->size(), e);
    return;
  }
  stop(e);
}

void Hls::stop(const Error& e) {
  log_warn("hls: {}: disconnecting the publisher, {}", url_, e);
  active_ = false;
  if (events_.on_disconnect) events_.on_disconnect(e);
}

void Hls::on_unpublish() {
  if (!publishing_) return;
  publishing_ = false;
  last_activity_ms_ = clock_.now_ms();
  active_ = false;
  if (!segmenter_.segment_open()) return;
  if (auto r = segmenter_.unpublish(); !r) log_warn("hls: {}: unpublish, {}", url_, r.error());
  log_trace("hls: stop {}, {} segments listed", url_, segmenter_.segments().size());
}

void Hls::on_timer() {
  if (options_.dispose <= 0 || disposed_ || segmenter_.m3u8_path().empty()) return;
  const double idle_s = static_cast<double>(clock_.now_ms() - last_activity_ms_) / 1000.0;
  if (idle_s < options_.dispose) return;
  disposed_ = true;
  log_trace("hls: dispose {} after {:.0f}s without media", url_, idle_s);
  if (auto r = segmenter_.dispose(); !r) log_warn("hls: {}: {}", url_, r.error());
}

void Hls::on_shutdown() {
  if (segmenter_.segment_open()) {
    if (auto r = segmenter_.unpublish(); !r) log_warn("hls: {}: quit, {}", url_, r.error());
  }
  active_ = false;
  if (options_.dispose > 0 && !segmenter_.m3u8_path().empty()) {
    disposed_ = true;
    if (auto r = segmenter_.dispose(); !r) log_warn("hls: {}: quit, {}", url_, r.error());
  }
}

}  // namespace srs
