#include "protocol/http/url.hpp"

#include <charconv>

#include <http_parser.h>

#include "protocol/http/error.hpp"
#include "protocol/http/headers.hpp"

namespace srs::http {

namespace {
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view field(std::string_view s, const http_parser_url& u, int f) noexcept {
  if (!(u.field_set & (1 << f))) return {};
  return s.substr(u.field_data[f].off, u.field_data[f].len);
}
}  // namespace

Result<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      const bool complete = i + 2 < in.size();
      const int hi = complete ? hex_value(in[i + 1]) : -1;
      const int lo = complete ? hex_value(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) return fail(http_errc::bad_request, "bad percent escape");
      char decoded = static_cast<char>(hi * 16 + lo);
      // A NUL would cut C strings (file paths) short of what the router checked.
      if (decoded == '\0') return fail(http_errc::bad_request, "percent-encoded NUL");
      out.push_back(decoded);
      i += 2;
    }
  }
  return out;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    if (auto k = percent_decode(key, true); k && *k == name) {
      std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      auto v = percent_decode(value, true);
      if (!v) return std::nullopt;
      return std::move(*v);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

Result<Target> split_target(std::string_view target) {
  if (target == "*") return Target{"*", ""};
  http_parser_url u;
  http_parser_url_init(&u);
  if (http_parser_parse_url(target.data(), target.size(), 0, &u) != 0) {
    return fail(http_errc::bad_request, "bad request target");
  }
  Target t;
  t.path = field(target, u, UF_PATH);
  if (t.path.empty()) t.path.push_back('/');  // not = "/": GCC 12 -O3 false stringop-overflow
  t.query = field(target, u, UF_QUERY);
  return t;
}

std::string Url::target() const {
  if (query.empty()) return path;
  return path + "?" + query;
}

Result<Url> parse_url(std::string_view url) {
  http_parser_url u;
  http_parser_url_init(&u);
  if (http_parser_parse_url(url.data(), url.size(), 0, &u) != 0) {
    return fail(http_errc::bad_url, std::string(url));
  }
  if (!iequals(field(url, u, UF_SCHEMA), "http")) {
    return fail(http_errc::bad_url, "only http:// is supported: " + std::string(url));
  }
  Url out;
  out.host = field(url, u, UF_HOST);
  if (out.host.empty()) return fail(http_errc::bad_url, "no host: " + std::string(url));
  if (u.field_set & (1 << UF_PORT)) out.port = u.port;
  std::string_view path = field(url, u, UF_PATH);
  if (!path.empty()) out.path = path;
  out.query = field(url, u, UF_QUERY);
  return out;
}

std::string_view strip_port(std::string_view host) noexcept {
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  size_t colon = host.rfind(':');
  if (colon == std::string_view::npos) return host;
  std::string_view port = host.substr(colon + 1);
  unsigned value = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || p != port.data() + port.size()) return host;
  return host.substr(0, colon);
}

}  // namespace srs::http
