#include "app/reload.hpp"

#include <algorithm>

namespace srs {

ReloadHub::Subscription& ReloadHub::Subscription::operator=(Subscription&& o) noexcept {
  if (this != &o) {
    reset();
    hub_ = o.hub_;
    sub_ = o.sub_;
    o.hub_ = nullptr;
  }
  return *this;
}

void ReloadHub::Subscription::reset() {
  if (hub_) hub_->unsubscribe(sub_);
  hub_ = nullptr;
}

ReloadHub::~ReloadHub() = default;

ReloadHub::Subscription ReloadHub::subscribe(ReloadSubscriber* subscriber) {
  subscribers_.push_back(subscriber);
  return Subscription(this, subscriber);
}

void ReloadHub::unsubscribe(ReloadSubscriber* subscriber) noexcept {
  std::erase(subscribers_, subscriber);
}

void ReloadHub::notify(const std::vector<ConfigChange>& changes, const Config& config) {
  for (const auto& change : changes) {
    // A copy, because a subscriber may (un)subscribe while we iterate; one that left
    // during this round is skipped.
    const auto round = subscribers_;
    for (ReloadSubscriber* s : round) {
      if (std::find(subscribers_.begin(), subscribers_.end(), s) != subscribers_.end()) {
        s->on_reload(change, config);
      }
    }
  }
}

}  // namespace srs
