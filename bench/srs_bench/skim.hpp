// Lean stream parsers for the load generator: they walk RTMP chunks, HTTP responses and FLV
// tags and report only what a benchmark needs (message type, timestamp, size, the first two
// payload bytes). Media payloads are skipped in place, never copied or decoded; only small
// non-media RTMP messages (commands, control) are collected, for the startup exchange.
//
// All three are push parsers: feed() them bytes in pieces of any size (a shared read
// buffer), they call back once per complete message. An error is final.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "kernel/shared_message.hpp"

namespace srs::bench {

// One media or control message as seen on the wire.
struct MediaEvent {
  MessageType type{};
  uint32_t timestamp = 0;
  uint32_t size = 0;
  uint8_t b0 = 0;  // first payload byte (FLV frame type / codec, sound format)
  uint8_t b1 = 0;  // second (AVC / AAC packet type)
  uint32_t stream_id = 0;
  ByteSpan small;  // the whole payload for collected (non-media) messages, else empty

  bool is_video() const noexcept { return type == MessageType::video; }
  bool is_audio() const noexcept { return type == MessageType::audio; }
  // A coded keyframe: frame type 1, and for AVC/HEVC not a sequence header.
  bool is_coded_keyframe() const noexcept {
    const uint8_t codec = b0 & 0x0f;
    const bool packetized = codec == 7 || codec == 12;
    return is_video() && (b0 >> 4) == 1 && (!packetized || (size >= 2 && b1 == 1));
  }
  bool is_sequence_header() const noexcept {
    if (is_video()) return (b0 & 0x0f) == 7 && size >= 2 && b1 == 0;
    if (is_audio()) return (b0 >> 4) == 10 && size >= 2 && b1 == 0;
    return false;
  }
};

using EventSink = std::function<Result<>(const MediaEvent&)>;

// RTMP chunk stream (RTMP spec 5.3) in the receive direction, header-only.
class RtmpSkimmer {
 public:
  static constexpr uint32_t kMaxCollected = 64 * 1024;  // commands beyond this are skipped
  static constexpr size_t kMaxChunkStreams = 64;

  explicit RtmpSkimmer(EventSink sink);
  ~RtmpSkimmer();
  Result<> feed(ByteSpan bytes);
  uint32_t chunk_size() const noexcept { return chunk_size_; }

 private:
  struct Stream;
  Result<> header_byte(uint8_t b);
  Result<> start_chunk();
  Result<> finish_message(Stream& s);
  Result<Stream*> stream(uint32_t cid);

  EventSink sink_;
  uint32_t chunk_size_ = 128;
  std::array<uint8_t, 18> hdr_{};
  uint8_t hdr_len_ = 0;
  uint8_t hdr_need_ = 1;
  bool ext_checked_ = false;
  Stream* current_ = nullptr;
  uint32_t chunk_left_ = 0;
  std::array<std::unique_ptr<Stream>, 64> low_;
  std::unordered_map<uint32_t, std::unique_ptr<Stream>> high_;
};

// FLV (file header, then tags with previous-tag-sizes), header-only.
class FlvSkimmer {
 public:
  explicit FlvSkimmer(EventSink sink) : sink_(std::move(sink)) {}
  Result<> feed(ByteSpan bytes);

 private:
  enum class State { file_header, tag_header, tag_data, tag_size };
  EventSink sink_;
  State state_ = State::file_header;
  std::array<uint8_t, 13> hdr_{};
  size_t hdr_len_ = 0;
  MediaEvent tag_;
  uint32_t data_left_ = 0;
  uint32_t size_left_ = 0;
};

// An HTTP/1.1 response: status line and headers (bounded), then the body, de-chunked when
// Transfer-Encoding is chunked. Body bytes go to `body` as views into the fed piece.
class HttpResponseSkimmer {
 public:
  static constexpr size_t kMaxHeader = 16 * 1024;
  using BodySink = std::function<Result<>(ByteSpan)>;

  explicit HttpResponseSkimmer(BodySink body) : body_(std::move(body)) {}
  Result<> feed(ByteSpan bytes);
  int status() const noexcept { return status_; }
  bool headers_done() const noexcept { return state_ != State::headers; }

 private:
  enum class State { headers, body, chunk_size, chunk_data, chunk_crlf, done };
  Result<> parse_headers();
  Result<> chunked(ByteSpan bytes);

  BodySink body_;
  State state_ = State::headers;
  std::string head_;
  int status_ = 0;
  uint64_t chunk_left_ = 0;
  std::string size_line_;
};

}  // namespace srs::bench
