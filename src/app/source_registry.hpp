// All sources of the process, by stream key. A source is created by the first publisher or
// player of a stream and kept while anyone uses it, so a republish finds its waiting players.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/request.hpp"
#include "app/source.hpp"

namespace srs {

class SourceRegistry {
 public:
  // The source for `url`, created with `options` if it does not exist yet.
  std::shared_ptr<Source> fetch_or_create(const std::string& url, const SourceOptions& options,
                                          const std::string& vhost = {});
  std::shared_ptr<Source> find(const std::string& url) const;
  // Drops sources nobody publishes or plays (called from housekeeping).
  size_t reap_idle();
  size_t size() const noexcept { return sources_.size(); }
  void for_each(const std::function<void(Source&)>& f) const;

  // Components that attach bridges (HLS, DVR) to a source before it is published.
  using Preparer = std::function<void(const std::shared_ptr<Source>&, const StreamRequest&)>;
  void on_prepare_publish(Preparer f) { preparers_.push_back(std::move(f)); }
  // Every publisher calls this right before Source::acquire_publish; `request` names the
  // resolved vhost, app and stream.
  void prepare_publish(const std::shared_ptr<Source>& source, const StreamRequest& request) const;

 private:
  std::unordered_map<std::string, std::shared_ptr<Source>> sources_;
  std::vector<Preparer> preparers_;
};

}  // namespace srs
