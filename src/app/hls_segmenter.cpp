#include "app/hls_segmenter.hpp"

#include <cmath>

#include "app/path_template.hpp"

namespace srs {

namespace {

// Segment bytes are handed to the file in pieces of about this size: few syscalls, and a
// bounded amount of memory per stream whatever the bitrate and fragment.
constexpr size_t kFlushBytes = 256 * 1024;
// hls-dvr.md §2.4: a timestamp this far back restarts the segment's clock; no cut happens
// before a segment is this long; a shorter closed segment is dropped.
constexpr int64_t kJumpBackDts = 300 * 90;
constexpr double kMinCutSeconds = 0.2;
constexpr double kMinKeepSeconds = 0.1;
// hls_ts_floor: an index that runs this many pieces ahead of the clock is reset.
constexpr int64_t kMaxFloorLead = 20;
// Pure audio is packed into PES of up to 0.72 s (§2.4); with video, shorter PES keep audio
// near the video of the same time (see MuxerOptions).
constexpr int64_t kPureAudioMergeMs = 720;
// Durations are exact tick counts but thresholds are products of configured floats
// (2 - 0.6 is not 1.4 in binary); a tick of tolerance keeps "reached" meaning reached.
constexpr double kTolerance = 1.0 / ts::kClockHz;

std::string join(std::string_view dir, std::string_view rel) {
  std::string p(dir);
  p += '/';
  p += rel;
  return p;
}

// Audio HLS carries (hls-dvr.md §2.5): AAC and MP3.
bool is_hls_audio(const SharedMessage& m) noexcept {
  if (!m.is_audio() || m.payload().empty()) return false;
  const uint8_t format = m.payload()[0] >> 4;
  return format == 10 || format == 2 || format == 14;
}

}  // namespace

HlsSegmenter::HlsSegmenter(std::string vhost, std::string app, std::string stream, Clock& clock,
                           FileWriter& writer)
    : vhost_(std::move(vhost)),
      app_(std::move(app)),
      stream_(std::move(stream)),
      clock_(clock),
      writer_(writer) {}

double HlsSegmenter::duration() const noexcept {
  if (!current_) return 0;
  return static_cast<double>(stream_dts_ - current_->start_dts) / ts::kClockHz;
}

Result<> HlsSegmenter::publish() {
  options_ = next_options_;
  m3u8_url_ = expand_stream_vars(options_.m3u8_file, vhost_, app_, stream_);
  m3u8_path_ = join(options_.path, m3u8_url_);
  floor_started_ = false;
  deviation_ = 0;
  ts::MuxerOptions mo = muxer_.options();
  mo.video = options_.vcodec;
  mo.audio = options_.acodec;
  muxer_.set_options(mo);
  if (current_) abort();  // a publish without unpublish: start clean
  return open_segment();
}

int64_t HlsSegmenter::next_floor_index() {
  const int64_t piece_ms = std::max<int64_t>(1, std::llround(options_.fragment * 1000));
  const int64_t current = clock_.wall_ms() / piece_ms;
  if (!floor_started_) {
    floor_index_ = current - 1;
    floor_started_ = true;
  } else {
    ++floor_index_;
  }
  if (floor_index_ - current > kMaxFloorLead) floor_index_ = current - 1;
  deviation_ = floor_index_ - current;
  return floor_index_;
}

double HlsSegmenter::floor_shift() const noexcept {
  return options_.ts_floor ? 0.3 * static_cast<double>(deviation_) * options_.fragment : 0;
}

Result<> HlsSegmenter::open_segment() {
  OpenSegment s;
  s.seq = next_seq_++;
  s.start_dts = stream_dts_;
  s.discontinuity = discontinuity_next_;
  s.counters = muxer_.counters();
  discontinuity_next_ = false;

  PathVars vars{vhost_, app_, stream_, clock_.wall_ms(), options_.utc_time, s.seq, {}};
  if (options_.ts_floor) vars.timestamp = next_floor_index();
  const std::string rel = expand_path(options_.ts_file, vars);
  s.file = join(options_.path, rel);
  s.tmp = s.file + ".tmp";
  s.uri = segment_uri(rel, m3u8_url_, options_.entry_prefix);
  current_ = std::move(s);

  ts::MuxerOptions mo = muxer_.options();
  mo.audio_merge_ms = muxer_.video_codec() == ts::VideoCodec::none
                          ? kPureAudioMergeMs
                          : ts::MuxerOptions{}.audio_merge_ms;
  muxer_.set_options(mo);
  buffer_.clear();
  muxer_.write_tables(buffer_);

  if (auto r = writer_.make_dirs(std::string(path_dirname(current_->file))); !r) {
    return lose(r.error(), "hls open segment");
  }
  if (auto r = writer_.open(current_->tmp); !r) return lose(r.error(), "hls open segment");
  return {};
}

Result<> HlsSegmenter::lose(const Error& e, std::string_view what) {
  if (current_) current_->broken = true;
  buffer_.clear();
  (void)writer_.close();
  return wrap(e, what);
}

Result<> HlsSegmenter::flush_buffer() {
  if (!current_ || current_->broken) {
    buffer_.clear();
    return {};
  }
  if (buffer_.empty()) return {};
  auto r = writer_.write(buffer_);
  buffer_.clear();
  if (!r) return lose(r.error(), "hls write segment");
  return {};
}

Result<> HlsSegmenter::mux(const SharedMessage& msg) {
  if (auto r = muxer_.write(msg, buffer_); !r) return r;
  if (buffer_.size() >= kFlushBytes) return flush_buffer();
  return {};
}

Result<> HlsSegmenter::write(const SharedMessage& msg) {
  const bool video = msg.is_avc();
  if (!video && !is_hls_audio(msg)) return {};
  const int64_t dts = msg.timestamp() * 90;
  if (current_ && dts < stream_dts_ - kJumpBackDts) current_->start_dts = dts;
  stream_dts_ = dts;
  if (!current_) {
    // Disposed while the publisher was idle: media again, a new segment.
    if (auto r = open_segment(); !r) return r;
  }
  if (msg.is_sequence_header()) {
    current_->discontinuity = true;
    return mux(msg);
  }

  const double d = duration();
  const double shift = floor_shift();
  Result<> cut = {};
  if (video) {
    const bool at_key = !options_.wait_keyframe || msg.is_video_keyframe();
    if (d >= kMinCutSeconds && d + kTolerance >= options_.fragment + shift && at_key) {
      // The frame opens the new segment; audio still merged follows it there (§2.4).
      cut = reap();
      auto r = mux(msg);
      muxer_.flush_audio(buffer_);
      return cut ? r : cut;
    }
  } else if (d >= kMinCutSeconds &&
             d + kTolerance >= options_.aof_ratio * options_.fragment + shift) {
    muxer_.flush_audio(buffer_);
    cut = reap();
  }
  auto r = mux(msg);
  return cut ? r : cut;
}

Result<> HlsSegmenter::reap() {
  auto closed = close_segment();
  auto opened = open_segment();
  return closed ? opened : closed;
}

Result<> HlsSegmenter::close_segment() {
  const double d = duration();
  Result<> flushed = flush_buffer();
  OpenSegment s = std::move(*current_);
  current_.reset();
  if (!s.broken) {
    if (auto r = writer_.close(); !r) {
      s.broken = true;
      flushed = wrap(r, "hls close segment");
    }
  }
  const bool keep = !s.broken && d >= kMinKeepSeconds &&
                    static_cast<int64_t>(d) <= 2 * int64_t{options_.td_floor()};
  Result<> renamed = {};
  if (keep) {
    renamed = writer_.rename(s.tmp, s.file);
    if (!renamed) s.broken = true;
  }
  if (!keep || s.broken) {
    (void)writer_.remove(s.tmp);
    next_seq_ = s.seq;  // a dropped segment gives its number back (§2.3)
    muxer_.set_counters(s.counters);
    discontinuity_next_ = discontinuity_next_ || s.broken;
    if (!flushed) return flushed;
    return renamed ? Result<>{} : wrap(renamed, "hls rename segment");
  }

  segments_.push_back({s.seq, d, s.file, s.uri, s.discontinuity});
  const size_t expired = expired_count(segments_, options_.window);
  HlsSegments gone(segments_.begin(), segments_.begin() + static_cast<long>(expired));
  segments_.erase(segments_.begin(), segments_.begin() + static_cast<long>(expired));
  Result<> listed = write_m3u8();
  if (options_.cleanup) {
    for (const HlsSegment& g : gone) (void)writer_.remove(g.file);
  }
  if (on_segment) on_segment(info_of(segments_.back()));
  return listed;
}

HlsSegmentInfo HlsSegmenter::info_of(const HlsSegment& s) const {
  return {s.file, hook_url(s.uri, m3u8_url_), s.uri, m3u8_path_, m3u8_url_, s.duration, s.seq};
}

Result<> HlsSegmenter::write_m3u8() {
  if (segments_.empty()) return {};
  const std::string text = render_m3u8(segments_, options_.td_floor());
  const std::string temp = m3u8_path_ + ".temp";
  if (auto r = writer_.make_dirs(std::string(path_dirname(m3u8_path_))); !r) {
    return wrap(r, "hls m3u8");
  }
  if (auto r = writer_.write_file(temp, text); !r) {
    (void)writer_.remove(temp);
    return wrap(r, "hls m3u8");
  }
  if (auto r = writer_.rename(temp, m3u8_path_); !r) return wrap(r, "hls m3u8");
  return {};
}

Result<> HlsSegmenter::unpublish() {
  if (!current_) return {};
  muxer_.flush_audio(buffer_);
  return close_segment();
}

void HlsSegmenter::abort() {
  if (!current_) return;
  buffer_.clear();
  (void)writer_.close();
  (void)writer_.remove(current_->tmp);
  next_seq_ = current_->seq;
  muxer_.set_counters(current_->counters);
  current_.reset();
}

Result<> HlsSegmenter::dispose() {
  abort();
  Result<> result = {};
  for (const HlsSegment& s : segments_) {
    if (auto r = writer_.remove(s.file); !r && result) result = wrap(r, "hls dispose");
  }
  segments_.clear();
  if (!m3u8_path_.empty()) {
    if (auto r = writer_.remove(m3u8_path_); !r && result) result = wrap(r, "hls dispose");
  }
  return result;
}

}  // namespace srs
