#include "kernel/ts_muxer.hpp"

#include "kernel/mp3.hpp"

namespace srs::ts {

namespace {

// A bounded PES holds at most 65535 bytes after its length field (2.4.3.7) and only video
// may be unbounded in a transport stream, so merged audio stops well before that.
constexpr size_t kMaxAudioPes = 60000;
// "No PCR" for a program without streams (2.4.4.9: PCR_PID 0x1fff).
constexpr uint16_t kNoPcrPid = 0x1fff;

StreamType mp3_type(ByteSpan frames) noexcept {
  auto h = mp3::parse_frame_header(frames);
  // 13818-3 (the halved rates) and MPEG 2.5 are "13818-3 audio"; a frame that does not
  // parse keeps the MPEG-1 type it most likely is.
  if (h && h->version != mp3::Version::mpeg1) return StreamType::mpeg2_audio;
  return StreamType::mpeg1_audio;
}

}  // namespace

Muxer::Muxer(MuxerOptions options)
    : options_(options), video_(options.video), audio_(options.audio) {
  if (audio_ == AudioCodec::mp3) audio_type_ = StreamType::mpeg1_audio;
}

void Muxer::set_options(const MuxerOptions& options) {
  options_ = options;
  if (!video_known_) video_ = options.video;
  if (!audio_known_) {
    audio_ = options.audio;
    audio_type_ = audio_ == AudioCodec::mp3 ? StreamType::mpeg1_audio : StreamType::aac_adts;
  }
}

uint16_t Muxer::audio_pid() const noexcept {
  return audio_ == AudioCodec::mp3 ? kMp3Pid : kAacPid;
}

uint16_t Muxer::pcr_pid() const noexcept {
  if (video_ != VideoCodec::none) return kVideoPid;
  if (audio_ != AudioCodec::none) return audio_pid();
  return kNoPcrPid;
}

std::vector<ProgramStream> Muxer::program() const {
  std::vector<ProgramStream> streams;
  if (video_ == VideoCodec::h264) streams.push_back({StreamType::h264, kVideoPid});
  if (audio_ != AudioCodec::none) streams.push_back({audio_type_, audio_pid()});
  return streams;
}

void Muxer::write_tables(Bytes& out) {
  std::vector<ProgramStream> streams = program();
  if (!written_program_.empty() && streams != written_program_) {
    pmt_version_ = static_cast<uint8_t>((pmt_version_ + 1) & 0x1f);
  }
  written_program_ = std::move(streams);
  write_pat(out, cc_);
  write_pmt(out, cc_, pcr_pid(), written_program_, pmt_version_);
}

void Muxer::announce(VideoCodec video, AudioCodec audio, StreamType audio_type, Bytes& out) {
  if (video == video_ && audio == audio_ && audio_type == audio_type_) return;
  // Audio merged under the old codec leaves on its own PID before the tables change.
  if (audio != audio_ || audio_type != audio_type_) flush_audio(out);
  video_ = video;
  audio_ = audio;
  audio_type_ = audio_type;
  write_tables(out);  // a new PMT version, so players pick up the new stream at once
}

Result<> Muxer::write(const SharedMessage& msg, Bytes& out) {
  if (msg.is_video()) return write_video(msg.timestamp(), msg.payload(), out);
  if (msg.is_audio()) return write_audio(msg.timestamp(), msg.payload(), out);
  return {};
}

Result<> Muxer::write_video(int64_t dts_ms, ByteSpan payload, Bytes& out) {
  auto tag = avc::parse_video_tag(payload);
  if (!tag) return wrap(tag, "ts mux video");
  if (tag->codec_id != avc::CodecId::avc) return {};  // only H.264 goes into HLS (§2.5)
  video_known_ = true;
  announce(VideoCodec::h264, audio_, audio_type_, out);
  if (tag->packet_type == avc::PacketType::sequence_header) {
    auto config = avc::parse_decoder_config(tag->body);
    if (!config) return wrap(config, "ts mux avc sequence header");
    avc_ = std::move(*config);
    return {};
  }
  if (tag->packet_type != avc::PacketType::nalu || !avc_) return {};
  return write_avc(dts_ms, *tag, out);
}

Result<> Muxer::write_avc(int64_t dts_ms, const avc::VideoTag& tag, Bytes& out) {
  video_es_.clear();
  if (auto r = avc::write_annexb_access_unit(tag.body, *avc_, video_es_); !r) {
    return wrap(r, "ts mux avc frame");
  }
  if (video_es_.size() <= 6) return {};  // only the AUD: an empty frame
  PesOptions o;
  o.pid = kVideoPid;
  o.stream_id = kVideoStreamId;
  o.dts = to_90khz(dts_ms);
  o.pts = to_90khz(dts_ms + tag.composition_time);
  // The PCR rides on each video PES: frames come far more often than the 100 ms the
  // standard allows between PCRs (2.7.2), and the PCR equals the DTS so the stream
  // clock starts where the media does.
  if (pcr_pid() == kVideoPid) o.pcr = o.dts;
  o.random_access = tag.frame_type == avc::FrameType::keyframe;
  write_pes(out, cc_, o, video_es_);
  return {};
}

Result<> Muxer::write_audio(int64_t dts_ms, ByteSpan payload, Bytes& out) {
  auto tag = aac::parse_audio_tag(payload);
  if (!tag) return wrap(tag, "ts mux audio");
  if (tag->format == aac::SoundFormat::aac) return write_aac(dts_ms, *tag, out);
  if (tag->format == aac::SoundFormat::mp3 || tag->format == aac::SoundFormat::mp3_8k) {
    write_mp3(dts_ms, *tag, out);
  }
  return {};  // other formats are not carried (§2.5)
}

Result<> Muxer::write_aac(int64_t dts_ms, const aac::AudioTag& tag, Bytes& out) {
  audio_known_ = true;
  announce(video_, AudioCodec::aac, StreamType::aac_adts, out);
  if (tag.packet_type == aac::PacketType::sequence_header) {
    auto config = aac::parse_audio_specific_config(tag.body);
    if (!config) return wrap(config, "ts mux aac sequence header");
    aac_ = *config;
    return {};
  }
  if (!aac_ || tag.body.empty()) return {};
  merge_audio(dts_ms, aac::kAdtsHeaderSize + tag.body.size(), out);
  const size_t before = audio_es_.size();
  if (auto r = aac::write_adts_frame(*aac_, tag.body, audio_es_); !r) {
    audio_es_.resize(before);
    return wrap(r, "ts mux aac frame");
  }
  return {};
}

void Muxer::write_mp3(int64_t dts_ms, const aac::AudioTag& tag, Bytes& out) {
  if (tag.body.empty()) return;
  audio_known_ = true;
  announce(video_, AudioCodec::mp3, mp3_type(tag.body), out);
  merge_audio(dts_ms, tag.body.size(), out);
  audio_es_.insert(audio_es_.end(), tag.body.begin(), tag.body.end());
}

void Muxer::merge_audio(int64_t dts_ms, size_t frame_size, Bytes& out) {
  if (!audio_es_.empty()) {
    const int64_t span = dts_ms - audio_start_ms_;
    const bool full = audio_es_.size() + frame_size > kMaxAudioPes;
    if (full || span < 0 || span >= options_.audio_merge_ms) flush_audio(out);
  }
  if (audio_es_.empty()) audio_start_ms_ = dts_ms;
}

void Muxer::flush_audio(Bytes& out) {
  if (audio_es_.empty()) return;
  PesOptions o;
  o.pid = audio_pid();
  o.stream_id = kAudioStreamId;
  o.pts = o.dts = to_90khz(audio_start_ms_);
  if (pcr_pid() == o.pid) {
    // Audio-only: the audio PID carries the clock, and every merged PES starts with a
    // frame a decoder can begin at.
    o.pcr = o.pts;
    o.random_access = true;
  }
  write_pes(out, cc_, o, audio_es_);
  audio_es_.clear();
}

}  // namespace srs::ts
