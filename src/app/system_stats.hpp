// Machine and process statistics for the API (spec http-api §3.3-§3.7): CPU, memory, load,
// disks, network and sockets from /proc, and getrusage. Sampled on the server's 1 s tick
// (rates need two samples), never per request: a request reads the last sample.
//
// The parsers are pure functions over the text of one /proc file, so they are tested on
// fixture text; SystemStats reads the files under a root that tests point elsewhere.
#pragma once

#include <sys/resource.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace srs {

// The `cpu` line of /proc/stat, in clock ticks.
struct CpuTimes {
  uint64_t user = 0, nice = 0, sys = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0,
           guest = 0;
  uint64_t total() const noexcept {
    return user + nice + sys + idle + iowait + irq + softirq + steal;
  }
  uint64_t busy() const noexcept { return total() - idle - iowait; }
};
std::optional<CpuTimes> parse_proc_stat(std::string_view text);

// /proc/[pid]/stat: pid, comm, state, then the numeric fields named by kSelfStatNames.
// Some are signed (priority, nice), some beyond int64 (rsslim): each keeps its own sign.
using ProcNumber = std::variant<int64_t, uint64_t>;
inline constexpr std::array<std::string_view, 41> kSelfStatNames = {
    "ppid",        "pgrp",        "session",
    "tty_nr",      "tpgid",       "flags",
    "minflt",      "cminflt",     "majflt",
    "cmajflt",     "utime",       "stime",
    "cutime",      "cstime",      "priority",
    "nice",        "num_threads", "itrealvalue",
    "starttime",   "vsize",       "rss",
    "rsslim",      "startcode",   "endcode",
    "startstack",  "kstkesp",     "kstkeip",
    "signal",      "blocked",     "sigignore",
    "sigcatch",    "wchan",       "nswap",
    "cnswap",      "exit_signal", "processor",
    "rt_priority", "policy",      "delayacct_blkio_ticks",
    "guest_time",  "cguest_time"};
struct SelfStat {
  int64_t pid = 0;
  std::string comm;                                        // without the parentheses
  std::string state;                                       // "R", "S", ...
  std::array<ProcNumber, kSelfStatNames.size()> fields{};  // missing trailing ones are 0
  uint64_t cpu_ticks() const noexcept;                     // utime + stime
};
// Tolerates a comm with spaces or parentheses (the last ')' ends it).
std::optional<SelfStat> parse_self_stat(std::string_view text);

// /proc/meminfo, KB.
struct MemInfo {
  uint64_t total = 0, free = 0, buffers = 0, cached = 0, swap_total = 0, swap_free = 0;
  uint64_t active() const noexcept { return total - free; }
  uint64_t real_in_use() const noexcept;
  uint64_t not_in_use() const noexcept { return total - real_in_use(); }
  double ram_ratio() const noexcept;
  double swap_ratio() const noexcept;
};
std::optional<MemInfo> parse_meminfo(std::string_view text);

// /proc/diskstats summed over `devices` (by name, e.g. "sda"); all zero when none match.
struct DiskCounters {
  uint64_t read_sectors = 0, write_sectors = 0, io_ms = 0;
};
DiskCounters parse_diskstats(std::string_view text, const std::vector<std::string>& devices);

// /proc/net/dev: cumulative bytes per interface.
struct NetDevice {
  std::string name;
  uint64_t recv_bytes = 0, send_bytes = 0;
};
std::vector<NetDevice> parse_net_dev(std::string_view text);

// /proc/net/sockstat.
struct SockStat {
  int64_t tcp_inuse = 0, tcp_tw = 0, tcp_alloc = 0, udp_inuse = 0;
};
std::optional<SockStat> parse_sockstat(std::string_view text);

std::optional<std::array<double, 3>> parse_loadavg(std::string_view text);
// /proc/uptime: seconds up, seconds idle (all CPUs).
std::optional<std::array<double, 2>> parse_uptime(std::string_view text);

// The command line of this process, arguments joined by spaces (summaries: self.argv).
std::string process_command_line(const std::string& proc = "/proc");

// True for loopback and RFC 1918 / link-local IPv4 addresses (the "i" in net_recvi_bytes).
bool is_private_ipv4(std::string_view address) noexcept;

// One sample of everything, with rates over the time since the previous one.
struct SystemSample {
  bool ok = false;        // every reader succeeded
  int64_t sample_ms = 0;  // wall clock
  rusage ru{};
  std::optional<SelfStat> self;
  double self_percent = 0;  // of one CPU
  std::optional<CpuTimes> cpu;
  double cpu_percent = 0;  // of the whole machine
  std::optional<MemInfo> mem;
  std::array<double, 3> load{};
  std::array<double, 2> uptime{};
  double disk_read_kbps = 0, disk_write_kbps = 0, disk_busy = 0;  // KB/s, KB/s, ratio
  uint64_t net_recv = 0, net_send = 0;                            // public interfaces
  uint64_t net_recvi = 0, net_sendi = 0;                          // private ones, lo included
  SockStat sock;
  int cpus = 0, cpus_online = 0;
};

class SystemStats {
 public:
  // `disks` are the stats.disk devices; `proc` the /proc mount (tests use fixtures).
  explicit SystemStats(std::vector<std::string> disks = {}, std::string proc = "/proc");
  void set_disks(std::vector<std::string> disks) { disks_ = std::move(disks); }

  // Reads every source; `wall_ms` is now. Cheap (a few small /proc reads): once a second.
  void sample(int64_t wall_ms);
  const SystemSample& last() const noexcept { return last_; }

  // The interfaces counted as public (net_recv/send_bytes); the others, lo included, are
  // private. By default sample() finds them with getifaddrs: those with a public IPv4.
  void set_public_interfaces(std::vector<std::string> names) {
    public_ifs_ = std::move(names);
    resolve_interfaces_ = false;
  }

 private:
  std::optional<std::string> read(std::string_view file) const;
  void sample_cpu(SystemSample& s) const;
  void sample_disk(SystemSample& s);
  void sample_net(SystemSample& s);

  std::vector<std::string> disks_;
  std::string proc_;
  bool resolve_interfaces_ = true;
  std::vector<std::string> public_ifs_;
  SystemSample last_;
  DiskCounters last_disk_;
  bool have_previous_ = false;
};

}  // namespace srs
