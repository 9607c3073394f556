// FLV (Adobe "Video File Format Specification" v10, annex E): the container of FLV files,
// HTTP-FLV streams, HTTP POST publishing and DVR. A tag body is exactly an RTMP audio,
// video or data message payload, so tags and messages convert without touching the media.
//
// Writing is split so payloads are never copied: the caller builds the 11-byte tag header
// and 4-byte previous-tag-size into small buffers and sends {header, payload, size} in one
// gather-write. Reading is a streaming decoder fed with pieces of any size.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "kernel/amf0.hpp"

namespace srs {

enum class flv_errc {
  bad_signature = 1,  // the file does not start with "FLV"
  bad_version,        // an FLV version other than 1
  bad_data_offset,    // the header's data offset is below 9 or absurdly large
  tag_too_large,      // a tag's data size is above the decoder's limit
  truncated,          // a whole-buffer parse ran out of bytes
  not_metadata,       // a script tag that is not onMetaData (or has no object)
};
const std::error_category& flv_category() noexcept;
inline std::error_code make_error_code(flv_errc e) noexcept {
  return {static_cast<int>(e), flv_category()};
}

namespace flv {

constexpr size_t kFileHeaderSize = 9;
constexpr size_t kPreviousTagSizeSize = 4;
constexpr size_t kTagHeaderSize = 11;
// Largest data size the 24-bit field can hold.
constexpr uint32_t kMaxTagDataSize = 0xffffff;
// A decoder's default bound on one tag: above any real frame (a 4K keyframe is a few MB),
// below what a hostile peer could make us hold per connection.
constexpr uint32_t kDefaultMaxTagSize = 8 * 1024 * 1024;

enum class TagType : uint8_t { audio = 8, video = 9, script = 18 };

struct FileHeader {
  uint8_t version = 1;
  bool has_audio = true;
  bool has_video = true;
  uint32_t data_offset = kFileHeaderSize;  // where the first previous-tag-size starts
};

struct TagHeader {
  TagType type = TagType::script;  // other values pass through as they came
  bool filtered = false;           // encrypted (FLV 10.1 filter bit); we never produce it
  uint32_t data_size = 0;
  uint32_t timestamp = 0;  // ms: 24 bits plus the 8-bit extension as the high byte
  uint32_t stream_id = 0;  // always 0 in files
};

// The 9-byte header followed by PreviousTagSize0 (0): what a file or HTTP-FLV starts with.
void encode_file_header(bool has_audio, bool has_video,
                        std::span<uint8_t, kFileHeaderSize + kPreviousTagSizeSize> out) noexcept;
// Parses the first 9 bytes (the previous-tag-size after them is not included).
Result<FileHeader> decode_file_header(ByteSpan bytes);

// Precondition: data_size <= kMaxTagDataSize. Stream id is written as 0.
void encode_tag_header(TagType type, uint32_t timestamp, uint32_t data_size,
                       std::span<uint8_t, kTagHeaderSize> out) noexcept;
TagHeader decode_tag_header(std::span<const uint8_t, kTagHeaderSize> in) noexcept;
// The PreviousTagSize that follows a tag with data_size bytes of data (11 + data_size).
void encode_previous_tag_size(uint32_t data_size,
                              std::span<uint8_t, kPreviousTagSizeSize> out) noexcept;

// Appends a whole tag (header, data, previous tag size): for tests and small tags only;
// the media path uses the split form above.
void append_tag(Bytes& out, TagType type, uint32_t timestamp, ByteSpan data);

struct Tag {
  TagHeader header;
  ByteSpan data;  // valid until the decoder's next feed() or next()
};

// Turns FLV bytes arriving in pieces of any size (socket reads, file blocks) into tags.
// Complete tags inside a fed piece are returned as views into it (no copy); only a tag split
// across pieces is assembled in an internal buffer, so memory stays below max_tag_size plus
// a header however the input is cut.
class Decoder {
 public:
  explicit Decoder(uint32_t max_tag_size = kDefaultMaxTagSize) noexcept
      : max_tag_size_(max_tag_size) {}

  // Hands over the next piece. The decoder keeps a view of it, so it must stay alive and
  // unchanged until next() has returned nullopt (all of it consumed).
  void feed(ByteSpan bytes) noexcept { pending_ = bytes; }
  // The next complete tag, or nullopt when the fed bytes are used up. The first call(s)
  // consume the file header. An error is final: later calls return it again.
  Result<std::optional<Tag>> next();

  // Set once the file header was read.
  const std::optional<FileHeader>& file_header() const noexcept { return header_; }

 private:
  enum class State { file_header, header_skip, tag_header, tag_body };
  Result<std::optional<Tag>> step();
  // The next n bytes as one view: straight from the fed piece when it holds them all and
  // nothing is partially buffered, else assembled in buf_. Empty optional: need more input.
  std::optional<ByteSpan> take(size_t n);

  uint32_t max_tag_size_;
  State state_ = State::file_header;
  ByteSpan pending_;
  Bytes buf_;
  bool buf_used_ = false;  // buf_ was handed out: clear it before filling it again
  std::optional<FileHeader> header_;
  TagHeader tag_;
  size_t skip_ = 0;  // header bytes still to skip
  std::optional<Error> error_;
};

// Script data (the body of a script tag, also an RTMP data message): onMetaData.
// Accepts "onMetaData" or "@setDataFrame","onMetaData" followed by an object or ECMA array,
// which is returned as found.
Result<amf0::Value> decode_metadata(ByteSpan script_body);
// "onMetaData" and the value (an object for what we produce), ready as a tag or message body.
Bytes encode_metadata(const amf0::Value& metadata);

}  // namespace flv
}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::flv_errc> : true_type {};
}  // namespace std
