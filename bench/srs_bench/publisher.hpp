// The load generator's publishers: each loops one FLV file (loaded once, shared by all) in
// real time, with timestamps that keep rising across loops. Messages are sent straight from
// the file's bytes with the chunk writer's gather writes: no payload copies.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/coro.hpp"
#include "srs_bench/players.hpp"
#include "srs_bench/stats.hpp"

namespace srs::bench {

struct FlvFile {
  struct Tag {
    MessageType type{};
    uint32_t timestamp = 0;  // from the file, relative to its first tag
    ByteSpan payload;        // into `data`
    bool header = false;     // metadata or a sequence header: sent once, not looped
  };
  Bytes data;
  std::vector<Tag> tags;
  uint32_t loop_ms = 0;  // how far timestamps advance per loop
};
Result<std::shared_ptr<const FlvFile>> load_flv(const std::string& path);

struct PublishOptions {
  Duration timeout = std::chrono::seconds(10);
  // Latency mode: called for every coded video frame as it is handed to the socket.
  std::function<void(const MediaEvent&, Clock::time_point)> on_video_sent;
};

void start_publisher(Executor ex, const Target& t, std::shared_ptr<const FlvFile> file,
                     Stats& stats, const PublishOptions& o);

}  // namespace srs::bench
