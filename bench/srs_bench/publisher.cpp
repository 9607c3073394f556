#include "srs_bench/publisher.hpp"

#include <fstream>
#include <iterator>

#include <asio/steady_timer.hpp>

#include "kernel/flv.hpp"
#include "protocol/rtmp/client.hpp"

namespace srs::bench {

namespace {

bool is_header(MessageType type, ByteSpan p) {
  if (type != MessageType::video && type != MessageType::audio) return true;
  MediaEvent e;
  e.type = type;
  e.size = static_cast<uint32_t>(p.size());
  e.b0 = p.empty() ? 0 : p[0];
  e.b1 = p.size() > 1 ? p[1] : 0;
  return e.is_sequence_header();
}

// Drains what the server sends (acknowledgements, pings); the session queues the replies
// and the sender writes them with its next batch.
awaitable<void> drain(std::shared_ptr<rtmp::Client> client) {
  for (;;) {
    auto m = co_await client->session().read();
    if (!m) co_return;
  }
}

awaitable<Result<>> send_loop(std::shared_ptr<rtmp::Client> client,
                              std::shared_ptr<const FlvFile> file, Stats& stats, PublishOptions o) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const uint32_t sid = client->stream_id();
  rtmp::Session& session = client->session();
  const auto start = Clock::now();
  // Headers first, once, at time 0.
  rtmp::ChunkBatch* batch = &session.start_batch();
  for (const auto& t : file->tags) {
    if (!t.header) continue;
    auto r = batch->add(rtmp::OutMessage{t.type, 0, sid, rtmp::media_cid(t.type), t.payload});
    if (!r) co_return r;
  }
  for (uint64_t base = 0;; base += file->loop_ms) {
    for (const auto& t : file->tags) {
      if (t.header) continue;
      const uint64_t ts = base + t.timestamp;
      const auto due = start + std::chrono::milliseconds(ts);
      if (due > Clock::now()) {
        // Everything due is in the batch: send it, then sleep until the next message.
        const size_t bytes = batch->bytes();
        if (!batch->empty() || session.has_pending()) {
          if (auto w = co_await session.write_batch(); !w) co_return w;
        }
        stats.bytes += bytes;
        timer.expires_at(due);
        auto [ec] = co_await timer.async_wait(use_nothrow);
        if (ec) co_return fail(ec, "timer");
        batch = &session.start_batch();
      }
      const uint32_t wire_ts = static_cast<uint32_t>(ts);
      auto r =
          batch->add(rtmp::OutMessage{t.type, wire_ts, sid, rtmp::media_cid(t.type), t.payload});
      if (!r) co_return r;
      stats.messages++;
      if (o.on_video_sent && t.type == MessageType::video) {
        MediaEvent e;
        e.type = t.type;
        e.timestamp = wire_ts;
        e.size = static_cast<uint32_t>(t.payload.size());
        e.b0 = t.payload[0];
        e.b1 = t.payload.size() > 1 ? t.payload[1] : 0;
        o.on_video_sent(e, Clock::now());
      }
    }
  }
}

awaitable<void> publish(Executor ex, Target t, std::shared_ptr<const FlvFile> file, Stats& stats,
                        PublishOptions o) {
  stats.clients++;
  auto client = std::make_shared<rtmp::Client>(ex);
  auto r = co_await client->connect(t.url, o.timeout);
  if (r) r = co_await client->publish(o.timeout);
  if (!r) {
    stats.fail(r.error().message());
    co_return;
  }
  stats.connected++;
  stats.active++;
  spawn(ex, drain(client), "publisher drain");
  auto s = co_await send_loop(client, file, stats, o);
  stats.active--;
  stats.fail(s ? std::string("ended") : s.error().message());
  client->close();
}

}  // namespace

Result<std::shared_ptr<const FlvFile>> load_flv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(core_errc::io, "open " + path);
  auto file = std::make_shared<FlvFile>();
  file->data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  flv::Decoder decoder(flv::kMaxTagDataSize);
  decoder.feed(file->data);
  // The whole file was fed at once, so every tag is a view into file->data.
  std::optional<uint32_t> first;
  uint32_t last = 0;
  uint32_t video_frames = 0;
  for (;;) {
    auto tag = decoder.next();
    if (!tag) return fail(tag.error().code, "parse " + path);
    if (!*tag) break;
    const auto type = static_cast<MessageType>((*tag)->header.type);
    if (type != MessageType::audio && type != MessageType::video && type != MessageType::amf0_data)
      continue;
    const ByteSpan payload = (*tag)->data;
    if (payload.empty()) continue;
    FlvFile::Tag t{type, (*tag)->header.timestamp, payload, is_header(type, payload)};
    if (!t.header) {
      if (!first) first = t.timestamp;
      t.timestamp -= std::min(*first, t.timestamp);
      last = std::max(last, t.timestamp);
      if (type == MessageType::video) ++video_frames;
    }
    file->tags.push_back(t);
  }
  if (!first) return fail(core_errc::invalid_argument, "no media in " + path);
  // One frame interval after the last message, so a loop does not repeat a timestamp.
  const uint32_t gap = video_frames > 1 ? last / (video_frames - 1) : 40;
  file->loop_ms = last + std::max<uint32_t>(gap, 1);
  return std::shared_ptr<const FlvFile>(std::move(file));
}

void start_publisher(Executor ex, const Target& t, std::shared_ptr<const FlvFile> file,
                     Stats& stats, const PublishOptions& o) {
  spawn(ex, publish(ex, t, std::move(file), stats, o), "publisher");
}

}  // namespace srs::bench
