#include "app/http_remux.hpp"

#include <algorithm>

#include "app/config.hpp"
#include "app/http_service.hpp"
#include "app/http_stream.hpp"
#include "app/request.hpp"
#include "app/server.hpp"
#include "core/log.hpp"

namespace srs {

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<RemuxFormat> remux_format_of(std::string_view mount) noexcept {
  if (ends_with(mount, ".flv")) return RemuxFormat::flv;
  if (ends_with(mount, ".ts")) return RemuxFormat::ts;
  if (ends_with(mount, ".mp3")) return RemuxFormat::mp3;
  if (ends_with(mount, ".aac")) return RemuxFormat::aac;
  return std::nullopt;
}

std::string_view content_type_of(RemuxFormat format) noexcept {
  switch (format) {
    case RemuxFormat::flv:
      return "video/x-flv";
    case RemuxFormat::ts:
      return "video/MP2T";
    case RemuxFormat::mp3:
      return "audio/mpeg";
    case RemuxFormat::aac:
      return "audio/x-aac";
  }
  return "application/octet-stream";
}

std::string_view to_string(RemuxFormat format) noexcept {
  switch (format) {
    case RemuxFormat::flv:
      return "flv";
    case RemuxFormat::ts:
      return "ts";
    case RemuxFormat::mp3:
      return "mp3";
    case RemuxFormat::aac:
      return "aac";
  }
  return "?";
}

std::string expand_vhost_mount(std::string_view vhost, std::string_view mount) {
  std::string expanded(mount);
  replace_all(expanded, "[vhost]", vhost);
  const std::string_view head(expanded);
  if (head.starts_with(kDefaultVhost) && head.substr(kDefaultVhost.size()).starts_with('/')) {
    expanded.erase(0, kDefaultVhost.size());  // keeps the '/'
  }
  return expanded;
}

std::string RemuxTarget::stream_url() const {
  StreamRequest r;  // one place builds stream keys, so HTTP and RTMP players meet
  r.vhost = vhost;
  r.app = app;
  r.stream = stream;
  return r.stream_url();
}

std::optional<RemuxMount> RemuxMount::make(std::string_view vhost, std::string_view mount) {
  RemuxMount m;
  m.vhost_ = std::string(vhost);
  auto format = remux_format_of(mount);
  if (!format) return std::nullopt;
  m.format_ = *format;
  const std::string expanded = expand_vhost_mount(vhost, mount);
  const size_t slash = expanded.find('/');
  if (slash == std::string::npos) return std::nullopt;
  m.host_ = expanded.substr(0, slash);
  m.path_ = expanded.substr(slash);
  // Split the path into literals and variables.
  std::string_view rest = m.path_;
  bool has_stream = false;
  while (!rest.empty()) {
    const size_t open = std::min(rest.find("[app]"), rest.find("[stream]"));
    if (open > 0) {
      m.tokens_.push_back(
          {Token::literal, std::string(rest.substr(0, std::min(open, rest.size())))});
    }
    if (open == std::string_view::npos) break;
    const bool app = rest.substr(open).starts_with("[app]");
    m.tokens_.push_back({app ? Token::app : Token::stream, {}});
    has_stream = has_stream || !app;
    rest.remove_prefix(open + (app ? 5 : 8));
  }
  if (!has_stream) return std::nullopt;
  return m;
}

std::optional<RemuxTarget> RemuxMount::match(std::string_view host, std::string_view path) const {
  if (!host_.empty() && host != host_) return std::nullopt;
  RemuxTarget t;
  if (!match_from(0, path, 0, t)) return std::nullopt;
  t.vhost = vhost_;
  t.format = format_;
  if (t.app.empty()) {
    // A mount without [app]: the app is the directory of the request, as 2.0 parses it.
    const size_t last = path.rfind('/');
    t.app =
        last == std::string_view::npos || last == 0 ? "" : std::string(path.substr(1, last - 1));
    if (t.app.empty()) return std::nullopt;
  }
  return t;
}

// Backtracking over at most two variables: the request path is bounded by the parser's
// URL limit, so the worst case stays small.
bool RemuxMount::match_from(size_t i, std::string_view path, size_t pos, RemuxTarget& out) const {
  if (i == tokens_.size()) return pos == path.size();
  const Token& tok = tokens_[i];
  if (tok.kind == Token::literal) {
    if (path.substr(pos).substr(0, tok.text.size()) != tok.text) return false;
    return match_from(i + 1, path, pos + tok.text.size(), out);
  }
  for (size_t end = pos + 1; end <= path.size(); ++end) {
    const std::string_view piece = path.substr(pos, end - pos);
    if (tok.kind == Token::stream && piece.back() == '/') break;
    if (tok.kind == Token::app && (piece.front() == '/' || piece.back() == '/')) continue;
    if (!match_from(i + 1, path, end, out)) continue;
    (tok.kind == Token::app ? out.app : out.stream) = std::string(piece);
    return true;
  }
  return false;
}

HttpRemux::HttpRemux(HttpService& service, http::Router& router)
    : service_(service), router_(router) {
  router_.add_matcher("http_remux", [this](const http::Request& req) { return route(req); });
}

HttpRemux::~HttpRemux() {
  router_.remove_matcher("http_remux");
}

void HttpRemux::rebuild(const Config& config) {
  mounts_.clear();
  for (const VhostConfig& v : config.vhosts()) {
    if (!v.enabled || !v.http_remux.enabled) continue;
    auto m = RemuxMount::make(v.name, v.http_remux.mount);
    if (!m) {
      log_warn(
          "http: vhost {} http_remux mount {} is not usable (needs [stream] and "
          ".flv/.ts/.mp3/.aac)",
          v.name, v.http_remux.mount);
      continue;
    }
    log_trace("http: remux {} mount {}{} for vhost {}", to_string(m->format()), m->host(),
              m->path(), v.name);
    mounts_.push_back(std::move(*m));
  }
  // A mount for a named host is more specific than one for any host.
  std::stable_partition(mounts_.begin(), mounts_.end(),
                        [](const RemuxMount& m) { return !m.host().empty(); });
}

http::HandlerPtr HttpRemux::route(const http::Request& req) const {
  for (const RemuxMount& m : mounts_) {
    auto target = m.match(req.host(), req.path);
    if (!target) continue;
    const VhostConfig* v = service_.server().config().find_vhost(target->vhost);
    if (!v || !v->http_remux.enabled) return nullptr;
    if (!v->http_remux.hstrs) {
      auto source = service_.sources().find(target->stream_url());
      if (!source || !source->publishing()) return nullptr;
    }
    return std::make_shared<LiveStream>(service_, std::move(*target));
  }
  return nullptr;
}

}  // namespace srs
