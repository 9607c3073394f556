#include "protocol/socket_read.hpp"

#include <sys/socket.h>

#include <cerrno>

#include <asio/error.hpp>

namespace srs {

Result<size_t> read_some_now(asio::ip::tcp::socket& socket, std::span<uint8_t> space) {
  std::error_code ec;
  if (!socket.native_non_blocking()) socket.native_non_blocking(true, ec);
  if (ec) return fail(ec, "set non-blocking");
  for (;;) {
    ssize_t n = ::recv(socket.native_handle(), space.data(), space.size(), 0);
    if (n > 0) return static_cast<size_t>(n);
    if (n == 0) return fail(asio::error::eof, "peer closed");
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return size_t{0};
    return fail(std::error_code(errno, std::system_category()), "recv");
  }
}

}  // namespace srs
