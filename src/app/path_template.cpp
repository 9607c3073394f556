#include "app/path_template.hpp"

#include <ctime>

#include <fmt/format.h>

namespace srs {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

std::string expand_stream_vars(std::string_view tmpl, std::string_view vhost, std::string_view app,
                               std::string_view stream) {
  std::string s(tmpl);
  replace_all(s, "[vhost]", vhost);
  replace_all(s, "[app]", app);
  replace_all(s, "[stream]", stream);
  return s;
}

std::string expand_path(std::string_view tmpl, const PathVars& v) {
  std::string s = expand_stream_vars(tmpl, v.vhost, v.app, v.stream);
  if (s.find('[') == std::string::npos) return s;
  replace_all(s, "[timestamp]", fmt::format("{}", v.timestamp ? *v.timestamp : v.wall_ms));

  // Evaluated once, so every token shows the same instant.
  const std::time_t seconds = static_cast<std::time_t>(v.wall_ms / 1000);
  std::tm tm{};
  if (v.utc) {
    gmtime_r(&seconds, &tm);
  } else {
    localtime_r(&seconds, &tm);
  }
  replace_all(s, "[2006]", fmt::format("{:04d}", tm.tm_year + 1900));
  replace_all(s, "[01]", fmt::format("{:02d}", tm.tm_mon + 1));
  replace_all(s, "[02]", fmt::format("{:02d}", tm.tm_mday));
  replace_all(s, "[15]", fmt::format("{:02d}", tm.tm_hour));
  replace_all(s, "[04]", fmt::format("{:02d}", tm.tm_min));
  replace_all(s, "[05]", fmt::format("{:02d}", tm.tm_sec));
  replace_all(s, "[999]", fmt::format("{:03d}", static_cast<int>(v.wall_ms % 1000)));
  if (v.seq) replace_all(s, "[seq]", fmt::format("{}", *v.seq));
  return s;
}

std::string_view path_dirname(std::string_view path) noexcept {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  if (slash == 0) return path.substr(0, 1);  // "/a.ts" -> "/"
  return path.substr(0, slash);
}

}  // namespace srs
