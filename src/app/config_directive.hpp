// The config file as a tree: every directive keeps its name, arguments, children and the
// place it was written (file:line), so validation and reload errors can point at it.
// Lookups follow SRS 2.0: the first directive with a name wins, later ones are ignored.
#pragma once

#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/error.hpp"

namespace srs {

enum class config_errc {
  parse = 1,      // the text does not follow the grammar
  invalid,        // a directive breaks a validation rule
  io,             // the file cannot be read
  reload_refused  // the new file changes something that cannot change while running
};
const std::error_category& config_category() noexcept;
inline std::error_code make_error_code(config_errc e) noexcept {
  return {static_cast<int>(e), config_category()};
}

struct Directive {
  std::string name;
  std::vector<std::string> args;
  std::vector<Directive> children;
  std::string file;  // where it was written; not part of equality
  int line = 0;

  // The first child named `name`, or nullptr.
  const Directive* get(std::string_view name) const noexcept;
  // The first child named `name` whose first argument is `arg0` (vhost, ingest lookups).
  const Directive* get(std::string_view name, std::string_view arg0) const noexcept;
  // Every child named `name`, in file order (stream_caster, engine, allow/deny).
  std::vector<const Directive*> all(std::string_view name) const;
  // The i-th argument, or "" when absent.
  const std::string& arg(size_t i = 0) const noexcept;
  bool has_arg() const noexcept { return !args.empty(); }
  bool is_block() const noexcept { return !children.empty(); }

  // Deep, order-sensitive equality of names, arguments and children (what reload compares).
  friend bool operator==(const Directive& a, const Directive& b) noexcept {
    return a.name == b.name && a.args == b.args && a.children == b.children;
  }
};

// An error about one directive: "conf/srs.conf:12: directive "vhost.hls": <what>".
std::unexpected<Error> directive_error(const Directive& d, std::string_view path,
                                       std::string_view what,
                                       config_errc code = config_errc::invalid);

}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::config_errc> : true_type {};
}  // namespace std
