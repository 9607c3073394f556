// Gather writes on the native socket: sendmsg() with up to IOV_MAX (1024) entries, waiting
// for writability only when the kernel buffer is full. Asio's async_write gathers at most
// 64 buffers per call and posts its completion through the event loop even when the write
// finished at once; a player's batch almost always does, so both hot paths (RTMP chunks,
// HTTP stream bodies) write this way.
//
// A write that finishes at once (the common case) costs no coroutine frame when the caller
// tries write_iovecs_now() first and awaits write_iovecs() only for what is left:
//
//   auto done = write_iovecs_now(socket, iov);             // entries fully written
//   if (done && *done < iov.size())
//     r = co_await write_rest(socket, iov.subspan(*done), &deadline, 30s);
//
// Only one coroutine may write to a socket at a time.
#pragma once

#include <sys/uio.h>

#include <span>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "core/coro.hpp"
#include "core/error.hpp"

namespace srs {

// Writes what the socket takes now, never waiting. Returns how many leading entries of
// `iov` are fully written (iov.size(): all of it); a partly written entry is advanced in
// place. Errors other than a full socket fail.
Result<size_t> write_iovecs_now(asio::ip::tcp::socket& socket, std::span<iovec> iov);

// Writes every byte described by `iov`, advancing the entries in place on partial writes.
// When `blocked` is given, it tells whether the write had to wait for the socket to drain.
asio::awaitable<Result<>> write_iovecs(asio::ip::tcp::socket& socket, std::span<iovec> iov,
                                       bool* blocked = nullptr);

// What write_iovecs_now() left, with `deadline` (may be null) armed with `timeout` while the
// socket drains and disarmed after: the send timeout is paid for only by a write that waits.
// A deadline that passed makes it fail with core_errc::timeout.
asio::awaitable<Result<>> write_rest(asio::ip::tcp::socket& socket, std::span<iovec> iov,
                                     Deadline* deadline, Duration timeout);

}  // namespace srs
