#include "app/security.hpp"

#include <algorithm>
#include <string>

#include "app/access_error.hpp"

namespace srs {

namespace {
bool matches(const SecurityRule& rule, AccessKind kind, std::string_view ip) {
  return rule.method == access_kind_name(kind) && (rule.target == "all" || rule.target == ip);
}

bool any_rule(const SecurityConfig& s, bool allow, AccessKind kind, std::string_view ip) {
  return std::ranges::any_of(
      s.rules, [&](const SecurityRule& r) { return r.allow == allow && matches(r, kind, ip); });
}
}  // namespace

std::string_view access_kind_name(AccessKind kind) noexcept {
  return kind == AccessKind::play ? "play" : "publish";
}

bool security_allows(const SecurityConfig& security, AccessKind kind, std::string_view ip) {
  if (!security.enabled) return true;
  if (!any_rule(security, true, kind, ip)) return false;
  return !any_rule(security, false, kind, ip);
}

Result<> check_security(const SecurityConfig& security, AccessKind kind, std::string_view ip) {
  if (security_allows(security, kind, ip)) return {};
  return fail(access_errc::security_denied,
              std::string(access_kind_name(kind)) + " from " + std::string(ip));
}

}  // namespace srs
