// AMF0: any bytes must decode or fail cleanly, and whatever decodes must survive a round
// trip: encode it, decode that, and get the same values (and the same bytes once more).
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "kernel/amf0.hpp"

namespace {

using namespace srs;

// NaN never equals itself, so trees holding one are compared by their encoding only.
bool has_nan(const amf0::Value& v) {
  if (auto n = v.as_number()) return std::isnan(*n);
  if (const auto* d = v.as_date()) return std::isnan(d->ms);
  if (const auto* o = v.as_object()) {
    for (const auto& [key, value] : *o) {
      if (has_nan(value)) return true;
    }
  }
  if (const auto* a = v.as_strict_array()) {
    for (const auto& item : a->items) {
      if (has_nan(item)) return true;
    }
  }
  return false;
}

Bytes encode_checked(const std::vector<amf0::Value>& values) {
  Bytes out;
  size_t expected = 0;
  for (const auto& v : values) expected += amf0::encoded_size(v);
  amf0::encode_all(values, out);
  SRS_FUZZ_CHECK(out.size() == expected);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto first = amf0::decode_all(ByteSpan(data, size));
  // The single-value entry point walks the same code from another start.
  (void)amf0::decode_value(ByteSpan(data, size));
  if (!first) return 0;

  const Bytes encoded = encode_checked(*first);
  auto second = amf0::decode_all(encoded);
  SRS_FUZZ_CHECK(second.has_value());
  SRS_FUZZ_CHECK(second->size() == first->size());
  for (size_t i = 0; i < first->size(); ++i) {
    if (!has_nan((*first)[i])) SRS_FUZZ_CHECK((*first)[i] == (*second)[i]);
  }
  SRS_FUZZ_CHECK(encode_checked(*second) == encoded);
  return 0;
}
