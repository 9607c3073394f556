#include "protocol/http/error.hpp"

#include <string>

namespace srs {

namespace {
class HttpCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "srs.http"; }
  std::string message(int ev) const override {
    switch (static_cast<http_errc>(ev)) {
      case http_errc::bad_request:
        return "bad request";
      case http_errc::header_too_large:
        return "header block too large";
      case http_errc::too_many_headers:
        return "too many header fields";
      case http_errc::url_too_long:
        return "URL too long";
      case http_errc::body_too_large:
        return "body too large";
      case http_errc::bad_url:
        return "bad URL";
      case http_errc::bad_response:
        return "bad HTTP response";
      case http_errc::response_too_large:
        return "HTTP response too large";
      case http_errc::incomplete:
        return "HTTP message incomplete";
      case http_errc::not_found:
        return "not found";
      case http_errc::forbidden:
        return "forbidden";
      case http_errc::range_not_satisfiable:
        return "range not satisfiable";
    }
    return "unknown http error";
  }
};
}  // namespace

const std::error_category& http_category() noexcept {
  static const HttpCategory category;
  return category;
}

namespace http {
int status_for(const std::error_code& code) noexcept {
  if (code.category() != http_category()) return 400;
  switch (static_cast<http_errc>(code.value())) {
    case http_errc::header_too_large:
    case http_errc::too_many_headers:
      return 431;
    case http_errc::url_too_long:
      return 414;
    case http_errc::body_too_large:
      return 413;
    case http_errc::not_found:
      return 404;
    case http_errc::forbidden:
      return 403;
    case http_errc::range_not_satisfiable:
      return 416;
    default:
      return 400;
  }
}
}  // namespace http

}  // namespace srs
