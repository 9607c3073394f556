#include "core/error.hpp"

#include <asio/error.hpp>

namespace srs {

namespace {
class CoreCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "srs.core"; }
  std::string message(int ev) const override {
    switch (static_cast<core_errc>(ev)) {
      case core_errc::timeout:
        return "timeout";
      case core_errc::cancelled:
        return "cancelled";
      case core_errc::closed:
        return "closed by peer";
      case core_errc::invalid_argument:
        return "invalid argument";
      case core_errc::limit_exceeded:
        return "limit exceeded";
      case core_errc::io:
        return "i/o error";
    }
    return "unknown core error";
  }
};
}  // namespace

const std::error_category& core_category() noexcept {
  static const CoreCategory category;
  return category;
}

std::string Error::message() const {
  if (!code) return context;
  if (context.empty()) return code.message();
  return context + ": " + code.message();
}

bool is_normal_close(const Error& e) noexcept {
  const auto& c = e.code;
  return c == asio::error::eof || c == asio::error::connection_reset ||
         c == asio::error::broken_pipe || c == asio::error::operation_aborted ||
         c == core_errc::closed || c == core_errc::cancelled;
}

}  // namespace srs
