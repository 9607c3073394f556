#include "app/listener.hpp"

#include <asio/ip/address.hpp>

#include "core/log.hpp"

namespace srs {

namespace {

// Until a service has its real handler, a connection is logged and closed, so the port
// behaves like a server that refuses service rather than one that hangs.
class ClosingHandler final : public ConnectionHandler {
 public:
  void on_accept(asio::ip::tcp::socket socket, ConnectionSlot) override {
    std::error_code ec;
    socket.close(ec);
  }
};
ClosingHandler g_closing_handler;

}  // namespace

ConnectionSlot& ConnectionSlot::operator=(ConnectionSlot&& o) noexcept {
  if (this != &o) {
    release();
    count_ = std::move(o.count_);
  }
  return *this;
}

void ConnectionSlot::release() noexcept {
  if (count_) --count_->active;
  count_.reset();
}

std::optional<ConnectionSlot> ConnectionLimiter::try_acquire() {
  if (count_->active >= count_->max) return std::nullopt;
  ++count_->active;
  return ConnectionSlot(count_);
}

TcpListener::TcpListener(asio::io_context& io, Endpoint endpoint, std::string role,
                         const HandlerSlot& handlers, ConnectionLimiter& limiter)
    : io_(io),
      endpoint_(std::move(endpoint)),
      role_(std::move(role)),
      handlers_(handlers),
      limiter_(limiter),
      acceptor_(io) {}

Result<> TcpListener::open() {
  const std::string where = fmt::format("{} listen {}:{}", role_, endpoint_.ip, endpoint_.port);
  std::error_code ec;
  const auto address = asio::ip::make_address(endpoint_.ip, ec);
  if (ec) return fail(ec, where);
  const asio::ip::tcp::endpoint ep(address, endpoint_.port);
  if (acceptor_.open(ep.protocol(), ec); ec) return fail(ec, where + ": socket");
  if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return fail(ec, where + ": SO_REUSEADDR");
  }
  if (acceptor_.bind(ep, ec); ec) return fail(ec, where + ": bind");
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return fail(ec, where + ": listen");
  }
  spawn(new_context_executor(io_), accept_loop(shared_from_this()), role_ + " listener");
  log_trace("{}: listen at {}:{}", role_, endpoint_.ip, port());
  return {};
}

void TcpListener::close() {
  std::error_code ec;
  acceptor_.close(ec);
}

uint16_t TcpListener::port() const {
  std::error_code ec;
  auto ep = acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

// `self` keeps the listener alive while the loop is suspended in accept.
awaitable<void> TcpListener::accept_loop([[maybe_unused]] std::shared_ptr<TcpListener> self) {
  for (;;) {
    const ContextId id = next_context_id();
    auto [ec, socket] = co_await acceptor_.async_accept(context_executor(io_, id), use_nothrow);
    if (!acceptor_.is_open()) co_return;  // closed by close(): stop quietly
    if (ec) {
      // Out of descriptors or a connection reset before accept: keep listening, but do
      // not spin on a persistent error.
      log_warn("{}: accept failed: {}", role_, ec.message());
      co_await sleep_for(100ms);
      continue;
    }
    hand_over(std::move(socket), id);
  }
}

void TcpListener::hand_over(asio::ip::tcp::socket socket, ContextId id) {
  ContextScope scope(id);
  std::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  const std::string ip = ec ? "unknown" : peer.address().to_string();
  auto slot = limiter_.try_acquire();
  if (!slot) {
    log_warn("{}: drop client ip={}, max_connections {} reached", role_, ip, limiter_.max());
    socket.close(ec);
    return;
  }
  ConnectionHandler* handler = handlers_.handler;
  if (!handler) {
    log_trace("{}: client ip={} accepted, no {} service yet, closing", role_, ip, role_);
    handler = &g_closing_handler;
  } else {
    log_trace("{}: accept client ip={}", role_, ip);
  }
  handler->on_accept(std::move(socket), std::move(*slot));
}

}  // namespace srs
