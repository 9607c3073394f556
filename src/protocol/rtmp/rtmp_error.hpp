// Error codes of the RTMP handshake and chunk stream layer. Any of them means the byte
// stream can no longer be trusted (or a caller passed something unusable): the connection
// is closed, and the code says why in tests and logs.
#pragma once

#include <system_error>

namespace srs::rtmp {

enum class rtmp_errc {
  bad_handshake_version = 1,  // C0/S0 is not 0x03 (spec/rtmp.md 1.1)
  bad_chunk_size,             // SetChunkSize < 128 or with bit 31 set (RTMP 5.4.1)
  bad_first_chunk,            // first chunk on a chunk stream is not fmt 0 (cid 2 fmt 1 aside)
  fmt0_mid_message,           // a fmt 0 chunk arrived before the previous message completed
  length_changed,             // a fmt 1 chunk changed the length of a message in progress
  message_too_large,          // declared length above the reader's limit (or 24 bits on output)
  too_many_chunk_streams,     // more distinct chunk stream ids than the reader keeps
  too_many_pending_bytes,     // partial messages on all chunk streams exceed the budget
  bad_chunk_stream_id,        // an output cid outside 2..63
  truncated,                  // a control/aggregate payload is shorter than its layout
  bad_aggregate,              // an aggregate sub-message does not fit its container
};

const std::error_category& rtmp_category() noexcept;
inline std::error_code make_error_code(rtmp_errc e) noexcept {
  return {static_cast<int>(e), rtmp_category()};
}

}  // namespace srs::rtmp

namespace std {
template <>
struct is_error_code_enum<srs::rtmp::rtmp_errc> : true_type {};
}  // namespace std
