// Protocol control messages (RTMP spec 5.4, types 1-6) and user control events (RTMP spec
// 7.1.7, type 4): encoders for what we send, decoders for what peers send. All of them
// travel on chunk stream 2, message stream 0 (spec/rtmp.md 2).
#pragma once

#include <cstdint>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "kernel/shared_message.hpp"

namespace srs::rtmp {

constexpr uint32_t kControlCid = 2;

// A control message ready for ChunkBatch::add (cid 2, stream 0, timestamp 0).
struct ControlMessage {
  MessageType type{};
  Bytes payload;
};

enum class UserControlEvent : uint16_t {
  stream_begin = 0,
  stream_eof = 1,
  stream_dry = 2,
  set_buffer_length = 3,
  stream_is_recorded = 4,
  ping_request = 6,
  ping_response = 7,
  fms_event0 = 0x1A,  // FMS private: 3 bytes in all, `00 1A 01` (spec/rtmp.md 2)
};

enum class PeerBandwidthLimit : uint8_t { hard = 0, soft = 1, dynamic = 2 };

// Encoders.
ControlMessage set_chunk_size(uint32_t size);
ControlMessage abort_message(uint32_t cid);
ControlMessage acknowledgement(uint32_t sequence);
ControlMessage window_ack_size(uint32_t size);
ControlMessage set_peer_bandwidth(uint32_t size, PeerBandwidthLimit limit);
// StreamBegin, StreamEOF, StreamDry, StreamIsRecorded (value = stream id), PingRequest and
// PingResponse (value = timestamp).
ControlMessage user_control(UserControlEvent event, uint32_t value);
ControlMessage set_buffer_length(uint32_t stream_id, uint32_t buffer_ms);

// Decoders: each fails with rtmp_errc::truncated when the payload is shorter than its layout.
// SetChunkSize is returned as sent; ChunkReader::set_in_chunk_size judges it.
Result<uint32_t> decode_set_chunk_size(ByteSpan payload);
Result<uint32_t> decode_abort(ByteSpan payload);
Result<uint32_t> decode_acknowledgement(ByteSpan payload);
Result<uint32_t> decode_window_ack_size(ByteSpan payload);

struct PeerBandwidth {
  uint32_t size = 0;
  PeerBandwidthLimit limit{};
};
Result<PeerBandwidth> decode_set_peer_bandwidth(ByteSpan payload);

struct UserControl {
  UserControlEvent event{};
  uint32_t value = 0;      // stream id, ping timestamp, or the FMS event's 1-byte data
  uint32_t buffer_ms = 0;  // SetBufferLength only
};
Result<UserControl> decode_user_control(ByteSpan payload);

}  // namespace srs::rtmp
