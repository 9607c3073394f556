#include "core/coro.hpp"

#include <gtest/gtest.h>

#include <asio/post.hpp>

#include "core/context.hpp"
#include "core/log.hpp"

namespace srs {
namespace {

awaitable<void> record_context(std::vector<ContextId>* seen) {
  seen->push_back(current_context());
  co_await sleep_for(1ms);
  seen->push_back(current_context());
}

TEST(ContextExecutor, CoroutineSeesItsOwnIdAcrossSuspensions) {
  asio::io_context io;
  std::vector<ContextId> a, b;
  spawn(context_executor(io, 501), record_context(&a), "a");
  spawn(context_executor(io, 502), record_context(&b), "b");
  io.run();
  EXPECT_EQ(a, (std::vector<ContextId>{501, 501}));
  EXPECT_EQ(b, (std::vector<ContextId>{502, 502}));
  EXPECT_EQ(current_context(), 0);
}

TEST(ContextIds, CountUpFromTheLastTaken) {
  ContextId first = next_context_id();
  EXPECT_GE(first, 100);
  EXPECT_EQ(next_context_id(), first + 1);
}

awaitable<void> wait_then_record(Waiter* w, std::vector<bool>* out) {
  out->push_back(co_await w->wait(10s));
  out->push_back(co_await w->wait(1ms));
}
awaitable<void> notify_later(Waiter* w) {
  co_await sleep_for(1ms);
  w->notify();
}

TEST(Waiter, NotifyWakesWaiterAndTimeoutReportsFalse) {
  asio::io_context io;
  Waiter w(io.get_executor());
  std::vector<bool> out;
  spawn(io.get_executor(), wait_then_record(&w, &out), "waiter");
  spawn(io.get_executor(), notify_later(&w), "notifier");
  io.run();
  EXPECT_EQ(out, (std::vector<bool>{true, false}));
}

TEST(Waiter, NotifyBeforeWaitIsNotLost) {
  asio::io_context io;
  Waiter w(io.get_executor());
  w.notify();
  std::vector<bool> out;
  spawn(io.get_executor(), wait_then_record(&w, &out), "waiter");
  io.run();
  EXPECT_EQ(out, (std::vector<bool>{true, false}));
}

TEST(Deadline, FiresOnceAfterTheLatestDeadline) {
  asio::io_context io;
  int fired = 0;
  Deadline d(io.get_executor(), [&] { ++fired; });
  d.expires_after(1ms);
  d.expires_after(5ms);
  io.run();
  EXPECT_EQ(fired, 1);
  EXPECT_TRUE(d.expired());
}

TEST(Deadline, MovingTheDeadlineSoonerFiresAtTheSoonerTime) {
  asio::io_context io;
  int fired = 0;
  Deadline d(io.get_executor(), [&] { ++fired; });
  d.expires_after(1h);
  d.expires_after(1ms);
  io.run_for(10s);  // with the hour still armed, run_for would return at 10 s unfired
  EXPECT_EQ(fired, 1);
  EXPECT_TRUE(d.expired());
}

TEST(Deadline, CancelledDeadlineNeverFires) {
  asio::io_context io;
  int fired = 0;
  Deadline d(io.get_executor(), [&] { ++fired; });
  d.expires_after(1ms);
  d.cancel();
  io.run();
  EXPECT_EQ(fired, 0);
}

// Rounds that are all notified leave the lazy timer armed for an older deadline; the
// wait that is never notified must still end at its own timeout, not earlier or never.
awaitable<void> notified_rounds_then_timeout(Waiter* w, std::vector<bool>* out) {
  for (int i = 0; i < 5; ++i) {
    asio::post(co_await asio::this_coro::executor, [w] { w->notify(); });
    out->push_back(co_await w->wait(20ms));
  }
  const auto start = std::chrono::steady_clock::now();
  out->push_back(co_await w->wait(20ms));
  if (std::chrono::steady_clock::now() - start >= 20ms) out->push_back(true);
}

TEST(Waiter, TimeoutStillEndsAWaitAfterNotifiedRounds) {
  asio::io_context io;
  Waiter w(io.get_executor());
  std::vector<bool> out;
  spawn(io.get_executor(), notified_rounds_then_timeout(&w, &out), "waiter");
  io.run();  // returns: no timer is left armed forever
  EXPECT_EQ(out, (std::vector<bool>{true, true, true, true, true, false, true}));
}

awaitable<void> wait_for_an_hour(Waiter* w, int* ended) {
  co_await w->wait(1h);
  ++*ended;
}
awaitable<void> stop_group(TaskGroup* g, bool* joined) {
  co_await sleep_for(1ms);
  g->stop();
  co_await g->join();
  *joined = true;
}

TEST(Waiter, StoppingTheTaskEndsItsWait) {
  asio::io_context io;
  Waiter w(io.get_executor());
  TaskGroup group(io.get_executor());
  int ended = 0;
  bool joined = false;
  group.spawn(io.get_executor(), wait_for_an_hour(&w, &ended), "waiter");
  spawn(io.get_executor(), stop_group(&group, &joined), "stopper");
  io.run_for(10s);
  EXPECT_TRUE(io.stopped());  // out of work: neither the wait nor its timer is left
  EXPECT_EQ(ended, 1);
  EXPECT_TRUE(joined);
  EXPECT_EQ(group.size(), 0u);
}

awaitable<void> wait_untimed(Waiter* w, std::vector<ContextId>* order, ContextId id) {
  co_await w->wait();
  order->push_back(id);
  EXPECT_EQ(current_context(), id);
}

// The untimed wait: woken coroutines resume in the order woken, each under its own context
// id, after the notifier is done; a notify before the wait is not lost.
TEST(Waiter, UntimedWaitsResumeInWakeOrderAfterTheNotifier) {
  asio::io_context io;
  std::vector<std::unique_ptr<Waiter>> waiters;
  std::vector<ContextId> order;
  for (ContextId id = 701; id <= 704; ++id) {
    waiters.push_back(std::make_unique<Waiter>(context_executor(io, id)));
    spawn(context_executor(io, id), wait_untimed(waiters.back().get(), &order, id), "w");
  }
  io.poll();
  EXPECT_TRUE(order.empty());
  waiters[2]->notify();
  waiters[0]->notify();
  waiters[2]->notify();  // twice: resumed once
  EXPECT_TRUE(order.empty());
  io.poll();
  EXPECT_EQ(order, (std::vector<ContextId>{703, 701}));
  Waiter early(context_executor(io, 705));
  early.notify();
  spawn(context_executor(io, 705), wait_untimed(&early, &order, 705), "early");
  io.poll();
  EXPECT_EQ(order, (std::vector<ContextId>{703, 701, 705}));
  waiters[3]->notify();
  waiters[1]->notify();
  io.poll();
  EXPECT_EQ(order, (std::vector<ContextId>{703, 701, 705, 704, 702}));
}

awaitable<void> wait_untimed_forever(Waiter* w, int* ended) {
  co_await w->wait();
  ++*ended;
}

TEST(Waiter, StoppingTheTaskEndsItsUntimedWait) {
  asio::io_context io;
  Waiter w(io.get_executor());
  TaskGroup group(io.get_executor());
  int ended = 0;
  bool joined = false;
  group.spawn(io.get_executor(), wait_untimed_forever(&w, &ended), "waiter");
  spawn(io.get_executor(), stop_group(&group, &joined), "stopper");
  io.run_for(10s);
  EXPECT_TRUE(io.stopped());
  EXPECT_EQ(ended, 1);
  EXPECT_TRUE(joined);
}

struct Owned {
  explicit Owned(int* d) : destroyed(d) {}
  ~Owned() { ++*destroyed; }
  int* destroyed;
};
awaitable<void> park_owning(std::shared_ptr<Owned> owned, std::unique_ptr<Waiter> w) {
  co_await w->wait();
  ADD_FAILURE() << "never woken";
  (void)owned;
}

// An io_context destroyed with a coroutine parked in an untimed wait frees it (and what it
// owns, its own Waiter included), as it frees its pending operations.
TEST(Waiter, AParkedCoroutineIsFreedWithItsEventLoop) {
  int destroyed = 0;
  {
    asio::io_context io;
    auto owned = std::make_shared<Owned>(&destroyed);
    spawn(io.get_executor(), park_owning(owned, std::make_unique<Waiter>(io.get_executor())),
          "parked");
    owned.reset();
    io.poll();
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, 1);
}

awaitable<void> sleep_long(int* done) {
  bool slept = co_await sleep_for(1h);
  if (!slept) ++*done;
}
awaitable<void> stop_and_join(TaskGroup* g, bool* joined) {
  co_await sleep_for(1ms);
  g->stop();
  co_await g->join();
  *joined = true;
}

TEST(TaskGroup, StopCancelsEveryTaskAndJoinWaitsForThem) {
  asio::io_context io;
  TaskGroup group(io.get_executor());
  int cancelled = 0;
  bool joined = false;
  for (int i = 0; i < 3; ++i) group.spawn(io.get_executor(), sleep_long(&cancelled), "sleeper");
  spawn(io.get_executor(), stop_and_join(&group, &joined), "stopper");
  io.run();
  EXPECT_EQ(cancelled, 3);
  EXPECT_TRUE(joined);
  EXPECT_EQ(group.size(), 0u);
}

}  // namespace
}  // namespace srs
