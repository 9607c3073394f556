// Coroutine helpers on Asio: one io_context, one thread, every task a C++20 coroutine.
//
// - ContextExecutor wraps the io_context's executor with a context id; a coroutine spawned
//   on it has that id installed whenever it runs, so its log lines carry it implicitly.
// - spawn() starts an owned coroutine and logs any exception that escapes it (a bug).
// - Waiter: a wakeable wait, with a timeout or (cheaper, no timer) without.
// - Deadline: a per-connection deadline that runs a callback (close the socket) when it
//   passes; re-arming it is a store, not a timer operation, so it is cheap per message.
// - TaskGroup: a set of spawned tasks that can be stopped together and joined.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/execution.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "core/context.hpp"

namespace srs {

using asio::awaitable;
using Executor = asio::any_io_executor;
using Duration = std::chrono::steady_clock::duration;
using namespace std::chrono_literals;

// Every async call uses the non-throwing token: `auto [ec, n] = co_await op(..., use_nothrow);`
inline constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);

template <class Inner>
class BasicContextExecutor {
 public:
  BasicContextExecutor(Inner inner, ContextId id) noexcept : inner_(std::move(inner)), id_(id) {}

  ContextId context_id() const noexcept { return id_; }
  const Inner& inner() const noexcept { return inner_; }

  template <class F>
  void execute(F&& f) const {
    asio::execution::execute(inner_, Bound<std::decay_t<F>>{id_, std::forward<F>(f)});
  }

  template <class Property>
  requires asio::can_query<const Inner&, Property>::value decltype(auto) query(
      const Property& p) const noexcept {
    return asio::query(inner_, p);
  }
  template <class Property>
  requires asio::can_require<const Inner&, Property>::value auto require(const Property& p) const {
    using Out = std::decay_t<decltype(asio::require(inner_, p))>;
    return BasicContextExecutor<Out>(asio::require(inner_, p), id_);
  }
  template <class Property>
  requires asio::can_prefer<const Inner&, Property>::value auto prefer(const Property& p) const {
    using Out = std::decay_t<decltype(asio::prefer(inner_, p))>;
    return BasicContextExecutor<Out>(asio::prefer(inner_, p), id_);
  }

  friend bool operator==(const BasicContextExecutor& a, const BasicContextExecutor& b) noexcept {
    return a.id_ == b.id_ && a.inner_ == b.inner_;
  }
  friend bool operator!=(const BasicContextExecutor& a, const BasicContextExecutor& b) noexcept {
    return !(a == b);
  }

 private:
  template <class F>
  struct Bound {
    ContextId id;
    F f;
    void operator()() {
      ContextScope scope(id);
      f();
    }
  };

  Inner inner_;
  ContextId id_;
};

using ContextExecutor = BasicContextExecutor<asio::io_context::executor_type>;

// An executor of `io` that runs work under context id `id`.
inline Executor context_executor(asio::io_context& io, ContextId id) {
  return ContextExecutor(io.get_executor(), id);
}
// The executor for a new task of its own: takes the next context id.
inline Executor new_context_executor(asio::io_context& io) {
  return context_executor(io, next_context_id());
}

namespace detail {
void report_escaped(const std::string& name, std::exception_ptr e) noexcept;
}  // namespace detail

// Starts `task` on `ex`. The task must own what it uses (parameters by value, shared_ptr).
// An exception escaping it is a bug and is logged with `name`, never silently dropped.
template <class T>
void spawn(Executor ex, awaitable<T> task, std::string name) {
  asio::co_spawn(std::move(ex), std::move(task),
                 [name = std::move(name)](std::exception_ptr e, auto&&...) {
                   if (e) detail::report_escaped(name, e);
                 });
}

// Sleeps for `d`; returns false if the sleep was cancelled.
awaitable<bool> sleep_for(Duration d);

// A one-shot-per-round wake-up, owned by one waiting coroutine. wait(timeout) returns
// true when notify() was called (before or during the wait), false when the timeout passed
// first. wait() has no timeout and costs no timer and no allocation: the coroutine is
// parked here until notify() or cancellation (for a waiter that something always wakes: a
// player's sender). Woken coroutines are resumed in the order woken, from one task the
// event loop runs after the notifier is done, however many were woken at once.
class WaiterService;

class Waiter {
 public:
  explicit Waiter(Executor ex);
  ~Waiter();
  Waiter(const Waiter&) = delete;
  Waiter& operator=(const Waiter&) = delete;

  awaitable<bool> wait(Duration timeout);
  awaitable<void> wait();
  void notify() noexcept;
  Executor executor() noexcept { return timer_.get_executor(); }

 private:
  friend class WaiterService;
  using Handler = asio::async_result<asio::use_awaitable_t<>, void()>::handler_type;

  asio::steady_timer timer_;
  std::optional<Handler> parked_;  // the coroutine in wait()
  WaiterService* service_;         // lists parked and woken coroutines
  Waiter* prev_ = nullptr;         // in one of the service's lists while parked_ is set
  Waiter* next_ = nullptr;
  ContextId context_ = 0;  // installed while the parked coroutine is resumed
  bool ready_ = false;     // woken, in the service's ready list
  bool notified_ = false;
  bool waiting_ = false;  // in wait(timeout)
};

// Calls `on_expire` once when the deadline passes. expires_after() moves the deadline; moving
// it later is cheap (no timer cancellation: the watcher re-sleeps until the latest deadline),
// moving it sooner re-arms the timer. The watcher never sleeps longer than kMaxWatchSleep,
// so the pattern of a sender (a 30 s send timeout around each write, "never" between
// writes) does not re-arm the timer at every write. Destroying the Deadline (or cancel())
// stops the watcher; on_expire is never called after that.
class Deadline {
 public:
  static constexpr Duration kMaxWatchSleep = std::chrono::seconds(30);

  Deadline(Executor ex, std::function<void()> on_expire);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void expires_after(Duration d);
  void cancel();
  bool expired() const noexcept;

 private:
  struct State;
  static awaitable<void> watch(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

// Tasks started together and stopped together (a server's connections, a source's
// forwarders). stop() emits terminal cancellation to every task; join() waits until all
// have returned. The group must outlive its tasks' completion (join before destroying).
class TaskGroup {
 public:
  explicit TaskGroup(Executor ex);
  ~TaskGroup();

  void spawn(Executor ex, awaitable<void> task, std::string name);
  void stop();
  awaitable<void> join();
  size_t size() const noexcept { return tasks_.size(); }

 private:
  struct Task {
    asio::cancellation_signal signal;
  };
  void finished(std::list<Task>::iterator it);

  std::list<Task> tasks_;
  Waiter idle_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace srs
