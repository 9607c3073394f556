#include "protocol/rtmp/chunk_io.hpp"

#include "core/coro.hpp"
#include "protocol/rtmp/control.hpp"
#include "protocol/socket_read.hpp"
#include "protocol/socket_write.hpp"

namespace srs::rtmp {

namespace {

// Chunk-layer control messages take effect before the next chunk is parsed (RTMP 5.4.1-2).
Result<> apply_control(ChunkReader& reader, const Message& m) {
  if (m.type == MessageType::set_chunk_size) {
    auto size = decode_set_chunk_size(m.payload);
    if (!size) return wrap(size, "set chunk size");
    return reader.set_in_chunk_size(*size);
  }
  if (m.type == MessageType::abort) {
    auto cid = decode_abort(m.payload);
    if (!cid) return wrap(cid, "abort");
    reader.abort(*cid);
  }
  return {};
}

}  // namespace

Result<std::optional<Message>> read_message_now(asio::ip::tcp::socket& socket, ChunkReader& reader,
                                                bool readable) {
  for (;;) {
    auto next = reader.next();
    if (!next) return wrap(next, "chunk stream");
    if (*next) {
      if (auto ok = apply_control(reader, **next); !ok) return wrap(ok, "control");
      return next;
    }
    // An idle connection waits for readability before reading (a read now would most
    // likely find nothing), and without a buffer unless it keeps one (a publisher).
    if (!readable && reader.release_if_idle()) return std::nullopt;
    readable = false;
    auto n = read_some_now(socket, reader.prepare());
    if (!n) return wrap(n, "read");
    if (*n == 0) return std::nullopt;
    reader.commit(*n);
  }
}

awaitable<Result<>> wait_readable(asio::ip::tcp::socket& socket) {
  auto [ec] = co_await socket.async_wait(asio::socket_base::wait_read, use_nothrow);
  if (ec) co_return fail(ec, "wait readable");
  co_return Result<>{};
}

awaitable<Result<Message>> read_message(asio::ip::tcp::socket& socket, ChunkReader& reader) {
  bool readable = false;
  for (;;) {
    auto m = read_message_now(socket, reader, readable);
    if (!m) co_return std::unexpected(m.error());
    if (*m) co_return std::move(**m);
    if (auto w = co_await wait_readable(socket); !w) co_return std::unexpected(w.error());
    readable = true;
  }
}

awaitable<Result<>> write_iovecs(asio::ip::tcp::socket& socket, std::span<iovec> iov,
                                 bool* blocked) {
  return srs::write_iovecs(socket, iov, blocked);
}

awaitable<Result<>> write_batch(asio::ip::tcp::socket& socket, ChunkBatch& batch, bool* blocked) {
  if (blocked) *blocked = false;
  if (batch.empty()) co_return Result<>{};
  co_return co_await write_iovecs(socket, batch.iovecs(), blocked);
}

}  // namespace srs::rtmp
