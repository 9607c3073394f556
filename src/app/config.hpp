// The parsed, typed configuration: an immutable snapshot shared by pointer. Reload builds
// a new snapshot and swaps it in; a component that copied values from the old one keeps
// them until it is told (reload.hpp) what changed.
//
//   auto config = Config::load("conf/srs.conf");        // parse + build typed values
//   if (!config) ...;                                     // syntax error, names file:line
//   if (auto ok = (*config)->validate(); !ok) ...;        // spec §5 rules, names file:line
//   const VhostConfig* v = (*config)->vhost("v.com");    // exact block or __defaultVhost__
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/config_change.hpp"
#include "app/config_directive.hpp"
#include "app/config_types.hpp"
#include "app/config_validate.hpp"
#include "core/error.hpp"

namespace srs {

// Command-line "dolphin" mode (-p/-x): applied to the tree before the typed values are
// built, and again on every reload so a reload does not undo them.
struct ConfigOverrides {
  std::optional<uint16_t> rtmp_port;  // -p: listen only on this port
  std::optional<uint16_t> http_port;  // -x: http_server on at this port
  bool any() const noexcept { return rtmp_port || http_port; }
};

class Config {
 public:
  using Ptr = std::shared_ptr<const Config>;

  // Reads and parses `path`; the result is not validated yet.
  static Result<Ptr> load(const std::string& path, const ConfigOverrides& overrides = {});
  // Parses text as if read from `file` (tests, the API's config readers).
  static Result<Ptr> parse(std::string_view text, const std::string& file = "srs.conf",
                           const ConfigOverrides& overrides = {});
  // Builds the typed values of an already parsed tree.
  static Ptr from_tree(Directive root, std::string path);

  // The rules of spec §5; the error names file:line and the directive.
  Result<> validate(const ValidationLimits& limits = ValidationLimits::of_process()) const;

  // What changed from `before` to `after`, in notification order (spec §6). Fails with
  // config_errc::reload_refused when a vhost's `mode` changed: such a file cannot be
  // applied while running, so the caller keeps `before`.
  static Result<std::vector<ConfigChange>> diff(const Config& before, const Config& after);

  const std::string& path() const noexcept { return path_; }
  const Directive& root() const noexcept { return root_; }
  const GlobalConfig& global() const noexcept { return global_; }
  // Every vhost block (the first one of each name), in file order.
  const std::vector<VhostConfig>& vhosts() const noexcept { return vhosts_; }

  // Settings for a vhost name: its own block, else __defaultVhost__, else nullptr.
  // Disabled blocks are returned too (config getters in 2.0 do not check `enabled`).
  const VhostConfig* vhost(std::string_view name) const noexcept;
  // The vhost a client asking for `name` gets (README "URLs" rule 7-8): the exact block,
  // else __defaultVhost__; nullptr when none or the one found is disabled.
  const VhostConfig* resolve_vhost(std::string_view name) const noexcept;
  // The exact block only (no fallback).
  const VhostConfig* find_vhost(std::string_view name) const noexcept;

  // The valid RTMP listen endpoints (validation guarantees all are valid).
  std::vector<Endpoint> listen_endpoints() const;
  // The port of the first `listen` entry, for the `[port]` variable (0 if none).
  int first_listen_port() const;

 private:
  Directive root_;
  std::string path_;
  GlobalConfig global_;
  std::vector<VhostConfig> vhosts_;
};

}  // namespace srs
