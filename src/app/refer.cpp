#include "app/refer.hpp"

#include <algorithm>

#include "app/access_error.hpp"

namespace srs {

std::string_view refer_host(std::string_view page_url) noexcept {
  std::string_view host = page_url;
  if (auto scheme = host.find("://"); scheme != std::string_view::npos) {
    host.remove_prefix(scheme + 3);
  }
  host = host.substr(0, host.find('/'));
  return host.substr(0, host.find(':'));
}

// 2.0 looks for the domain's first occurrence and requires it to end the host, which
// misses "a.com" in "a.com.a.com"; a plain suffix test allows everything 2.0 allows.
bool refer_allows(const std::vector<std::string>& domains, std::string_view page_url) {
  if (domains.empty()) return true;
  const std::string_view host = refer_host(page_url);
  if (host.empty()) return false;
  return std::ranges::any_of(
      domains, [host](const std::string& d) { return !d.empty() && host.ends_with(d); });
}

Result<> check_refer(const std::vector<std::string>& domains, std::string_view page_url) {
  if (refer_allows(domains, page_url)) return {};
  return fail(access_errc::refer_denied, "pageUrl=" + std::string(page_url));
}

}  // namespace srs
