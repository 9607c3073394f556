// RTMP handshake: the server's answer to any C0C1 and the client's answer to any S1.
// Input: C0C1 (1537 bytes), then S1 (1536), then one option byte; what is missing reads as
// zeros. Random digests almost never validate, so the option byte can sign C1 and/or S1
// with the right key first, reaching the complex paths with arbitrary offsets and keys:
// bit 0 signs C1 (bit 1 picks the schema), bit 2 signs S1 (bit 3 picks the schema).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "fuzz_util.hpp"
#include "protocol/rtmp/handshake.hpp"

namespace {

using namespace srs;
using namespace srs::rtmp;

void fixed_random(std::span<uint8_t> out) {
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(i * 131 + 7);
}

void sign(std::span<uint8_t> packet, Schema schema, ByteSpan key) {
  const size_t at = digest_offset(packet, schema);
  SRS_FUZZ_CHECK(at + 32 <= packet.size());
  const Digest d = packet_digest(packet, schema, key);
  std::copy(d.begin(), d.end(), packet.begin() + at);
}

void check_offsets(ByteSpan packet) {
  for (Schema s : {Schema::schema0, Schema::schema1}) {
    SRS_FUZZ_CHECK(digest_offset(packet, s) + 32 <= kHandshakeSize);
    SRS_FUZZ_CHECK(key_offset(packet, s) + 128 <= kHandshakeSize);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::array<uint8_t, 1 + 2 * kHandshakeSize + 1> in{};
  std::memcpy(in.data(), data, std::min(size, in.size()));
  std::span<uint8_t, 1 + kHandshakeSize> c0c1(in.data(), 1 + kHandshakeSize);
  std::span<uint8_t, kHandshakeSize> c1(in.data() + 1, kHandshakeSize);
  std::span<uint8_t, kHandshakeSize> peer_s1(in.data() + 1 + kHandshakeSize, kHandshakeSize);
  const uint8_t options = in.back();
  const Schema c1_schema = (options & 2) ? Schema::schema1 : Schema::schema0;
  const Schema s1_schema = (options & 8) ? Schema::schema1 : Schema::schema0;
  if (options & 1) sign(c1, c1_schema, fp_key().first(kFpKeyShort));
  if (options & 4) sign(peer_s1, s1_schema, fms_key().first(kFmsKeyShort));
  check_offsets(c1);
  check_offsets(peer_s1);

  // Server side.
  std::array<uint8_t, 1 + 2 * kHandshakeSize> s0s1s2{};
  auto kind = build_s0s1s2(c0c1, s0s1s2, 1234, fixed_random);
  if (kind) {
    SRS_FUZZ_CHECK(c0c1[0] == kRtmpVersion && s0s1s2[0] == kRtmpVersion);
    ByteSpan s1(s0s1s2.data() + 1, kHandshakeSize);
    ByteSpan s2(s0s1s2.data() + 1 + kHandshakeSize, kHandshakeSize);
    Schema schema{};
    if (*kind == HandshakeKind::complex) {
      SRS_FUZZ_CHECK(validate_c1(c1, &schema, nullptr));
      // A client must find our digest in S1 with the schema C1 used.
      Schema ours{};
      SRS_FUZZ_CHECK(validate_s1(s1, &ours, nullptr) && ours == schema);
    } else {
      SRS_FUZZ_CHECK(!validate_c1(c1, nullptr, nullptr));
      SRS_FUZZ_CHECK(std::equal(s2.begin(), s2.end(), c1.begin()));
    }
  } else {
    SRS_FUZZ_CHECK(c0c1[0] != kRtmpVersion);
  }

  // Client side: C2 for an arbitrary S1.
  std::array<uint8_t, kHandshakeSize> c2{};
  Digest digest{};
  const bool signed_s1 = validate_s1(peer_s1, nullptr, &digest);
  const HandshakeKind c2_kind = build_c2(peer_s1, c2, fixed_random);
  SRS_FUZZ_CHECK((c2_kind == HandshakeKind::complex) == signed_s1);
  if (c2_kind == HandshakeKind::simple)
    SRS_FUZZ_CHECK(std::equal(c2.begin(), c2.end(), peer_s1.begin()));
  return 0;
}
