#include "protocol/rtmp/client.hpp"

#include <charconv>

#include <asio/connect.hpp>

#include "protocol/rtmp/commands.hpp"
#include "protocol/rtmp/handshake.hpp"
#include "protocol/rtmp/replies.hpp"
#include "protocol/rtmp/rtmp_error.hpp"

namespace srs::rtmp {

Result<Url> parse_url(std::string_view url) {
  constexpr std::string_view kScheme = "rtmp://";
  if (!url.starts_with(kScheme)) return fail(core_errc::invalid_argument, "not an rtmp:// url");
  std::string_view rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return fail(core_errc::invalid_argument, "no app in url");
  std::string_view hostport = rest.substr(0, slash);
  std::string_view path = rest.substr(slash + 1);
  Url u;
  const size_t colon = hostport.find(':');
  u.host = std::string(hostport.substr(0, colon));
  if (colon != std::string_view::npos) {
    std::string_view p = hostport.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), u.port);
    if (ec != std::errc() || ptr != p.data() + p.size() || u.port == 0) {
      return fail(core_errc::invalid_argument, "bad port in url");
    }
  }
  // Parameters on the stream may contain '/', so look for the last '/' before any '?';
  // with parameters on the app instead ("live?vhost=v/stream") there is none before it.
  const size_t query = path.find('?');
  size_t last = path.substr(0, query).rfind('/');
  if (last == std::string_view::npos) last = path.rfind('/');
  if (last == std::string_view::npos || u.host.empty()) {
    return fail(core_errc::invalid_argument, "url needs host, app and stream");
  }
  u.app = std::string(path.substr(0, last));
  u.stream = std::string(path.substr(last + 1));
  if (u.app.empty() || u.stream.empty()) {
    return fail(core_errc::invalid_argument, "url needs host, app and stream");
  }
  u.tc_url = "rtmp://" + u.host + ":" + std::to_string(u.port) + "/" + u.app;
  return u;
}

Client::Client(Executor ex) : ex_(ex), socket_(ex) {}
Client::~Client() {
  close();
}

void Client::close() noexcept {
  std::error_code ignored;
  socket_.close(ignored);
}

awaitable<Result<>> Client::with_deadline(awaitable<Result<>> step, Duration timeout) {
  Deadline deadline(ex_, [this] { close(); });
  deadline.expires_after(timeout);
  auto r = co_await std::move(step);
  if (!r && deadline.expired()) co_return fail(core_errc::timeout, r.error().context);
  co_return r;
}

awaitable<Result<>> Client::connect(std::string_view url, Duration timeout,
                                    const amf0::Value& connect_args) {
  auto u = parse_url(url);
  if (!u) co_return wrap(u, "connect");
  url_ = *u;
  co_return co_await with_deadline(do_connect(connect_args), timeout);
}

awaitable<Result<>> Client::do_connect(const amf0::Value& connect_args) {
  asio::ip::tcp::resolver resolver(ex_);
  auto [rec, endpoints] =
      co_await resolver.async_resolve(url_.host, std::to_string(url_.port), use_nothrow);
  if (rec) co_return fail(rec, "resolve " + url_.host);
  auto [cec, ep] = co_await asio::async_connect(socket_, endpoints, use_nothrow);
  if (cec) co_return fail(cec, "tcp connect " + url_.host + ":" + std::to_string(url_.port));
  socket_.set_option(asio::ip::tcp::no_delay(true));
  if (auto h = co_await client_handshake(socket_); !h) co_return wrap(h, "handshake");
  session_ = std::make_unique<Session>(socket_);
  ConnectOptions o;
  o.app = url_.app;
  o.tc_url = url_.tc_url;
  o.args = connect_args;
  session_->queue_command(kCommandCid, 0, encode_connect(o));
  if (auto w = co_await session_->flush(); !w) co_return wrap(w, "send connect");
  auto reply = co_await wait_command(kResult, 1);
  if (!reply) co_return wrap(reply, "connect");
  auto result = parse_connect_result(*reply);
  if (!result) co_return wrap(result, "connect");
  server_info_ = result->info;
  co_return Result<>{};
}

awaitable<Result<Command>> Client::wait_command(std::string_view name, double tid) {
  for (;;) {
    auto m = co_await session_->read();
    if (!m) co_return std::unexpected(m.error());
    if (!is_command(m->type)) continue;
    auto c = decode_command(m->type, m->payload);
    if (!c) continue;
    if (c->name == kError && c->transaction_id == tid) {
      co_return fail(rtmp_command_errc::error_reply,
                     std::string(c->arg(0).get("description").string_or("_error")));
    }
    if (c->name == name && (tid < 0 || c->transaction_id == tid)) co_return c;
  }
}

awaitable<Result<std::string>> Client::wait_status() {
  auto c = co_await wait_command(kOnStatus, -1);
  if (!c) co_return std::unexpected(c.error());
  auto s = parse_status(*c);
  if (!s) co_return std::unexpected(s.error());
  if (s->level == "error") co_return fail(rtmp_command_errc::error_reply, s->code);
  co_return s->code;
}

awaitable<Result<>> Client::publish(Duration timeout) {
  co_return co_await with_deadline(do_publish(), timeout);
}

awaitable<Result<>> Client::do_publish() {
  // Large chunks: fewer headers and syscalls for the media we are about to send.
  session_->queue_out_chunk_size(60000);
  session_->queue_command(kCommandCid, 0,
                          encode_stream_call(kReleaseStream, next_tid_++, url_.stream));
  session_->queue_command(kCommandCid, 0, encode_stream_call(kFCPublish, next_tid_++, url_.stream));
  const double create_tid = next_tid_++;
  session_->queue_command(kCommandCid, 0, encode_create_stream(create_tid));
  if (auto w = co_await session_->flush(); !w) co_return wrap(w, "publish");
  auto created = co_await wait_command(kResult, create_tid);
  if (!created) co_return wrap(created, "createStream");
  if (auto id = parse_create_stream_result(*created)) stream_id_ = static_cast<uint32_t>(*id);
  session_->queue_command(kStatusCid, stream_id_, encode_publish(next_tid_++, url_.stream));
  if (auto w = co_await session_->flush(); !w) co_return wrap(w, "publish");
  for (;;) {
    auto code = co_await wait_status();
    if (!code) co_return wrap(code, "publish");
    if (*code == "NetStream.Publish.Start") co_return Result<>{};
  }
}

awaitable<Result<>> Client::play(Duration timeout) {
  co_return co_await with_deadline(do_play(), timeout);
}

awaitable<Result<>> Client::do_play() {
  const double create_tid = next_tid_++;
  session_->queue_command(kCommandCid, 0, encode_create_stream(create_tid));
  if (auto w = co_await session_->flush(); !w) co_return wrap(w, "play");
  auto created = co_await wait_command(kResult, create_tid);
  if (!created) co_return wrap(created, "createStream");
  if (auto id = parse_create_stream_result(*created)) stream_id_ = static_cast<uint32_t>(*id);
  PlayRequest p;
  p.stream_name = url_.stream;
  session_->queue_command(kStatusCid, stream_id_, encode_play(p));
  session_->queue_control(set_buffer_length(stream_id_, 1000));
  if (auto w = co_await session_->flush(); !w) co_return wrap(w, "play");
  for (;;) {
    auto code = co_await wait_status();
    if (!code) co_return wrap(code, "play");
    if (*code == "NetStream.Play.Start") co_return Result<>{};
  }
}

awaitable<Result<Message>> Client::read() {
  auto m = co_await session_->read();
  if (session_->has_pending()) {
    Result<> w = co_await flush_queued();
    if (!w) co_return std::unexpected(w.error());
  }
  co_return m;
}

awaitable<Result<>> Client::flush_queued() {
  if (writing_) co_return Result<>{};
  writing_ = true;
  Result<> r;
  while (r && session_->has_pending()) r = co_await session_->flush();
  writing_ = false;
  co_return r;
}

awaitable<Result<>> Client::send(std::span<const SharedMessagePtr> messages) {
  ChunkBatch& b = session_->start_batch();
  for (const SharedMessagePtr& m : messages) {
    auto r = b.add(OutMessage{m->type(), static_cast<uint32_t>(m->timestamp()), stream_id_,
                              media_cid(m->type()), m->payload()});
    if (!r) co_return wrap(r, "send");
  }
  co_return co_await session_->write_batch();
}

awaitable<Result<>> Client::send_command(Bytes payload) {
  session_->queue_command(kStatusCid, stream_id_, std::move(payload));
  co_return co_await flush_queued();
}

awaitable<Result<>> Client::pause(bool pause, double time_ms) {
  session_->queue_command(kStatusCid, stream_id_, encode_pause(next_tid_++, pause, time_ms));
  co_return co_await flush_queued();
}

}  // namespace srs::rtmp
