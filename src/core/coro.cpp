#include "core/coro.hpp"

#include <system_error>

#include <asio/error.hpp>

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

Waiter::Waiter(Executor ex) : timer_(std::move(ex)) {}

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

void Waiter::notify() noexcept {
  notified_ = true;
  if (waiting_) timer_.cancel();
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
