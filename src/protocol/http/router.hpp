// The serve mux: which handler answers a request, Go ServeMux style (spec http-api §1
// Routing, hls-dvr §4).
//
// - A pattern "/a/b" matches only that path; "/a/" matches its whole subtree. The longest
//   matching pattern wins.
// - A pattern may start with a host, "v.com/live/": it only matches requests whose Host
//   (port removed) is v.com, and host patterns are tried before host-less ones.
// - "/x" with only "/x/" registered answers 302 Location "/x/" (query kept).
// - Nothing matches: 404 text/plain "Not Found".
// - Matchers (live streams claiming paths by template) are asked, in the order they were
//   added, when no pattern matched or only a root "/" did: a live mount beats the static
//   root but never a more specific pattern.
// Patterns and matchers can be added and removed at any time (reload); a request keeps the
// handler it was dispatched to until it ends.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/http/handler.hpp"

namespace srs::http {

class Router final : public Handler {
 public:
  using Matcher = std::function<HandlerPtr(const Request&)>;

  struct Match {
    HandlerPtr handler;    // null: no handler (see redirect, else 404)
    std::string pattern;   // the pattern or matcher name that matched
    std::string redirect;  // non-empty: answer 302 with this Location
  };

  // Registers a pattern. Errors (core_errc::invalid_argument): no '/' in it, a null
  // handler, or the pattern is already registered (remove it first to replace it).
  Result<> handle(std::string_view pattern, HandlerPtr handler);
  bool remove(std::string_view pattern);
  bool has(std::string_view pattern) const { return entries_.contains(std::string(pattern)); }

  // Adds a matcher under `name` (replacing one of the same name).
  void add_matcher(std::string name, Matcher matcher);
  bool remove_matcher(std::string_view name);

  // Resolves a request without answering it.
  Match find(const Request& req) const;
  // Dispatches to the matched handler, or answers the redirect / 404 itself.
  awaitable<Result<>> serve(Request& req, ResponseWriter& w) override;

 private:
  struct Entry {
    HandlerPtr handler;
    bool root = false;  // the path part is "/": a catch-all matchers may override
  };
  // Matches `key` (a path, or host + path with the host `host_len` long).
  Match match_key(const Request& req, const std::string& key, size_t host_len) const;

  std::map<std::string, Entry, std::less<>> entries_;
  size_t host_patterns_ = 0;
  std::vector<std::pair<std::string, Matcher>> matchers_;
};

}  // namespace srs::http
