// Static-file helpers without I/O: MIME types by extension and byte ranges (RFC 7233).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace srs::http {

// The Content-Type of a file by its extension (any case), per spec hls-dvr §4.1 plus
// .txt; application/octet-stream for anything else.
std::string_view mime_type(std::string_view path) noexcept;

// An inclusive byte range of a representation.
struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;
  uint64_t length() const noexcept { return last - first + 1; }
};

// Parses a Range header for a representation of `size` bytes. Only one "bytes=" range
// is honoured: "a-b", "a-", "-n" (the last n bytes). An absent, malformed or multi-range
// header is ignored (empty optional: answer the whole file, RFC 7233 3.1 allows it). A
// well-formed range that selects nothing is http_errc::range_not_satisfiable (416).
Result<std::optional<ByteRange>> parse_range(std::string_view header, uint64_t size);
// The same for a bare "a-b" / "a-" / "-n" (the ?range= and ?bytes= query forms of .mp4).
Result<std::optional<ByteRange>> parse_byte_span(std::string_view span, uint64_t size);

// "bytes a-b/size", and "bytes */size" for a 416 answer.
std::string content_range(const ByteRange& r, uint64_t size);
std::string unsatisfied_range(uint64_t size);

}  // namespace srs::http
