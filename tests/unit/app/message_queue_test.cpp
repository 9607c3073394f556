#include "app/message_queue.hpp"

#include <gtest/gtest.h>

#include "hub_fixtures.hpp"

namespace srs {
namespace {
using namespace test;

std::vector<QueuedMessage> drain(MessageQueue& q) {
  std::vector<QueuedMessage> out;
  q.pop_into(out, 100000);
  return out;
}

TEST(MessageQueue, KeepsOrderAndReportsDuration) {
  MessageQueue q(10000);
  q.push(video(0, true), 0);
  q.push(audio(20), 20);
  q.push(video(40, false), 40);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.duration_ms(), 40);
  auto out = drain(q);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].timestamp, 0);
  EXPECT_EQ(out[2].timestamp, 40);
  EXPECT_TRUE(q.empty());
}

TEST(MessageQueue, GrowsPastInitialCapacityWithoutLosingMessages) {
  MessageQueue q(1000000);
  for (int i = 0; i < 1000; ++i) q.push(audio(i), i);
  auto out = drain(q);
  ASSERT_EQ(out.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(out[i].timestamp, i);
}

TEST(MessageQueue, RingShrinksBackAfterABurstDrains) {
  MessageQueue q(1000000);
  const size_t initial = q.capacity();
  for (int i = 0; i < 300; ++i) q.push(audio(i), i);
  EXPECT_GE(q.capacity(), 300u);
  std::vector<QueuedMessage> out;
  q.pop_into(out, 290);  // 10 left: the big ring is no longer needed
  EXPECT_LT(q.capacity(), 64u);
  EXPECT_GE(q.capacity(), initial);
  for (int i = 300; i < 310; ++i) q.push(audio(i), i);  // order survives the move
  out.clear();
  q.pop_into(out, 100);
  ASSERT_EQ(out.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(out[i].timestamp, 290 + i);
}

TEST(MessageQueue, ModerateRingShrinksAfterARunOfSmallFetches) {
  MessageQueue q(1000000);
  for (int i = 0; i < 100; ++i) q.push(audio(i), i);  // a GOP-cache start of 100 messages
  const size_t grown = q.capacity();
  std::vector<QueuedMessage> out;
  q.pop_into(out, 100);
  EXPECT_EQ(q.capacity(), grown);  // one empty fetch is no trend
  int t = 100;
  for (int round = 0; round < 20; ++round) {  // steady state: a few messages per fetch
    for (int k = 0; k < 3; ++k, ++t) q.push(audio(t), t);
    out.clear();
    q.pop_into(out, 100);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out.front().timestamp, t - 3);
  }
  EXPECT_LT(q.capacity(), grown);
}

TEST(MessageQueue, RingDoesNotShrinkWhileStillHalfFull) {
  MessageQueue q(1000000);
  for (int i = 0; i < 300; ++i) q.push(audio(i), i);
  const size_t big = q.capacity();
  std::vector<QueuedMessage> out;
  q.pop_into(out, 100);
  EXPECT_EQ(q.capacity(), big);
}

TEST(MessageQueue, OverflowDropsWholeGopsAndRestartsAtKeyframe) {
  MessageQueue q(1000);
  size_t dropped = 0;
  // GOPs of 500 ms: keyframes at 0, 500, 1000, 1500.
  for (int64_t t = 0; t <= 1600; t += 100) dropped += q.push(video(t, t % 500 == 0), t);
  EXPECT_GT(dropped, 0u);
  EXPECT_LE(q.duration_ms(), 1000);
  auto out = drain(q);
  ASSERT_FALSE(out.empty());
  EXPECT_TRUE(out.front().msg->is_video_keyframe());
  EXPECT_EQ(out.front().timestamp % 500, 0);
}

TEST(MessageQueue, OverflowKeepsSequenceHeadersAndMetadata) {
  MessageQueue q(1000);
  q.push(metadata(), 0);
  q.push(audio_sh(0), 0);
  q.push(video_sh(0), 0);
  for (int64_t t = 0; t <= 1600; t += 100) q.push(video(t, t % 500 == 0), t);
  auto out = drain(q);
  ASSERT_GE(out.size(), 4u);
  EXPECT_TRUE(out[0].msg->is_data());
  EXPECT_TRUE(out[1].msg->is_audio_sequence_header());
  EXPECT_TRUE(out[2].msg->is_video_sequence_header());
  EXPECT_TRUE(out[3].msg->is_video_keyframe());
  // Re-stamped to the restart point so the player's timeline does not jump back.
  EXPECT_EQ(out[0].timestamp, out[3].timestamp);
}

TEST(MessageQueue, WithNoKeyframeLeftWaitsForTheNextOne) {
  MessageQueue q(1000);
  q.push(video(0, true), 0);
  for (int64_t t = 100; t <= 1100; t += 100) q.push(video(t, false), t);
  EXPECT_TRUE(q.waiting_keyframe());
  EXPECT_EQ(q.push(video(1200, false), 1200), 1u);
  EXPECT_EQ(q.push(audio(1210), 1210), 1u);
  EXPECT_EQ(q.push(video(1300, true), 1300), 0u);
  EXPECT_FALSE(q.waiting_keyframe());
  auto out = drain(q);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].msg->is_video_keyframe());
}

TEST(MessageQueue, AudioOnlyStreamDropsOldAudioWithoutWaiting) {
  MessageQueue q(1000);
  for (int64_t t = 0; t <= 3000; t += 23) q.push(audio(t), t);
  EXPECT_FALSE(q.waiting_keyframe());
  EXPECT_LE(q.duration_ms(), 1000);
  EXPECT_GT(q.size(), 40u);
}

TEST(MessageQueue, SharedPayloadIsNotCopied) {
  MessageQueue a(1000), b(1000);
  auto m = video(0, true);
  a.push(m, 0);
  b.push(m, 5);
  auto out_a = drain(a);
  auto out_b = drain(b);
  EXPECT_EQ(out_a[0].msg.get(), out_b[0].msg.get());
  EXPECT_EQ(out_b[0].timestamp, 5);
}

}  // namespace
}  // namespace srs
