#include "app/source_registry.hpp"

namespace srs {

std::shared_ptr<Source> SourceRegistry::fetch_or_create(const std::string& url,
                                                        const SourceOptions& options,
                                                        const std::string& vhost) {
  auto& slot = sources_[url];
  if (!slot) slot = std::make_shared<Source>(url, options, vhost);
  return slot;
}

std::shared_ptr<Source> SourceRegistry::find(const std::string& url) const {
  auto it = sources_.find(url);
  return it == sources_.end() ? nullptr : it->second;
}

size_t SourceRegistry::reap_idle() {
  // use_count 1: only the registry holds it (no publisher, consumer or bridge owner).
  return std::erase_if(sources_, [](const auto& kv) {
    return kv.second.use_count() == 1 && !kv.second->publishing();
  });
}

void SourceRegistry::for_each(const std::function<void(Source&)>& f) const {
  for (const auto& [url, source] : sources_) f(*source);
}

void SourceRegistry::prepare_publish(const std::shared_ptr<Source>& source,
                                     const StreamRequest& request) const {
  for (const Preparer& f : preparers_) f(source, request);
}

}  // namespace srs
