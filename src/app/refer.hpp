// `refer`, `refer_publish`, `refer_play`: the page a client says it was embedded in
// (RTMP connect pageUrl, HTTP Referer) must belong to one of the listed domains
// (config.md §4.4).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace srs {

// The host part of a page URL as 2.0 takes it: drop `scheme://`, cut at the first '/',
// then at the first ':' ("http://a.b.com:80/x" -> "a.b.com").
std::string_view refer_host(std::string_view page_url) noexcept;

// True when `domains` is empty (no rule), or the page URL's host ends with one of them
// ("github.io" matches "ossrs.github.io"). An empty page URL never matches a rule.
bool refer_allows(const std::vector<std::string>& domains, std::string_view page_url);

// refer_allows as a Result: access_errc::refer_denied naming the page URL.
Result<> check_refer(const std::vector<std::string>& domains, std::string_view page_url);

}  // namespace srs
