// Why a client was refused by access control: refer, security rules or an HTTP hook
// (config.md §4.4, http-hooks.md §2). Connections compare these codes to tell a refusal
// from an I/O failure; the context says which rule, URL or answer refused.
#pragma once

#include <system_error>

namespace srs {

enum class access_errc {
  refer_denied = 1,  // pageUrl does not match refer / refer_publish / refer_play
  security_denied,   // the security allow/deny rules refuse this IP
  hook_denied,       // an on_connect / on_publish / on_play hook did not allow it
};
const std::error_category& access_category() noexcept;
inline std::error_code make_error_code(access_errc e) noexcept {
  return {static_cast<int>(e), access_category()};
}

}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::access_errc> : true_type {};
}  // namespace std
