#include "app/rtmp_connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "app/config.hpp"
#include "app/rtmp_service.hpp"
#include "app/server.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "protocol/rtmp/handshake.hpp"
#include "protocol/rtmp/replies.hpp"

namespace srs {

namespace {
// Handshake, connect, identification and other waits for the client (spec §6).
constexpr Duration kStepTimeout = 30s;
// RTMP 5.4.3/5.4.4: what we announce right after connect (spec §3.1).
constexpr uint32_t kWindowAckSize = 2500000;

void quick_ack(asio::ip::tcp::socket& s) {
  const int on = 1;
  ::setsockopt(s.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &on, sizeof(on));
}

std::string peer_ip(const asio::ip::tcp::socket& s) {
  std::error_code ec;
  auto ep = s.remote_endpoint(ec);
  return ec ? std::string("unknown") : ep.address().to_string();
}
}  // namespace

RtmpSettings rtmp_settings_of(const VhostConfig& v) {
  RtmpSettings s;
  s.chunk_size = static_cast<uint32_t>(v.chunk_size);
  s.send_min_interval = std::chrono::microseconds(static_cast<int64_t>(v.send_min_interval * 1000));
  s.merged_read = v.mr.enabled;
  s.mr_latency = std::chrono::milliseconds(v.mr.latency);
  s.first_packet_timeout = std::chrono::milliseconds(v.publish_1stpkt_timeout);
  s.normal_timeout = std::chrono::milliseconds(v.publish_normal_timeout);
  return s;
}

std::string_view client_type_name(RtmpClientType t) noexcept {
  switch (t) {
    case RtmpClientType::play:
      return "Play";
    case RtmpClientType::fmle_publish:
      return "fmle-publish";
    case RtmpClientType::flash_publish:
      return "flash-publish";
    case RtmpClientType::haivision_publish:
      return "haivision-publish";
    case RtmpClientType::unknown:
      break;
  }
  return "unknown";
}

RtmpConnection::RtmpConnection(RtmpService& service, asio::ip::tcp::socket socket,
                               ConnectionSlot slot)
    : service_(service),
      socket_(std::move(socket)),
      slot_(std::move(slot)),
      id_(current_context()),
      ip_(peer_ip(socket_)),
      session_(socket_),
      deadline_(socket_.get_executor(), [this] { close(); }),
      receiver_exit_(socket_.get_executor()) {
  // We batch every write ourselves, so Nagle can only delay: a reply sent right after
  // another (releaseStream, FCPublish...) would wait for the client's delayed ACK (~40 ms).
  std::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
}

RtmpConnection::~RtmpConnection() = default;

void RtmpConnection::close() noexcept {
  std::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

awaitable<void> RtmpConnection::run(std::shared_ptr<RtmpConnection> self) {
  log_trace("rtmp: client ip={}", self->ip_);
  Result<> r = co_await self->serve();
  // The deadline closed the socket: say so rather than "operation aborted".
  if (!r && self->deadline_.expired()) r = fail(core_errc::timeout, r.error().context);
  if (!r && !is_normal_close(r.error())) {
    log_warn("rtmp: client {} closed, {}", self->ip_, r.error());
  } else {
    log_trace("rtmp: client {} closed{}{}", self->ip_, r ? "" : ", ", r ? "" : r.error().message());
  }
  self->deadline_.cancel();
  self->close();
  self->stats().on_close(self->id_);
  self->service_.forget(self->id_);
  co_await self->notify_close();  // http-hooks.md §3: any end after connect, refused ones too
}

awaitable<Result<>> RtmpConnection::serve() {
  arm_deadline(kStepTimeout);
  quick_ack(socket_);
  auto kind = co_await rtmp::server_handshake(socket_);
  if (!kind) co_return wrap(kind, "handshake");
  log_trace("rtmp: {} handshake success",
            *kind == rtmp::HandshakeKind::complex ? "complex" : "simple");
  if (auto r = co_await accept_connect(); !r) co_return wrap(r, "connect");
  for (;;) {
    arm_deadline(kStepTimeout);
    auto who = co_await identify();
    if (!who) co_return wrap(who, "identify");
    // Holds the snapshot `vhost` points into: a reload during a hook call must not free it.
    const Config::Ptr config = service_.server().config_ptr();
    auto vhost = admit(*who);
    if (!vhost) co_return std::unexpected(vhost.error());
    // refer, on_connect, security (http-hooks.md §5); a refusal closes the connection.
    if (auto a = co_await authorize(*who, **vhost); !a) co_return a;
    type_ = who->type;
    report_client();
    // Not a conditional expression: GCC 12 destroys the result of a co_await inside ?: twice.
    Result<> r;
    if (is_publisher(who->type)) {
      r = co_await publish(*who, **vhost);
    } else {
      r = co_await play(*who, **vhost);
    }
    if (!r) co_return r;
    // The client unpublished or stopped playing and may start again (spec §3.4, §3.5).
    type_ = RtmpClientType::unknown;
  }
}

awaitable<Result<rtmp::Command>> RtmpConnection::read_command() {
  for (;;) {
    // Clients such as ffmpeg leave Nagle on and send each command on its own: ACK at once,
    // or each command waits for our delayed ACK (~40 ms) during the startup exchange.
    quick_ack(socket_);
    auto m = co_await session_.read();
    if (!m) co_return std::unexpected(m.error());
    if (session_.has_pending()) {
      if (auto w = co_await session_.flush(); !w) co_return std::unexpected(w.error());
    }
    if (!rtmp::is_command(m->type)) continue;
    auto c = rtmp::decode_command(m->type, m->payload);
    if (!c) co_return wrap(c, "decode command");
    co_return c;
  }
}

awaitable<Result<>> RtmpConnection::accept_connect() {
  Result<rtmp::ConnectRequest> connect = fail(core_errc::closed);
  for (;;) {
    auto c = co_await read_command();
    if (!c) co_return std::unexpected(c.error());
    if (c->name != rtmp::kConnect) continue;  // anything before connect is skipped
    connect = rtmp::parse_connect(*c);
    if (!connect) co_return wrap(connect, "parse connect");
    break;
  }
  request_.set_tc_url(connect->tc_url);
  request_.page_url = connect->page_url;
  request_.swf_url = connect->swf_url;
  request_.object_encoding = connect->object_encoding;
  log_trace(
      "rtmp: connect app, tcUrl={}, pageUrl={}, swfUrl={}, schema={}, vhost={}, port={}, app={}",
      request_.tc_url, request_.page_url, request_.swf_url, request_.schema, request_.vhost,
      request_.port, request_.app);
  const Config& config = service_.server().config();
  const VhostConfig* vhost = config.resolve_vhost(request_.vhost);
  const uint32_t chunk_size = vhost ? vhost->chunk_size : config.global().chunk_size;
  out_chunk_size_ = chunk_size;

  std::error_code ec;
  auto local = socket_.local_endpoint(ec);
  rtmp::ConnectResult info{connect->object_encoding, ec ? "" : local.address().to_string(),
                           static_cast<double>(::getpid()), static_cast<double>(id_)};
  // All five in one write: a small message sent alone would wait on Nagle against the
  // client's delayed ACK and stall the start by ~40 ms.
  session_.queue_control(rtmp::window_ack_size(kWindowAckSize));
  session_.queue_control(
      rtmp::set_peer_bandwidth(kWindowAckSize, rtmp::PeerBandwidthLimit::dynamic));
  session_.queue_out_chunk_size(chunk_size);
  session_.queue_command(rtmp::kCommandCid, 0,
                         rtmp::encode_connect_result(service_.identity(), info));
  session_.queue_command(rtmp::kCommandCid, 0, rtmp::encode_on_bw_done());
  connected_ = true;
  co_return co_await session_.flush();
}

// Reads commands until one says what the client is (spec §3.3), answering as 2.0 does.
awaitable<Result<RtmpConnection::Identity>> RtmpConnection::identify() {
  using rtmp::Command;
  bool created = false;
  for (;;) {
    auto c = co_await read_command();
    if (!c) co_return std::unexpected(c.error());
    const std::string& name = c->name;
    const double tid = c->transaction_id;
    if (name == rtmp::kCreateStream) {
      session_.queue_command(rtmp::kCommandCid, 0,
                             rtmp::encode_result(tid, rtmp::kDefaultStreamId));
      created = true;
    } else if (name == rtmp::kPlay) {
      auto p = rtmp::parse_play(*c);
      if (!p) co_return wrap(p, "play");
      co_return Identity{RtmpClientType::play, p->stream_name, p->duration};
    } else if (name == rtmp::kPublish) {
      auto p = rtmp::parse_publish(*c);
      if (!p) co_return wrap(p, "publish");
      co_return Identity{RtmpClientType::flash_publish, p->stream_name, -1};
    } else if (name == rtmp::kReleaseStream || name == rtmp::kFCPublish ||
               name == rtmp::kFCUnpublish) {
      auto s = rtmp::parse_stream_request(*c);
      if (!s) co_return wrap(s, name);
      session_.queue_command(rtmp::kCommandCid, 0, rtmp::encode_result(tid, amf0::Undefined{}));
      const auto type = created && name == rtmp::kFCPublish ? RtmpClientType::haivision_publish
                                                            : RtmpClientType::fmle_publish;
      if (auto w = co_await session_.flush(); !w) co_return std::unexpected(w.error());
      co_return Identity{type, s->stream_name, -1};
    } else if (!created) {
      // _checkbw, FCSubscribe and the like: answered with null so the client goes on.
      session_.queue_command(rtmp::kCommandCid, 0, rtmp::encode_result(tid, amf0::Null{}));
    }
    if (session_.has_pending()) {
      if (auto w = co_await session_.flush(); !w) co_return std::unexpected(w.error());
    }
  }
}

// Vhost lookup (spec §3.3); authorize() goes on with refer, hooks, security and the
// empty-stream check. A refused client is closed without an RTMP error message.
Result<const VhostConfig*> RtmpConnection::admit(const Identity& who) {
  request_.set_stream(who.stream);
  log_trace("rtmp: client identified, type={}, stream_name={}, duration={}, param={}",
            client_type_name(who.type), request_.stream, who.duration, request_.param);
  const VhostConfig* vhost = service_.server().config().resolve_vhost(request_.vhost);
  if (!vhost) return fail(core_errc::invalid_argument, "no vhost " + request_.vhost);
  request_.vhost = vhost->name;
  reload(*vhost);  // the stream's vhost may differ from the one connect was answered for
  return vhost;
}

void RtmpConnection::reload(const VhostConfig& vhost) {
  settings_ = rtmp_settings_of(vhost);
  if (settings_.chunk_size != out_chunk_size_) {
    out_chunk_size_ = settings_.chunk_size;
    session_.queue_out_chunk_size(out_chunk_size_);
    log_trace("rtmp: chunk_size is {}", out_chunk_size_);
    // A player's sender flushes it with its next batch; wake it so an idle one does too.
    if (consumer_) consumer_->wake();
  }
}

Stats& RtmpConnection::stats() noexcept {
  return service_.server().stats();
}

void RtmpConnection::report_client() {
  ClientInfo info{ip_,
                  request_.vhost,
                  request_.app,
                  request_.stream,
                  request_.page_url,
                  request_.swf_url,
                  request_.tc_url,
                  request_.stream_url(),
                  client_type_name(type_),
                  is_publisher(type_)};
  ClientStat* c = stats().on_client(id_, std::move(info), this, SystemClock::instance().now_ms());
  stream_stat_ = c->stream;
}

}  // namespace srs
