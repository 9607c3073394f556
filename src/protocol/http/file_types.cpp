#include "protocol/http/file_types.hpp"

#include <charconv>

#include <fmt/format.h>

#include "protocol/http/error.hpp"
#include "protocol/http/headers.hpp"

namespace srs::http {

namespace {
struct Mime {
  std::string_view ext;
  std::string_view type;
};
constexpr Mime kMimeTypes[] = {
    {".ts", "video/MP2T"},
    {".flv", "video/x-flv"},
    {".m4v", "video/x-m4v"},
    {".3gpp", "video/3gpp"},
    {".3gp", "video/3gpp"},
    {".mp4", "video/mp4"},
    {".aac", "audio/x-aac"},
    {".mp3", "audio/mpeg"},
    {".m4a", "audio/x-m4a"},
    {".ogg", "audio/ogg"},
    {".m3u8", "application/vnd.apple.mpegurl"},
    {".rss", "application/rss+xml"},
    {".json", "application/json"},
    {".swf", "application/x-shockwave-flash"},
    {".doc", "application/msword"},
    {".zip", "application/zip"},
    {".rar", "application/x-rar-compressed"},
    {".xml", "text/xml"},
    {".html", "text/html"},
    {".js", "text/javascript"},
    {".css", "text/css"},
    {".txt", "text/plain"},
    {".ico", "image/x-icon"},
    {".png", "image/png"},
    {".jpeg", "image/jpeg"},
    {".jpg", "image/jpeg"},
    {".gif", "image/gif"},
};

std::optional<uint64_t> number(std::string_view s) {
  uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

constexpr std::optional<ByteRange> kIgnore = std::nullopt;
}  // namespace

std::string_view mime_type(std::string_view path) noexcept {
  const size_t slash = path.rfind('/');
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  const std::string_view ext = path.substr(dot);
  for (const auto& m : kMimeTypes) {
    if (iequals(m.ext, ext)) return m.type;
  }
  return "application/octet-stream";
}

Result<std::optional<ByteRange>> parse_byte_span(std::string_view span, uint64_t size) {
  span = trim(span);
  const size_t dash = span.find('-');
  if (dash == std::string_view::npos) return kIgnore;
  const std::string_view a = trim(span.substr(0, dash));
  const std::string_view b = trim(span.substr(dash + 1));
  if (a.empty()) {  // suffix: the last n bytes
    auto n = number(b);
    if (!n) return kIgnore;
    if (*n == 0 || size == 0) return fail(http_errc::range_not_satisfiable, "empty suffix");
    const uint64_t take = std::min(*n, size);
    return ByteRange{size - take, size - 1};
  }
  auto first = number(a);
  if (!first) return kIgnore;
  std::optional<uint64_t> last = b.empty() ? std::optional<uint64_t>(UINT64_MAX) : number(b);
  if (!last || *last < *first) return kIgnore;  // RFC 7233 2.1: invalid, so ignored
  if (*first >= size) return fail(http_errc::range_not_satisfiable, "range past the end");
  return ByteRange{*first, std::min(*last, size - 1)};
}

Result<std::optional<ByteRange>> parse_range(std::string_view header, uint64_t size) {
  header = trim(header);
  constexpr std::string_view kUnit = "bytes=";
  if (header.size() < kUnit.size() || !iequals(header.substr(0, kUnit.size()), kUnit)) {
    return kIgnore;
  }
  const std::string_view spec = header.substr(kUnit.size());
  if (spec.find(',') != std::string_view::npos) return kIgnore;  // one range only
  return parse_byte_span(spec, size);
}

std::string content_range(const ByteRange& r, uint64_t size) {
  return fmt::format("bytes {}-{}/{}", r.first, r.last, size);
}

std::string unsatisfied_range(uint64_t size) {
  return fmt::format("bytes */{}", size);
}

}  // namespace srs::http
