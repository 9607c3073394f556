// Writes one response on a server connection, for small JSON answers and endless streams.
//
//   co_await w.send(200, "application/json", body);        // complete answer, one write
//
//   w.set_content_type("video/x-flv");                     // a live stream
//   co_await w.write_header();                             // chunked for HTTP/1.1
//   co_await w.write_chunk(buffers);                       // gathered, never copied
//
// Framing is chosen when the header goes out: Content-Length if the handler set one;
// else chunked for an HTTP/1.1 request; else (HTTP/1.0) the body ends at the close. Every
// answer carries `Server:` and `Connection: Keep-Alive|close`. For HEAD the header is
// sent as for GET and body writes are counted but not sent. Each write must complete
// within the send timeout, else the connection is closed (core_errc::timeout).
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <asio/buffer.hpp>
#include <asio/ip/tcp.hpp>

#include "core/coro.hpp"
#include "core/error.hpp"
#include "protocol/http/message.hpp"

namespace srs::http {

// The headers of spec http-api §1 CORS, added while `crossdomain` is on.
void add_cors_headers(Headers& h);

class ResponseWriter {
 public:
  // `deadline` (may be null) is re-armed with `send_timeout` around each write; it must
  // close `socket` when it expires. All three outlive the writer.
  ResponseWriter(asio::ip::tcp::socket& socket, const Request& request, Deadline* deadline,
                 Duration send_timeout);

  // Header fields sent with the status line; Content-Length, Transfer-Encoding and
  // Connection are the writer's own (set_content_length(), set_close()).
  Headers& headers() noexcept { return headers_; }
  void set_status(int status) noexcept { status_ = status; }
  int status() const noexcept { return status_; }
  void set_content_type(std::string_view type);
  void set_content_length(uint64_t length) noexcept { content_length_ = length; }
  // Close the connection after this response even if the request was keep-alive.
  void set_close() noexcept { close_ = true; }

  // A whole answer: status, Content-Type, Content-Length and body in one write.
  awaitable<Result<>> send(int status, std::string_view content_type, std::string_view body);
  // Sends the status line and header fields now (see framing above).
  awaitable<Result<>> write_header();
  // Body bytes, header first if not yet sent. Under chunked framing one call is one chunk.
  // The buffers must stay valid until the call completes. Writing more than a declared
  // Content-Length is core_errc::invalid_argument.
  awaitable<Result<>> write(std::span<const asio::const_buffer> buffers);
  awaitable<Result<>> write(std::string_view data);
  // As write(), for streams: sends the header with chunked framing if not yet sent.
  awaitable<Result<>> write_chunk(std::span<const asio::const_buffer> buffers);
  // write_chunk() in two halves, for a writer that is not a coroutine (a player's direct
  // send, app/consumer.hpp), once the header is out: what the socket takes now (true: all
  // of it), then, from a coroutine, the rest. No write may start while a rest is unfinished.
  Result<bool> write_chunk_now(std::span<const asio::const_buffer> buffers);
  awaitable<Result<>> write_chunk_rest();
  bool write_unfinished() const noexcept { return !iov_.empty(); }
  // Ends the response: the last chunk under chunked framing; an empty answer if nothing
  // was written. The server calls it after the handler; calling it twice is harmless.
  awaitable<Result<>> finish();

  bool header_written() const noexcept { return header_written_; }
  bool finished() const noexcept { return finished_; }
  bool chunked() const noexcept { return chunked_; }
  uint64_t body_bytes() const noexcept { return body_bytes_; }
  // The connection may carry another request: it was asked for, the response had a
  // length or chunked framing and ended cleanly.
  bool reusable() const noexcept;

 private:
  std::string build_header();
  bool body_allowed() const noexcept;
  void add(const void* data, size_t size);
  void add(std::span<const asio::const_buffer> buffers);
  // Adds a body write's framing and bytes; false when nothing is to be sent.
  Result<bool> add_body(std::span<const asio::const_buffer> buffers);
  Result<bool> send_now();
  awaitable<Result<>> send_rest();
  awaitable<Result<>> send_added();

  asio::ip::tcp::socket& socket_;
  const Request& request_;
  Deadline* deadline_;
  Duration send_timeout_;
  Headers headers_;
  int status_ = 200;
  std::optional<uint64_t> content_length_;
  bool close_ = false;
  bool header_written_ = false;
  bool chunked_ = false;
  bool finished_ = false;
  bool failed_ = false;
  uint64_t body_bytes_ = 0;
  std::string head_;         // the header block, kept until written
  char size_line_[24] = {};  // a chunk's size line, kept until written
  std::vector<iovec> iov_;   // what the next write sends, reused
};

}  // namespace srs::http
