// The chunk writer: exact bytes and iovec layout against hand-built expectations, and
// writer -> reader round trips (RTMP spec 5.3, spec/rtmp.md section 2 "output").
#include "protocol/rtmp/chunk_writer.hpp"

#include <gtest/gtest.h>

#include "protocol/rtmp/rtmp_error.hpp"
#include "unit/protocol/rtmp_chunk_test_util.hpp"

namespace srs::rtmp {
namespace {

using namespace test;

Bytes iov_bytes(const iovec& v) {
  const auto* p = static_cast<const uint8_t*>(v.iov_base);
  return Bytes(p, p + v.iov_len);
}

TEST(ChunkWriter, SingleChunkMessageIsAFmt0HeaderAndThePayload) {
  Bytes payload = pattern(10);
  ChunkBatch batch;
  ASSERT_TRUE(batch.add({MessageType::audio, 0x010203, 1, 4, payload}));
  Bytes header = {0x04, 0x01, 0x02, 0x03, 0x00, 0x00, 0x0A, 0x08, 0x01, 0x00, 0x00, 0x00};
  auto iov = batch.iovecs();
  ASSERT_EQ(iov.size(), 2u);
  EXPECT_EQ(batch.iovec_count(), 2u);
  EXPECT_EQ(iov_bytes(iov[0]), header);
  EXPECT_EQ(iov[1].iov_base, payload.data());  // the payload itself, not a copy
  EXPECT_EQ(iov[1].iov_len, 10u);
  EXPECT_EQ(batch.bytes(), 22u);
}

TEST(ChunkWriter, ContinuationChunksShareOneFmt3HeaderAndSliceThePayload) {
  Bytes payload = pattern(300);
  ChunkBatch batch;
  ASSERT_TRUE(batch.add({MessageType::video, 40, 1, 6, payload}));
  auto iov = batch.iovecs();
  ASSERT_EQ(iov.size(), 6u);
  EXPECT_EQ(iov[0].iov_len, 12u);
  EXPECT_EQ(iov_bytes(iov[2]), Bytes{0xC6});
  EXPECT_EQ(iov_bytes(iov[4]), Bytes{0xC6});
  EXPECT_EQ(iov[2].iov_base, iov[4].iov_base);  // the same byte for every continuation
  EXPECT_EQ(iov[1].iov_base, payload.data());
  EXPECT_EQ(iov[3].iov_base, payload.data() + 128);
  EXPECT_EQ(iov[5].iov_base, payload.data() + 256);
  EXPECT_EQ(iov[5].iov_len, 44u);
  EXPECT_EQ(batch.bytes(), 12u + 300 + 2);
}

TEST(ChunkWriter, ExtendedTimestampFollowsFmt0AndIsRepeatedOnEveryFmt3) {
  Bytes payload = pattern(300);
  ChunkBatch batch;
  ASSERT_TRUE(batch.add({MessageType::video, 0x01000000, 1, 6, payload}));
  Bytes expect;
  fmt0(expect, 6, 0xFFFFFF, 300, 9, 1);
  u32(expect, 0x01000000);
  data(expect, ByteSpan(payload).first(128));
  for (int i = 0; i < 2; ++i) {
    fmt3(expect, 6);
    u32(expect, 0x01000000);
    data(expect, ByteSpan(payload).subspan(128 * (i + 1), i == 0 ? 128 : 44));
  }
  EXPECT_EQ(batch.flatten(), expect);
  EXPECT_EQ(batch.bytes(), expect.size());
  EXPECT_EQ(batch.iovecs()[2].iov_len, 5u);
}

TEST(ChunkWriter, TimestampJustBelowTheEscapeIsNotExtended) {
  ChunkBatch batch;
  Bytes payload = pattern(1);
  ASSERT_TRUE(batch.add({MessageType::audio, 0xFFFFFE, 1, 4, payload}));
  EXPECT_EQ(batch.bytes(), 13u);
}

TEST(ChunkWriter, BatchOfSeveralMessagesMatchesHandBuiltBytes) {
  Bytes a = pattern(200, 1), v = pattern(5, 2);
  ChunkBatch batch;
  ASSERT_TRUE(batch.add({MessageType::audio, 10, 1, 4, a}));
  ASSERT_TRUE(batch.add({MessageType::video, 20, 1, 6, v}));
  ASSERT_TRUE(batch.add({MessageType::amf0_data, 30, 1, 5, {}}));
  Bytes expect;
  fmt0(expect, 4, 10, 200, 8, 1);
  data(expect, ByteSpan(a).first(128));
  fmt3(expect, 4);
  data(expect, ByteSpan(a).subspan(128));
  fmt0(expect, 6, 20, 5, 9, 1);
  data(expect, v);
  fmt0(expect, 5, 30, 0, 18, 1);
  EXPECT_EQ(batch.iovec_count(), 4u + 2 + 1);
  EXPECT_EQ(batch.iovecs().size(), batch.iovec_count());
  EXPECT_EQ(batch.flatten(), expect);
  EXPECT_EQ(batch.messages(), 3u);
}

TEST(ChunkWriter, ChunkSizeChangeAppliesToMessagesAddedAfterIt) {
  Bytes p = pattern(300);
  ChunkBatch batch;
  ASSERT_TRUE(batch.add({MessageType::audio, 0, 1, 4, p}));  // 3 chunks at 128
  ASSERT_TRUE(batch.set_chunk_size(4096));
  ASSERT_TRUE(batch.add({MessageType::audio, 0, 1, 4, p}));  // 1 chunk
  EXPECT_EQ(batch.iovec_count(), 6u + 2);
  EXPECT_EQ(batch.iovecs().size(), 8u);
}

TEST(ChunkWriter, RejectsChunkSizesOutside128To65536) {
  ChunkBatch batch;
  for (uint32_t bad : {0u, 127u, 65537u, 0x80000000u}) {
    auto r = batch.set_chunk_size(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, rtmp_errc::bad_chunk_size);
  }
  EXPECT_TRUE(batch.set_chunk_size(65536));
}

TEST(ChunkWriter, RejectsCidsOutside2To63AndAddsNothing) {
  ChunkBatch batch;
  for (uint32_t bad : {0u, 1u, 64u, 65599u}) {
    auto r = batch.add({MessageType::audio, 0, 1, bad, {}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, rtmp_errc::bad_chunk_stream_id);
  }
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(batch.bytes(), 0u);
}

TEST(ChunkWriter, ClearKeepsNothingButCapacity) {
  Bytes p = pattern(10);
  ChunkBatch batch;
  ASSERT_TRUE(batch.add({MessageType::audio, 0, 1, 4, p}));
  batch.clear();
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(batch.bytes(), 0u);
  EXPECT_TRUE(batch.iovecs().empty());
}

struct RoundTrip {
  uint32_t chunk_size;
  uint32_t timestamp;
};

class ChunkRoundTrip : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(ChunkRoundTrip, ReaderGetsBackWhatTheWriterSent) {
  const auto [chunk_size, ts] = GetParam();
  const size_t sizes[] = {0, 1, 127, 128, 129, 1000, chunk_size, chunk_size + 1u, 70000};
  std::vector<Bytes> payloads;
  for (size_t i = 0; i < std::size(sizes); ++i) payloads.push_back(pattern(sizes[i], uint8_t(i)));

  ChunkBatch batch;
  ASSERT_TRUE(batch.set_chunk_size(chunk_size));
  uint32_t cid = 3;
  for (const Bytes& p : payloads) {
    ASSERT_TRUE(batch.add({MessageType::video, ts, 1, cid, p}));
    cid = cid == 3 ? 4 : 3;  // two chunk streams, as audio and video would be
  }
  Bytes wire = batch.flatten();
  ASSERT_EQ(wire.size(), batch.bytes());
  for (size_t piece : {size_t{1}, size_t{7}, size_t{4096}, wire.size()}) {
    if (piece == 1 && wire.size() > 200000) continue;  // bytewise is covered by small cases
    ChunkReader reader;
    ASSERT_TRUE(reader.set_in_chunk_size(chunk_size));
    auto msgs = read_all(reader, wire, piece);
    ASSERT_TRUE(msgs) << msgs.error().message();
    ASSERT_EQ(msgs->size(), payloads.size());
    for (size_t i = 0; i < payloads.size(); ++i) {
      EXPECT_EQ((*msgs)[i].payload, payloads[i]) << "message " << i << " piece " << piece;
      EXPECT_EQ((*msgs)[i].timestamp, ts & kTimestampMask);
      EXPECT_EQ((*msgs)[i].type, MessageType::video);
      EXPECT_EQ((*msgs)[i].stream_id, 1u);
    }
    EXPECT_EQ(reader.bytes_received(), wire.size());
  }
}

INSTANTIATE_TEST_SUITE_P(ChunkSizesAndTimestamps, ChunkRoundTrip,
                         ::testing::Values(RoundTrip{128, 0}, RoundTrip{128, 0xFFFFFE},
                                           RoundTrip{128, 0xFFFFFF}, RoundTrip{128, 0x7FFFFFFF},
                                           RoundTrip{129, 0xFFFFFF}, RoundTrip{4096, 0x7FFFFFFF},
                                           RoundTrip{60000, 0}, RoundTrip{60000, 0xFFFFFF},
                                           RoundTrip{65536, 0x7FFFFFFF}));

}  // namespace
}  // namespace srs::rtmp

namespace srs::rtmp {
namespace {

TEST(ChunkWriter, SteadyStateBatchesReuseTheirBuffers) {
  // A player refills the same batch every round: after the first round the gather list
  // lives in the same memory (no per-message allocation).
  auto msg = SharedMessage::make(MessageType::video, 1000, 1, test::pattern(5000));
  ChunkBatch batch(4096);
  const iovec* first = nullptr;
  for (int round = 0; round < 3; ++round) {
    batch.clear();
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(batch.add(*msg, 6, 2000 + i));
    auto iov = batch.iovecs();
    ASSERT_EQ(iov.size(), 400u);
    if (round == 0) first = iov.data();
    EXPECT_EQ(iov.data(), first);
    EXPECT_EQ(iov[1].iov_base, msg->payload().data());
  }
  Bytes wire = batch.flatten();
  EXPECT_EQ(ByteReader(ByteSpan(wire).subspan(1)).u24(), 2000u);  // the given timestamp
}

}  // namespace
}  // namespace srs::rtmp
