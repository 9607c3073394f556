#include "protocol/rtmp/rtmp_error.hpp"

#include <string>

namespace srs::rtmp {

namespace {
class RtmpCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "srs.rtmp"; }
  std::string message(int ev) const override {
    switch (static_cast<rtmp_errc>(ev)) {
      case rtmp_errc::bad_handshake_version:
        return "handshake version is not 3";
      case rtmp_errc::bad_chunk_size:
        return "invalid chunk size";
      case rtmp_errc::bad_first_chunk:
        return "first chunk of a chunk stream is not fmt 0";
      case rtmp_errc::fmt0_mid_message:
        return "fmt 0 chunk in the middle of a message";
      case rtmp_errc::length_changed:
        return "message length changed between chunks";
      case rtmp_errc::message_too_large:
        return "message too large";
      case rtmp_errc::too_many_chunk_streams:
        return "too many chunk streams";
      case rtmp_errc::too_many_pending_bytes:
        return "too many bytes in partial messages";
      case rtmp_errc::bad_chunk_stream_id:
        return "invalid chunk stream id";
      case rtmp_errc::truncated:
        return "message payload truncated";
      case rtmp_errc::bad_aggregate:
        return "malformed aggregate message";
    }
    return "unknown rtmp error";
  }
};
}  // namespace

const std::error_category& rtmp_category() noexcept {
  static const RtmpCategory category;
  return category;
}

}  // namespace srs::rtmp
