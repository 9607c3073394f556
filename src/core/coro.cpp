#include "core/coro.hpp"

#include <system_error>

#include <asio/error.hpp>
#include <asio/post.hpp>

#include "core/log.hpp"

namespace srs {

namespace detail {
void report_escaped(const std::string& name, std::exception_ptr e) noexcept {
  try {
    std::rethrow_exception(e);
  } catch (const std::system_error& x) {
    // A task cancelled while running ends this way when Asio throws on cancellation.
    if (x.code() == asio::error::operation_aborted) return;
    log_error("{}: exception escaped the task: {}", name, x.what());
  } catch (const std::exception& x) {
    log_error("{}: exception escaped the task: {}", name, x.what());
  } catch (...) {
    log_error("{}: unknown exception escaped the task", name);
  }
}
}  // namespace detail

awaitable<bool> sleep_for(Duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  auto [ec] = co_await timer.async_wait(use_nothrow);
  co_return !ec;
}

// The coroutines parked in Waiter::wait(), and those woken and waiting to be resumed: one
// posted task resumes every woken one (a burst of wakes, such as a write group's, is one
// event-loop task instead of one allocated operation each). When the io_context is
// destroyed with some still listed, they are freed with it, as Asio frees its queued
// operations.
class WaiterService final : public asio::execution_context::service {
 public:
  static inline asio::execution_context::id id;
  explicit WaiterService(asio::execution_context& context) : service(context) {}

  void park(Waiter* w) noexcept { link(parked_, w); }

  void wake(Waiter* w) {
    if (w->ready_) return;
    unlink(parked_, w);
    w->ready_ = true;
    link(ready_, w);  // appended: resumed in the order woken
    if (!resume_posted_) {
      resume_posted_ = true;
      asio::post(w->executor(), [this] { resume_ready(); });
    }
  }

  void forget(Waiter* w) noexcept { unlink(w->ready_ ? ready_ : parked_, w); }

 private:
  struct List {
    Waiter* head = nullptr;
    Waiter* tail = nullptr;
  };

  static void link(List& l, Waiter* w) noexcept {
    w->next_ = nullptr;
    w->prev_ = l.tail;
    if (l.tail) l.tail->next_ = w;
    l.tail = w;
    if (!l.head) l.head = w;
  }
  static void unlink(List& l, Waiter* w) noexcept {
    if (w->prev_) w->prev_->next_ = w->next_;
    if (w->next_) w->next_->prev_ = w->prev_;
    if (l.head == w) l.head = w->next_;
    if (l.tail == w) l.tail = w->prev_;
    w->prev_ = w->next_ = nullptr;
  }

  // A resumed coroutine runs until it suspends again; it may wake others (appended, resumed
  // by this same loop) or destroy listed waiters (they unlink themselves).
  void resume_ready() {
    while (Waiter* w = ready_.head) {
      unlink(ready_, w);
      // The next one's memory is cold (players are many): fetch it while this one runs.
      if (Waiter* next = ready_.head) {
        for (size_t off = 0; off < sizeof(Waiter); off += 64) {
          __builtin_prefetch(reinterpret_cast<const char*>(next) + off);
        }
      }
      w->ready_ = false;
      Waiter::Handler handler = std::move(*w->parked_);
      w->parked_.reset();
      ContextScope scope(w->context_);
      handler();  // `w` may be gone after this
    }
    resume_posted_ = false;
  }

  void shutdown() override {
    for (List* l : {&ready_, &parked_}) {
      while (Waiter* w = l->head) {
        unlink(*l, w);
        w->ready_ = false;
        // Freeing the handler frees the coroutine, which may own `w`: move it out first.
        std::optional<Waiter::Handler> parked = std::move(w->parked_);
        w->parked_.reset();
      }
    }
  }

  List parked_;
  List ready_;
  bool resume_posted_ = false;
};

namespace {
ContextId context_of(const Executor& ex) noexcept {
  if (const auto* c = ex.target<ContextExecutor>()) return c->context_id();
  return current_context();
}
}  // namespace

Waiter::Waiter(Executor ex)
    : timer_(ex),
      service_(&asio::use_service<WaiterService>(asio::query(ex, asio::execution::context))),
      context_(context_of(ex)) {}

// A coroutine still parked here is resumed, as a timer's pending wait completes when the
// timer goes.
Waiter::~Waiter() {
  if (!parked_) return;
  service_->forget(this);
  asio::post(std::move(*parked_));
}

awaitable<bool> Waiter::wait(Duration timeout) {
  if (notified_) {
    notified_ = false;
    co_return true;
  }
  waiting_ = true;
  timer_.expires_after(timeout);
  auto [ec] = co_await timer_.async_wait(use_nothrow);
  waiting_ = false;
  const bool woken = notified_;
  notified_ = false;
  (void)ec;  // aborted by notify() or by cancellation: notified_ tells which
  co_return woken;
}

awaitable<void> Waiter::wait() {
  if (!notified_) {
    co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
        [this](Handler handler) {
          // Cancellation (a task group stopping) resumes the coroutine like notify().
          auto slot = asio::get_associated_cancellation_slot(handler);
          if (slot.is_connected()) {
            slot.assign([this](asio::cancellation_type) {
              if (parked_) service_->wake(this);
            });
          }
          parked_.emplace(std::move(handler));
          service_->park(this);
        },
        asio::use_awaitable);
  }
  notified_ = false;
}

void Waiter::notify() noexcept {
  notified_ = true;
  if (parked_) {
    service_->wake(this);
  } else if (waiting_) {
    timer_.cancel();
  }
}

struct Deadline::State {
  explicit State(Executor ex) : timer(std::move(ex)) {}
  asio::steady_timer timer;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::function<void()> on_expire;
  bool stopped = false;
  bool expired = false;
  bool watching = false;
};

Deadline::Deadline(Executor ex, std::function<void()> on_expire)
    : state_(std::make_shared<State>(std::move(ex))) {
  state_->on_expire = std::move(on_expire);
}

Deadline::~Deadline() {
  cancel();
}

void Deadline::expires_after(Duration d) {
  state_->deadline = std::chrono::steady_clock::now() + d;
  if (state_->stopped || state_->expired) return;
  if (!state_->watching) {
    state_->watching = true;
    state_->timer.expires_at(
        std::min(state_->deadline, std::chrono::steady_clock::now() + kMaxWatchSleep));
    srs::spawn(state_->timer.get_executor(), watch(state_), "deadline");
  } else if (state_->deadline < state_->timer.expiry()) {
    // Sooner than the watcher's sleep (an idle timeout followed by a short header
    // timeout): re-arming the timer wakes it, and it sleeps again until the new deadline.
    state_->timer.expires_at(state_->deadline);
  }
}

void Deadline::cancel() {
  state_->stopped = true;
  state_->on_expire = nullptr;
  state_->timer.cancel();
}

bool Deadline::expired() const noexcept {
  return state_->expired;
}

awaitable<void> Deadline::watch(std::shared_ptr<State> state) {
  while (!state->stopped) {
    co_await state->timer.async_wait(use_nothrow);  // aborted or expired: re-check below
    if (state->stopped) break;
    const auto now = std::chrono::steady_clock::now();
    if (now >= state->deadline) {
      state->expired = true;
      state->watching = false;
      if (auto cb = std::move(state->on_expire)) cb();
      co_return;
    }
    state->timer.expires_at(std::min(state->deadline, now + kMaxWatchSleep));
  }
  state->watching = false;
}

TaskGroup::TaskGroup(Executor ex) : idle_(std::move(ex)) {}

TaskGroup::~TaskGroup() {
  *alive_ = false;
  stop();
}

void TaskGroup::spawn(Executor ex, awaitable<void> task, std::string name) {
  tasks_.emplace_front();
  auto it = tasks_.begin();
  std::weak_ptr<bool> alive = alive_;
  asio::co_spawn(
      std::move(ex), std::move(task),
      asio::bind_cancellation_slot(it->signal.slot(),
                                   [this, it, alive, name = std::move(name)](std::exception_ptr e) {
                                     if (e) detail::report_escaped(name, e);
                                     if (auto a = alive.lock(); a && *a) finished(it);
                                   }));
}

void TaskGroup::stop() {
  for (auto& t : tasks_) t.signal.emit(asio::cancellation_type::terminal);
}

void TaskGroup::finished(std::list<Task>::iterator it) {
  tasks_.erase(it);
  if (tasks_.empty()) idle_.notify();
}

awaitable<void> TaskGroup::join() {
  while (!tasks_.empty()) co_await idle_.wait();
}

}  // namespace srs
