// srs_rtmp_client: a command-line RTMP client on rtmp::Client, for tests and debugging.
//
//   srs_rtmp_client play URL [--seconds S] [--count N] [--pause-at MS --resume-at MS]
//   srs_rtmp_client publish URL FILE.flv [--seconds S] [--offset MS] [--loop]
//
// play prints one JSON line per received message on stdout, flushed at once so a test can
// follow it live: {"ms":..,"type":"video","ts":..,"size":..,"key":..,"sh":..}, where ms is
// the arrival time since the tool started connecting. Status commands print their code;
// the tool's own actions print {"ms":..,"event":"play"|"pause"|"resume"}.
// publish sends the FLV file's tags paced at real time; --offset adds MS to every timestamp
// (modulo 2^32, so a start just below 2^32 crosses the 32-bit wrap); --loop repeats the file
// with timestamps continuing. Both stop after --seconds (default 10). Exit status 0 when the
// session started and ran until its limit or the server closed it, 1 otherwise.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <asio/io_context.hpp>

#include "core/log.hpp"
#include "kernel/flv.hpp"
#include "protocol/rtmp/client.hpp"
#include "protocol/rtmp/commands.hpp"
#include "protocol/rtmp/replies.hpp"

using namespace srs;

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string mode;
  std::string url;
  std::string file;
  double seconds = 10;
  long count = -1;     // play: stop after this many audio/video messages
  long pause_at = -1;  // play: ms since start
  long resume_at = -1;
  int64_t offset = 0;  // publish: added to every timestamp
  bool loop = false;
};

const Clock::time_point g_start = Clock::now();

long elapsed_ms() {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - g_start).count());
}

void emit(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void emit_event(std::string_view event) {
  emit(fmt::format(R"({{"ms":{},"event":"{}"}})", elapsed_ms(), event));
}

std::string_view type_name(MessageType t) {
  switch (t) {
    case MessageType::audio:
      return "audio";
    case MessageType::video:
      return "video";
    case MessageType::amf0_data:
    case MessageType::amf3_data:
      return "data";
    case MessageType::amf0_command:
    case MessageType::amf3_command:
      return "command";
    case MessageType::aggregate:
      return "aggregate";
    default:
      return "other";
  }
}

// Command names and status codes are plain ASCII identifiers from the server; anything
// else is dropped so the line stays valid JSON.
std::string json_safe(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') out += c;
  }
  return out;
}

void print_message(rtmp::Message&& m) {
  if (!rtmp::is_command(m.type)) {
    // The shared form only to ask it what the frame is: the payload moves, nothing copies.
    const SharedMessagePtr msg = std::move(m).share();
    emit(fmt::format(R"({{"ms":{},"type":"{}","ts":{},"size":{},"key":{},"sh":{}}})", elapsed_ms(),
                     type_name(msg->type()), msg->timestamp(), msg->payload().size(),
                     msg->is_video_keyframe(), msg->is_sequence_header()));
    return;
  }
  auto c = rtmp::decode_command(m.type, m.payload);
  if (!c) return;
  std::string code;
  if (auto s = rtmp::parse_status(*c)) code = s->code;
  emit(fmt::format(R"({{"ms":{},"type":"command","name":"{}","code":"{}"}})", elapsed_ms(),
                   json_safe(c->name), json_safe(code)));
}

// Sends pause and resume at their times while run_play reads.
// Owns a share of the client: it may still be writing when the play loop ends.
awaitable<void> pause_script(std::shared_ptr<rtmp::Client> client, Options o,
                             std::shared_ptr<bool> alive) {
  co_await sleep_for(std::chrono::milliseconds(std::max(0L, o.pause_at - elapsed_ms())));
  if (!*alive) co_return;
  emit_event("pause");
  Result<> paused = co_await client->pause(true);
  if (!paused) co_return;
  if (o.resume_at < 0) co_return;
  co_await sleep_for(std::chrono::milliseconds(std::max(0L, o.resume_at - elapsed_ms())));
  if (!*alive) co_return;
  emit_event("resume");
  co_await client->pause(false);
}

awaitable<Result<>> run_play(std::shared_ptr<rtmp::Client> shared, const Options& o) {
  rtmp::Client& client = *shared;
  if (auto r = co_await client.play(5s); !r) co_return wrap(r, "play");
  emit_event("play");
  auto alive = std::make_shared<bool>(true);
  if (o.pause_at >= 0) {
    spawn(co_await asio::this_coro::executor, pause_script(shared, o, alive), "pause script");
  }
  long media = 0;
  Result<> result;
  while (o.count < 0 || media < o.count) {
    auto m = co_await client.read();
    if (!m) {
      result = std::unexpected(m.error());
      break;
    }
    if (m->type == MessageType::audio || m->type == MessageType::video) ++media;
    print_message(std::move(*m));
  }
  *alive = false;
  co_return result;
}

Result<Bytes> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(core_errc::invalid_argument, "cannot open " + path);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Sends every tag of the file once; `base` (ms) is added to the file's timestamps and moved
// past the last one, so a loop continues the timeline.
awaitable<Result<>> publish_file(rtmp::Client& client, const Bytes& file, const Options& o,
                                 int64_t& base, Clock::time_point t0) {
  flv::Decoder decoder;
  decoder.feed(file);
  int64_t last = 0;
  for (;;) {
    auto tag = decoder.next();
    if (!tag) co_return wrap(tag, "flv");
    if (!*tag) break;
    const int64_t ts = base + (*tag)->header.timestamp;
    last = std::max(last, ts);
    // Real time: a tag leaves when the wall clock reaches its timestamp.
    const auto due = t0 + std::chrono::milliseconds(ts);
    if (due > Clock::now()) co_await sleep_for(due - Clock::now());
    const auto wire_ts = static_cast<int64_t>(static_cast<uint32_t>(ts + o.offset));
    const SharedMessagePtr msg =
        SharedMessage::make(static_cast<MessageType>((*tag)->header.type), wire_ts, 0,
                            Bytes((*tag)->data.begin(), (*tag)->data.end()));
    const std::span<const SharedMessagePtr> one(&msg, 1);
    if (auto r = co_await client.send(one); !r) co_return r;
  }
  base = last + 40;  // one frame after the last tag
  co_return Result<>{};
}

awaitable<Result<>> run_publish(rtmp::Client& client, const Options& o) {
  auto file = read_file(o.file);
  if (!file) co_return std::unexpected(file.error());
  if (auto r = co_await client.publish(5s); !r) co_return wrap(r, "publish");
  emit_event("publish");
  int64_t base = 0;
  const auto t0 = Clock::now();
  do {
    if (auto r = co_await publish_file(client, *file, o, base, t0); !r) co_return r;
  } while (o.loop);
  co_return Result<>{};
}

awaitable<void> run(Options o, int& status) {
  auto shared = std::make_shared<rtmp::Client>(co_await asio::this_coro::executor);
  rtmp::Client& client = *shared;
  bool limit_reached = false;
  Deadline limit(co_await asio::this_coro::executor, [&] {
    limit_reached = true;
    client.close();
  });
  limit.expires_after(std::chrono::milliseconds(static_cast<int64_t>(o.seconds * 1000)));
  Result<> r = co_await client.connect(o.url, 5s);
  bool started = static_cast<bool>(r);
  if (r) {
    emit_event("connect");
    if (o.mode == "play") {
      r = co_await run_play(shared, o);
    } else {
      r = co_await run_publish(client, o);
    }
  }
  limit.cancel();
  // Stopped by our own time limit, or the server ended the session: both are normal ends.
  if (!r && started && (limit_reached || is_normal_close(r.error()))) r = Result<>{};
  if (!r) fmt::print(stderr, "srs_rtmp_client: {}\n", r.error().message());
  status = r ? 0 : 1;
}

int usage() {
  fmt::print(stderr,
             "usage: srs_rtmp_client play URL [--seconds S] [--count N] [--pause-at MS "
             "--resume-at MS]\n"
             "       srs_rtmp_client publish URL FILE.flv [--seconds S] [--offset MS] "
             "[--loop]\n");
  return 2;
}

bool parse_args(int argc, char** argv, Options& o) {
  std::vector<std::string> args(argv + 1, argv + argc);
  size_t i = 0;
  auto next = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : std::string(); };
  std::vector<std::string> positional;
  try {
    for (; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a == "--seconds") {
        o.seconds = std::stod(next());
      } else if (a == "--count") {
        o.count = std::stol(next());
      } else if (a == "--pause-at") {
        o.pause_at = std::stol(next());
      } else if (a == "--resume-at") {
        o.resume_at = std::stol(next());
      } else if (a == "--offset") {
        o.offset = std::stoll(next());
      } else if (a == "--loop") {
        o.loop = true;
      } else {
        positional.push_back(a);
      }
    }
  } catch (const std::exception&) {
    return false;
  }
  if (positional.size() < 2) return false;
  o.mode = positional[0];
  o.url = positional[1];
  if (o.mode == "publish" && positional.size() == 3) o.file = positional[2];
  return (o.mode == "play" && positional.size() == 2) || (o.mode == "publish" && !o.file.empty());
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_args(argc, argv, o)) return usage();
  // stdout carries the JSON lines; the library's warnings go to stderr.
  LogOptions log;
  log.console = false;
  log.file = "/dev/stderr";
  log.level = LogLevel::warn;
  logging::configure(log);
  asio::io_context io(1);
  int status = 1;
  spawn(new_context_executor(io), run(o, status), "srs_rtmp_client");
  io.run();
  return status;
}
