#include "srs_bench/skim.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace srs::bench {

namespace {
constexpr uint32_t kEscape = 0xFFFFFF;
constexpr uint8_t kMessageHeaderSize[4] = {11, 7, 3, 0};

uint32_t be24(const uint8_t* p) {
  return uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2];
}
uint32_t be32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | be24(p + 1);
}
bool media(MessageType t) {
  return t == MessageType::audio || t == MessageType::video || t == MessageType::aggregate;
}
}  // namespace

struct RtmpSkimmer::Stream {
  bool has_header = false;
  bool extended = false;
  uint32_t timestamp = 0;
  uint32_t delta = 0;
  uint32_t length = 0;
  uint32_t left = 0;  // payload bytes of the current message still to come
  uint32_t stream_id = 0;
  MessageType type{};
  uint8_t first[2] = {0, 0};
  Bytes collected;  // small non-media payloads only
};

RtmpSkimmer::RtmpSkimmer(EventSink sink) : sink_(std::move(sink)) {}
RtmpSkimmer::~RtmpSkimmer() = default;

Result<RtmpSkimmer::Stream*> RtmpSkimmer::stream(uint32_t cid) {
  std::unique_ptr<Stream>* slot = nullptr;
  if (cid < low_.size()) {
    slot = &low_[cid];
  } else {
    slot = &high_[cid];
  }
  if (!*slot) {
    size_t count = high_.size() + std::count_if(low_.begin(), low_.end(),
                                                [](const auto& p) { return p != nullptr; });
    if (count > kMaxChunkStreams) return fail(core_errc::limit_exceeded, "too many chunk streams");
    *slot = std::make_unique<Stream>();
  }
  return slot->get();
}

// Headers arrive a byte at a time (they may straddle reads); their size is known after the
// first byte, and the extended timestamp's presence after the message header.
Result<> RtmpSkimmer::header_byte(uint8_t b) {
  hdr_[hdr_len_++] = b;
  if (hdr_len_ == 1) {
    const uint8_t basic = (b & 0x3f) == 0 ? 2 : (b & 0x3f) == 1 ? 3 : 1;
    hdr_need_ = basic + kMessageHeaderSize[b >> 6];
    ext_checked_ = false;
  }
  if (hdr_len_ < hdr_need_) return {};
  if (!ext_checked_) {
    ext_checked_ = true;
    const uint8_t fmt = hdr_[0] >> 6;
    const uint8_t basic = (hdr_[0] & 0x3f) == 0 ? 2 : (hdr_[0] & 0x3f) == 1 ? 3 : 1;
    bool ext = false;
    if (fmt <= 2) {
      ext = be24(&hdr_[basic]) == kEscape;
    } else {
      uint32_t cid = hdr_[0] & 0x3f;
      if (basic == 2) cid = 64 + hdr_[1];
      if (basic == 3) cid = 64 + hdr_[1] + hdr_[2] * 256u;
      auto s = stream(cid);
      if (!s) return std::unexpected(s.error());
      ext = (*s)->extended;
    }
    if (ext) {
      hdr_need_ += 4;
      return {};
    }
  }
  return start_chunk();
}

Result<> RtmpSkimmer::start_chunk() {
  const uint8_t fmt = hdr_[0] >> 6;
  uint32_t cid = hdr_[0] & 0x3f;
  size_t at = 1;
  if (cid == 0)
    cid = 64 + hdr_[at++];
  else if (cid == 1) {
    cid = 64 + hdr_[1] + hdr_[2] * 256u;
    at = 3;
  }
  auto sp = stream(cid);
  if (!sp) return std::unexpected(sp.error());
  Stream& s = **sp;
  const uint8_t* h = &hdr_[at];
  const bool new_message = s.left == 0;
  if (!s.has_header && fmt != 0) return fail(core_errc::invalid_argument, "chunk without fmt 0");
  uint32_t ts_field = 0;
  if (fmt <= 2) ts_field = be24(h);
  if (fmt <= 1) {
    s.length = be24(h + 3);
    s.type = static_cast<MessageType>(h[6]);
  }
  if (fmt == 0) {
    s.stream_id =
        uint32_t(h[7]) | uint32_t(h[8]) << 8 | uint32_t(h[9]) << 16 | uint32_t(h[10]) << 24;
    s.has_header = true;
  }
  const uint32_t ext = hdr_len_ == hdr_need_ && hdr_need_ > at + kMessageHeaderSize[fmt]
                           ? be32(&hdr_[hdr_need_ - 4])
                           : 0;
  if (fmt <= 2) {
    s.extended = ts_field == kEscape;
    if (s.extended) {
      s.timestamp = ext & 0x7FFFFFFF;
    } else {
      s.timestamp = fmt == 0 ? ts_field : s.timestamp + ts_field;
      s.delta = ts_field;
    }
  } else if (new_message) {
    s.timestamp = s.extended ? ext & 0x7FFFFFFF : s.timestamp + s.delta;
  }
  if (new_message) {
    s.left = s.length;
    s.first[0] = s.first[1] = 0;
    s.collected.clear();
  }
  hdr_len_ = 0;
  hdr_need_ = 1;
  current_ = &s;
  chunk_left_ = std::min(chunk_size_, s.left);
  if (s.left == 0) return finish_message(s);  // an empty message
  return {};
}

Result<> RtmpSkimmer::finish_message(Stream& s) {
  current_ = nullptr;
  MediaEvent e;
  e.type = s.type;
  e.timestamp = s.timestamp;
  e.size = s.length;
  e.b0 = s.first[0];
  e.b1 = s.first[1];
  e.stream_id = s.stream_id;
  if (!media(s.type) && s.collected.size() == s.length) e.small = s.collected;
  if (s.type == MessageType::set_chunk_size && e.small.size() == 4) {
    const uint32_t size = be32(e.small.data()) & 0x7FFFFFFF;
    if (size < 1) return fail(core_errc::invalid_argument, "bad chunk size");
    chunk_size_ = size;
  }
  return sink_(e);
}

Result<> RtmpSkimmer::feed(ByteSpan bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    if (!current_) {
      if (auto r = header_byte(bytes[i++]); !r) return r;
      continue;
    }
    Stream& s = *current_;
    const uint32_t n = static_cast<uint32_t>(std::min<size_t>(chunk_left_, bytes.size() - i));
    const uint32_t offset = s.length - s.left;
    for (uint32_t k = offset; k < 2 && k - offset < n; ++k) s.first[k] = bytes[i + k - offset];
    if (!media(s.type) && s.length <= kMaxCollected) {
      s.collected.insert(s.collected.end(), bytes.begin() + i, bytes.begin() + i + n);
    }
    i += n;
    s.left -= n;
    chunk_left_ -= n;
    if (s.left == 0) {
      if (auto r = finish_message(s); !r) return r;
    } else if (chunk_left_ == 0) {
      current_ = nullptr;  // next chunk header
    }
  }
  return {};
}

Result<> FlvSkimmer::feed(ByteSpan bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    switch (state_) {
      case State::file_header: {
        hdr_[hdr_len_++] = bytes[i++];
        if (hdr_len_ == 3 && !(hdr_[0] == 'F' && hdr_[1] == 'L' && hdr_[2] == 'V')) {
          return fail(core_errc::invalid_argument, "not flv");
        }
        if (hdr_len_ == 13) {
          hdr_len_ = 0;
          state_ = State::tag_header;
        }
        break;
      }
      case State::tag_header: {
        hdr_[hdr_len_++] = bytes[i++];
        if (hdr_len_ < 11) break;
        hdr_len_ = 0;
        tag_ = MediaEvent{};
        tag_.type = static_cast<MessageType>(hdr_[0] & 0x1f);
        tag_.size = be24(&hdr_[1]);
        tag_.timestamp = be24(&hdr_[4]) | uint32_t(hdr_[7]) << 24;
        data_left_ = tag_.size;
        size_left_ = 4;
        state_ = data_left_ ? State::tag_data : State::tag_size;
        if (!data_left_) {
          if (auto r = sink_(tag_); !r) return r;
        }
        break;
      }
      case State::tag_data: {
        const uint32_t n = static_cast<uint32_t>(std::min<size_t>(data_left_, bytes.size() - i));
        const uint32_t offset = tag_.size - data_left_;
        if (offset == 0) tag_.b0 = bytes[i];
        if (offset <= 1 && offset + n > 1) tag_.b1 = bytes[i + 1 - offset];
        i += n;
        data_left_ -= n;
        if (data_left_ == 0) {
          state_ = State::tag_size;
          if (auto r = sink_(tag_); !r) return r;
        }
        break;
      }
      case State::tag_size: {
        const uint32_t n = static_cast<uint32_t>(std::min<size_t>(size_left_, bytes.size() - i));
        i += n;
        size_left_ -= n;
        if (size_left_ == 0) state_ = State::tag_header;
        break;
      }
    }
  }
  return {};
}

Result<> HttpResponseSkimmer::parse_headers() {
  // "HTTP/1.1 200 OK"
  const size_t sp = head_.find(' ');
  if (!head_.starts_with("HTTP/1.") || sp == std::string::npos || head_.size() < sp + 4) {
    return fail(core_errc::invalid_argument, "bad http status line");
  }
  std::from_chars(head_.data() + sp + 1, head_.data() + sp + 4, status_);
  if (status_ != 200) return fail(core_errc::invalid_argument, fmt::format("http {}", status_));
  std::string lower(head_);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool is_chunked = lower.find("transfer-encoding: chunked") != std::string::npos;
  state_ = is_chunked ? State::chunk_size : State::body;
  return {};
}

Result<> HttpResponseSkimmer::feed(ByteSpan bytes) {
  if (state_ == State::headers) {
    // Headers are bounded and small: take bytes until the blank line.
    size_t i = 0;
    while (i < bytes.size() && !head_.ends_with("\r\n\r\n")) head_.push_back(char(bytes[i++]));
    if (!head_.ends_with("\r\n\r\n")) {
      if (head_.size() > kMaxHeader) return fail(core_errc::limit_exceeded, "http header");
      return {};
    }
    if (auto r = parse_headers(); !r) return r;
    bytes = bytes.subspan(i);
  }
  if (state_ == State::body) return bytes.empty() ? Result<>{} : body_(bytes);
  return chunked(bytes);
}

Result<> HttpResponseSkimmer::chunked(ByteSpan bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    switch (state_) {
      case State::chunk_size: {
        const char c = char(bytes[i++]);
        if (c != '\n') {
          if (size_line_.size() > 64) return fail(core_errc::limit_exceeded, "chunk size line");
          size_line_.push_back(c);
          break;
        }
        uint64_t size = 0;
        auto [p, ec] =
            std::from_chars(size_line_.data(), size_line_.data() + size_line_.size(), size, 16);
        if (ec != std::errc() || p == size_line_.data()) {
          return fail(core_errc::invalid_argument, "bad chunk size");
        }
        size_line_.clear();
        chunk_left_ = size;
        state_ = size == 0 ? State::done : State::chunk_data;
        break;
      }
      case State::chunk_data: {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(chunk_left_, bytes.size() - i));
        if (auto r = body_(bytes.subspan(i, n)); !r) return r;
        i += n;
        chunk_left_ -= n;
        if (chunk_left_ == 0) {
          state_ = State::chunk_crlf;
          chunk_left_ = 2;
        }
        break;
      }
      case State::chunk_crlf: {
        ++i;
        if (--chunk_left_ == 0) state_ = State::chunk_size;
        break;
      }
      case State::done:
        return fail(core_errc::closed, "end of chunked body");
      default:
        return fail(core_errc::invalid_argument, "http state");
    }
  }
  return {};
}

}  // namespace srs::bench
