#include "protocol/socket_write.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "core/coro.hpp"

namespace srs {

namespace {
constexpr Duration kNoDeadline = std::chrono::hours(24 * 365);

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

Result<size_t> write_iovecs_now(asio::ip::tcp::socket& socket, std::span<iovec> iov) {
  std::error_code ec;
  if (!socket.native_non_blocking()) socket.native_non_blocking(true, ec);
  if (ec) return fail(ec, "set non-blocking");
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
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    return fail(std::error_code(errno, std::system_category()), "writev");
  }
  return index;
}

awaitable<Result<>> write_iovecs(asio::ip::tcp::socket& socket, std::span<iovec> iov,
                                 bool* blocked) {
  if (blocked) *blocked = false;
  while (true) {
    Result<size_t> done = write_iovecs_now(socket, iov);
    if (!done) co_return std::unexpected(done.error());
    if (*done == iov.size()) co_return Result<>{};
    iov = iov.subspan(*done);
    if (blocked) *blocked = true;
    auto [wait_ec] = co_await socket.async_wait(asio::socket_base::wait_write, use_nothrow);
    if (wait_ec) co_return fail(wait_ec, "wait writable");
  }
}

awaitable<Result<>> write_rest(asio::ip::tcp::socket& socket, std::span<iovec> iov,
                               Deadline* deadline, Duration timeout) {
  if (deadline) deadline->expires_after(timeout);
  Result<> r = co_await write_iovecs(socket, iov);
  if (deadline) deadline->expires_after(kNoDeadline);
  if (!r && deadline && deadline->expired()) co_return fail(core_errc::timeout, "send");
  co_return r;
}

}  // namespace srs
