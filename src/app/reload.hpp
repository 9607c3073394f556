// Who hears about a reload. A component that copied config values subscribes and gets
// every change of a successful reload, in the order of spec §6, together with the new
// config to read the values from. A failed reload (bad file, `mode` change) notifies
// nobody: the running config stays.
//
//   class HlsManager : public ReloadSubscriber {
//     void on_reload(const ConfigChange& c, const Config& config) override {
//       if (c.kind == ChangeKind::hls) restart_hls(c.vhost, config.vhost(c.vhost)->hls);
//     }
//   };
//   ReloadHub::Subscription sub = server.reload_hub().subscribe(&hls_manager);
#pragma once

#include <vector>

#include "app/config.hpp"

namespace srs {

class ReloadSubscriber {
 public:
  virtual ~ReloadSubscriber() = default;
  // Called once per change, synchronously in the reload; must not suspend. The Config is
  // the new one (already installed as the running config).
  virtual void on_reload(const ConfigChange& change, const Config& config) = 0;
};

class ReloadHub {
 public:
  // Keeps a subscriber registered for its own lifetime. Destroy it before the subscriber
  // goes away; the hub (owned by the Server) outlives every component's subscription.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(Subscription&& o) noexcept : hub_(o.hub_), sub_(o.sub_) { o.hub_ = nullptr; }
    Subscription& operator=(Subscription&& o) noexcept;
    ~Subscription() { reset(); }
    void reset();

   private:
    friend class ReloadHub;
    Subscription(ReloadHub* hub, ReloadSubscriber* sub) : hub_(hub), sub_(sub) {}
    ReloadHub* hub_ = nullptr;
    ReloadSubscriber* sub_ = nullptr;
  };

  ReloadHub() = default;
  ReloadHub(const ReloadHub&) = delete;
  ReloadHub& operator=(const ReloadHub&) = delete;
  ~ReloadHub();

  [[nodiscard]] Subscription subscribe(ReloadSubscriber* subscriber);
  // Hands every change to every subscriber (changes outer, subscribers in subscription
  // order inner). A subscriber may unsubscribe itself or others while being notified.
  void notify(const std::vector<ConfigChange>& changes, const Config& config);
  size_t size() const noexcept { return subscribers_.size(); }

 private:
  void unsubscribe(ReloadSubscriber* subscriber) noexcept;
  std::vector<ReloadSubscriber*> subscribers_;
};

}  // namespace srs
