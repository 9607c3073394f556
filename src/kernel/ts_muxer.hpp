// Turns the FLV-style audio/video messages of a stream into an MPEG transport stream
// (ISO/IEC 13818-1) the way HLS wants it (spec hls-dvr.md §2.5): H.264 as Annex B with an
// AUD per access unit and SPS/PPS before every keyframe, AAC as ADTS, MP3 as is; PCR on
// the video PID (on the audio PID when no video is announced). Output is appended to a
// caller-owned buffer; the muxer keeps its scratch buffers, so steady-state muxing does not
// allocate.
//
// Overhead: every PES costs a header and, on average, half a transport packet of stuffing,
// so audio frames are merged into one PES until it spans `audio_merge_ms` (an AAC frame is
// ~23 ms; one PES per frame would double the audio's share of the stream).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "kernel/aac.hpp"
#include "kernel/avc.hpp"
#include "kernel/shared_message.hpp"
#include "kernel/ts.hpp"

namespace srs::ts {

enum class VideoCodec : uint8_t { none, h264 };
enum class AudioCodec : uint8_t { none, aac, mp3 };

struct MuxerOptions {
  // The streams the PMT announces until the stream's own codecs are seen (hls_vcodec,
  // hls_acodec); none leaves the stream out.
  VideoCodec video = VideoCodec::h264;
  AudioCodec audio = AudioCodec::aac;
  // Merged audio is written as one PES once it spans this long. Audio-only HLS uses 720 ms
  // (hls-dvr.md §2.4 "pure audio"); with video a shorter span keeps audio close to the
  // video of the same time in the file.
  int64_t audio_merge_ms = 300;
};

class Muxer {
 public:
  explicit Muxer(MuxerOptions options = {});

  // Takes effect for what is written next; announced codecs change only where unknown.
  void set_options(const MuxerOptions& options);
  const MuxerOptions& options() const noexcept { return options_; }

  // Appends PAT and PMT: the start of every segment, so each file can be played alone.
  void write_tables(Bytes& out);
  // An audio or video message: sequence headers update the codec configuration, frames
  // are appended as PES. Frames of codecs HLS does not carry (HEVC, Speex...) and frames
  // before their sequence header are skipped (not an error). Errors: the message does not
  // parse (avc_errc, aac_errc codes), and nothing was written.
  Result<> write(const SharedMessage& msg, Bytes& out);
  Result<> write_video(int64_t dts_ms, ByteSpan payload, Bytes& out);
  Result<> write_audio(int64_t dts_ms, ByteSpan payload, Bytes& out);
  // Appends merged audio as one PES (nothing when none is pending). Call at the end of a
  // segment and at unpublish.
  void flush_audio(Bytes& out);
  bool has_pending_audio() const noexcept { return !audio_es_.empty(); }

  // The codecs the PMT currently announces.
  VideoCodec video_codec() const noexcept { return video_; }
  AudioCodec audio_codec() const noexcept { return audio_; }
  uint16_t pcr_pid() const noexcept;

  // Counters continue across segments by themselves; a caller that replaces the muxer
  // (a reload) carries them over so players see no discontinuity.
  ContinuityCounters& counters() noexcept { return cc_; }
  void set_counters(const ContinuityCounters& cc) noexcept { cc_ = cc; }

 private:
  uint16_t audio_pid() const noexcept;
  std::vector<ProgramStream> program() const;
  // Writes new tables when what the PMT announces changed (a codec became known).
  void announce(VideoCodec video, AudioCodec audio, StreamType audio_type, Bytes& out);
  Result<> write_avc(int64_t dts_ms, const avc::VideoTag& tag, Bytes& out);
  Result<> write_aac(int64_t dts_ms, const aac::AudioTag& tag, Bytes& out);
  void write_mp3(int64_t dts_ms, const aac::AudioTag& tag, Bytes& out);
  // Flushes pending audio when the frame at dts_ms cannot join it.
  void merge_audio(int64_t dts_ms, size_t frame_size, Bytes& out);

  MuxerOptions options_;
  ContinuityCounters cc_;
  VideoCodec video_;
  AudioCodec audio_;
  StreamType audio_type_ = StreamType::aac_adts;
  bool video_known_ = false;
  bool audio_known_ = false;
  std::vector<ProgramStream> written_program_;
  uint8_t pmt_version_ = 0;

  std::optional<avc::DecoderConfig> avc_;
  std::optional<aac::AudioSpecificConfig> aac_;
  Bytes video_es_;  // scratch: one access unit in Annex B
  Bytes audio_es_;  // merged audio frames waiting for their PES
  int64_t audio_start_ms_ = 0;
};

}  // namespace srs::ts
