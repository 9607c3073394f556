// When a consumer's sender is woken: the merged-write policy of ConsumerOptions.
#include "app/consumer.hpp"

#include <gtest/gtest.h>

#include <asio/io_context.hpp>

#include "app/source.hpp"
#include "hub_fixtures.hpp"

namespace srs {
namespace {
using namespace test;

awaitable<void> wait_and_count(Consumer* c, int* woken) {
  co_await c->wait();
  ++*woken;
}

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
  // A consumer that has read everything so far.
  std::unique_ptr<Consumer> caught_up(Source& s, ConsumerOptions o = {}) {
    auto c = consume(s, o);
    drain(*c);
    return c;
  }
  // Its sender waiting (counted in `woken` when woken), parked by the time this returns.
  void wait_in_background(Consumer& c, int* woken) {
    spawn(io_.get_executor(), wait_and_count(&c, woken), "sender");
    io_.poll();
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

// Queue length: a consumer too far behind loses whole GOPs and restarts at a keyframe.
TEST_F(ConsumerTest, FallingBehindDropsWholeGopsAndRestartsAtAKeyframe) {
  auto s = publishing();
  auto c = consume(*s, ConsumerOptions{.queue_length_ms = 1000});
  // GOPs of 500 ms: keyframes at 0, 500, 1000, 1500.
  for (int64_t t = 0; t <= 1600; t += 100) s->on_video(video(t, t % 500 == 0));
  std::vector<QueuedMessage> out;
  c->fetch(out, 1000);
  EXPECT_GT(c->dropped(), 0u);
  ASSERT_FALSE(out.empty());
  EXPECT_TRUE(out.front().msg->is_video_keyframe());
  EXPECT_EQ(out.front().msg->timestamp() % 500, 0);
  EXPECT_LE(out.back().msg->timestamp() - out.front().msg->timestamp(), 1000);
}

TEST_F(ConsumerTest, FallingBehindKeepsHeadersStampedWithTheRestartTime) {
  auto s = publishing();
  auto c = consume(*s, ConsumerOptions{.queue_length_ms = 1000});
  s->on_metadata(metadata(), false);
  s->on_audio(audio_sh(0));
  s->on_video(video_sh(0));
  for (int64_t t = 0; t <= 1600; t += 100) s->on_video(video(t, t % 500 == 0));
  std::vector<QueuedMessage> out;
  c->fetch(out, 1000);
  ASSERT_GE(out.size(), 4u);
  EXPECT_TRUE(out[0].msg->is_data());
  EXPECT_TRUE(out[1].msg->is_audio_sequence_header());
  EXPECT_TRUE(out[2].msg->is_video_sequence_header());
  EXPECT_TRUE(out[3].msg->is_video_keyframe());
  // The player's timeline does not jump back, nor does it lose the skipped time.
  EXPECT_EQ(out[0].timestamp, out[3].timestamp);
  EXPECT_EQ(out[3].timestamp - out[4].timestamp, -100);
  EXPECT_GE(out[3].timestamp, 500);
}

TEST_F(ConsumerTest, WithNoKeyframeInReachItWaitsForTheNextOne) {
  auto s = publishing();
  auto c = consume(*s, ConsumerOptions{.queue_length_ms = 1000});
  s->on_video(video(0, true));
  for (int64_t t = 100; t <= 1100; t += 100) s->on_video(video(t, false));
  EXPECT_EQ(drain(*c), 0u);
  s->on_video(video(1200, false));
  s->on_audio(audio(1210));
  EXPECT_EQ(drain(*c), 0u);
  s->on_video(video(1300, true));
  s->on_audio(audio(1310));
  std::vector<QueuedMessage> out;
  c->fetch(out, 100);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].msg->is_video_keyframe());
  EXPECT_EQ(c->dropped(), 14u);
}

TEST_F(ConsumerTest, AnAudioOnlyStreamDropsOldAudioWithoutWaiting) {
  auto s = publishing();
  auto c = consume(*s, ConsumerOptions{.queue_length_ms = 1000});
  for (int64_t t = 0; t <= 3000; t += 23) s->on_audio(audio(t));
  std::vector<QueuedMessage> out;
  c->fetch(out, 1000);
  EXPECT_GT(out.size(), 40u);
  EXPECT_LE(out.back().msg->timestamp() - out.front().msg->timestamp(), 1000);
  EXPECT_GT(c->dropped(), 0u);
}

// The log keeps only what some consumer has yet to read, and at most its queue length.
TEST_F(ConsumerTest, TheSourceLogHoldsOnlyWhatIsUnread) {
  auto s = publishing();
  auto current = consume(*s);
  auto paused = consume(*s, ConsumerOptions{.queue_length_ms = 2000});
  paused->set_paused(true);
  for (int i = 0; i < 100; ++i) {
    frames(*s, i * 400, 10);
    drain(*current);
  }
  // 40 s published: the paused one holds about its 2 s, never the whole stream.
  EXPECT_LE(s->log().size(), 2u * 2 * 50 + 64);
  EXPECT_GT(paused->dropped(), 0u);
  paused.reset();
  frames(*s, 40000, 40);
  drain(*current);
  frames(*s, 41600, 40);
  EXPECT_LE(s->log().capacity(), 128u);
}

TEST_F(ConsumerTest, AStreamWithoutPlayersLogsNothing) {
  auto s = publishing();
  frames(*s, 0, 50);
  EXPECT_EQ(s->log().size(), 0u);
  auto c = consume(*s);
  frames(*s, 2000, 2);
  EXPECT_EQ(s->log().size(), 4u);
  EXPECT_EQ(drain(*c), 100u + 4u);  // the GOP cache, then what came after it joined
}

// A waiting consumer sleeps parked at the source until a message brings its unread span to
// the hold: no timer, no polling.
TEST_F(ConsumerTest, AParkedConsumerIsWokenByTheMessageThatMakesTheBatch) {
  auto s = publishing();
  frames(*s, 0, 1);
  auto a = caught_up(*s, ConsumerOptions{.merge_ms = 350, .prompt_ms = 100});
  auto b = caught_up(*s, ConsumerOptions{.merge_ms = 350, .prompt_ms = 100});
  int woken = 0;
  wait_in_background(*a, &woken);
  wait_in_background(*b, &woken);
  EXPECT_EQ(woken, 0);
  frames(*s, 40, 2);  // 40..90
  io_.poll();
  EXPECT_EQ(woken, 0);
  s->on_video(video(140, false));  // 100 ms unread
  io_.poll();
  EXPECT_EQ(woken, 2);
}

// With many players, those at the prompt hold write at their group's tick, in turn: a
// message wakes nobody by itself, and each tick wakes one whole group.
TEST_F(ConsumerTest, ManyPlayersWriteInGroupsThatTakeTurns) {
  auto s = publishing();
  frames(*s, 0, 1);
  constexpr size_t kPlayers = 2 * Source::kGroupedFrom;
  constexpr int kGroup = static_cast<int>(kPlayers / Source::kWriteGroups);
  std::vector<std::unique_ptr<Consumer>> players;
  // A long hold: ticks ~60 ms apart, far more than this test takes between two checks.
  for (size_t i = 0; i < kPlayers; ++i) {
    players.push_back(consume(*s, ConsumerOptions{.merge_ms = 2000, .prompt_ms = 400}));
    drain(*players.back());
  }
  int woken = 0;
  for (auto& p : players) spawn(io_.get_executor(), wait_and_count(p.get(), &woken), "p");
  io_.poll();
  s->on_video(video(40, false));
  io_.poll();
  EXPECT_EQ(woken, 0);
  while (woken == 0) io_.run_one();
  io_.poll();
  EXPECT_EQ(woken % kGroup, 0);
  EXPECT_LT(woken, static_cast<int>(kPlayers));
  while (woken < static_cast<int>(kPlayers)) io_.run_one();
}

// A sender that writes for its parked coroutine: fetches what the consumer holds.
struct FetchingSender : DirectSender {
  bool accept = true;  // false: as if the socket took only part, the coroutine must run
  int calls = 0;
  size_t messages = 0;
  bool send_now(Consumer& c) noexcept override {
    ++calls;
    std::vector<QueuedMessage> out;
    messages += c.fetch(out, 1000);
    return accept;
  }
};

// Players whose write goes out at once are served at their group's tick without their
// coroutines being resumed: each is sent to once per tick, and stays parked.
TEST_F(ConsumerTest, WriteGroupsSendDirectlyWithoutWakingTheSenders) {
  auto s = publishing();
  frames(*s, 0, 1);
  constexpr size_t kPlayers = 2 * Source::kGroupedFrom;
  std::vector<std::unique_ptr<Consumer>> players;
  std::vector<FetchingSender> senders(kPlayers);
  int woken = 0;
  for (size_t i = 0; i < kPlayers; ++i) {
    players.push_back(consume(*s, ConsumerOptions{.merge_ms = 350, .prompt_ms = 40}));
    drain(*players.back());
    players.back()->set_direct_sender(&senders[i]);
  }
  // All joined first: only a source with many players parks them in write groups.
  for (auto& p : players) wait_in_background(*p, &woken);
  s->on_video(video(40, false));
  auto served = [&] {
    size_t n = 0;
    for (const FetchingSender& f : senders) n += f.messages > 0;
    return n;
  };
  // Bounded by the work left: with nothing to run, run_one() returns 0.
  while (served() < kPlayers && io_.run_one() > 0) {
  }
  EXPECT_EQ(woken, 0) << "no coroutine resumed";
  for (size_t i = 0; i < kPlayers; ++i) {
    EXPECT_EQ(senders[i].calls, 1) << "player " << i;
    EXPECT_EQ(senders[i].messages, 1u) << "player " << i;
    EXPECT_EQ(players[i]->queued(), 0u);
  }

  // A send that cannot finish at once wakes that player's coroutine, and only it.
  senders[0].accept = false;
  s->on_video(video(80, false));
  auto all_sent_twice = [&] {
    for (const FetchingSender& f : senders)
      if (f.messages < 2) return false;
    return true;
  };
  while ((woken == 0 || !all_sent_twice()) && io_.run_one() > 0) {
  }
  io_.poll();
  EXPECT_EQ(woken, 1);
  for (const FetchingSender& f : senders) EXPECT_EQ(f.messages, 2u);
}

TEST_F(ConsumerTest, WakeEndsAWaitAndConsumersThatLeftAreForgotten) {
  auto s = publishing();
  frames(*s, 0, 1);
  auto a = caught_up(*s);
  auto b = caught_up(*s);
  int woken = 0;
  wait_in_background(*b, &woken);
  a.reset();  // never waited: nothing to unpark
  s->on_video(video(40, false));
  io_.poll();
  EXPECT_EQ(woken, 0);
  b->wake();
  io_.poll();
  EXPECT_EQ(woken, 1);
  b.reset();
  frames(*s, 80, 20);  // no consumer parked: nothing to wake, nothing dangling
  EXPECT_EQ(s->consumer_count(), 0u);
}

// A publisher that goes quiet does not keep its last frames from a player: held below the
// hold, they go out once nothing came for kStallFlush. The wait ends on the watch's timer,
// the only event left.
TEST_F(ConsumerTest, AStalledPublisherDoesNotHoldBackTheLastFrames) {
  auto s = publishing();
  frames(*s, 0, 1);
  auto c = caught_up(*s, ConsumerOptions{.merge_ms = 350, .prompt_ms = 100});
  int woken = 0;
  wait_in_background(*c, &woken);
  s->on_video(video(40, false));  // 0 ms of unread media: below the hold
  io_.poll();
  EXPECT_EQ(woken, 0);
  while (woken == 0) io_.run_one();  // the stall watch's timer: nothing else is pending
  EXPECT_EQ(drain(*c), 1u);
  // Nothing unread: the next wait is not woken by the watch (it has ended; io runs dry).
  spawn(io_.get_executor(), wait_and_count(c.get(), &woken), "c");
  io_.run();
  EXPECT_EQ(woken, 1);
  c->wake();
  io_.restart();
  io_.run();
  EXPECT_EQ(woken, 2);
}

// The publisher leaving wakes every waiting player (an HTTP stream ends its body then).
TEST_F(ConsumerTest, UnpublishWakesEveryWaitingConsumer) {
  auto s = publishing();
  frames(*s, 0, 1);
  auto a = caught_up(*s);
  auto b = caught_up(*s);
  int woken = 0;
  wait_in_background(*a, &woken);
  wait_in_background(*b, &woken);
  EXPECT_EQ(woken, 0);
  s->release_publish();
  io_.poll();
  EXPECT_EQ(woken, 2);
}

}  // namespace
}  // namespace srs
