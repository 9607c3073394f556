#include "app/consumer.hpp"

#include <algorithm>

#include "app/source.hpp"

namespace srs {

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
  dropped_ += queue_.push(msg, timestamp);
  if (waiter_.waiting() && worth_a_write()) waiter_.notify();
}

bool Consumer::worth_a_write() const noexcept {
  if (paused_ || queue_.empty()) return false;
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
  const size_t n = queue_.pop_into(out, max);
  if (n > 0) started_ = true;
  return n;
}

}  // namespace srs
