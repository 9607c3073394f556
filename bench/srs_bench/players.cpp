#include "srs_bench/players.hpp"

#include <array>
#include <charconv>

#include <fmt/format.h>
#include <asio/connect.hpp>
#include <asio/write.hpp>

#include "protocol/rtmp/chunk_writer.hpp"
#include "protocol/rtmp/client.hpp"
#include "protocol/rtmp/commands.hpp"
#include "protocol/rtmp/control.hpp"
#include "protocol/rtmp/handshake.hpp"
#include "protocol/rtmp/replies.hpp"

namespace srs::bench {

namespace {

// Shared by every player of the process: one thread, and a player consumes what it read
// before it yields.
std::array<uint8_t, 256 * 1024> g_read_buffer;

Result<std::pair<std::string, uint16_t>> split_host_port(std::string_view hostport,
                                                         uint16_t default_port) {
  const size_t colon = hostport.find(':');
  uint16_t port = default_port;
  if (colon != std::string_view::npos) {
    std::string_view p = hostport.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (ec != std::errc() || ptr != p.data() + p.size()) {
      return fail(core_errc::invalid_argument, "bad port");
    }
  }
  return std::pair{std::string(hostport.substr(0, colon)), port};
}

// What both kinds of player share: the socket, the startup clock and the media counters.
class PlayerBase : public std::enable_shared_from_this<PlayerBase> {
 public:
  PlayerBase(Executor ex, const Target& t, Stats& stats, const PlayerOptions& o)
      : socket_(ex), target_(t), stats_(stats), options_(o), deadline_(ex, [this] { close(); }) {}
  virtual ~PlayerBase() = default;

  static awaitable<void> run(std::shared_ptr<PlayerBase> self) {
    self->stats_.clients++;
    auto r = co_await self->serve();
    if (self->connected_) self->stats_.active--;
    if (!r) {
      const bool timed_out = self->deadline_.expired();
      self->stats_.fail(timed_out ? std::string("startup timeout") : r.error().message());
    }
    self->deadline_.cancel();
  }

 protected:
  virtual awaitable<Result<>> start() = 0;
  virtual Result<> feed(ByteSpan bytes) = 0;

  void close() noexcept {
    std::error_code ignored;
    socket_.close(ignored);
  }
  void mark_connected() {
    if (connected_) return;
    connected_ = true;
    stats_.connected++;
    stats_.active++;
  }
  Result<> on_media(const MediaEvent& e) {
    if (!e.is_video() && !e.is_audio()) return {};
    mark_connected();
    stats_.messages++;
    uint32_t& last = e.is_video() ? last_video_ : last_audio_;
    bool& seen = e.is_video() ? seen_video_ : seen_audio_;
    if (seen && e.timestamp < last) stats_.ts_regressions++;
    seen = true;
    last = e.timestamp;
    if (!got_keyframe_ && e.is_coded_keyframe()) {
      got_keyframe_ = true;
      deadline_.cancel();
      stats_.startup_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - started_).count());
    }
    if (options_.on_media) options_.on_media(e, Clock::now());
    return {};
  }
  awaitable<Result<>> write(ByteSpan bytes) {
    auto [ec, n] =
        co_await asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()), use_nothrow);
    if (ec) co_return fail(ec, "write");
    co_return Result<>{};
  }

  asio::ip::tcp::socket socket_;
  Target target_;
  Stats& stats_;
  PlayerOptions options_;
  Bytes out_;  // replies produced while skimming, written after the read

 private:
  awaitable<Result<>> serve() {
    started_ = Clock::now();
    deadline_.expires_after(options_.startup_timeout);
    auto [cec] = co_await socket_.async_connect(target_.endpoint, use_nothrow);
    if (cec) co_return fail(cec, "tcp connect");
    socket_.set_option(asio::ip::tcp::no_delay(true));
    if (auto r = co_await start(); !r) co_return r;
    co_return co_await read_loop();
  }
  // Drains the socket before every wait: Asio's reactor is edge-triggered and a wait only
  // completes on a new edge, so bytes that arrived while we were writing would otherwise sit
  // unread (with the peer waiting for our answer to them).
  awaitable<Result<>> read_loop() {
    socket_.non_blocking(true);
    for (;;) {
      for (;;) {
        std::error_code ec;
        const size_t n = socket_.read_some(asio::buffer(g_read_buffer), ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) break;
        if (ec) co_return fail(ec, "read");
        stats_.bytes += n;
        if (auto r = feed(ByteSpan(g_read_buffer.data(), n)); !r) co_return r;
        if (n < g_read_buffer.size()) break;  // drained: a new edge will wake the wait
      }
      if (!out_.empty()) {
        Bytes out = std::move(out_);
        out_.clear();
        auto w = co_await write(out);
        if (!w) co_return w;
        continue;  // read what came while writing before waiting again
      }
      auto [wec] = co_await socket_.async_wait(asio::socket_base::wait_read, use_nothrow);
      if (wec) co_return fail(wec, "wait");
    }
  }

  Deadline deadline_;
  Clock::time_point started_;
  bool connected_ = false;
  bool got_keyframe_ = false;
  bool seen_video_ = false, seen_audio_ = false;
  uint32_t last_video_ = 0, last_audio_ = 0;
};

class RtmpPlayer final : public PlayerBase {
 public:
  RtmpPlayer(Executor ex, const Target& t, Stats& stats, const PlayerOptions& o)
      : PlayerBase(ex, t, stats, o),
        skimmer_([this](const MediaEvent& e) { return on_event(e); }) {}

 private:
  awaitable<Result<>> start() override {
    if (auto h = co_await rtmp::client_handshake(socket_); !h) co_return wrap(h, "handshake");
    rtmp::ConnectOptions c;
    c.app = target_.app;
    c.tc_url = target_.tc_url;
    queue(MessageType::amf0_command, rtmp::kCommandCid, 0, rtmp::encode_connect(c));
    Bytes out = std::move(out_);
    out_.clear();
    co_return co_await write(out);
  }
  Result<> feed(ByteSpan bytes) override { return skimmer_.feed(bytes); }

  void queue(MessageType type, uint32_t cid, uint32_t stream_id, ByteSpan payload) {
    rtmp::ChunkBatch b(rtmp::kDefaultChunkSize, 1);
    (void)b.add(rtmp::OutMessage{type, 0, stream_id, cid, payload});
    Bytes chunks = b.flatten();
    out_.insert(out_.end(), chunks.begin(), chunks.end());
  }

  Result<> on_event(const MediaEvent& e) {
    received_ += e.size;
    maybe_ack();
    switch (e.type) {
      case MessageType::audio:
      case MessageType::video:
        return on_media(e);
      case MessageType::window_ack_size:
        if (e.small.size() == 4) window_ = be32(e.small.data());
        return {};
      case MessageType::user_control:
        if (e.small.size() == 6 && e.small[1] == 6) ping_reply(e.small.subspan(2));
        return {};
      case MessageType::amf0_command:
      case MessageType::amf3_command:
        return on_command(e);
      default:
        return {};
    }
  }

  static uint32_t be32(const uint8_t* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
  }
  void ping_reply(ByteSpan time) {
    const uint8_t payload[6] = {0, 7, time[0], time[1], time[2], time[3]};
    queue(MessageType::user_control, 2, 0, payload);
  }
  // Acknowledge every half window (RTMP 5.4.3) so servers that wait for it keep sending.
  void maybe_ack() {
    if (window_ == 0 || received_ - acked_ < window_ / 2) return;
    acked_ = received_;
    const uint32_t seq = static_cast<uint32_t>(received_);
    const uint8_t payload[4] = {uint8_t(seq >> 24), uint8_t(seq >> 16), uint8_t(seq >> 8),
                                uint8_t(seq)};
    queue(MessageType::acknowledgement, 2, 0, payload);
  }

  // Only the startup exchange and onStatus decode AMF; media never does.
  Result<> on_command(const MediaEvent& e) {
    auto c = rtmp::decode_command(e.type, e.small);
    if (!c) return {};
    if (c->name == rtmp::kError) {
      return fail(core_errc::invalid_argument,
                  fmt::format("_error: {}", c->arg(0).get("description").string_or("")));
    }
    if (c->name == rtmp::kResult && c->transaction_id == 1) {
      queue(MessageType::amf0_command, rtmp::kCommandCid, 0, rtmp::encode_create_stream(2));
    } else if (c->name == rtmp::kResult && c->transaction_id == 2) {
      auto id = rtmp::parse_create_stream_result(*c);
      const uint32_t sid = id ? static_cast<uint32_t>(*id) : rtmp::kStreamId;
      rtmp::PlayRequest p;
      p.stream_name = target_.stream;
      queue(MessageType::amf0_command, rtmp::kStatusCid, sid, rtmp::encode_play(p));
      auto buffer = rtmp::set_buffer_length(sid, 1000);
      queue(buffer.type, 2, 0, buffer.payload);
    } else if (c->name == rtmp::kOnStatus) {
      auto s = rtmp::parse_status(*c);
      if (s && s->level == "error") return fail(core_errc::invalid_argument, s->code);
      if (s && s->code == "NetStream.Play.Start") mark_connected();
    }
    return {};
  }

  RtmpSkimmer skimmer_;
  uint64_t received_ = 0;
  uint64_t acked_ = 0;
  uint32_t window_ = 0;
};

class FlvPlayer final : public PlayerBase {
 public:
  FlvPlayer(Executor ex, const Target& t, Stats& stats, const PlayerOptions& o)
      : PlayerBase(ex, t, stats, o),
        http_([this](ByteSpan body) { return flv_.feed(body); }),
        flv_([this](const MediaEvent& e) { return on_media(e); }) {}

 private:
  awaitable<Result<>> start() override {
    const std::string request =
        fmt::format("GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: srs_bench\r\nAccept: */*\r\n\r\n",
                    target_.path, target_.host);
    co_return co_await write(
        ByteSpan(reinterpret_cast<const uint8_t*>(request.data()), request.size()));
  }
  Result<> feed(ByteSpan bytes) override {
    auto r = http_.feed(bytes);
    if (r && http_.headers_done()) mark_connected();
    return r;
  }

  HttpResponseSkimmer http_;
  FlvSkimmer flv_;
};

}  // namespace

Result<Target> resolve_target(asio::io_context& io, const std::string& url) {
  Target t;
  t.url = url;
  std::string hostport;
  uint16_t default_port = 0;
  if (url.starts_with("rtmp://")) {
    auto u = rtmp::parse_url(url);
    if (!u) return std::unexpected(u.error());
    t.app = u->app;
    t.stream = u->stream;
    t.tc_url = u->tc_url;
    hostport = u->host + ":" + std::to_string(u->port);
    t.host = u->host;
  } else if (url.starts_with("http://")) {
    std::string_view rest = std::string_view(url).substr(7);
    const size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return fail(core_errc::invalid_argument, "no path");
    hostport = std::string(rest.substr(0, slash));
    t.path = std::string(rest.substr(slash));
    t.host = hostport;
    default_port = 80;
  } else {
    return fail(core_errc::invalid_argument, "url must be rtmp:// or http://");
  }
  auto hp = split_host_port(hostport, default_port);
  if (!hp) return std::unexpected(hp.error());
  asio::ip::tcp::resolver resolver(io);
  std::error_code ec;
  auto results = resolver.resolve(hp->first, std::to_string(hp->second), ec);
  if (ec || results.empty()) return fail(ec, "resolve " + hp->first);
  t.endpoint = results.begin()->endpoint();
  return t;
}

void start_rtmp_player(Executor ex, const Target& t, Stats& stats, const PlayerOptions& o) {
  auto p = std::make_shared<RtmpPlayer>(ex, t, stats, o);
  spawn(ex, PlayerBase::run(p), "rtmp player");
}

void start_flv_player(Executor ex, const Target& t, Stats& stats, const PlayerOptions& o) {
  auto p = std::make_shared<FlvPlayer>(ex, t, stats, o);
  spawn(ex, PlayerBase::run(p), "flv player");
}

}  // namespace srs::bench
