// A direct non-blocking read on the native socket. Asio's async_read_some on a readable
// socket still posts its completion through the event loop; a caller that has just been
// told the socket is readable (or has bytes to parse meanwhile) reads this way instead.
#pragma once

#include <cstdint>
#include <span>

#include <asio/ip/tcp.hpp>

#include "core/error.hpp"

namespace srs {

// What the socket holds now, up to `space.size()` bytes, never waiting: 0 when it has
// nothing (wait for readability); the peer's orderly close fails with asio::error::eof.
Result<size_t> read_some_now(asio::ip::tcp::socket& socket, std::span<uint8_t> space);

}  // namespace srs
