#include "app/stream_encoder.hpp"

#include "kernel/flv.hpp"

namespace srs {

namespace {

constexpr size_t kFlvFileHead = flv::kFileHeaderSize + flv::kPreviousTagSizeSize;
constexpr size_t kFlvTagHead = flv::kTagHeaderSize + flv::kPreviousTagSizeSize;
// The tag headers of a batch of a player keeping up fit this.
constexpr size_t kSteadyHeads = 64 * kFlvTagHead;

std::optional<flv::TagType> flv_tag_type(const SharedMessage& m) noexcept {
  if (m.is_audio()) return flv::TagType::audio;
  if (m.is_video()) return flv::TagType::video;
  if (m.type() == MessageType::amf0_data) return flv::TagType::script;  // onMetaData
  return std::nullopt;
}

bool is_mp3(const SharedMessage& m) noexcept {
  if (!m.is_audio() || m.size() < 2) return false;
  const auto format = static_cast<aac::SoundFormat>(m.payload()[0] >> 4);
  return format == aac::SoundFormat::mp3 || format == aac::SoundFormat::mp3_8k;
}

}  // namespace

std::unique_ptr<StreamEncoder> make_stream_encoder(RemuxFormat format, const ts::MuxerOptions& ts) {
  switch (format) {
    case RemuxFormat::flv:
      return std::make_unique<FlvEncoder>();
    case RemuxFormat::ts:
      return std::make_unique<TsEncoder>(ts);
    case RemuxFormat::mp3:
      return std::make_unique<Mp3Encoder>();
    case RemuxFormat::aac:
      return std::make_unique<AacEncoder>();
  }
  return nullptr;
}

// heads_ holds, in stream order: [file header] [tag 0 header] [size 0, tag 1 header] ...
// [size n-1]; each run between two payloads is one buffer, so a tag costs two iovecs.
void FlvEncoder::encode(std::span<const QueuedMessage> batch,
                        std::vector<asio::const_buffer>& out) {
  // Sized before any pointer into it is taken: it must not move while being filled. The
  // previous batch's write is done: a large first batch's room is given back.
  const size_t need = (header_sent_ ? 0 : kFlvFileHead) + batch.size() * kFlvTagHead;
  if (heads_.capacity() > kSteadyHeads && need <= kSteadyHeads) heads_ = {};
  heads_.resize(need);
  uint8_t* p = heads_.data();
  uint8_t* run = p;
  if (!header_sent_) {
    flv::encode_file_header(true, true, std::span<uint8_t, kFlvFileHead>(p, kFlvFileHead));
    p += kFlvFileHead;
    header_sent_ = true;
  }
  for (const QueuedMessage& q : batch) {
    const SharedMessage& m = *q.msg;
    const auto type = flv_tag_type(m);
    if (!type || m.size() > flv::kMaxTagDataSize) continue;
    const auto size = static_cast<uint32_t>(m.size());
    flv::encode_tag_header(*type, static_cast<uint32_t>(q.timestamp), size,
                           std::span<uint8_t, flv::kTagHeaderSize>(p, flv::kTagHeaderSize));
    p += flv::kTagHeaderSize;
    out.emplace_back(run, static_cast<size_t>(p - run));
    if (size > 0) out.emplace_back(m.payload().data(), m.payload().size());
    run = p;
    flv::encode_previous_tag_size(
        size, std::span<uint8_t, flv::kPreviousTagSizeSize>(p, flv::kPreviousTagSizeSize));
    p += flv::kPreviousTagSizeSize;
  }
  if (p != run) out.emplace_back(run, static_cast<size_t>(p - run));
}

void Mp3Encoder::encode(std::span<const QueuedMessage> batch,
                        std::vector<asio::const_buffer>& out) {
  for (const QueuedMessage& q : batch) {
    if (!is_mp3(*q.msg)) continue;
    const ByteSpan frames = q.msg->payload().subspan(1);  // after the FLV audio tag byte
    out.emplace_back(frames.data(), frames.size());
  }
}

void AacEncoder::encode(std::span<const QueuedMessage> batch,
                        std::vector<asio::const_buffer>& out) {
  heads_.resize(batch.size() * aac::kAdtsHeaderSize);
  uint8_t* p = heads_.data();
  for (const QueuedMessage& q : batch) {
    if (!q.msg->is_aac()) continue;
    auto tag = aac::parse_audio_tag(q.msg->payload());
    if (!tag) continue;
    if (tag->packet_type == aac::PacketType::sequence_header) {
      auto config = aac::parse_audio_specific_config(tag->body);
      if (config) config_ = *config;
      continue;
    }
    if (!config_ || tag->body.empty()) continue;
    const auto index = aac::sample_rate_index(config_->sample_rate);
    if (!index || tag->body.size() > aac::kMaxAdtsFrameLength - aac::kAdtsHeaderSize) continue;
    aac::AdtsHeader h;
    h.object_type = config_->object_type;  // HE-AAC goes out as its LC core (implicit SBR)
    h.sampling_index = *index;
    h.channel_config = config_->channel_config;
    h.frame_length = static_cast<uint16_t>(aac::kAdtsHeaderSize + tag->body.size());
    auto header = aac::build_adts_header(h);
    if (!header) continue;
    std::copy(header->begin(), header->end(), p);
    out.emplace_back(p, aac::kAdtsHeaderSize);
    out.emplace_back(tag->body.data(), tag->body.size());
    p += aac::kAdtsHeaderSize;
  }
}

void TsEncoder::encode(std::span<const QueuedMessage> batch, std::vector<asio::const_buffer>& out) {
  out_.clear();
  if (!tables_sent_) {
    muxer_.write_tables(out_);
    tables_sent_ = true;
  }
  for (const QueuedMessage& q : batch) {
    const SharedMessage& m = *q.msg;
    Result<> r;
    if (m.is_video()) r = muxer_.write_video(q.timestamp, m.payload(), out_);
    if (m.is_audio()) r = muxer_.write_audio(q.timestamp, m.payload(), out_);
    if (!r) ++skipped_;
  }
  // A live player should not wait for the next batch to hear this one's audio.
  muxer_.flush_audio(out_);
  if (!out_.empty()) out.emplace_back(out_.data(), out_.size());
}

}  // namespace srs
