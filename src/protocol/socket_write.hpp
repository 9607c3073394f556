// Gather writes on the native socket: sendmsg() with up to IOV_MAX (1024) entries, waiting
// for writability only when the kernel buffer is full. Asio's async_write gathers at most
// 64 buffers per call and posts its completion through the event loop even when the write
// finished at once; a player's batch almost always does, so both hot paths (RTMP chunks,
// HTTP stream bodies) write this way.
//
// Only one coroutine may write to a socket at a time.
#pragma once

#include <sys/uio.h>

#include <span>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "core/error.hpp"

namespace srs {

// Writes every byte described by `iov`, advancing the entries in place on partial writes.
// When `blocked` is given, it tells whether the write had to wait for the socket to drain.
asio::awaitable<Result<>> write_iovecs(asio::ip::tcp::socket& socket, std::span<iovec> iov,
                                       bool* blocked = nullptr);

}  // namespace srs
