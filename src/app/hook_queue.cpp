#include "app/hook_queue.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "protocol/http/client.hpp"

namespace srs {

namespace {
bool active(const HooksConfig& hooks, const std::vector<std::string>& urls) {
  return hooks.enabled && !urls.empty();
}
}  // namespace

HookQueue::HookQueue(asio::io_context& io) : io_(io) {}

size_t HookQueue::pending() const noexcept {
  return state_->jobs.size() + (state_->in_flight ? 1 : 0);
}

void HookQueue::on_dvr(const HooksConfig& hooks, const hooks::Client& c, std::string_view file) {
  if (!active(hooks, hooks.on_dvr)) return;
  post(Job{"on_dvr", hooks.on_dvr, hooks::dvr_body(c, hooks::current_dir(), file), 0});
}

void HookQueue::on_hls(const HooksConfig& hooks, const hooks::Client& c,
                       const HlsSegmentInfo& segment, int nb_notify) {
  if (active(hooks, hooks.on_hls)) {
    post(Job{"on_hls", hooks.on_hls, hooks::hls_body(c, hooks::current_dir(), segment), 0});
  }
  on_hls_notify(hooks, c, segment, nb_notify);
}

void HookQueue::on_hls_notify(const HooksConfig& hooks, const hooks::Client& c,
                              const HlsSegmentInfo& segment, int nb_notify) {
  if (!active(hooks, hooks.on_hls_notify)) return;
  Job job{"on_hls_notify", {}, {}, static_cast<size_t>(std::max(nb_notify, 0))};
  for (const std::string& tmpl : hooks.on_hls_notify) {
    job.urls.push_back(hooks::notify_url(tmpl, c, segment.uri));
  }
  post(std::move(job));
}

void HookQueue::post(Job job) {
  State& s = *state_;
  if (s.jobs.size() >= kMaxPending) {
    s.jobs.pop_front();
    // Once per burst, not once per dropped call.
    if (s.dropped++ == 0) log_warn("hook: receiver too slow, dropping queued calls");
  }
  s.jobs.push_back(std::move(job));
  if (s.running) return;
  s.running = true;
  spawn(context_executor(io_, current_context()), drain(state_), "hook queue");
}

awaitable<void> HookQueue::drain(std::shared_ptr<State> state) {
  while (!state->jobs.empty()) {
    Job job = std::move(state->jobs.front());
    state->jobs.pop_front();
    state->in_flight = true;
    if (job.body.empty()) {
      co_await run_notify(job);
    } else {
      // on_dvr / on_hls: a failure skips the remaining URLs and is logged by the chain.
      (void)co_await hooks::call_chain(job.event, job.urls, job.body);
    }
    state->in_flight = false;
  }
  if (state->dropped > 0) log_warn("hook: dropped {} queued calls", state->dropped);
  state->dropped = 0;
  state->running = false;
}

// §6: every URL is called; status, content and errors are ignored (logged at most).
awaitable<void> HookQueue::run_notify(const Job& job) {
  auto ex = co_await asio::this_coro::executor;
  for (const std::string& url : job.urls) {
    http::ClientOptions options;
    options.timeout = hooks::kNotifyTimeout;
    options.limits.max_body_bytes = job.nb_notify;
    options.truncate_body = true;
    http::Headers headers;
    headers.set("Content-Length", "0");  // §6: sent although a GET has no body
    std::string method = "GET", body;    // named: GCC 12 mishandles temporaries in a co_await
    auto r = co_await http::request(ex, std::move(method), url, std::move(headers), std::move(body),
                                    options);
    if (r) {
      log_trace("hook: on_hls_notify ok, url={}, status={}, read={}B", url, r->status,
                r->body.size());
    } else {
      log_warn("hook: on_hls_notify failed, url={}, {}", url, r.error());
    }
  }
}

}  // namespace srs
