#include "app/consumer.hpp"

#include <algorithm>

#include "app/source.hpp"

namespace srs {

// The GOP a consumer was primed with, read from the source's cache instead of copied into
// the queue: players are many, and each copy would hold a GOP's worth of queue slots. Its
// timestamps are made at fetch by replaying the time jitter from where it stood at priming;
// live messages queued meanwhile were corrected after the GOP, so the order is kept.
struct Consumer::PrimedGop {
  std::shared_ptr<const std::vector<SharedMessagePtr>> messages;
  size_t next = 0;
  size_t end = 0;
  size_t headers = 0;  // queued messages (metadata, sequence headers) that go before it
  TimeJitter jitter;
  bool atc = false;
  JitterAlgorithm algorithm = JitterAlgorithm::full;
};

Consumer::Consumer(std::shared_ptr<Source> source, Executor ex, ConsumerOptions options)
    : source_(std::move(source)),
      options_(options),
      queue_(options.queue_length_ms),
      waiter_(std::move(ex)) {}

Consumer::~Consumer() {
  if (source_) source_->remove_consumer(this);
}

void Consumer::set_options(const ConsumerOptions& options) {
  options_ = options;
  queue_.set_max_duration_ms(options.queue_length_ms);
}

void Consumer::enqueue(const SharedMessagePtr& msg, bool atc, JitterAlgorithm jitter) {
  const int64_t ts =
      atc ? msg->timestamp() : jitter_.correct(msg->timestamp(), msg->is_av(), jitter);
  enqueue_at(msg, ts);
}

void Consumer::enqueue_at(const SharedMessagePtr& msg, int64_t timestamp) {
  if (const size_t dropped = queue_.push(msg, timestamp); dropped > 0) {
    dropped_ += dropped;
    // The queue restarted at a newer keyframe: the primed GOP is older still.
    drop_primed_gop();
  }
  if (waiter_.waiting() && worth_a_write()) waiter_.notify();
}

void Consumer::prime_gop(std::shared_ptr<const std::vector<SharedMessagePtr>> gop, bool atc,
                         JitterAlgorithm jitter) {
  if (gop->empty()) return;
  // A GOP longer than the queue may hold goes through the queue's overflow policy.
  if (gop->back()->timestamp() - gop->front()->timestamp() > options_.queue_length_ms) {
    for (const SharedMessagePtr& m : *gop) enqueue(m, atc, jitter);
    return;
  }
  auto p = std::make_unique<PrimedGop>();
  p->end = gop->size();
  p->headers = queue_.size();
  p->jitter = jitter_;
  p->atc = atc;
  p->algorithm = jitter;
  if (!atc) {
    for (const SharedMessagePtr& m : *gop) jitter_.correct(m->timestamp(), m->is_av(), jitter);
  }
  p->messages = std::move(gop);
  primed_ = std::move(p);
  if (waiter_.waiting()) waiter_.notify();
}

void Consumer::drop_primed_gop() noexcept {
  if (!primed_) return;
  dropped_ += primed_->end - primed_->next;
  primed_.reset();
}

size_t Consumer::queued() const noexcept {
  return queue_.size() + (primed_ ? primed_->end - primed_->next : 0);
}

bool Consumer::worth_a_write() const noexcept {
  if (paused_) return false;
  if (primed_) return true;
  if (queue_.empty()) return false;
  if (options_.min_latency || !started_) return true;
  const int64_t prompt = options_.prompt_ms < 0 ? options_.merge_ms / ConsumerOptions::kPromptShare
                                                : std::min(options_.prompt_ms, options_.merge_ms);
  const int64_t hold = congested_ ? options_.merge_ms : prompt;
  return queue_.duration_ms() >= hold;
}

awaitable<void> Consumer::wait(Duration timeout) {
  if (worth_a_write()) co_return;
  co_await waiter_.wait(timeout);
}

size_t Consumer::fetch(std::vector<QueuedMessage>& out, size_t max) {
  if (paused_) return 0;
  size_t n = primed_ ? fetch_primed(out, max) : 0;
  if (!primed_ && n < max) n += queue_.pop_into(out, max - n);
  if (n > 0) started_ = true;
  return n;
}

size_t Consumer::fetch_primed(std::vector<QueuedMessage>& out, size_t max) {
  PrimedGop& p = *primed_;
  size_t n = 0;
  if (p.headers > 0 && max > 0) {
    n = queue_.pop_into(out, std::min(max, p.headers));
    p.headers -= n;
    if (p.headers > 0) return n;
  }
  for (; n < max && p.next < p.end; ++n, ++p.next) {
    const SharedMessagePtr& m = (*p.messages)[p.next];
    const int64_t ts =
        p.atc ? m->timestamp() : p.jitter.correct(m->timestamp(), m->is_av(), p.algorithm);
    out.push_back(QueuedMessage{m, ts});
  }
  if (p.next == p.end) primed_.reset();
  return n;
}

}  // namespace srs
