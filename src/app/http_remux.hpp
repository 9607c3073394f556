// Live remux mounts (spec config §4.9 http_remux, hls-dvr §4.2): which request path plays
// which stream, in which format.
//
// A vhost's `http_remux.mount` is a template such as `[vhost]/[app]/[stream].flv`. It is
// expanded for its vhost (`[vhost]` replaced; a leading `__defaultVhost__/` becomes `/`),
// and what stands before the first '/' is a host the request's Host must name. A request
// path is matched against the rest in reverse: `[app]` takes one or more characters (an
// app may hold '/'), `[stream]` one or more characters without '/', everything else must
// match literally. The extension of the mount selects the format.
//
// Instead of registering a pattern per published stream (2.0), one router matcher asks
// every mount, so a request for a stream that is not published yet finds its mount too
// (hstrs), and a reload only swaps the list.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/config_types.hpp"
#include "protocol/http/router.hpp"

namespace srs {

class Config;
class HttpService;

enum class RemuxFormat { flv, ts, mp3, aac };
// By the mount's extension; nullopt for any other.
std::optional<RemuxFormat> remux_format_of(std::string_view mount) noexcept;
std::string_view content_type_of(RemuxFormat format) noexcept;
std::string_view to_string(RemuxFormat format) noexcept;

// A mount template for `vhost`: `[vhost]` replaced, and a leading `__defaultVhost__/`
// made `/` (static and remux mounts alike, spec hls-dvr §4).
std::string expand_vhost_mount(std::string_view vhost, std::string_view mount);

// What a request asked to play.
struct RemuxTarget {
  std::string vhost;  // the vhost block's name
  std::string app;
  std::string stream;
  RemuxFormat format = RemuxFormat::flv;
  // The stream key, as RTMP builds it: vhost/app/stream, /app/stream for the default vhost.
  std::string stream_url() const;
};

class RemuxMount {
 public:
  // nullopt when the template has no known extension or no `[stream]`.
  static std::optional<RemuxMount> make(std::string_view vhost, std::string_view mount);

  // The stream a request plays, or nullopt. `host` is the Host header without its port.
  std::optional<RemuxTarget> match(std::string_view host, std::string_view path) const;

  const std::string& vhost() const noexcept { return vhost_; }
  const std::string& host() const noexcept { return host_; }  // "" = any host
  const std::string& path() const noexcept { return path_; }  // the template's path part
  RemuxFormat format() const noexcept { return format_; }

 private:
  struct Token {
    enum Kind { literal, app, stream } kind;
    std::string text;
  };
  bool match_from(size_t token, std::string_view path, size_t pos, RemuxTarget& out) const;

  std::string vhost_;
  std::string host_;
  std::string path_;
  RemuxFormat format_ = RemuxFormat::flv;
  std::vector<Token> tokens_;
};

// The mounts of every enabled vhost with http_remux on, as one matcher on the server
// router. rebuild() follows reload (a changed mount remounts; 2.0 could not).
class HttpRemux {
 public:
  HttpRemux(HttpService& service, http::Router& router);
  ~HttpRemux();
  HttpRemux(const HttpRemux&) = delete;
  HttpRemux& operator=(const HttpRemux&) = delete;

  void rebuild(const Config& config);
  const std::vector<RemuxMount>& mounts() const noexcept { return mounts_; }
  // The handler for a request, or null: no mount matches, or the stream is not published
  // and its vhost has hstrs off (the request falls through to static files).
  http::HandlerPtr route(const http::Request& req) const;

 private:
  HttpService& service_;
  http::Router& router_;
  std::vector<RemuxMount> mounts_;  // host-specific mounts first
};

}  // namespace srs
