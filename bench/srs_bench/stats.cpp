#include "srs_bench/stats.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace srs::bench {

double percentile(std::vector<double>& samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const double rank = p / 100.0 * static_cast<double>(samples.size() - 1);
  return samples[static_cast<size_t>(std::lround(rank))];
}

void Stats::fail(const std::string& reason) {
  ++failed;
  ++reasons[reason];
}

void Reporter::tick() {
  const double t = std::chrono::duration<double>(Clock::now() - start_).count();
  const uint64_t delta = stats_.bytes - last_bytes_;
  last_bytes_ = stats_.bytes;
  fmt::print("[{:6.1f}s] {} started={} connected={} active={} failed={} kbps={:.0f}\n", t,
             stats_.mode, stats_.clients, stats_.connected, stats_.active, stats_.failed,
             static_cast<double>(delta) * 8 / 1000);
  std::fflush(stdout);
}

void Reporter::steady() {
  steady_at_ = Clock::now();
  steady_bytes_ = stats_.bytes;
}

void Reporter::summary() const {
  const auto now = Clock::now();
  // The rate over the steady window when there is one, else over the whole run.
  const bool has_steady =
      steady_at_ != Clock::time_point{} && now - steady_at_ > std::chrono::seconds(1);
  const double secs =
      std::chrono::duration<double>(now - (has_steady ? steady_at_ : start_)).count();
  const uint64_t bytes = stats_.bytes - (has_steady ? steady_bytes_ : 0);
  const double kbps = secs > 0 ? static_cast<double>(bytes) * 8 / 1000 / secs : 0;
  const double per_client = stats_.connected ? kbps / stats_.connected : 0;
  std::vector<double> startup = stats_.startup_ms;
  const double p50 = percentile(startup, 50);
  const double p99 = percentile(startup, 99);
  const double max = startup.empty() ? 0 : startup.back();
  fmt::print("summary: mode={} clients={} connected={} failed={}\n", stats_.mode, stats_.clients,
             stats_.connected, stats_.failed);
  for (const auto& [reason, n] : stats_.reasons) fmt::print("  failure x{}: {}\n", n, reason);
  fmt::print("  total {:.0f} kbit/s, per client {:.1f} kbit/s (over {:.1f} s)\n", kbps, per_client,
             secs);
  if (!startup.empty()) {
    fmt::print(
        "  startup (connect -> first keyframe) p50 {:.1f} ms, p99 {:.1f} ms, max {:.1f} ms, "
        "{} samples\n",
        p50, p99, max, startup.size());
  }
  fmt::print("  timestamp regressions {}\n", stats_.ts_regressions);
  fmt::print(
      "SUMMARY mode={} clients={} connected={} failed={} kbps={:.0f} client_kbps={:.1f} "
      "startup_p50_ms={:.1f} startup_p99_ms={:.1f} startup_samples={} ts_regressions={}\n",
      stats_.mode, stats_.clients, stats_.connected, stats_.failed, kbps, per_client, p50, p99,
      startup.size(), stats_.ts_regressions);
  std::fflush(stdout);
}

}  // namespace srs::bench
