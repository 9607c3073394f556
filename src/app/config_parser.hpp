// The nginx-style config grammar of SRS (shared/spec/config.md §1) as a pure function from
// text to a Directive tree. The root is a nameless directive whose children are the
// top-level directives. Errors name the file, the line and, when there is one, the
// directive: `srs.conf:7: directive "listen": missing ';' before '}'`.
#pragma once

#include <string>
#include <string_view>

#include "app/config_directive.hpp"
#include "core/error.hpp"

namespace srs {

// `include` nests at most this deep, which also stops a file that includes itself.
constexpr int kMaxIncludeDepth = 8;

// Parses text that came from `file` (used in error messages and as the base directory of
// `include`). An empty text yields an empty root; "conf is empty" is a validation error.
Result<Directive> parse_config_text(std::string_view text, const std::string& file);

// Reads and parses a file. `include path;` (a v5 extension) splices the directives of
// another file, relative to the including file, in place of the include line.
Result<Directive> parse_config_file(const std::string& path);

}  // namespace srs
