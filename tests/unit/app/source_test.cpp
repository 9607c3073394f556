#include "app/source.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <asio/io_context.hpp>

#include "app/gop_cache.hpp"
#include "app/source_registry.hpp"
#include "hub_fixtures.hpp"

namespace srs {
namespace {
using namespace test;

class SourceTest : public ::testing::Test {
 protected:
  std::shared_ptr<Source> make(SourceOptions o = {}) {
    return std::make_shared<Source>("/live/s", o);
  }
  std::unique_ptr<Consumer> consume(Source& s, ConsumerOptions o = {}) {
    return s.create_consumer(io_.get_executor(), o);
  }
  static std::vector<QueuedMessage> drain(Consumer& c) {
    std::vector<QueuedMessage> out;
    c.fetch(out, 100000);
    return out;
  }
  void publish_gop(Source& s, int64_t start, int frames) {
    for (int i = 0; i < frames; ++i) {
      s.on_video(video(start + i * 40, i == 0));
      s.on_audio(audio(start + i * 40 + 10));
    }
  }
  asio::io_context io_;
};

TEST_F(SourceTest, LateJoinerGetsHeadersThenGopStartingAtKeyframe) {
  auto s = make();
  ASSERT_TRUE(s->acquire_publish(200));
  s->on_metadata(metadata(), false);
  s->on_audio(audio_sh(0));
  s->on_video(video_sh(0));
  publish_gop(*s, 0, 10);
  publish_gop(*s, 400, 5);
  auto c = consume(*s);
  auto out = drain(*c);
  ASSERT_EQ(out.size(), 3u + 10u);
  EXPECT_TRUE(out[0].msg->is_data());
  EXPECT_TRUE(out[1].msg->is_audio_sequence_header());
  EXPECT_TRUE(out[2].msg->is_video_sequence_header());
  EXPECT_TRUE(out[3].msg->is_video_keyframe());
  EXPECT_EQ(out[3].msg->timestamp(), 400);
}

// The primed GOP is read from the cache, not copied; what the player gets is as if it had
// been queued: headers, the GOP, then what arrived meanwhile, on one jittered timeline.
TEST_F(SourceTest, PrimedGopComesBetweenHeadersAndLiveMessagesOnOneTimeline) {
  auto s = make();
  ASSERT_TRUE(s->acquire_publish(200));
  s->on_metadata(metadata(), false);
  s->on_video(video_sh(5000));
  publish_gop(*s, 5000, 4);
  auto c = consume(*s);
  EXPECT_EQ(c->queued(), 2u + 8u);
  publish_gop(*s, 5160, 3);  // a new keyframe while the player has not fetched yet
  EXPECT_EQ(c->queued(), 2u + 8u + 6u);
  std::vector<QueuedMessage> out;
  while (c->fetch(out, 3) > 0) {
  }
  ASSERT_EQ(out.size(), 16u);
  TimeJitter reference;
  std::vector<int64_t> raw;
  for (const QueuedMessage& q : out) {
    raw.push_back(q.msg->timestamp());
    EXPECT_EQ(q.timestamp,
              reference.correct(q.msg->timestamp(), q.msg->is_av(), JitterAlgorithm::full));
  }
  EXPECT_TRUE(out[0].msg->is_data());
  EXPECT_TRUE(out[1].msg->is_video_sequence_header());
  EXPECT_TRUE(out[2].msg->is_video_keyframe());
  EXPECT_TRUE(out[10].msg->is_video_keyframe());
  EXPECT_TRUE(std::ranges::is_sorted(raw.begin() + 2, raw.end()));
  EXPECT_EQ(raw[2], 5000);
  EXPECT_EQ(raw[10], 5160);
}

TEST_F(SourceTest, PlayersShareTheCachedGopInsteadOfCopyingIt) {
  auto s = make();
  ASSERT_TRUE(s->acquire_publish(200));
  publish_gop(*s, 0, 10);
  auto a = consume(*s);
  auto b = consume(*s);
  EXPECT_EQ(s->gop_cache().snapshot().use_count(), 4);  // the cache, a, b and this copy
  publish_gop(*s, 400, 2);  // the cache goes on in a new GOP; a and b keep theirs
  EXPECT_EQ(s->gop_cache().size(), 4u);
  EXPECT_EQ(drain(*a).size(), 24u);
  EXPECT_EQ(drain(*b).size(), 24u);
}

TEST_F(SourceTest, PrimedGopIsDroppedWhenTheQueueOverflowsBeforeItIsFetched) {
  auto s = make();
  ASSERT_TRUE(s->acquire_publish(200));
  s->on_video(video_sh(0));
  publish_gop(*s, 0, 10);
  auto c = consume(*s, ConsumerOptions{.queue_length_ms = 1000});
  for (int gop = 1; gop <= 3; ++gop) publish_gop(*s, gop * 400, 10);
  EXPECT_GE(c->dropped(), 20u);
  auto out = drain(*c);
  ASSERT_GE(out.size(), 2u);
  EXPECT_TRUE(out[0].msg->is_video_sequence_header());
  EXPECT_TRUE(out[1].msg->is_video_keyframe());
  EXPECT_GE(out[1].msg->timestamp(), 400);
}

TEST_F(SourceTest, AGopLongerThanTheQueueGoesThroughTheOverflowPolicy) {
  auto s = make();
  ASSERT_TRUE(s->acquire_publish(200));
  publish_gop(*s, 0, 50);  // 2 s
  auto c = consume(*s, ConsumerOptions{.queue_length_ms = 1000});
  EXPECT_EQ(s->gop_cache().snapshot().use_count(), 2);  // not shared: queued
  EXPECT_GT(c->dropped(), 0u);
}

TEST(GopCache, ASnapshotKeepsItsGopWhenTheNextKeyframeArrives) {
  GopCache g;
  g.add(video(0, true));
  g.add(audio(10));
  auto snap = g.snapshot();
  g.add(video(40, false));
  g.add(video(80, true));
  ASSERT_EQ(snap->size(), 3u);
  EXPECT_EQ((*snap)[2]->timestamp(), 40);
  EXPECT_EQ(g.size(), 1u);
  EXPECT_EQ(g.messages()[0]->timestamp(), 80);
}

TEST_F(SourceTest, WithoutGopCacheLateJoinerGetsOnlyHeaders) {
  auto s = make(SourceOptions{.gop_cache = false});
  ASSERT_TRUE(s->acquire_publish(200));
  s->on_video(video_sh(0));
  publish_gop(*s, 0, 10);
  auto c = consume(*s);
  auto out = drain(*c);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].msg->is_video_sequence_header());
}

TEST_F(SourceTest, SecondPublisherIsRejectedAsBusy) {
  auto s = make();
  ASSERT_TRUE(s->acquire_publish(200));
  auto r = s->acquire_publish(201);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, hub_errc::stream_busy);
  s->release_publish();
  EXPECT_TRUE(s->acquire_publish(201));
}

TEST_F(SourceTest, ConsumersShareOnePayloadAndGetLiveMessages) {
  auto s = make();
  auto a = consume(*s);
  auto b = consume(*s);
  ASSERT_TRUE(s->acquire_publish(200));
  s->on_video(video(1000, true));
  auto out_a = drain(*a);
  auto out_b = drain(*b);
  ASSERT_EQ(out_a.size(), 1u);
  ASSERT_EQ(out_b.size(), 1u);
  EXPECT_EQ(out_a[0].msg.get(), out_b[0].msg.get());
  EXPECT_EQ(s->consumer_count(), 2u);
  a.reset();
  EXPECT_EQ(s->consumer_count(), 1u);
}

TEST_F(SourceTest, FullJitterStartsEachPlayerNearZero) {
  auto s = make();
  ASSERT_TRUE(s->acquire_publish(200));
  auto c = consume(*s);
  s->on_video(video(2000000000, true));
  s->on_video(video(2000000040, false));
  auto out = drain(*c);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].timestamp, 9);
  EXPECT_EQ(out[1].timestamp, 49);
}

TEST_F(SourceTest, AtcPassesPublisherTimestamps) {
  auto s = make(SourceOptions{.atc = true});
  ASSERT_TRUE(s->acquire_publish(200));
  auto c = consume(*s);
  s->on_video(video(2000000000, true));
  auto out = drain(*c);
  EXPECT_EQ(out[0].timestamp, 2000000000);
}

TEST_F(SourceTest, BravoAtcMetadataTurnsAtcOnWhenAtcAutoIsOn) {
  auto s = make();
  ASSERT_TRUE(s->acquire_publish(200));
  s->on_metadata(metadata(), true);
  EXPECT_TRUE(s->atc());
  auto off = make(SourceOptions{.atc_auto = false});
  ASSERT_TRUE(off->acquire_publish(200));
  off->on_metadata(metadata(), true);
  EXPECT_FALSE(off->atc());
}

TEST_F(SourceTest, ReduceSequenceHeaderSkipsIdenticalRepeats) {
  auto s = make(SourceOptions{.reduce_sequence_header = true});
  ASSERT_TRUE(s->acquire_publish(200));
  s->on_video(video_sh(0, 1));
  auto c = consume(*s);
  drain(*c);
  s->on_video(video_sh(100, 1));
  EXPECT_EQ(drain(*c).size(), 0u);
  s->on_video(video_sh(200, 2));
  EXPECT_EQ(drain(*c).size(), 1u);
}

TEST_F(SourceTest, RepublishKeepsWaitingPlayersAndHeaders) {
  auto s = make();
  auto c = consume(*s);
  ASSERT_TRUE(s->acquire_publish(200));
  s->on_video(video_sh(0));
  publish_gop(*s, 0, 3);
  s->release_publish();
  EXPECT_TRUE(s->gop_cache().empty());
  EXPECT_TRUE(s->video_sequence_header());
  ASSERT_TRUE(s->acquire_publish(201));
  s->on_video(video(0, true));
  auto out = drain(*c);
  EXPECT_EQ(out.size(), 1u + 6u + 1u);
}

TEST_F(SourceTest, Mp3FirstFrameIsCachedAsAudioHeader) {
  auto s = make();
  ASSERT_TRUE(s->acquire_publish(200));
  s->on_audio(mp3(0));
  s->on_audio(mp3(26));
  ASSERT_TRUE(s->audio_sequence_header());
  EXPECT_EQ(s->audio_sequence_header()->timestamp(), 0);
}

TEST_F(SourceTest, MixCorrectReordersAudioAndVideo) {
  auto s = make(SourceOptions{.mix_correct = true});
  ASSERT_TRUE(s->acquire_publish(200));
  auto c = consume(*s, ConsumerOptions{});
  s->on_video(video(100, true));
  s->on_video(video(140, false));
  s->on_audio(audio(90));
  s->on_audio(audio(120));
  s->release_publish();
  auto out = drain(*c);
  ASSERT_EQ(out.size(), 4u);
  for (size_t i = 1; i < out.size(); ++i) {
    EXPECT_LE(out[i - 1].msg->timestamp(), out[i].msg->timestamp());
  }
}

struct CountingBridge : SourceBridge {
  int published = 0, messages = 0, unpublished = 0;
  void on_publish() override { ++published; }
  void on_message(const SharedMessagePtr&) override { ++messages; }
  void on_unpublish() override { ++unpublished; }
};

TEST_F(SourceTest, BridgesSeeEveryMessageOnce) {
  auto s = make();
  CountingBridge b;
  s->add_bridge(&b);
  ASSERT_TRUE(s->acquire_publish(200));
  s->on_video(video_sh(0));
  publish_gop(*s, 0, 5);
  s->release_publish();
  s->remove_bridge(&b);
  EXPECT_EQ(b.published, 1);
  EXPECT_EQ(b.messages, 11);
  EXPECT_EQ(b.unpublished, 1);
}

TEST_F(SourceTest, ReloadedQueueLengthReachesEveryConsumer) {
  auto s = make();
  ASSERT_TRUE(s->acquire_publish(200));
  auto a = consume(*s);
  auto b = consume(*s);
  for (int gop = 0; gop < 5; ++gop) publish_gop(*s, gop * 1000, 25);
  EXPECT_EQ(a->dropped(), 0u);
  ConsumerOptions shorter;
  shorter.queue_length_ms = 1000;
  s->set_consumer_options(shorter);
  for (int gop = 5; gop < 10; ++gop) publish_gop(*s, gop * 1000, 25);
  EXPECT_GT(a->dropped(), 0u);
  EXPECT_GT(b->dropped(), 0u);
}

TEST(GopCache, PureAudioStreamIsNotCached) {
  GopCache g;
  g.add(video(0, true));
  for (int i = 0; i < 200; ++i) g.add(audio(i));
  EXPECT_TRUE(g.empty());
}

TEST(GopCache, NonH264VideoIsNotCached) {
  GopCache g;
  g.add(SharedMessage::make(MessageType::video, 0, 1, Bytes{0x12, 0x00}));  // Sorenson keyframe
  EXPECT_TRUE(g.empty());
}

TEST(SourceRegistry, SameKeySameSourceAndIdleOnesAreReaped) {
  SourceRegistry r;
  auto a = r.fetch_or_create("/live/a", {});
  EXPECT_EQ(r.fetch_or_create("/live/a", {}), a);
  r.fetch_or_create("/live/b", {});
  EXPECT_EQ(r.reap_idle(), 1u);
  EXPECT_TRUE(r.find("/live/a"));
  EXPECT_FALSE(r.find("/live/b"));
}

}  // namespace
}  // namespace srs
