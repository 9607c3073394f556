#include "protocol/rtmp/control.hpp"

#include "protocol/rtmp/rtmp_error.hpp"

namespace srs::rtmp {

namespace {
ControlMessage u32_message(MessageType type, uint32_t value) {
  ControlMessage m{type, {}};
  m.payload.reserve(4);
  ByteWriter(m.payload).u32(value);
  return m;
}

Result<uint32_t> decode_u32(ByteSpan payload, const char* what) {
  ByteReader r(payload);
  uint32_t v = r.u32();
  if (!r.ok()) return fail(rtmp_errc::truncated, what);
  return v;
}
}  // namespace

ControlMessage set_chunk_size(uint32_t size) {
  // RTMP 5.4.1: the top bit is reserved and must be zero.
  return u32_message(MessageType::set_chunk_size, size & 0x7FFFFFFF);
}
ControlMessage abort_message(uint32_t cid) {
  return u32_message(MessageType::abort, cid);
}
ControlMessage acknowledgement(uint32_t sequence) {
  return u32_message(MessageType::acknowledgement, sequence);
}
ControlMessage window_ack_size(uint32_t size) {
  return u32_message(MessageType::window_ack_size, size);
}

ControlMessage set_peer_bandwidth(uint32_t size, PeerBandwidthLimit limit) {
  ControlMessage m{MessageType::set_peer_bandwidth, {}};
  m.payload.reserve(5);
  ByteWriter w(m.payload);
  w.u32(size);
  w.u8(static_cast<uint8_t>(limit));
  return m;
}

ControlMessage user_control(UserControlEvent event, uint32_t value) {
  ControlMessage m{MessageType::user_control, {}};
  m.payload.reserve(6);
  ByteWriter w(m.payload);
  w.u16(static_cast<uint16_t>(event));
  w.u32(value);
  return m;
}

ControlMessage set_buffer_length(uint32_t stream_id, uint32_t buffer_ms) {
  ControlMessage m = user_control(UserControlEvent::set_buffer_length, stream_id);
  ByteWriter(m.payload).u32(buffer_ms);
  return m;
}

Result<uint32_t> decode_set_chunk_size(ByteSpan payload) {
  return decode_u32(payload, "set chunk size");
}
Result<uint32_t> decode_abort(ByteSpan payload) {
  return decode_u32(payload, "abort");
}
Result<uint32_t> decode_acknowledgement(ByteSpan payload) {
  return decode_u32(payload, "acknowledgement");
}
Result<uint32_t> decode_window_ack_size(ByteSpan payload) {
  return decode_u32(payload, "window ack size");
}

Result<PeerBandwidth> decode_set_peer_bandwidth(ByteSpan payload) {
  ByteReader r(payload);
  PeerBandwidth bw;
  bw.size = r.u32();
  bw.limit = static_cast<PeerBandwidthLimit>(r.u8());
  if (!r.ok()) return fail(rtmp_errc::truncated, "set peer bandwidth");
  return bw;
}

Result<UserControl> decode_user_control(ByteSpan payload) {
  ByteReader r(payload);
  UserControl uc;
  uc.event = static_cast<UserControlEvent>(r.u16());
  if (uc.event == UserControlEvent::fms_event0 && payload.size() == 3) {
    uc.value = r.u8();  // FMS private event carries 1 byte, not 4 (spec/rtmp.md 2)
    return uc;
  }
  uc.value = r.u32();
  if (uc.event == UserControlEvent::set_buffer_length) uc.buffer_ms = r.u32();
  if (!r.ok()) return fail(rtmp_errc::truncated, "user control");
  return uc;
}

}  // namespace srs::rtmp
