// The vhost `security` block: IP allow/deny rules for publishers and players
// (config.md §4.4). Evaluated per session against the config current at that moment.
#pragma once

#include <string_view>

#include "app/config_types.hpp"
#include "core/error.hpp"

namespace srs {

enum class AccessKind { play, publish };
std::string_view access_kind_name(AccessKind kind) noexcept;

// The exact 2.0 decision: disabled → allow. Enabled → deny unless an `allow` rule matches
// the kind and (`all` or the exact IP text); then any matching `deny` rule denies (deny
// wins over allow).
bool security_allows(const SecurityConfig& security, AccessKind kind, std::string_view ip);

// security_allows as a Result: access_errc::security_denied naming the kind and IP.
Result<> check_security(const SecurityConfig& security, AccessKind kind, std::string_view ip);

}  // namespace srs
