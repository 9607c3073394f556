#include "app/config_directive.hpp"

#include <fmt/format.h>

namespace srs {

namespace {
class ConfigCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "config"; }
  std::string message(int c) const override {
    switch (static_cast<config_errc>(c)) {
      case config_errc::parse:
        return "config syntax error";
      case config_errc::invalid:
        return "invalid config";
      case config_errc::io:
        return "cannot read config";
      case config_errc::reload_refused:
        return "config change needs a restart";
    }
    return "config error";
  }
};
}  // namespace

const std::error_category& config_category() noexcept {
  static const ConfigCategory category;
  return category;
}

const Directive* Directive::get(std::string_view n) const noexcept {
  for (const auto& c : children) {
    if (c.name == n) return &c;
  }
  return nullptr;
}

const Directive* Directive::get(std::string_view n, std::string_view arg0) const noexcept {
  for (const auto& c : children) {
    if (c.name == n && c.arg(0) == arg0) return &c;
  }
  return nullptr;
}

std::vector<const Directive*> Directive::all(std::string_view n) const {
  std::vector<const Directive*> out;
  for (const auto& c : children) {
    if (c.name == n) out.push_back(&c);
  }
  return out;
}

const std::string& Directive::arg(size_t i) const noexcept {
  static const std::string empty;
  return i < args.size() ? args[i] : empty;
}

std::unexpected<Error> directive_error(const Directive& d, std::string_view path,
                                       std::string_view what, config_errc code) {
  return fail(code, fmt::format("{}:{}: directive \"{}\": {}", d.file, d.line, path, what));
}

}  // namespace srs
