// Live HTTP stream encoders: the FLV tag writer's bytes parse back tag by tag and point
// into the shared payloads; MP3 and AAC carry only audio frames.
#include "app/stream_encoder.hpp"

#include <gtest/gtest.h>

#include "hub_fixtures.hpp"
#include "kernel/flv.hpp"

namespace srs {
namespace {

Bytes flatten(const std::vector<asio::const_buffer>& buffers) {
  Bytes out;
  for (const auto& b : buffers) {
    const auto* p = static_cast<const uint8_t*>(b.data());
    out.insert(out.end(), p, p + b.size());
  }
  return out;
}

std::vector<flv::Tag> decode_all(flv::Decoder& d, const Bytes& bytes) {
  std::vector<flv::Tag> tags;
  d.feed(bytes);
  while (true) {
    auto t = d.next();
    EXPECT_TRUE(t);
    if (!t || !*t) break;
    tags.push_back(**t);
  }
  return tags;
}

TEST(FlvEncoder, WritesHeaderThenTagsThatParseBack) {
  FlvEncoder e;
  std::vector<QueuedMessage> batch = {{test::metadata(), 0},
                                      {test::video_sh(0), 0},
                                      {test::audio_sh(0), 0},
                                      {test::video(40, true, 7), 40},
                                      {test::audio(0x1234567, 9), 0x1234567}};
  std::vector<asio::const_buffer> out;
  e.encode(batch, out);
  const Bytes bytes = flatten(out);
  ASSERT_GE(bytes.size(), 13u);
  EXPECT_EQ(Bytes(bytes.begin(), bytes.begin() + 3), (Bytes{'F', 'L', 'V'}));
  EXPECT_EQ(bytes[4], 0x05);  // audio and video flags, as 2.0 sends

  flv::Decoder d;
  auto tags = decode_all(d, bytes);
  ASSERT_EQ(tags.size(), 5u);
  EXPECT_EQ(tags[0].header.type, flv::TagType::script);
  EXPECT_EQ(tags[1].header.type, flv::TagType::video);
  EXPECT_EQ(tags[2].header.type, flv::TagType::audio);
  EXPECT_EQ(tags[3].header.timestamp, 40u);
  EXPECT_EQ(tags[4].header.timestamp, 0x1234567u);  // the extended byte carries bit 24+
  for (size_t i = 0; i < tags.size(); ++i) {
    const ByteSpan want = batch[i].msg->payload();
    EXPECT_EQ(Bytes(tags[i].data.begin(), tags[i].data.end()), Bytes(want.begin(), want.end()));
  }
  // Every previous-tag-size is right: the whole stream ends exactly after the last one.
  size_t expected = 13;
  for (const auto& q : batch) expected += 11 + q.msg->size() + 4;
  EXPECT_EQ(bytes.size(), expected);
}

TEST(FlvEncoder, PayloadsAreNotCopiedAndTagsCostTwoBuffers) {
  FlvEncoder e;
  std::vector<QueuedMessage> batch = {{test::video(0, true), 0}, {test::audio(1), 1}};
  std::vector<asio::const_buffer> out;
  e.encode(batch, out);
  ASSERT_EQ(out.size(), 5u);  // head+tag0 header, payload0, size0+tag1 header, payload1, size1
  EXPECT_EQ(out[1].data(), batch[0].msg->payload().data());
  EXPECT_EQ(out[3].data(), batch[1].msg->payload().data());
  EXPECT_EQ(out[0].size(), 13u + 11u);
  EXPECT_EQ(out[2].size(), 4u + 11u);
  EXPECT_EQ(out[4].size(), 4u);
}

TEST(FlvEncoder, SecondBatchHasNoFileHeaderAndContinuesTheStream) {
  FlvEncoder e;
  std::vector<asio::const_buffer> out;
  std::vector<QueuedMessage> first = {{test::video(0, true), 0}};
  e.encode(first, out);
  Bytes bytes = flatten(out);
  out.clear();
  std::vector<QueuedMessage> second = {{test::video(40, false), 40}, {test::audio(41), 41}};
  e.encode(second, out);
  const Bytes more = flatten(out);
  EXPECT_NE(Bytes(more.begin(), more.begin() + 3), (Bytes{'F', 'L', 'V'}));
  bytes.insert(bytes.end(), more.begin(), more.end());
  flv::Decoder d;
  EXPECT_EQ(decode_all(d, bytes).size(), 3u);
}

TEST(FlvEncoder, SkipsMessagesFlvDoesNotCarry) {
  FlvEncoder e;
  std::vector<QueuedMessage> batch = {
      {SharedMessage::make(MessageType::amf0_command, 0, 1, Bytes{1, 2}), 0}, {test::audio(1), 1}};
  std::vector<asio::const_buffer> out;
  e.encode(batch, out);
  flv::Decoder d;
  auto tags = decode_all(d, flatten(out));
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0].header.type, flv::TagType::audio);
}

TEST(Mp3Encoder, SendsOnlyMp3FramesWithoutTheTagByte) {
  Mp3Encoder e;
  std::vector<QueuedMessage> batch = {
      {test::video(0, true), 0}, {test::mp3(0), 0}, {test::audio(1), 1}};
  std::vector<asio::const_buffer> out;
  e.encode(batch, out);
  EXPECT_EQ(flatten(out), (Bytes{0xff, 0xfb}));
}

TEST(AacEncoder, FramesNeedTheSequenceHeaderThenGetAdts) {
  AacEncoder e;
  std::vector<asio::const_buffer> out;
  std::vector<QueuedMessage> early = {{test::audio(0, 1), 0}};
  e.encode(early, out);
  EXPECT_TRUE(out.empty());  // no config yet: nothing to frame
  // 0x12 0x10: AAC LC, 44.1 kHz, stereo.
  std::vector<QueuedMessage> batch = {
      {test::audio_sh(0), 0}, {test::video(0, true), 0}, {test::audio(23, 5), 23}};
  e.encode(batch, out);
  const Bytes bytes = flatten(out);
  ASSERT_EQ(bytes.size(), 7u + 1u);
  auto h = aac::parse_adts_header(bytes);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->object_type, aac::kObjectLc);
  EXPECT_EQ(h->sample_rate(), 44100u);
  EXPECT_EQ(h->channel_config, 2);
  EXPECT_EQ(h->frame_length, 8);
  EXPECT_EQ(bytes.back(), 5);
}

TEST(TsEncoder, StartsWithTablesInWholePackets) {
  TsEncoder e;
  std::vector<QueuedMessage> batch = {{test::audio(0, 1), 0}};
  std::vector<asio::const_buffer> out;
  e.encode(batch, out);
  const Bytes bytes = flatten(out);
  ASSERT_GE(bytes.size(), 2 * 188u);
  EXPECT_EQ(bytes.size() % 188, 0u);
  EXPECT_EQ(bytes[0], 0x47);
  EXPECT_EQ(bytes[188], 0x47);
}

}  // namespace
}  // namespace srs
