#include "app/request.hpp"

#include <algorithm>

namespace srs {

namespace {

// `,` `...` `&&` `&` `=` all stand for `?` inside app and stream names (spec rule 3).
std::string normalize_separators(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s.substr(i, 3) == "...") {
      out += '?';
      i += 3;
    } else if (s.substr(i, 2) == "&&") {
      out += '?';
      i += 2;
    } else if (s[i] == ',' || s[i] == '&' || s[i] == '=') {
      out += '?';
      ++i;
    } else {
      out += s[i++];
    }
  }
  return out;
}

std::string strip_blanks(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out += c;
  }
  return out;
}

std::string trim_slashes(std::string s) {
  const size_t b = s.find_first_not_of('/');
  if (b == std::string::npos) return {};
  const size_t e = s.find_last_not_of('/');
  return s.substr(b, e - b + 1);
}

// The name before the first separator, and a `vhost` value found among the parameters.
std::string cut_name(std::string_view raw, std::string* vhost) {
  const std::string n = normalize_separators(raw);
  const size_t q = n.find('?');
  std::string name = n.substr(0, q);
  if (q != std::string::npos) {
    const size_t v = n.find("vhost?", q);
    if (v != std::string::npos) {
      const size_t start = v + 6;
      const size_t end = n.find('?', start);
      *vhost = n.substr(start, end == std::string::npos ? std::string::npos : end - start);
    }
  }
  return name;
}

std::string param_of(std::string_view raw) {
  const size_t q = raw.find('?');
  return q == std::string_view::npos ? std::string() : std::string(raw.substr(q));
}

}  // namespace

void StreamRequest::set_tc_url(std::string_view url) {
  tc_url = std::string(url);
  std::string_view rest = tc_url;
  const size_t s = rest.find("://");
  if (s != std::string_view::npos) {
    schema = std::string(rest.substr(0, s));
    rest.remove_prefix(s + 3);
  } else {
    schema.clear();
  }
  const size_t slash = rest.find('/');
  std::string hostport(rest.substr(0, slash));
  raw_app_ = slash == std::string_view::npos ? std::string() : std::string(rest.substr(slash + 1));
  const size_t colon = hostport.find(':');
  host = hostport.substr(0, colon);
  port = colon == std::string::npos ? "1935" : hostport.substr(colon + 1);
  std::erase(host, '/');
  resolve();
}

void StreamRequest::set_stream(std::string_view name) {
  raw_stream_ = std::string(name);
  resolve();
}

void StreamRequest::resolve() {
  std::string vhost_from_app, vhost_from_stream;
  std::string a = cut_name(raw_app_, &vhost_from_app);
  std::string st = cut_name(raw_stream_, &vhost_from_stream);
  constexpr std::string_view kDefinst = "/_definst_";
  if (a.size() >= kDefinst.size() && a.ends_with(kDefinst)) a.resize(a.size() - kDefinst.size());
  app = trim_slashes(strip_blanks(a));
  stream = trim_slashes(strip_blanks(st));
  vhost = host;
  if (!vhost_from_app.empty()) vhost = vhost_from_app;
  if (!vhost_from_stream.empty()) vhost = vhost_from_stream;
  std::erase(vhost, '/');
  const std::string stream_param = param_of(raw_stream_);
  param = stream_param.empty() ? param_of(raw_app_) : stream_param;
  if (param == "?vhost=__defaultVhost__") param.clear();
}

bool StreamRequest::complete() const noexcept {
  return !schema.empty() && !vhost.empty() && !port.empty() && !app.empty() && !stream.empty();
}

std::string StreamRequest::stream_url() const {
  std::string url = vhost == kDefaultVhost ? std::string() : vhost;
  url += '/';
  url += app;
  url += '/';
  url += stream;
  return url;
}

}  // namespace srs
