#include "protocol/rtmp/chunk_io.hpp"

#include "core/coro.hpp"
#include "protocol/rtmp/control.hpp"
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

awaitable<Result<Message>> read_message(asio::ip::tcp::socket& socket, ChunkReader& reader) {
  for (;;) {
    auto next = reader.next();
    if (!next) co_return wrap(next, "chunk stream");
    if (*next) {
      if (auto ok = apply_control(reader, **next); !ok) co_return wrap(ok, "control");
      co_return std::move(**next);
    }
    // An idle connection (a player) waits without a buffer; the read that follows the
    // wait finds its bytes at once.
    if (reader.release_if_idle()) {
      auto [wait_ec] = co_await socket.async_wait(asio::socket_base::wait_read, use_nothrow);
      if (wait_ec) co_return fail(wait_ec, "wait readable");
    }
    std::span<uint8_t> space = reader.prepare();
    auto [ec, n] =
        co_await socket.async_read_some(asio::buffer(space.data(), space.size()), use_nothrow);
    if (ec) co_return fail(ec, "read");
    reader.commit(n);
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
