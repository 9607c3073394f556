// The load generator's players: RTMP (handshake, connect, createStream, play) and HTTP-FLV
// (GET, then FLV tags), each one coroutine over one socket. All players of a process share
// one read buffer: a player waits for readability, then drains its socket with
// non-blocking reads into that buffer and skims the bytes (skim.hpp); nothing per message
// is allocated or copied.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <asio/ip/tcp.hpp>

#include "core/coro.hpp"
#include "srs_bench/skim.hpp"
#include "srs_bench/stats.hpp"

namespace srs::bench {

struct Target {
  std::string url;  // rtmp://host:port/app/stream or http://host:port/path.flv
  asio::ip::tcp::endpoint endpoint;
  std::string host;  // as written in the URL (HTTP Host header)
  std::string app, stream, tc_url, path;
};
// Parses and resolves (synchronously: called once before the load starts).
Result<Target> resolve_target(asio::io_context& io, const std::string& url);

struct PlayerOptions {
  Duration startup_timeout = std::chrono::seconds(10);
  // Latency mode: called for every media message with its arrival time.
  std::function<void(const MediaEvent&, Clock::time_point)> on_media;
};

// Runs one player until its socket ends; counts into `stats`. The player owns itself.
void start_rtmp_player(Executor ex, const Target& t, Stats& stats, const PlayerOptions& o);
void start_flv_player(Executor ex, const Target& t, Stats& stats, const PlayerOptions& o);

}  // namespace srs::bench
