// tcUrl and stream-name parsing: any bytes must give some request, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  const size_t cut = all.find('\n');
  srs::StreamRequest r;
  r.set_tc_url(all.substr(0, cut));
  if (cut != std::string_view::npos) r.set_stream(all.substr(cut + 1));
  (void)r.complete();
  (void)r.stream_url();
  return 0;
}
