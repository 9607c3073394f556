#include "protocol/rtmp/chunk_io.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "core/coro.hpp"
#include "protocol/rtmp/control.hpp"

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

// Skips the first `n` written bytes of `iov` from `index` on; returns the new index.
size_t advance(std::span<iovec> iov, size_t index, size_t n) noexcept {
  while (n > 0 && index < iov.size()) {
    size_t take = std::min(n, iov[index].iov_len);
    iov[index].iov_base = static_cast<uint8_t*>(iov[index].iov_base) + take;
    iov[index].iov_len -= take;
    n -= take;
    if (iov[index].iov_len == 0) ++index;
  }
  while (index < iov.size() && iov[index].iov_len == 0) ++index;  // empty entries
  return index;
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
  if (blocked) *blocked = false;
  std::error_code ec;
  if (!socket.native_non_blocking()) socket.native_non_blocking(true, ec);
  if (ec) co_return fail(ec, "set non-blocking");
  size_t index = advance(iov, 0, 0);
  while (index < iov.size()) {
    msghdr msg{};
    msg.msg_iov = iov.data() + index;
    msg.msg_iovlen = std::min<size_t>(iov.size() - index, IOV_MAX);
    // sendmsg rather than writev: MSG_NOSIGNAL turns a closed peer into EPIPE, not SIGPIPE.
    ssize_t n = ::sendmsg(socket.native_handle(), &msg, MSG_NOSIGNAL);
    if (n >= 0) {
      index = advance(iov, index, static_cast<size_t>(n));
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      co_return fail(std::error_code(errno, std::system_category()), "writev");
    if (blocked) *blocked = true;
    auto [wait_ec] = co_await socket.async_wait(asio::socket_base::wait_write, use_nothrow);
    if (wait_ec) co_return fail(wait_ec, "wait writable");
  }
  co_return Result<>{};
}

awaitable<Result<>> write_batch(asio::ip::tcp::socket& socket, ChunkBatch& batch, bool* blocked) {
  if (blocked) *blocked = false;
  if (batch.empty()) co_return Result<>{};
  co_return co_await write_iovecs(socket, batch.iovecs(), blocked);
}

}  // namespace srs::rtmp
