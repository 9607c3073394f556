#include "kernel/flv.hpp"

#include <algorithm>

namespace srs {

namespace {
class FlvCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "srs.flv"; }
  std::string message(int ev) const override {
    switch (static_cast<flv_errc>(ev)) {
      case flv_errc::bad_signature:
        return "flv: bad signature";
      case flv_errc::bad_version:
        return "flv: unsupported version";
      case flv_errc::bad_data_offset:
        return "flv: bad data offset";
      case flv_errc::tag_too_large:
        return "flv: tag too large";
      case flv_errc::truncated:
        return "flv: truncated";
      case flv_errc::not_metadata:
        return "flv: not onMetaData";
    }
    return "flv: unknown error";
  }
};
}  // namespace

const std::error_category& flv_category() noexcept {
  static const FlvCategory category;
  return category;
}

namespace flv {

namespace {
// The header may announce a longer header than 9 bytes (for future versions); allow some
// room but never skip an unbounded amount on a peer's word.
constexpr uint32_t kMaxDataOffset = 1024;
constexpr uint8_t kAudioFlag = 0x04;
constexpr uint8_t kVideoFlag = 0x01;
}  // namespace

void encode_file_header(bool has_audio, bool has_video,
                        std::span<uint8_t, kFileHeaderSize + kPreviousTagSizeSize> out) noexcept {
  out[0] = 'F';
  out[1] = 'L';
  out[2] = 'V';
  out[3] = 1;
  out[4] = static_cast<uint8_t>((has_audio ? kAudioFlag : 0) | (has_video ? kVideoFlag : 0));
  put_u32(&out[5], kFileHeaderSize);
  put_u32(&out[9], 0);
}

Result<FileHeader> decode_file_header(ByteSpan bytes) {
  if (bytes.size() < kFileHeaderSize) return fail(flv_errc::truncated, "file header");
  if (bytes[0] != 'F' || bytes[1] != 'L' || bytes[2] != 'V') return fail(flv_errc::bad_signature);
  FileHeader h;
  h.version = bytes[3];
  if (h.version != 1) return fail(flv_errc::bad_version, fmt::format("version {}", h.version));
  h.has_audio = (bytes[4] & kAudioFlag) != 0;
  h.has_video = (bytes[4] & kVideoFlag) != 0;
  ByteReader r(bytes.subspan(5, 4));
  h.data_offset = r.u32();
  if (h.data_offset < kFileHeaderSize || h.data_offset > kMaxDataOffset) {
    return fail(flv_errc::bad_data_offset, fmt::format("offset {}", h.data_offset));
  }
  return h;
}

void encode_tag_header(TagType type, uint32_t timestamp, uint32_t data_size,
                       std::span<uint8_t, kTagHeaderSize> out) noexcept {
  out[0] = static_cast<uint8_t>(type);
  put_u24(&out[1], data_size);
  put_u24(&out[4], timestamp & 0xffffff);
  out[7] = static_cast<uint8_t>(timestamp >> 24);  // TimestampExtended: the high byte
  put_u24(&out[8], 0);
}

TagHeader decode_tag_header(std::span<const uint8_t, kTagHeaderSize> in) noexcept {
  ByteReader r(in);
  TagHeader h;
  const uint8_t b = r.u8();
  h.filtered = (b & 0x20) != 0;
  h.type = static_cast<TagType>(b & 0x1f);
  h.data_size = r.u24();
  const uint32_t low = r.u24();
  h.timestamp = (static_cast<uint32_t>(r.u8()) << 24) | low;
  h.stream_id = r.u24();
  return h;
}

void encode_previous_tag_size(uint32_t data_size,
                              std::span<uint8_t, kPreviousTagSizeSize> out) noexcept {
  put_u32(out.data(), static_cast<uint32_t>(kTagHeaderSize) + data_size);
}

void append_tag(Bytes& out, TagType type, uint32_t timestamp, ByteSpan data) {
  uint8_t header[kTagHeaderSize];
  uint8_t size[kPreviousTagSizeSize];
  encode_tag_header(type, timestamp, static_cast<uint32_t>(data.size()), header);
  encode_previous_tag_size(static_cast<uint32_t>(data.size()), size);
  out.reserve(out.size() + sizeof(header) + data.size() + sizeof(size));
  out.insert(out.end(), std::begin(header), std::end(header));
  out.insert(out.end(), data.begin(), data.end());
  out.insert(out.end(), std::begin(size), std::end(size));
}

// ---- streaming decoder ----

std::optional<ByteSpan> Decoder::take(size_t n) {
  if (buf_used_) {
    buf_.clear();  // keeps its capacity: a stream of split tags does not reallocate
    buf_used_ = false;
  }
  if (buf_.empty() && pending_.size() >= n) {
    ByteSpan v = pending_.first(n);
    pending_ = pending_.subspan(n);
    return v;
  }
  const size_t k = std::min(n - buf_.size(), pending_.size());
  buf_.insert(buf_.end(), pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(k));
  pending_ = pending_.subspan(k);
  if (buf_.size() < n) return std::nullopt;
  buf_used_ = true;
  return ByteSpan(buf_);
}

Result<std::optional<Tag>> Decoder::next() {
  if (error_) return std::unexpected(*error_);
  auto r = step();
  if (!r) error_ = r.error();
  return r;
}

Result<std::optional<Tag>> Decoder::step() {
  for (;;) {
    switch (state_) {
      case State::file_header: {
        auto b = take(kFileHeaderSize);
        if (!b) return std::nullopt;
        auto h = decode_file_header(*b);
        if (!h) return wrap(h, "flv");
        header_ = *h;
        // Skip any extra header bytes and PreviousTagSize0, whose value nobody checks.
        skip_ = h->data_offset - kFileHeaderSize + kPreviousTagSizeSize;
        state_ = State::header_skip;
        break;
      }
      case State::header_skip: {
        const size_t k = std::min<size_t>(skip_, pending_.size());
        pending_ = pending_.subspan(k);
        skip_ -= k;
        if (skip_ > 0) return std::nullopt;
        state_ = State::tag_header;
        break;
      }
      case State::tag_header: {
        auto b = take(kTagHeaderSize);
        if (!b) return std::nullopt;
        tag_ = decode_tag_header(b->first<kTagHeaderSize>());
        if (tag_.data_size > max_tag_size_) {
          return fail(flv_errc::tag_too_large,
                      fmt::format("flv: tag of {} bytes, limit {}", tag_.data_size, max_tag_size_));
        }
        state_ = State::tag_body;
        break;
      }
      case State::tag_body: {
        // The data and the PreviousTagSize after it, taken together so a tag is handed out
        // only when it is whole. The size is not checked: writers disagree on it.
        auto b = take(tag_.data_size + kPreviousTagSizeSize);
        if (!b) return std::nullopt;
        state_ = State::tag_header;
        return Tag{tag_, b->first(tag_.data_size)};
      }
    }
  }
}

// ---- script data ----

Result<amf0::Value> decode_metadata(ByteSpan script_body) {
  ByteReader r(script_body);
  auto name = amf0::decode_value(r);
  if (!name) return wrap(name, "metadata name");
  // RTMP publishers wrap it: @setDataFrame tells the server to store what follows.
  if (name->string_or() == "@setDataFrame") {
    name = amf0::decode_value(r);
    if (!name) return wrap(name, "metadata name");
  }
  if (name->string_or() != "onMetaData") {
    return fail(flv_errc::not_metadata, fmt::format("script data '{}'", name->string_or()));
  }
  auto value = amf0::decode_value(r);
  if (!value) return wrap(value, "onMetaData");
  if (!value->is_object_like()) return fail(flv_errc::not_metadata, "onMetaData without object");
  return value;
}

Bytes encode_metadata(const amf0::Value& metadata) {
  constexpr std::string_view kName = "onMetaData";
  Bytes out;
  out.reserve(3 + kName.size() + amf0::encoded_size(metadata));
  ByteWriter w(out);
  amf0::write_string(w, kName);
  amf0::encode(metadata, w);
  return out;
}

}  // namespace flv
}  // namespace srs
