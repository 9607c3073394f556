// Config text: any bytes must parse or fail with an error that names the file and a line;
// whatever parses must build typed values and validate without crashing, and the parse
// must be deterministic (a reload of the same file gives the same tree, so no change).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/config.hpp"
#include "app/config_parser.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace srs;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // `include` reads files: the fuzzer must not wander the file system (nor block on a fifo).
  if (text.find("include") != std::string_view::npos) return 0;
  auto first = Config::parse(text, "fuzz.conf");
  if (!first) {
    SRS_FUZZ_CHECK(first.error().context.find("fuzz.conf") != std::string::npos);
    return 0;
  }
  (void)(*first)->validate();
  auto second = Config::parse(text, "fuzz.conf");
  SRS_FUZZ_CHECK(second.has_value());
  auto changes = Config::diff(**first, **second);
  SRS_FUZZ_CHECK(!changes || changes->empty());
  return 0;
}
