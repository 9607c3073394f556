// The media message as the publisher sent it: type, timestamp, stream id and payload.
// Immutable once built, so every consumer (players, HLS, DVR, forwarders) holds the same
// bytes with no copy: a consumer keeps a SharedMessagePtr, never a copy of the payload.
// The header and its reference count live in one recycled block (core/block_pool.hpp), the
// payload in a pooled buffer moved in (core/bytes_pool.hpp), and a consumer that needs a different
// timestamp (time jitter) keeps its own number next to the pointer rather than copying the message.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>

#include "core/block_pool.hpp"
#include "core/bytes.hpp"
#include "core/bytes_pool.hpp"

namespace srs {

// RTMP message type ids (RTMP spec 5.4, 7.1). Media relayed by the server keeps these.
enum class MessageType : uint8_t {
  set_chunk_size = 1,
  abort = 2,
  acknowledgement = 3,
  user_control = 4,
  window_ack_size = 5,
  set_peer_bandwidth = 6,
  audio = 8,
  video = 9,
  amf3_data = 15,
  amf3_shared_object = 16,
  amf3_command = 17,
  amf0_data = 18,
  amf0_shared_object = 19,
  amf0_command = 20,
  aggregate = 22,
};

class SharedMessage;
using SharedMessagePtr = std::shared_ptr<const SharedMessage>;

class SharedMessage {
 public:
  SharedMessage(MessageType type, int64_t timestamp, uint32_t stream_id, Bytes payload) noexcept
      : type_(type), timestamp_(timestamp), stream_id_(stream_id), payload_(std::move(payload)) {}
  // The payload's storage goes back to the thread's pool for the next received message.
  ~SharedMessage() { recycle_bytes(std::move(payload_)); }
  SharedMessage(const SharedMessage&) = delete;
  SharedMessage& operator=(const SharedMessage&) = delete;

  static SharedMessagePtr make(MessageType type, int64_t timestamp, uint32_t stream_id,
                               Bytes payload) {
    return std::allocate_shared<const SharedMessage>(RecyclingAllocator<SharedMessage>(), type,
                                                     timestamp, stream_id, std::move(payload));
  }
  // The same payload re-stamped (a new message; the payload is copied). For the rare cases
  // that need it (cached sequence headers sent with a new time), never the hot path.
  SharedMessagePtr with_timestamp(int64_t timestamp) const {
    return make(type_, timestamp, stream_id_, payload_);
  }

  MessageType type() const noexcept { return type_; }
  // Milliseconds. Kept in 64 bits so a stream that crosses the 32-bit RTMP wrap stays
  // monotonic inside the server; the wire carries the low 32 bits.
  int64_t timestamp() const noexcept { return timestamp_; }
  uint32_t stream_id() const noexcept { return stream_id_; }
  ByteSpan payload() const noexcept { return payload_; }
  size_t size() const noexcept { return payload_.size(); }

  bool is_audio() const noexcept { return type_ == MessageType::audio; }
  bool is_video() const noexcept { return type_ == MessageType::video; }
  bool is_av() const noexcept { return is_audio() || is_video(); }
  bool is_data() const noexcept {
    return type_ == MessageType::amf0_data || type_ == MessageType::amf3_data;
  }

  // FLV video tag body: frame type in the high nibble of byte 0 (1 = keyframe), codec id
  // in the low nibble (7 = AVC, 12 = HEVC); AVC packet type in byte 1 (0 = sequence header).
  bool is_video_keyframe() const noexcept {
    return is_video() && !payload_.empty() && (payload_[0] >> 4) == 1;
  }
  bool is_avc() const noexcept {
    return is_video() && !payload_.empty() && (payload_[0] & 0x0f) == 7;
  }
  bool is_video_sequence_header() const noexcept {
    return is_avc() && payload_.size() >= 2 && (payload_[0] >> 4) == 1 && payload_[1] == 0;
  }
  // FLV audio tag body: sound format in the high nibble of byte 0 (10 = AAC, 2 = MP3);
  // AAC packet type in byte 1 (0 = AudioSpecificConfig).
  bool is_aac() const noexcept {
    return is_audio() && !payload_.empty() && (payload_[0] >> 4) == 10;
  }
  bool is_audio_sequence_header() const noexcept {
    return is_aac() && payload_.size() >= 2 && payload_[1] == 0;
  }
  bool is_sequence_header() const noexcept {
    return is_video_sequence_header() || is_audio_sequence_header();
  }

 private:
  MessageType type_;
  int64_t timestamp_;
  uint32_t stream_id_;
  Bytes payload_;
};

}  // namespace srs
