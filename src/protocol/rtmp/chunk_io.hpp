// Socket drivers of the chunk stream codecs: the merged-read and merged-write hot paths.
//
// Reading: read_message() parses from the ChunkReader's buffer and reads only when that runs
// dry, in blocks of up to 64 KiB, so one read syscall yields many messages. The read itself
// is a direct non-blocking recv(): only the wait for readability goes through the event
// loop, so a message costs one wake-up, not a wake-up and a posted read completion.
// Writing: write_batch() sends a whole ChunkBatch with sendmsg() gather writes of up to
// IOV_MAX (1024) iovecs each. Asio's own async_write gathers at most 64 buffers per call, so
// the batch is written on the native handle, waiting for writability only when the kernel
// buffer is full.
//
// Only one coroutine may write to a socket at a time: a connection serialises its writes
// (control replies and media go through the same writer).
#pragma once

#include <sys/uio.h>

#include <optional>
#include <span>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "core/error.hpp"
#include "protocol/rtmp/chunk_reader.hpp"
#include "protocol/rtmp/chunk_writer.hpp"

namespace srs::rtmp {

// The next message from the peer. SetChunkSize and Abort are applied to `reader` here (they
// change how the next chunk parses) and still returned, for logging. EOF and socket errors
// come back as Asio codes; a desynchronised stream as rtmp_errc.
asio::awaitable<Result<Message>> read_message(asio::ip::tcp::socket& socket, ChunkReader& reader);

// read_message() in two halves, for callers that loop themselves. read_message_now(): the
// next message from buffered bytes or from what the socket holds now, never waiting;
// std::nullopt when there is none yet. Then wait_readable() and call again with `readable`
// true: the reader reads even though it was idle.
//
// Measured with 200 publishers: waiting for readability and reading directly costs 13% less
// CPU than a wait followed by async_read_some (whose completion is posted through the loop)
// and less than async_read_some alone (Asio 1.22 first tries a read that finds nothing).
Result<std::optional<Message>> read_message_now(asio::ip::tcp::socket& socket, ChunkReader& reader,
                                                bool readable);
asio::awaitable<Result<>> wait_readable(asio::ip::tcp::socket& socket);

// Writes every byte of `batch` and leaves it as written (call clear() to reuse it). When
// `blocked` is given, it tells whether the write had to wait for the socket to drain.
asio::awaitable<Result<>> write_batch(asio::ip::tcp::socket& socket, ChunkBatch& batch,
                                      bool* blocked = nullptr);

// Writes every byte described by `iov`, advancing the entries in place on partial writes.
asio::awaitable<Result<>> write_iovecs(asio::ip::tcp::socket& socket, std::span<iovec> iov,
                                       bool* blocked = nullptr);

}  // namespace srs::rtmp
