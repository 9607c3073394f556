// The chunk stream reader on hand-built bytes (RTMP spec 5.3, spec/rtmp.md section 2).
#include "protocol/rtmp/chunk_reader.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "protocol/rtmp/rtmp_error.hpp"
#include "unit/protocol/rtmp_chunk_test_util.hpp"

namespace srs::rtmp {
namespace {

using namespace test;
constexpr uint8_t kAudio = 8, kVideo = 9, kCommand = 20;

std::vector<Message> read_ok(ByteSpan bytes, size_t piece = SIZE_MAX) {
  ChunkReader reader;
  auto r = read_all(reader, bytes, piece);
  EXPECT_TRUE(r) << (r ? "" : r.error().message());
  EXPECT_EQ(reader.buffered(), 0u);
  return r ? std::move(*r) : std::vector<Message>{};
}

Error read_error(ByteSpan bytes, ChunkReaderLimits limits = {}) {
  ChunkReader reader(limits);
  auto r = read_all(reader, bytes);
  EXPECT_FALSE(r);
  return r ? Error{} : r.error();
}

TEST(ChunkReader, Fmt0SingleChunkMessage) {
  Bytes b, payload = pattern(5);
  fmt0(b, 3, 1000, 5, kCommand, 1);
  data(b, payload);
  ChunkReader reader;
  auto msgs = read_all(reader, b);
  ASSERT_TRUE(msgs);
  ASSERT_EQ(msgs->size(), 1u);
  const Message& m = (*msgs)[0];
  EXPECT_EQ(m.type, MessageType::amf0_command);
  EXPECT_EQ(m.timestamp, 1000);
  EXPECT_EQ(m.stream_id, 1u);  // little-endian on the wire
  EXPECT_EQ(m.cid, 3u);
  EXPECT_EQ(m.payload, payload);
  EXPECT_EQ(reader.bytes_received(), b.size());
}

TEST(ChunkReader, StreamIdIsLittleEndian) {
  Bytes b;
  fmt0(b, 3, 0, 0, kCommand, 0x01020304);
  EXPECT_EQ(read_ok(b).at(0).stream_id, 0x01020304u);
}

TEST(ChunkReader, MessageSpansChunksWithFmt3Continuations) {
  Bytes b, payload = pattern(300);
  fmt0(b, 6, 40, 300, kVideo, 1);
  data(b, ByteSpan(payload).subspan(0, 128));
  fmt3(b, 6);
  data(b, ByteSpan(payload).subspan(128, 128));
  fmt3(b, 6);
  data(b, ByteSpan(payload).subspan(256));
  auto msgs = read_ok(b);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].payload, payload);
  EXPECT_EQ(msgs[0].payload.capacity(), 300u);  // reserved once at the declared length
}

TEST(ChunkReader, ZeroLengthMessageCompletesAtItsHeader) {
  Bytes b;
  fmt0(b, 3, 7, 0, kCommand, 0);
  auto msgs = read_ok(b);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_TRUE(msgs[0].payload.empty());
}

TEST(ChunkReader, Fmt1AndFmt2AddDeltasToThePreviousTimestamp) {
  Bytes b;
  fmt0(b, 4, 1000, 2, kAudio, 1);
  data(b, pattern(2));
  fmt1(b, 4, 23, 3, kAudio);  // new length, same stream id
  data(b, pattern(3));
  fmt2(b, 4, 24);  // same length and type
  data(b, pattern(3));
  auto msgs = read_ok(b);
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[0].timestamp, 1000);
  EXPECT_EQ(msgs[1].timestamp, 1023);
  EXPECT_EQ(msgs[2].timestamp, 1047);
  EXPECT_EQ(msgs[2].payload.size(), 3u);
  EXPECT_EQ(msgs[2].stream_id, 1u);
  EXPECT_EQ(msgs[2].type, MessageType::audio);
}

TEST(ChunkReader, Fmt3StartingAMessageReusesThePreviousDelta) {
  Bytes b;
  fmt0(b, 4, 1000, 2, kAudio, 1);
  data(b, pattern(2));
  fmt2(b, 4, 40);
  data(b, pattern(2));
  fmt3(b, 4);  // a new message: 1040 + 40
  data(b, pattern(2));
  fmt3(b, 4);
  data(b, pattern(2));
  auto msgs = read_ok(b);
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(msgs[1].timestamp, 1040);
  EXPECT_EQ(msgs[2].timestamp, 1080);
  EXPECT_EQ(msgs[3].timestamp, 1120);
}

TEST(ChunkReader, Fmt3AfterFmt0TakesItsTimestampAsTheDelta) {
  // RTMP 5.3.1.2.4: after a fmt 0, the delta of a following fmt 3 equals its timestamp.
  Bytes b;
  fmt0(b, 4, 33, 1, kAudio, 1);
  data(b, pattern(1));
  fmt3(b, 4);
  data(b, pattern(1));
  auto msgs = read_ok(b);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[1].timestamp, 66);
}

TEST(ChunkReader, ExtendedTimestampInFmt0IsRead) {
  Bytes b;
  fmt0(b, 4, 0xFFFFFF, 1, kVideo, 1);
  u32(b, 0x01000000);
  data(b, pattern(1));
  EXPECT_EQ(read_ok(b).at(0).timestamp, 0x01000000);
}

TEST(ChunkReader, ExtendedTimestampInFmt1IsAbsolute) {
  // spec/rtmp.md 2: SRS 2.0 reads the 32-bit value as the timestamp itself, not a delta.
  Bytes b;
  fmt0(b, 4, 100, 1, kVideo, 1);
  data(b, pattern(1));
  fmt1(b, 4, 0xFFFFFF, 1, kVideo);
  u32(b, 0x02000000);
  data(b, pattern(1));
  EXPECT_EQ(read_ok(b).at(1).timestamp, 0x02000000);
}

TEST(ChunkReader, TimestampsAreMaskedTo31Bits) {
  Bytes b;
  fmt0(b, 4, 0xFFFFFF, 1, kVideo, 1);
  u32(b, 0xFFFFFFF0);
  data(b, pattern(1));
  fmt2(b, 4, 0x20);  // wraps past 2^31
  data(b, pattern(1));
  auto msgs = read_ok(b);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].timestamp, 0x7FFFFFF0);
  EXPECT_EQ(msgs[1].timestamp, 0x10);
}

Bytes extended_message(const Bytes& payload, bool repeat_on_fmt3) {
  Bytes b;
  fmt0(b, 5, 0xFFFFFF, static_cast<uint32_t>(payload.size()), kVideo, 1);
  u32(b, 0x12345678);
  for (size_t at = 0; at < payload.size(); at += 128) {
    if (at > 0) {
      fmt3(b, 5);
      if (repeat_on_fmt3) u32(b, 0x12345678);
    }
    data(b, ByteSpan(payload).subspan(at, std::min<size_t>(128, payload.size() - at)));
  }
  return b;
}

TEST(ChunkReader, ExtendedTimestampRepeatedOnFmt3ContinuationsIsConsumed) {
  Bytes payload = pattern(300);
  auto msgs = read_ok(extended_message(payload, true));
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].timestamp, 0x12345678);
  EXPECT_EQ(msgs[0].payload, payload);
}

TEST(ChunkReader, ExtendedTimestampOmittedOnFmt3ContinuationsIsNotConsumed) {
  Bytes payload = pattern(300);
  auto msgs = read_ok(extended_message(payload, false));
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].payload, payload);
}

TEST(ChunkReader, OmittedExtendedTimestampSplitAcrossFeedsStillParses) {
  Bytes payload = pattern(300);
  auto msgs = read_ok(extended_message(payload, false), 1);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].payload, payload);
}

TEST(ChunkReader, Fmt3NewMessageAfterExtendedTimestampReadsItsOwn) {
  Bytes b;
  fmt0(b, 5, 0xFFFFFF, 1, kVideo, 1);
  u32(b, 0x01000000);
  data(b, pattern(1));
  fmt3(b, 5);
  u32(b, 0x01000028);
  data(b, pattern(1));
  auto msgs = read_ok(b);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[1].timestamp, 0x01000028);
}

TEST(ChunkReader, ChunkSizeChangeAppliesToTheNextMessage) {
  Bytes b, big = pattern(3000);
  fmt0(b, 2, 0, 4, 1, 0);  // SetChunkSize 4096
  u32(b, 4096);
  fmt0(b, 6, 0, 3000, kVideo, 1);  // one chunk at the new size
  data(b, big);
  auto msgs = read_ok(b);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[1].payload, big);
}

TEST(ChunkReader, InterleavedChunkStreamsCompleteIndependently) {
  Bytes b, a = pattern(300, 1), v = pattern(200, 2);
  fmt0(b, 4, 10, 300, kAudio, 1);
  data(b, ByteSpan(a).subspan(0, 128));
  fmt0(b, 5, 20, 200, kVideo, 1);
  data(b, ByteSpan(v).subspan(0, 128));
  fmt3(b, 4);
  data(b, ByteSpan(a).subspan(128, 128));
  fmt3(b, 5);
  data(b, ByteSpan(v).subspan(128));
  fmt3(b, 4);
  data(b, ByteSpan(a).subspan(256));
  auto msgs = read_ok(b);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].cid, 5u);
  EXPECT_EQ(msgs[0].payload, v);
  EXPECT_EQ(msgs[0].timestamp, 20);
  EXPECT_EQ(msgs[1].cid, 4u);
  EXPECT_EQ(msgs[1].payload, a);
}

TEST(ChunkReader, TwoAndThreeByteBasicHeaders) {
  Bytes b;
  for (uint32_t cid : {64u, 319u, 320u, 65599u}) {
    fmt0(b, cid, cid, 1, kAudio, 1);
    data(b, pattern(1, static_cast<uint8_t>(cid)));
  }
  // The 3-byte form may also carry a small cid.
  basic(b, 0, 100, true);
  ByteWriter w(b);
  w.u24(5);
  w.u24(1);
  w.u8(kAudio);
  w.u32le(1);
  data(b, pattern(1));
  auto msgs = read_ok(b, 1);
  ASSERT_EQ(msgs.size(), 5u);
  EXPECT_EQ(msgs[0].cid, 64u);
  EXPECT_EQ(msgs[1].cid, 319u);
  EXPECT_EQ(msgs[2].cid, 320u);
  EXPECT_EQ(msgs[3].cid, 65599u);
  EXPECT_EQ(msgs[3].timestamp, 65599);
  EXPECT_EQ(msgs[4].cid, 100u);
}

TEST(ChunkReader, ByteByByteFeedingGivesTheSameMessages) {
  Bytes b, a = pattern(1000, 3);
  fmt0(b, 4, 10, 1000, kAudio, 1);
  for (size_t at = 0; at < a.size(); at += 128) {
    if (at) fmt3(b, 4);
    data(b, ByteSpan(a).subspan(at, std::min<size_t>(128, a.size() - at)));
  }
  fmt1(b, 4, 0xFFFFFF, 2, kAudio);
  u32(b, 0x01000000);
  data(b, pattern(2));
  auto whole = read_ok(b);
  auto bytewise = read_ok(b, 1);
  ASSERT_EQ(whole.size(), 2u);
  ASSERT_EQ(bytewise.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(bytewise[i].payload, whole[i].payload);
    EXPECT_EQ(bytewise[i].timestamp, whole[i].timestamp);
  }
}

TEST(ChunkReader, AbortDropsThePartialMessage) {
  Bytes b;
  fmt0(b, 4, 0, 300, kAudio, 1);
  data(b, pattern(128));
  fmt0(b, 2, 0, 4, 2, 0);  // Abort cid 4
  u32(b, 4);
  fmt0(b, 4, 50, 3, kAudio, 1);  // fmt 0 is legal again: no message in progress
  data(b, pattern(3, 9));
  ChunkReader reader;
  auto msgs = read_all(reader, b);
  ASSERT_TRUE(msgs);
  ASSERT_EQ(msgs->size(), 2u);
  EXPECT_EQ((*msgs)[0].type, MessageType::abort);
  EXPECT_EQ((*msgs)[1].timestamp, 50);
  EXPECT_EQ((*msgs)[1].payload, pattern(3, 9));
}

TEST(ChunkReader, AbortInTheMiddleOfAChunkSkipsTheRestOfIt) {
  Bytes b;
  fmt0(b, 4, 0, 300, kAudio, 1);
  data(b, pattern(128));
  Bytes after;
  fmt0(after, 4, 70, 2, kAudio, 1);
  data(after, pattern(2, 5));
  ChunkReader reader;
  reader.feed(ByteSpan(b).first(12 + 50));  // header and 50 of the chunk's 128 bytes
  auto none = reader.next();
  ASSERT_TRUE(none);
  ASSERT_FALSE(*none);
  reader.abort(4);
  reader.feed(ByteSpan(b).subspan(12 + 50));
  reader.feed(after);
  auto m = reader.next();
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_TRUE(*m);
  EXPECT_EQ((*m)->timestamp, 70);
  EXPECT_EQ((*m)->payload, pattern(2, 5));
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(ChunkReader, FirstChunkOnAStreamMustBeFmt0) {
  Bytes b;
  fmt1(b, 3, 0, 1, kCommand);
  data(b, pattern(1));
  EXPECT_EQ(read_error(b).code, rtmp_errc::bad_first_chunk);
  Bytes c;
  fmt3(c, 3);
  EXPECT_EQ(read_error(c).code, rtmp_errc::bad_first_chunk);
}

TEST(ChunkReader, Cid2AcceptsFmt1AsItsFirstChunk) {
  Bytes b;
  fmt1(b, 2, 0, 4, 1);  // librtmp does this for SetChunkSize
  u32(b, 256);
  auto msgs = read_ok(b);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].type, MessageType::set_chunk_size);
}

TEST(ChunkReader, Fmt0InTheMiddleOfAMessageIsAnError) {
  Bytes b;
  fmt0(b, 4, 0, 300, kAudio, 1);
  data(b, pattern(128));
  fmt0(b, 4, 0, 300, kAudio, 1);
  EXPECT_EQ(read_error(b).code, rtmp_errc::fmt0_mid_message);
}

TEST(ChunkReader, LengthChangeInTheMiddleOfAMessageIsAnError) {
  Bytes b;
  fmt0(b, 4, 0, 300, kAudio, 1);
  data(b, pattern(128));
  fmt1(b, 4, 0, 301, kAudio);
  EXPECT_EQ(read_error(b).code, rtmp_errc::length_changed);
}

TEST(ChunkReader, RejectsChunkSizesBelow128AndWithBit31) {
  ChunkReader reader;
  for (uint32_t bad : {0u, 1u, 127u, 0x80000000u, 0xFFFFFFFFu}) {
    auto r = reader.set_in_chunk_size(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, rtmp_errc::bad_chunk_size);
  }
  EXPECT_EQ(reader.in_chunk_size(), 128u);
  EXPECT_TRUE(reader.set_in_chunk_size(128));
  EXPECT_TRUE(reader.set_in_chunk_size(1 << 20));  // accepted with a warning
  EXPECT_EQ(reader.in_chunk_size(), 1u << 20);
}

TEST(ChunkReader, PeerSetChunkSizeZeroClosesTheStream) {
  Bytes b;
  fmt0(b, 2, 0, 4, 1, 0);
  u32(b, 0);
  EXPECT_EQ(read_error(b).code, rtmp_errc::bad_chunk_size);
}

TEST(ChunkReader, RejectsMessageLongerThanTheLimit) {
  Bytes b;
  fmt0(b, 4, 0, 0xFFFFFF, kVideo, 1);  // ~16 MiB, above the 8 MiB default
  EXPECT_EQ(read_error(b).code, rtmp_errc::message_too_large);
  Bytes c;
  fmt0(c, 4, 0, 8 * 1024 * 1024 + 1, kVideo, 1);
  EXPECT_EQ(read_error(c).code, rtmp_errc::message_too_large);
  Bytes d;
  fmt0(d, 4, 0, 8 * 1024 * 1024, kVideo, 1);  // at the limit: accepted, waits for data
  ChunkReader reader;
  EXPECT_TRUE(read_all(reader, d));
}

TEST(ChunkReader, BoundsTheNumberOfChunkStreams) {
  Bytes b;
  for (uint32_t cid = 64; cid < 64 + 65; ++cid) {
    fmt0(b, cid, 0, 1, kAudio, 1);
    data(b, pattern(1));
  }
  EXPECT_EQ(read_error(b).code, rtmp_errc::too_many_chunk_streams);
}

TEST(ChunkReader, BoundsTheBytesOfPartialMessages) {
  ChunkReaderLimits limits;
  limits.max_pending_bytes = 1000;
  Bytes b;
  fmt0(b, 4, 0, 600, kVideo, 1);
  data(b, pattern(128));
  fmt0(b, 5, 0, 600, kVideo, 1);  // 1200 declared in partial messages
  EXPECT_EQ(read_error(b, limits).code, rtmp_errc::too_many_pending_bytes);
}

TEST(ChunkReader, HeaderSplitAcrossReadsIsNotConsumedEarly) {
  Bytes b;
  fmt0(b, 4, 5, 2, kAudio, 1);
  data(b, pattern(2));
  ChunkReader reader;
  reader.feed(ByteSpan(b).first(6));
  auto m = reader.next();
  ASSERT_TRUE(m);
  EXPECT_FALSE(*m);
  EXPECT_EQ(reader.buffered(), 6u);
  EXPECT_FALSE(reader.release_if_idle());  // the 6 unparsed bytes must survive
  reader.feed(ByteSpan(b).subspan(6));
  m = reader.next();
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->timestamp, 5);
  // All parsed and reads small: an idle reader frees its buffer, and reads on after it.
  EXPECT_TRUE(reader.release_if_idle());
  EXPECT_EQ(reader.capacity(), 0u);
  reader.feed(b);
  m = reader.next();
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->payload, pattern(2));
}

TEST(ChunkReader, KeptBufferIsNotFreedWhenIdle) {
  Bytes b;
  fmt0(b, 4, 5, 2, kAudio, 1);
  data(b, pattern(2));
  ChunkReader reader;
  reader.set_keep_buffer(true);
  reader.feed(b);
  ASSERT_TRUE(reader.next());
  EXPECT_TRUE(reader.release_if_idle());  // idle: wait for readability, buffer kept
  EXPECT_GT(reader.capacity(), 0u);
  reader.set_keep_buffer(false);
  EXPECT_TRUE(reader.release_if_idle());
  EXPECT_EQ(reader.capacity(), 0u);
}

// Socket-style reads: offer the read block, "receive" `n` bytes of it.
void fake_read(ChunkReader& reader, size_t n) {
  std::span<uint8_t> space = reader.prepare();
  ASSERT_GE(space.size(), n);
  reader.commit(n);
}

TEST(ChunkReader, ReadBlockStartsSmallAndGrowsWhileReadsFillIt) {
  ChunkReader reader;
  EXPECT_EQ(reader.read_block(), ChunkReader::kMinReadBlock);
  EXPECT_EQ(reader.prepare().size(), ChunkReader::kMinReadBlock);
  size_t block = reader.read_block();
  for (int i = 0; i < 8; ++i) {
    std::span<uint8_t> space = reader.prepare();
    reader.commit(space.size());
    EXPECT_GE(reader.read_block(), block);
    block = reader.read_block();
  }
  EXPECT_EQ(reader.read_block(), ChunkReader::kReadBlock);
}

TEST(ChunkReader, ReadBlockShrinksAfterARunOfSmallReads) {
  ChunkReader reader;
  for (int i = 0; i < 6; ++i) reader.commit(reader.prepare().size());
  ASSERT_EQ(reader.read_block(), ChunkReader::kReadBlock);
  for (int i = 0; i < ChunkReader::kSmallReadsToShrink - 1; ++i) fake_read(reader, 10);
  EXPECT_EQ(reader.read_block(), ChunkReader::kReadBlock);  // not on a single small read
  fake_read(reader, 10);
  EXPECT_EQ(reader.read_block(), ChunkReader::kReadBlock / 2);
  for (int i = 0; i < 10 * ChunkReader::kSmallReadsToShrink; ++i) fake_read(reader, 10);
  EXPECT_EQ(reader.read_block(), ChunkReader::kMinReadBlock);
}

TEST(ChunkReader, ReaderWithLargeReadsKeepsItsBuffer) {
  Bytes b, payload = pattern(6000);
  fmt0(b, 6, 0, 6000, kVideo, 1);  // one chunk: the chunk size is set to 8192 below
  data(b, payload);
  ChunkReader reader;
  ASSERT_TRUE(reader.set_in_chunk_size(8192));
  std::span<uint8_t> space = reader.prepare();
  ASSERT_LT(space.size(), b.size());
  std::memcpy(space.data(), b.data(), space.size());
  const size_t first = space.size();
  reader.commit(first);  // the read filled the block: the next one is larger
  EXPECT_GT(reader.read_block(), ChunkReader::kMinReadBlock);
  auto m = reader.next();
  ASSERT_TRUE(m);
  EXPECT_FALSE(*m);
  space = reader.prepare();
  std::memcpy(space.data(), b.data() + first, b.size() - first);
  reader.commit(b.size() - first);
  m = reader.next();
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->payload, payload);
  EXPECT_FALSE(reader.release_if_idle());
  EXPECT_GT(reader.capacity(), 0u);
}

}  // namespace
}  // namespace srs::rtmp
