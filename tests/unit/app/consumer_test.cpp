// When a consumer's sender is woken: the merged-write policy of ConsumerOptions.
#include "app/consumer.hpp"

#include <gtest/gtest.h>

#include <asio/io_context.hpp>

#include "app/source.hpp"
#include "hub_fixtures.hpp"

namespace srs {
namespace {
using namespace test;

class ConsumerTest : public ::testing::Test {
 protected:
  std::shared_ptr<Source> publishing() {
    auto s = std::make_shared<Source>("/live/s", SourceOptions{});
    EXPECT_TRUE(s->acquire_publish(200));
    return s;
  }
  std::unique_ptr<Consumer> consume(Source& s, ConsumerOptions o = {}) {
    return s.create_consumer(io_.get_executor(), o);
  }
  static size_t drain(Consumer& c) {
    std::vector<QueuedMessage> out;
    return c.fetch(out, 100000);
  }
  // One frame of video and one of audio every 40 ms from `start`.
  static void frames(Source& s, int64_t start, int n) {
    for (int i = 0; i < n; ++i) {
      s.on_video(video(start + i * 40, i == 0 && start == 0));
      s.on_audio(audio(start + i * 40 + 10));
    }
  }
  asio::io_context io_;
};

TEST_F(ConsumerTest, FirstBatchIsWorthAWriteAtOnceEvenIfShorterThanTheWindow) {
  auto s = publishing();
  s->on_video(video_sh(0));
  frames(*s, 0, 2);  // a GOP cache of 40 ms, far below the 350 ms window
  auto c = consume(*s);
  EXPECT_TRUE(c->worth_a_write());
  EXPECT_GT(drain(*c), 0u);
  frames(*s, 80, 1);  // after the first batch the hold applies again
  EXPECT_FALSE(c->worth_a_write());
}

TEST_F(ConsumerTest, EmptyOrPausedQueueIsNeverWorthAWrite) {
  auto s = publishing();
  auto c = consume(*s);
  EXPECT_FALSE(c->worth_a_write());
  frames(*s, 0, 1);
  c->set_paused(true);
  EXPECT_FALSE(c->worth_a_write());
}

TEST_F(ConsumerTest, AfterStartAWriteWaitsForThePromptSpanOnly) {
  auto s = publishing();
  frames(*s, 0, 1);
  auto c = consume(*s, ConsumerOptions{.merge_ms = 350, .prompt_ms = 40});
  drain(*c);
  s->on_video(video(40, false));
  s->on_audio(audio(50));
  EXPECT_FALSE(c->worth_a_write());  // spans 10 ms
  s->on_video(video(70, false));
  EXPECT_FALSE(c->worth_a_write());  // 30 ms
  s->on_video(video(80, false));
  EXPECT_TRUE(c->worth_a_write());  // 40 ms, far below the 350 ms window
}

TEST_F(ConsumerTest, CongestedPlayerWaitsForTheWholeMergeWindow) {
  auto s = publishing();
  frames(*s, 0, 1);
  auto c = consume(*s, ConsumerOptions{.merge_ms = 200, .prompt_ms = 40});
  drain(*c);
  c->set_congested(true);
  frames(*s, 40, 3);  // 40..130: 90 ms
  EXPECT_FALSE(c->worth_a_write());
  frames(*s, 160, 2);  // up to 210: 170 ms
  EXPECT_FALSE(c->worth_a_write());
  frames(*s, 240, 1);  // 40..250: 210 ms
  EXPECT_TRUE(c->worth_a_write());
  c->set_congested(false);
  drain(*c);
  frames(*s, 280, 2);  // 280..330: 50 ms
  EXPECT_TRUE(c->worth_a_write());
}

TEST_F(ConsumerTest, MergeWindowBelowThePromptSpanIsTheHold) {
  auto s = publishing();
  frames(*s, 0, 1);
  auto c = consume(*s, ConsumerOptions{.merge_ms = 20, .prompt_ms = 40});
  drain(*c);
  s->on_video(video(40, false));
  s->on_audio(audio(50));
  EXPECT_FALSE(c->worth_a_write());
  s->on_video(video(60, false));
  EXPECT_TRUE(c->worth_a_write());  // 20 ms
}

TEST_F(ConsumerTest, DefaultPromptSpanIsAFifthOfTheMergeWindow) {
  auto s = publishing();
  frames(*s, 0, 1);
  auto c = consume(*s, ConsumerOptions{.merge_ms = 350});
  drain(*c);
  s->on_video(video(40, false));
  s->on_video(video(100, false));
  EXPECT_FALSE(c->worth_a_write());  // 60 ms
  s->on_video(video(110, false));
  EXPECT_TRUE(c->worth_a_write());  // 70 ms
}

TEST_F(ConsumerTest, MinLatencyWritesEveryMessage) {
  auto s = publishing();
  frames(*s, 0, 1);
  auto c = consume(*s, ConsumerOptions{.min_latency = true});
  drain(*c);
  s->on_audio(audio(50));
  EXPECT_TRUE(c->worth_a_write());
}

}  // namespace
}  // namespace srs
