#include "protocol/rtmp/chunk_reader.hpp"

#include <algorithm>
#include <cstring>

#include "core/bytes_pool.hpp"
#include "core/log.hpp"
#include "protocol/rtmp/rtmp_error.hpp"

namespace srs::rtmp {

// What a chunk stream remembers between chunks (RTMP 5.3.1.2: later headers omit fields).
struct ChunkReader::ChunkStream {
  uint32_t cid = 0;
  bool has_header = false;  // a fmt 0 (or cid 2 fmt 1) chunk set the fields below
  bool in_message = false;  // payload holds a partial message
  bool extended = false;    // the last fmt 0-2 header carried an extended timestamp
  MessageType type{};
  uint32_t length = 0;
  uint32_t stream_id = 0;
  uint32_t timestamp = 0;  // 31 bits
  uint32_t delta = 0;      // reused by a fmt 3 chunk that starts a new message
  Bytes payload;
};

// One parsed chunk header, before it is applied to its chunk stream.
struct ChunkReader::Header {
  uint8_t fmt = 0;
  uint32_t ts_field = 0;   // the 24-bit timestamp or delta (fmt 0-2)
  uint32_t length = 0;     // fmt 0-1
  MessageType type{};      // fmt 0-1
  uint32_t stream_id = 0;  // fmt 0
  uint32_t ext = 0;        // extended timestamp, when consumed
  bool has_ext = false;
};

namespace {
constexpr uint32_t kTimestampEscape = 0xFFFFFF;  // RTMP 5.3.1.3
constexpr size_t kMessageHeaderSize[4] = {11, 7, 3, 0};
}  // namespace

ChunkReader::ChunkReader(ChunkReaderLimits limits) : limits_(limits) {}
ChunkReader::~ChunkReader() = default;

std::span<uint8_t> ChunkReader::prepare(size_t min) {
  if (min == 0) min = read_block_;
  if (begin_ == end_) begin_ = end_ = 0;
  if (buf_.size() - end_ < min) {
    // Only a partial header is ever left unparsed (payload bytes are taken as they come),
    // so compacting moves a few bytes at most.
    if (begin_ > 0) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buf_.size() - end_ < min) buf_.resize(end_ + min);
  }
  offered_ = buf_.size() - end_;
  return {buf_.data() + end_, offered_};
}

void ChunkReader::commit(size_t n) noexcept {
  end_ += n;
  bytes_received_ += n;
  if (n >= offered_ && n > 0) {
    read_block_ = std::min(read_block_ * 2, kReadBlock);
    small_reads_ = 0;
  } else if (n < read_block_ / 4 && ++small_reads_ >= kSmallReadsToShrink) {
    read_block_ = std::max(read_block_ / 2, kMinReadBlock);
    small_reads_ = 0;
  }
  offered_ = 0;
}

bool ChunkReader::release_if_idle() noexcept {
  if (begin_ != end_ || read_block_ > kMinReadBlock) return false;
  begin_ = end_ = 0;
  if (!keep_buffer_) Bytes().swap(buf_);
  return true;
}

void ChunkReader::feed(ByteSpan data) {
  std::span<uint8_t> space = prepare(data.size());
  if (!data.empty()) std::memcpy(space.data(), data.data(), data.size());
  // Not a socket read: the read block keeps its size.
  end_ += data.size();
  bytes_received_ += data.size();
  offered_ = 0;
}

Result<> ChunkReader::set_in_chunk_size(uint32_t size) {
  // RTMP 5.4.1: the top bit must be zero; spec/rtmp.md 2: below 128 closes the connection.
  if (size < kMinChunkSize || size > 0x7FFFFFFF)
    return fail(rtmp_errc::bad_chunk_size, fmt::format("set chunk size {}", size));
  if (size > kMaxSaneChunkSize)
    log_warn("rtmp: peer chunk size {} above {}", size, kMaxSaneChunkSize);
  chunk_size_ = size;
  return {};
}

void ChunkReader::abort(uint32_t cid) noexcept {
  ChunkStream* s = find(cid);
  if (!s || !s->in_message) return;
  pending_bytes_ -= s->length;
  s->payload = Bytes();
  s->in_message = false;
  // Aborted between reads in the middle of a chunk: the chunk's remaining bytes are still
  // on the wire and belong to no message.
  if (current_ == s) discard_ = true;
}

ChunkReader::ChunkStream* ChunkReader::find(uint32_t cid) noexcept {
  if (cid < low_.size()) return low_[cid].get();
  auto it = high_.find(cid);
  return it == high_.end() ? nullptr : it->second.get();
}

Result<ChunkReader::ChunkStream*> ChunkReader::stream(uint32_t cid) {
  if (ChunkStream* s = find(cid)) return s;
  if (stream_count_ >= limits_.max_chunk_streams)
    return fail(rtmp_errc::too_many_chunk_streams, fmt::format("cid {}", cid));
  auto s = std::make_unique<ChunkStream>();
  s->cid = cid;
  ChunkStream* raw = s.get();
  if (cid < low_.size())
    low_[cid] = std::move(s);
  else
    high_.emplace(cid, std::move(s));
  ++stream_count_;
  return raw;
}

Result<std::optional<Message>> ChunkReader::next() {
  for (;;) {
    if (current_) {
      if (!copy_payload()) return std::nullopt;  // the chunk continues in later bytes
      ChunkStream& s = *current_;
      current_ = nullptr;
      if (discard_) {
        discard_ = false;
        continue;
      }
      if (s.payload.size() == s.length) return finish(s);
      continue;  // more chunks of this message follow, maybe after other chunk streams
    }
    auto parsed = parse_header();
    if (!parsed) return std::unexpected(std::move(parsed.error()));
    if (*parsed == Parse::need_more) return std::nullopt;
  }
}

bool ChunkReader::copy_payload() {
  size_t n = std::min<size_t>(chunk_left_, end_ - begin_);
  // Never reallocates: the payload was reserved at the declared length.
  if (!discard_)
    current_->payload.insert(current_->payload.end(), buf_.data() + begin_,
                             buf_.data() + begin_ + n);
  begin_ += n;
  chunk_left_ -= static_cast<uint32_t>(n);
  return chunk_left_ == 0;
}

Message ChunkReader::finish(ChunkStream& s) {
  pending_bytes_ -= s.length;
  s.in_message = false;
  Message m{s.type, s.timestamp, s.stream_id, s.cid, std::move(s.payload)};
  s.payload = Bytes();
  return m;
}

// Parses one chunk header at the front of the buffer without consuming anything until it
// is complete, so a header split across reads is simply parsed again when more arrives.
Result<ChunkReader::Parse> ChunkReader::parse_header() {
  ByteSpan in(buf_.data() + begin_, end_ - begin_);
  if (in.empty()) return Parse::need_more;
  // RTMP 5.3.1.1: cid 0 and 1 in the first byte select the 2- and 3-byte forms.
  Header h;
  h.fmt = in[0] >> 6;
  uint32_t cid = in[0] & 0x3F;
  size_t pos = 1;
  if (cid == 0) {
    if (in.size() < 2) return Parse::need_more;
    cid = 64 + in[1];
    pos = 2;
  } else if (cid == 1) {
    if (in.size() < 3) return Parse::need_more;
    cid = 64 + in[1] + in[2] * 256u;
    pos = 3;
  }
  size_t header_size = kMessageHeaderSize[h.fmt];
  if (in.size() < pos + header_size) return Parse::need_more;
  auto s = stream(cid);
  if (!s) return std::unexpected(std::move(s.error()));
  ChunkStream& cs = **s;

  ByteReader r(in.subspan(pos, header_size));
  if (h.fmt <= 2) h.ts_field = r.u24();
  if (h.fmt <= 1) {
    h.length = r.u24();
    h.type = static_cast<MessageType>(r.u8());
  }
  if (h.fmt == 0) h.stream_id = r.u32le();  // RTMP 5.3.1.2.1: little-endian
  pos += header_size;

  bool ext_follows = h.fmt <= 2 ? h.ts_field == kTimestampEscape : cs.extended;
  if (ext_follows) {
    if (in.size() < pos + 4) return Parse::need_more;
    uint32_t ext = ByteReader(in.subspan(pos, 4)).u32();
    // spec/rtmp.md 2: some encoders omit the 4 bytes on fmt 3 continuation chunks; they are
    // ours only when they repeat the message's timestamp, else they are payload.
    bool omitted = h.fmt == 3 && cs.in_message && (ext & kTimestampMask) != cs.timestamp;
    if (!omitted) {
      h.ext = ext;
      h.has_ext = true;
      pos += 4;
    }
  }
  if (auto ok = start_chunk(cs, h); !ok) return std::unexpected(std::move(ok.error()));
  begin_ += pos;
  return Parse::done;
}

// Applies a complete header to its chunk stream and arms the payload copy (spec/rtmp.md 2).
Result<> ChunkReader::start_chunk(ChunkStream& s, const Header& h) {
  if (!s.has_header && h.fmt != 0 && !(h.fmt == 1 && s.cid == 2))
    return fail(rtmp_errc::bad_first_chunk, fmt::format("cid {} fmt {}", s.cid, h.fmt));
  if (s.in_message && h.fmt == 0)
    return fail(rtmp_errc::fmt0_mid_message, fmt::format("cid {}", s.cid));
  if (s.in_message && h.fmt == 1 && h.length != s.length)
    return fail(rtmp_errc::length_changed,
                fmt::format("cid {} length {} then {}", s.cid, s.length, h.length));
  const bool new_message = !s.in_message;
  if (new_message && h.fmt <= 1 && h.length > limits_.max_message_size)
    return fail(rtmp_errc::message_too_large, fmt::format("cid {} length {}", s.cid, h.length));
  if (new_message && h.fmt > 1 && s.length > limits_.max_message_size)
    return fail(rtmp_errc::message_too_large, fmt::format("cid {} length {}", s.cid, s.length));

  if (h.fmt <= 1) {
    s.length = h.length;
    s.type = h.type;
  }
  if (h.fmt == 0) s.stream_id = h.stream_id;
  if (h.fmt <= 2) {
    s.extended = h.ts_field == kTimestampEscape;
    if (s.extended) {
      s.timestamp = h.ext & kTimestampMask;  // 2.0: absolute, for fmt 1/2 too (spec 2)
    } else {
      s.timestamp = h.fmt == 0 ? h.ts_field : (s.timestamp + h.ts_field) & kTimestampMask;
      s.delta = h.ts_field;  // RTMP 5.3.1.2.4: after fmt 0, its timestamp is the delta
    }
  } else if (new_message) {
    // RTMP 5.3.1.2.4: a fmt 3 chunk starting a message repeats the previous delta.
    s.timestamp = s.extended ? h.ext & kTimestampMask : (s.timestamp + s.delta) & kTimestampMask;
  }
  s.has_header = true;

  if (new_message) {
    if (pending_bytes_ + s.length > limits_.max_pending_bytes)
      return fail(rtmp_errc::too_many_pending_bytes, fmt::format("cid {}", s.cid));
    pending_bytes_ += s.length;
    s.payload = take_pooled_bytes(s.length);  // the one buffer of this message, recycled
    s.in_message = true;
  }
  current_ = &s;
  chunk_left_ = std::min(chunk_size_, s.length - static_cast<uint32_t>(s.payload.size()));
  return {};
}

}  // namespace srs::rtmp
