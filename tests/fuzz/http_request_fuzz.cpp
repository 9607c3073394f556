// HTTP request parsing and routing: any bytes, cut into any pieces, must give requests or a
// clear error with bounded memory; every parsed request is routed (patterns, host patterns,
// the live remux mount matcher) without a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/http_remux.hpp"
#include "fuzz_util.hpp"
#include "protocol/http/parser.hpp"
#include "protocol/http/router.hpp"

namespace {

srs::awaitable<srs::Result<>> never_called(srs::http::Request&, srs::http::ResponseWriter&) {
  co_return srs::Result<>{};
}

struct Routes {
  srs::http::Router router;
  std::optional<srs::RemuxMount> any_host =
      srs::RemuxMount::make("__defaultVhost__", "[vhost]/[app]/[stream].flv");
  std::optional<srs::RemuxMount> named =
      srs::RemuxMount::make("v.com", "[vhost]/hls/[app]/[stream].ts");
  Routes() {
    auto h = srs::http::make_handler(never_called);
    for (const char* p : {"/", "/api/", "/api/v1/", "/api/v1/versions", "/console/", "v.com/",
                          "v.com/live/", "/crossdomain.xml"}) {
      (void)router.handle(p, h);
    }
    router.add_matcher("remux", [this, h](const srs::http::Request& req) -> srs::http::HandlerPtr {
      if (any_host && any_host->match(req.host(), req.path)) return h;
      if (named && named->match(req.host(), req.path)) return h;
      return nullptr;
    });
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Routes routes;
  srs::fuzz::Splitter pieces(data, size);
  srs::http::ParserLimits limits;
  limits.max_header_bytes = 4096;  // small bounds so the limits are reached too
  limits.max_body_bytes = 8192;
  limits.max_url_bytes = 1024;
  srs::http::RequestParser parser(limits);
  for (auto piece = pieces.next(); !piece.empty(); piece = pieces.next()) {
    std::string_view rest(reinterpret_cast<const char*>(piece.data()), piece.size());
    while (!rest.empty()) {
      auto n = parser.feed(rest);
      if (!n) return 0;  // an error is final: the server answers and closes
      if (*n > rest.size()) std::abort();
      rest.remove_prefix(*n);
      if (!parser.ready()) {
        if (!rest.empty()) std::abort();  // a parser that is not done takes everything
        break;
      }
      srs::http::Request req = parser.take();
      if (req.body.size() > limits.max_body_bytes) std::abort();
      (void)routes.router.find(req);
      (void)req.query_param("callback");
    }
  }
  return 0;
}
