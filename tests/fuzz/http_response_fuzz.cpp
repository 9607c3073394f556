// The HTTP client's response parsing (hooks, heartbeat): any answer, cut into any pieces,
// gives a response or a clear error, with the body bounded by the limit.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.hpp"
#include "protocol/http/parser.hpp"

namespace {

void parse(const uint8_t* data, size_t size, bool head, bool truncate) {
  srs::fuzz::Splitter pieces(data, size);
  srs::http::ParserLimits limits;
  limits.max_header_bytes = 4096;
  limits.max_body_bytes = 8192;
  srs::http::ResponseParser parser(limits, head, truncate);
  for (auto piece = pieces.next(); !piece.empty(); piece = pieces.next()) {
    std::string_view rest(reinterpret_cast<const char*>(piece.data()), piece.size());
    auto n = parser.feed(rest);
    if (!n) return;
    if (*n > rest.size()) std::abort();
    if (parser.ready()) break;
  }
  if (!parser.ready() && !parser.finish()) return;
  if (!parser.ready()) return;
  srs::http::Response r = parser.take();
  if (r.body.size() > limits.max_body_bytes) std::abort();
  if (head && !r.body.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const uint8_t flags = size > 0 ? data[0] : 0;  // also the splitter's mode byte
  parse(data, size, (flags & 0x40) != 0, (flags & 0x80) != 0);
  return 0;
}
