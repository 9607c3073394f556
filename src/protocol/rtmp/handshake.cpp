#include "protocol/rtmp/handshake.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <random>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include "core/coro.hpp"
#include "protocol/rtmp/rtmp_error.hpp"

namespace srs::rtmp {

namespace {

// spec/rtmp.md 1.2: both keys end with the same 32-byte constant K.
constexpr uint8_t kGenuineFp[] = "Genuine Adobe Flash Player 001";
constexpr uint8_t kGenuineFms[] = "Genuine Adobe Flash Media Server 001";
constexpr uint8_t kKeyTail[32] = {0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0,
                                  0xD1, 0x02, 0x9E, 0x7E, 0x57, 0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80,
                                  0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE};

template <size_t N>
std::array<uint8_t, N - 1 + 32> make_key(const uint8_t (&text)[N]) {
  std::array<uint8_t, N - 1 + 32> key{};
  std::memcpy(key.data(), text, N - 1);  // without the string's NUL
  std::memcpy(key.data() + N - 1, kKeyTail, 32);
  return key;
}

const auto kFpKey = make_key(kGenuineFp);
const auto kFmsKey = make_key(kGenuineFms);
static_assert(std::tuple_size_v<decltype(kFpKey)> == 62);
static_assert(std::tuple_size_v<decltype(kFmsKey)> == 68);

// The two 764-byte blocks follow the 8 bytes of time and version (spec/rtmp.md 1.3).
constexpr size_t kBlockSize = 764;
constexpr size_t kFirstBlock = 8;
constexpr size_t kSecondBlock = kFirstBlock + kBlockSize;

size_t digest_block(Schema s) noexcept {
  return s == Schema::schema0 ? kSecondBlock : kFirstBlock;
}
size_t key_block(Schema s) noexcept {
  return s == Schema::schema0 ? kFirstBlock : kSecondBlock;
}

size_t sum4(const uint8_t* p) noexcept {
  return size_t{p[0]} + p[1] + p[2] + p[3];
}

bool validate_with(ByteSpan packet, ByteSpan key, Schema* schema, Digest* digest) {
  if (packet.size() != kHandshakeSize) return false;
  for (Schema s : {Schema::schema0, Schema::schema1}) {
    Digest expect = packet_digest(packet, s, key);
    size_t at = digest_offset(packet, s);
    if (std::equal(expect.begin(), expect.end(), packet.begin() + at)) {
      if (schema) *schema = s;
      if (digest) *digest = expect;
      return true;
    }
  }
  return false;
}

// S2/C2 of the complex handshake: 1504 random bytes R, then HMAC(HMAC(key, peer digest), R).
void build_answer(const Digest& peer_digest, ByteSpan key, std::span<uint8_t, kHandshakeSize> out,
                  const RandomFill& random) {
  random(out);
  Digest temp = hmac_sha256(key, peer_digest);
  constexpr size_t kRandomPart = kHandshakeSize - 32;
  Digest sig = hmac_sha256(temp, ByteSpan(out.data(), kRandomPart));
  std::copy(sig.begin(), sig.end(), out.begin() + kRandomPart);
}

// C1/S1 of the complex handshake: time, version, random blocks, digest in its slot.
void build_signed_packet(std::span<uint8_t, kHandshakeSize> out, Schema schema, uint32_t time,
                         uint32_t version, ByteSpan key, const RandomFill& random) {
  random(out);
  put_u32(out.data(), time);
  put_u32(out.data() + 4, version);
  Digest d = packet_digest(out, schema, key);
  std::copy(d.begin(), d.end(), out.begin() + digest_offset(out, schema));
}

uint32_t now_seconds() {
  return static_cast<uint32_t>(std::time(nullptr));
}

}  // namespace

void secure_random(std::span<uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) == 1) return;
  // Handshake filler needs no secrecy (spec/rtmp.md 1.3): a PRNG is an acceptable fallback.
  static std::mt19937 prng{std::random_device{}()};
  for (auto& b : out) b = static_cast<uint8_t>(prng());
}

ByteSpan fp_key() noexcept {
  return kFpKey;
}
ByteSpan fms_key() noexcept {
  return kFmsKey;
}

Digest hmac_sha256(ByteSpan key, ByteSpan data) {
  Digest out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(),
       &len);
  return out;
}

size_t digest_offset(ByteSpan c1, Schema schema) noexcept {
  size_t block = digest_block(schema);
  return block + 4 + sum4(c1.data() + block) % 728;
}

size_t key_offset(ByteSpan c1, Schema schema) noexcept {
  size_t block = key_block(schema);
  return block + sum4(c1.data() + block + kBlockSize - 4) % 632;
}

Digest packet_digest(ByteSpan packet, Schema schema, ByteSpan key) {
  // The digest covers the 1504 bytes around its own slot, concatenated in order.
  std::array<uint8_t, kHandshakeSize - 32> joined;
  size_t at = digest_offset(packet, schema);
  std::copy(packet.begin(), packet.begin() + at, joined.begin());
  std::copy(packet.begin() + at + 32, packet.end(), joined.begin() + at);
  return hmac_sha256(key, joined);
}

bool validate_c1(ByteSpan c1, Schema* schema, Digest* digest) {
  return validate_with(c1, fp_key().first(kFpKeyShort), schema, digest);
}

bool validate_s1(ByteSpan s1, Schema* schema, Digest* digest) {
  return validate_with(s1, fms_key().first(kFmsKeyShort), schema, digest);
}

Result<HandshakeKind> build_s0s1s2(ByteSpan c0c1, std::span<uint8_t, 1 + 2 * kHandshakeSize> out,
                                   uint32_t now_s, const RandomFill& random) {
  if (c0c1.size() != 1 + kHandshakeSize) return fail(rtmp_errc::truncated, "c0c1 size");
  if (c0c1[0] != kRtmpVersion) return fail(rtmp_errc::bad_handshake_version, "c0");
  ByteSpan c1 = c0c1.subspan(1);
  std::span<uint8_t, kHandshakeSize> s1(out.data() + 1, kHandshakeSize);
  std::span<uint8_t, kHandshakeSize> s2(out.data() + 1 + kHandshakeSize, kHandshakeSize);
  out[0] = kRtmpVersion;

  Schema schema{};
  Digest c1_digest{};
  if (validate_c1(c1, &schema, &c1_digest)) {
    // S1's 128-byte key may be random: plain RTMP clients never check it (spec 1.3).
    build_signed_packet(s1, schema, now_s, kServerVersion, fms_key().first(kFmsKeyShort), random);
    build_answer(c1_digest, fms_key(), s2, random);
    return HandshakeKind::complex;
  }
  // Simple: S1 = time + C1's time echoed + random; S2 = C1 (spec/rtmp.md 1.1).
  random(s1);
  put_u32(s1.data(), now_s);
  std::copy(c1.begin(), c1.begin() + 4, s1.begin() + 4);
  std::copy(c1.begin(), c1.end(), s2.begin());
  return HandshakeKind::simple;
}

void build_c0c1(std::span<uint8_t, 1 + kHandshakeSize> out, uint32_t now_s,
                const RandomFill& random) {
  out[0] = kRtmpVersion;
  std::span<uint8_t, kHandshakeSize> c1(out.data() + 1, kHandshakeSize);
  build_signed_packet(c1, Schema::schema1, now_s, kClientVersion, fp_key().first(kFpKeyShort),
                      random);
}

HandshakeKind build_c2(ByteSpan s1, std::span<uint8_t, kHandshakeSize> out,
                       const RandomFill& random) {
  Digest s1_digest{};
  if (validate_s1(s1, nullptr, &s1_digest)) {
    build_answer(s1_digest, fp_key(), out, random);
    return HandshakeKind::complex;
  }
  std::copy(s1.begin(), s1.end(), out.begin());
  return HandshakeKind::simple;
}

awaitable<Result<HandshakeKind>> server_handshake(asio::ip::tcp::socket& socket) {
  std::array<uint8_t, 1 + kHandshakeSize> c0c1;
  auto [ec, n] = co_await asio::async_read(socket, asio::buffer(c0c1), use_nothrow);
  if (ec) co_return fail(ec, "read c0c1");
  std::array<uint8_t, 1 + 2 * kHandshakeSize> s0s1s2;
  auto kind = build_s0s1s2(c0c1, s0s1s2, now_seconds(), secure_random);
  if (!kind) co_return wrap(kind, "c0c1");
  std::tie(ec, n) = co_await asio::async_write(socket, asio::buffer(s0s1s2), use_nothrow);
  if (ec) co_return fail(ec, "write s0s1s2");
  std::array<uint8_t, kHandshakeSize> c2;  // read and dropped: never verified (spec 1.1)
  std::tie(ec, n) = co_await asio::async_read(socket, asio::buffer(c2), use_nothrow);
  if (ec) co_return fail(ec, "read c2");
  co_return *kind;
}

awaitable<Result<HandshakeKind>> client_handshake(asio::ip::tcp::socket& socket) {
  std::array<uint8_t, 1 + kHandshakeSize> c0c1;
  build_c0c1(c0c1, now_seconds(), secure_random);
  auto [ec, n] = co_await asio::async_write(socket, asio::buffer(c0c1), use_nothrow);
  if (ec) co_return fail(ec, "write c0c1");
  std::array<uint8_t, 1 + 2 * kHandshakeSize> s0s1s2;
  std::tie(ec, n) = co_await asio::async_read(socket, asio::buffer(s0s1s2), use_nothrow);
  if (ec) co_return fail(ec, "read s0s1s2");
  if (s0s1s2[0] != kRtmpVersion) co_return fail(rtmp_errc::bad_handshake_version, "s0");
  std::array<uint8_t, kHandshakeSize> c2;
  HandshakeKind kind = build_c2(ByteSpan(s0s1s2).subspan(1, kHandshakeSize), c2, secure_random);
  std::tie(ec, n) = co_await asio::async_write(socket, asio::buffer(c2), use_nothrow);
  if (ec) co_return fail(ec, "write c2");
  co_return kind;
}

}  // namespace srs::rtmp
