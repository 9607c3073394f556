// Messages shaped like a real H.264 + AAC publisher's, for hub tests.
#pragma once

#include "kernel/shared_message.hpp"

namespace srs::test {

inline SharedMessagePtr video(int64_t ts, bool key, uint8_t tag = 0) {
  return SharedMessage::make(MessageType::video, ts, 1,
                             Bytes{static_cast<uint8_t>(key ? 0x17 : 0x27), 0x01, 0, 0, 0, tag});
}
inline SharedMessagePtr video_sh(int64_t ts, uint8_t tag = 0) {
  return SharedMessage::make(MessageType::video, ts, 1, Bytes{0x17, 0x00, 0, 0, 0, 0x01, tag});
}
inline SharedMessagePtr audio(int64_t ts, uint8_t tag = 0) {
  return SharedMessage::make(MessageType::audio, ts, 1, Bytes{0xaf, 0x01, tag});
}
inline SharedMessagePtr audio_sh(int64_t ts, uint8_t tag = 0x10) {
  return SharedMessage::make(MessageType::audio, ts, 1, Bytes{0xaf, 0x00, 0x12, tag});
}
inline SharedMessagePtr mp3(int64_t ts) {
  return SharedMessage::make(MessageType::audio, ts, 1, Bytes{0x2f, 0xff, 0xfb});
}
inline SharedMessagePtr metadata(int64_t ts = 0) {
  return SharedMessage::make(MessageType::amf0_data, ts, 1, Bytes{0x02, 0x00, 0x01, 'm'});
}

}  // namespace srs::test
