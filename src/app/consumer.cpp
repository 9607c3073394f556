#include "app/consumer.hpp"

#include <algorithm>

#include "app/source.hpp"

namespace srs {

// The GOP a consumer was primed with, read from the source's cache instead of copied:
// players are many, and each copy would hold a GOP's worth of entries.
struct Consumer::PrimedGop {
  std::shared_ptr<const std::vector<SharedMessagePtr>> messages;
  size_t next = 0;
  size_t end = 0;  // the cache goes on growing: what came later is in the log
};

Consumer::Consumer(std::shared_ptr<Source> source, Executor ex, ConsumerOptions options)
    : source_(std::move(source)), options_(options), waiter_(std::move(ex)) {}

Consumer::~Consumer() {
  if (source_) source_->remove_consumer(this);
}

const StreamLog& Consumer::log() const noexcept {
  return source_->log();
}

int64_t Consumer::correct(const SharedMessage& m, TimeJitter& jitter) const noexcept {
  if (source_->atc()) return m.timestamp();
  return jitter.correct(m.timestamp(), m.is_av(), source_->options().jitter);
}

void Consumer::prime_header(const SharedMessagePtr& msg, std::optional<int64_t> timestamp) {
  pending_.push_back(Pending{msg, timestamp});
}

void Consumer::prime_gop(std::shared_ptr<const std::vector<SharedMessagePtr>> gop) {
  if (gop->empty()) return;
  // A GOP longer than the queue may hold: its keyframe is out of reach (see the header).
  if (gop->back()->timestamp() - gop->front()->timestamp() > options_.queue_length_ms) {
    dropped_ += gop->size();
    wait_keyframe_ = true;
    return;
  }
  const size_t end = gop->size();
  primed_ = std::make_unique<PrimedGop>(PrimedGop{std::move(gop), 0, end});
}

size_t Consumer::queued() const noexcept {
  const size_t primed = primed_ ? primed_->end - primed_->next : 0;
  return pending_.size() + primed + static_cast<size_t>(log().end() - cursor_);
}

int64_t Consumer::hold_ms() const noexcept {
  if (options_.min_latency || !started_) return 0;
  if (congested_) return options_.merge_ms;
  if (options_.prompt_ms < 0) return options_.merge_ms / ConsumerOptions::kPromptShare;
  return std::min(options_.prompt_ms, options_.merge_ms);
}

bool Consumer::worth_a_write() const noexcept {
  if (paused_) return false;
  if (!pending_.empty() || primed_) return true;
  const StreamLog& log = this->log();
  if (cursor_ >= log.end()) return false;
  return log.back_time() - log[cursor_].time >= hold_ms();
}

awaitable<void> Consumer::wait() {
  enforce_queue_length();
  if (worth_a_write()) co_return;
  if (!paused_) source_->park(*this);
  co_await waiter_.wait();
  source_->unpark(*this);
}

size_t Consumer::fetch(std::vector<QueuedMessage>& out, size_t max) {
  if (paused_) return 0;
  enforce_queue_length();
  size_t n = fetch_pending(out, max);
  if (pending_.empty() && primed_) n += fetch_primed(out, max - n);
  if (pending_.empty() && !primed_) n += fetch_log(out, max - n);
  if (n > 0) started_ = true;
  return n;
}

size_t Consumer::fetch_pending(std::vector<QueuedMessage>& out, size_t max) {
  const size_t n = std::min(max, pending_.size());
  for (size_t i = 0; i < n; ++i) {
    const Pending& p = pending_[i];
    out.push_back(QueuedMessage{p.msg, p.timestamp ? *p.timestamp : correct(*p.msg)});
  }
  if (n == pending_.size()) {
    pending_ = {};  // give the memory back: players are many
  } else {
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(n));
  }
  return n;
}

size_t Consumer::fetch_primed(std::vector<QueuedMessage>& out, size_t max) {
  PrimedGop& p = *primed_;
  const std::vector<SharedMessagePtr>& gop = *p.messages;
  size_t n = 0;
  for (; n < max && p.next < p.end; ++n, ++p.next) {
    out.push_back(QueuedMessage{gop[p.next], correct(*gop[p.next])});
  }
  if (p.next == p.end) primed_.reset();
  return n;
}

size_t Consumer::fetch_log(std::vector<QueuedMessage>& out, size_t max) {
  const StreamLog& log = this->log();
  const bool atc = source_->atc();
  const JitterAlgorithm algorithm = source_->options().jitter;
  size_t n = 0;
  while (n < max && cursor_ < log.end()) {
    const LogEntry& e = log[cursor_++];
    const SharedMessage& m = *e.msg;
    const int64_t ts = atc ? m.timestamp() : jitter_.correct(m.timestamp(), m.is_av(), algorithm);
    if (wait_keyframe_ && m.is_av() && !m.is_sequence_header()) {
      if (!m.is_video_keyframe()) {
        ++dropped_;
        continue;
      }
      wait_keyframe_ = false;
    }
    out.push_back(QueuedMessage{e.msg, ts});
    ++n;
  }
  return n;
}

void Consumer::enforce_queue_length() {
  const StreamLog& log = this->log();
  if (cursor_ >= log.end()) return;
  const int64_t back = log.back_time();
  if (back - log[cursor_].time <= options_.queue_length_ms) return;
  bool video = false;
  for (uint64_t s = cursor_; s < log.end() && !video; ++s) video = log[s].msg->is_video();
  // Restart at the first keyframe (the first audio frame of a stream without video) from
  // which the unread messages fit the queue length again.
  uint64_t restart = log.end();
  for (uint64_t s = cursor_; s < log.end(); ++s) {
    const SharedMessage& m = *log[s].msg;
    const bool start = !m.is_sequence_header() && (video ? m.is_video_keyframe() : m.is_audio());
    if (start && back - log[s].time <= options_.queue_length_ms) {
      restart = s;
      break;
    }
  }
  restart_at(restart, restart < log.end(), video);
}

// Skips to `restart`, keeping the latest metadata and sequence headers among what is
// skipped; the skipped messages still pass the time jitter, so the timeline stays that of
// the stream.
void Consumer::restart_at(uint64_t restart, bool found, bool video) {
  const StreamLog& log = this->log();
  SharedMessagePtr metadata, audio_sh, video_sh;
  auto keep = [&](const SharedMessagePtr& m) {
    if (m->is_data()) metadata = m;
    if (m->is_audio_sequence_header()) audio_sh = m;
    if (m->is_video_sequence_header()) video_sh = m;
    return m->is_data() || m->is_sequence_header();
  };
  for (const Pending& p : pending_) keep(p.msg);
  if (primed_) dropped_ += primed_->end - primed_->next;
  primed_.reset();
  int64_t ts = 0;
  for (; cursor_ < restart; ++cursor_) {
    const SharedMessage& m = *log[cursor_].msg;
    const int64_t t = correct(m);
    if (m.is_av()) ts = t;
    if (!keep(log[cursor_].msg)) ++dropped_;
  }
  if (found) {
    TimeJitter probe = jitter_;  // the restart message's own time, without consuming it
    ts = correct(*log[restart].msg, probe);
  }
  pending_.clear();
  for (const SharedMessagePtr* h : {&metadata, &audio_sh, &video_sh}) {
    if (*h) pending_.push_back(Pending{*h, ts});
  }
  wait_keyframe_ = !found && video;
}

}  // namespace srs
