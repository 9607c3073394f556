#include "protocol/http/router.hpp"

#include <algorithm>

#include "protocol/http/response_writer.hpp"

namespace srs::http {

Result<> Router::handle(std::string_view pattern, HandlerPtr handler) {
  const size_t slash = pattern.find('/');
  if (slash == std::string_view::npos) {
    return fail(core_errc::invalid_argument, "http pattern without '/': " + std::string(pattern));
  }
  if (!handler)
    return fail(core_errc::invalid_argument, "null handler for " + std::string(pattern));
  auto [it, added] = entries_.try_emplace(std::string(pattern));
  if (!added) return fail(core_errc::invalid_argument, "duplicate pattern " + std::string(pattern));
  it->second.handler = std::move(handler);
  it->second.root = pattern.substr(slash) == "/";
  if (slash > 0) ++host_patterns_;
  return {};
}

bool Router::remove(std::string_view pattern) {
  auto it = entries_.find(pattern);
  if (it == entries_.end()) return false;
  if (pattern.front() != '/') --host_patterns_;
  entries_.erase(it);
  return true;
}

void Router::add_matcher(std::string name, Matcher matcher) {
  remove_matcher(name);
  matchers_.emplace_back(std::move(name), std::move(matcher));
}

bool Router::remove_matcher(std::string_view name) {
  return std::erase_if(matchers_, [&](const auto& m) { return m.first == name; }) > 0;
}

Router::Match Router::match_key(const Request& req, const std::string& key, size_t host_len) const {
  if (auto it = entries_.find(key); it != entries_.end()) {
    return {it->second.handler, it->first, {}};
  }
  // Only the subtree "/x/" is registered: send "/x" there (Go's implicit redirect).
  if (key.back() != '/' && entries_.contains(key + "/")) {
    std::string location = req.raw_path + "/";
    if (!req.query.empty()) location += "?" + req.query;
    return {nullptr, key + "/", std::move(location)};
  }
  // The longest subtree pattern: try each prefix ending in '/', longest first.
  for (size_t i = key.size(); i > host_len; --i) {
    if (key[i - 1] != '/') continue;
    auto it = entries_.find(std::string_view(key).substr(0, i));
    if (it != entries_.end()) return {it->second.handler, it->first, {}};
  }
  return {};
}

Router::Match Router::find(const Request& req) const {
  Match m;
  if (req.path.empty() || req.path.front() != '/') return m;  // "*" and friends
  const std::string_view host = req.host();
  if (host_patterns_ > 0 && !host.empty()) {
    m = match_key(req, std::string(host) + req.path, host.size());
  }
  if (!m.handler && m.redirect.empty()) m = match_key(req, req.path, 0);
  const bool root = m.handler && entries_.at(m.pattern).root;
  if (m.handler && !root) return m;
  if (!m.redirect.empty()) return m;
  for (const auto& [name, matcher] : matchers_) {
    if (HandlerPtr h = matcher(req)) return {std::move(h), name, {}};
  }
  return m;
}

awaitable<Result<>> Router::serve(Request& req, ResponseWriter& w) {
  // The match holds its handler, so removing the pattern mid-request is safe.
  Match m = find(req);
  if (m.handler) co_return co_await m.handler->serve(req, w);
  if (!m.redirect.empty()) {
    w.headers().set("Location", m.redirect);
    const std::string body = "Redirect to" + m.redirect;
    co_return co_await w.send(302, "text/plain; charset=utf-8", body);
  }
  co_return co_await w.send(404, "text/plain; charset=utf-8", "Not Found");
}

}  // namespace srs::http
