// Byte totals and bit rates of a connection, stream or vhost, as the pithy prints show
// them (logging-ops.md 2: current, 30 s and 5 min kbps) and the HTTP API reports them
// (recv_30s, send_30s). Time comes from the caller, so tests drive it by hand.
#pragma once

#include <cstdint>

#include "core/clock.hpp"

namespace srs {

class KbpsMeter {
 public:
  // The rates are measured from now_ms on.
  explicit KbpsMeter(int64_t now_ms) noexcept;
  explicit KbpsMeter(const Clock& clock) noexcept : KbpsMeter(clock.now_ms()) {}

  void add_recv(uint64_t bytes) noexcept { recv_.total += bytes; }
  void add_send(uint64_t bytes) noexcept { send_.total += bytes; }

  // Updates the rates at now_ms: the current rate covers the time since the previous
  // sample; the 30 s and 5 min rates cover their last completed window, and until the
  // first window completes, the time since the meter started (so a new stream does not
  // report 0 for its first 30 s). A clock that went backwards restarts the windows.
  void sample(int64_t now_ms) noexcept;
  void sample(const Clock& clock) noexcept { sample(clock.now_ms()); }

  uint64_t recv_bytes() const noexcept { return recv_.total; }
  uint64_t send_bytes() const noexcept { return send_.total; }
  // kbit/s (bytes * 8 / ms), as of the last sample().
  int64_t recv_kbps() const noexcept { return recv_.current.kbps; }
  int64_t recv_kbps_30s() const noexcept { return recv_.last_30s.kbps; }
  int64_t recv_kbps_5m() const noexcept { return recv_.last_5m.kbps; }
  int64_t send_kbps() const noexcept { return send_.current.kbps; }
  int64_t send_kbps_30s() const noexcept { return send_.last_30s.kbps; }
  int64_t send_kbps_5m() const noexcept { return send_.last_5m.kbps; }

 private:
  struct Window {
    int64_t length_ms;
    int64_t start_ms;
    uint64_t start_bytes = 0;
    int64_t kbps = 0;
    bool completed = false;

    void update(int64_t now_ms, uint64_t total) noexcept;
  };
  struct Direction {
    uint64_t total = 0;
    Window current;
    Window last_30s;
    Window last_5m;
  };
  static Direction make_direction(int64_t now_ms) noexcept;

  Direction recv_;
  Direction send_;
};

}  // namespace srs
