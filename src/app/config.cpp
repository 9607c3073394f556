#include "app/config.hpp"

#include <utility>

#include "app/config_build.hpp"
#include "app/config_parser.hpp"

namespace srs {

namespace {

// Sets the first `name` of `parent` to `args` (appending it when absent).
Directive& set_directive(Directive& parent, const std::string& name,
                         std::vector<std::string> args) {
  for (auto& c : parent.children) {
    if (c.name == name) {
      c.args = std::move(args);
      return c;
    }
  }
  parent.children.push_back(Directive{name, std::move(args), {}, parent.file, 0});
  return parent.children.back();
}

void apply_overrides(Directive& root, const ConfigOverrides& o) {
  if (!o.any()) return;
  // Dolphin mode runs in the foreground of a terminal, whatever the file says.
  set_directive(root, "daemon", {"off"});
  set_directive(root, "srs_log_tank", {"console"});
  if (o.rtmp_port) set_directive(root, "listen", {std::to_string(*o.rtmp_port)});
  if (o.http_port) {
    const std::string name = root.get("http_stream") ? "http_stream" : "http_server";
    Directive& http = set_directive(root, name, {});
    set_directive(http, "enabled", {"on"});
    set_directive(http, "listen", {std::to_string(*o.http_port)});
  }
}

}  // namespace

Result<Config::Ptr> Config::load(const std::string& path, const ConfigOverrides& overrides) {
  auto root = parse_config_file(path);
  if (!root) return std::unexpected(root.error());
  apply_overrides(*root, overrides);
  return from_tree(std::move(*root), path);
}

Result<Config::Ptr> Config::parse(std::string_view text, const std::string& file,
                                  const ConfigOverrides& overrides) {
  auto root = parse_config_text(text, file);
  if (!root) return std::unexpected(root.error());
  apply_overrides(*root, overrides);
  return from_tree(std::move(*root), file);
}

Config::Ptr Config::from_tree(Directive root, std::string path) {
  auto c = std::make_shared<Config>();
  c->root_ = std::move(root);
  c->path_ = std::move(path);
  c->global_ = build_global_config(c->root_);
  for (const Directive* v : c->root_.all("vhost")) {
    if (c->find_vhost(v->arg())) continue;  // a second block of the same name is ignored
    c->vhosts_.push_back(build_vhost_config(*v, c->global_.chunk_size));
  }
  return c;
}

Result<> Config::validate(const ValidationLimits& limits) const {
  return validate_config(root_, limits);
}

const VhostConfig* Config::find_vhost(std::string_view name) const noexcept {
  for (const auto& v : vhosts_) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

const VhostConfig* Config::vhost(std::string_view name) const noexcept {
  if (const VhostConfig* v = find_vhost(name)) return v;
  return find_vhost(kDefaultVhost);
}

const VhostConfig* Config::resolve_vhost(std::string_view name) const noexcept {
  const VhostConfig* v = vhost(name);
  return v && v->enabled ? v : nullptr;
}

std::vector<Endpoint> Config::listen_endpoints() const {
  std::vector<Endpoint> out;
  for (const auto& l : global_.listen) {
    if (auto e = parse_endpoint(l)) out.push_back(*e);
  }
  return out;
}

int Config::first_listen_port() const {
  if (global_.listen.empty()) return 0;
  auto e = parse_endpoint(global_.listen.front());
  return e ? e->port : 0;
}

}  // namespace srs
