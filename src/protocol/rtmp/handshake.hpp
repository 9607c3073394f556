// RTMP handshake (spec/rtmp.md section 1): simple and complex ("digest") forms.
//
// The byte work is pure functions over fixed-size buffers, with the clock and randomness
// passed in, so tests check exact bytes; server_handshake()/client_handshake() are thin
// socket wrappers that read and write exact sizes.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace srs::rtmp {

constexpr size_t kHandshakeSize = 1536;          // C1, C2, S1, S2
constexpr uint8_t kRtmpVersion = 3;              // C0/S0
constexpr uint32_t kServerVersion = 0x01000504;  // S1 version field (complex)
constexpr uint32_t kClientVersion = 0x80000702;  // C1 version field (complex, as a client)

// Where the digest block sits in C1/S1 (spec/rtmp.md 1.3).
enum class Schema : uint8_t { schema0 = 0, schema1 = 1 };
enum class HandshakeKind : uint8_t { simple, complex };

using Digest = std::array<uint8_t, 32>;
// Fills the span with random bytes. Tests pass a deterministic one.
using RandomFill = std::function<void(std::span<uint8_t>)>;
// The production filler (OpenSSL RAND_bytes, falling back to a PRNG if it fails).
void secure_random(std::span<uint8_t> out);

// The constant keys of spec/rtmp.md 1.2: the full FP key (62 bytes, of which the first 30
// sign C1) and the full FMS key (68 bytes, of which the first 36 sign S1).
ByteSpan fp_key() noexcept;
ByteSpan fms_key() noexcept;
constexpr size_t kFpKeyShort = 30;
constexpr size_t kFmsKeyShort = 36;

Digest hmac_sha256(ByteSpan key, ByteSpan data);

// Offset in a 1536-byte C1/S1 of its 32-byte digest under `schema`, from the offset field.
size_t digest_offset(ByteSpan c1, Schema schema) noexcept;
// Offset of its 128-byte key under `schema`.
size_t key_offset(ByteSpan c1, Schema schema) noexcept;
// HMAC(key, packet without its 32 digest bytes) for the digest slot of `schema`.
Digest packet_digest(ByteSpan packet, Schema schema, ByteSpan key);

// True when `c1` (1536 bytes) carries a valid client digest, trying schema 0 first (Flash
// needs that order) then schema 1. On success reports the schema and the digest.
bool validate_c1(ByteSpan c1, Schema* schema, Digest* digest);
// The same check with the server key (FMS36): how a client finds S1's digest.
bool validate_s1(ByteSpan s1, Schema* schema, Digest* digest);

// Server: builds S0+S1+S2 (3073 bytes) answering `c0c1` (1537 bytes). Complex when C1
// validates, simple otherwise. Fails with bad_handshake_version when C0 is not 3.
Result<HandshakeKind> build_s0s1s2(ByteSpan c0c1, std::span<uint8_t, 1 + 2 * kHandshakeSize> out,
                                   uint32_t now_s, const RandomFill& random);

// Client: C0+C1 (1537 bytes), complex in schema 1 with kClientVersion.
void build_c0c1(std::span<uint8_t, 1 + kHandshakeSize> out, uint32_t now_s,
                const RandomFill& random);
// Client: C2 answering `s1`. Complex when S1 carries a server digest, else a copy of S1.
HandshakeKind build_c2(ByteSpan s1, std::span<uint8_t, kHandshakeSize> out,
                       const RandomFill& random);

// Reads C0C1, writes S0S1S2 in one write, reads C2 (never verified: ffmpeg and librtmp
// send C2s that would fail). The deadline of the caller bounds the time spent.
asio::awaitable<Result<HandshakeKind>> server_handshake(asio::ip::tcp::socket& socket);
// Writes C0C1, reads S0S1S2, writes C2. S1/S2 are not verified (spec/rtmp.md 1.3).
asio::awaitable<Result<HandshakeKind>> client_handshake(asio::ip::tcp::socket& socket);

}  // namespace srs::rtmp
