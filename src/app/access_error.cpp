#include "app/access_error.hpp"

#include <string>

namespace srs {

namespace {
class AccessCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "access"; }
  std::string message(int ev) const override {
    switch (static_cast<access_errc>(ev)) {
      case access_errc::refer_denied:
        return "refer denied";
      case access_errc::security_denied:
        return "security denied";
      case access_errc::hook_denied:
        return "http hook denied";
    }
    return "unknown access error";
  }
};
}  // namespace

const std::error_category& access_category() noexcept {
  static const AccessCategory category;
  return category;
}

}  // namespace srs
