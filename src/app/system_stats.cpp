#include "app/system_stats.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <sstream>

namespace srs {

namespace {
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Splits on white space; views into `line`.
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    size_t j = i;
    while (j < line.size() && !is_space(line[j])) ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

// Calls f(line) for each line of text.
template <class F>
void each_line(std::string_view text, F&& f) {
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    f(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

template <class T>
bool to_number(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool to_double(std::string_view s, double& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

double ratio(double part, double whole) {
  return whole > 0 ? part / whole : 0;
}
}  // namespace

std::optional<CpuTimes> parse_proc_stat(std::string_view text) {
  std::optional<CpuTimes> out;
  each_line(text, [&](std::string_view line) {
    auto w = words(line);
    if (out || w.size() < 5 || w[0] != "cpu") return;
    CpuTimes t;
    uint64_t* fields[] = {&t.user, &t.nice,    &t.sys,   &t.idle, &t.iowait,
                          &t.irq,  &t.softirq, &t.steal, &t.guest};
    for (size_t i = 1; i < w.size() && i <= std::size(fields); ++i) {
      if (!to_number(w[i], *fields[i - 1])) return;
    }
    out = t;
  });
  return out;
}

uint64_t SelfStat::cpu_ticks() const noexcept {
  auto u = [](const ProcNumber& n) {
    return std::visit([](auto v) { return static_cast<uint64_t>(v); }, n);
  };
  return u(fields[10]) + u(fields[11]);  // utime, stime
}

std::optional<SelfStat> parse_self_stat(std::string_view text) {
  const size_t open = text.find('(');
  const size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::nullopt;
  }
  SelfStat s;
  auto head = words(text.substr(0, open));
  if (head.size() != 1 || !to_number(head[0], s.pid)) return std::nullopt;
  s.comm = std::string(text.substr(open + 1, close - open - 1));
  auto w = words(text.substr(close + 1));
  if (w.empty()) return std::nullopt;
  s.state = std::string(w[0]);
  for (size_t i = 1; i < w.size() && i <= s.fields.size(); ++i) {
    std::string_view v = w[i];
    if (v.starts_with('-')) {
      int64_t n = 0;
      if (!to_number(v, n)) return std::nullopt;
      s.fields[i - 1] = n;
    } else {
      uint64_t n = 0;
      if (!to_number(v, n)) return std::nullopt;
      s.fields[i - 1] = n;
    }
  }
  return s;
}

uint64_t MemInfo::real_in_use() const noexcept {
  const uint64_t used = buffers + cached;
  return active() > used ? active() - used : 0;
}
double MemInfo::ram_ratio() const noexcept {
  return ratio(static_cast<double>(real_in_use()), static_cast<double>(total));
}
double MemInfo::swap_ratio() const noexcept {
  const uint64_t used = swap_total > swap_free ? swap_total - swap_free : 0;
  return ratio(static_cast<double>(used), static_cast<double>(swap_total));
}

std::optional<MemInfo> parse_meminfo(std::string_view text) {
  MemInfo m;
  bool has_total = false;
  each_line(text, [&](std::string_view line) {
    auto w = words(line);
    if (w.size() < 2) return;
    const std::pair<std::string_view, uint64_t*> keys[] = {
        {"MemTotal:", &m.total}, {"MemFree:", &m.free},         {"Buffers:", &m.buffers},
        {"Cached:", &m.cached},  {"SwapTotal:", &m.swap_total}, {"SwapFree:", &m.swap_free}};
    for (auto [key, field] : keys) {
      if (w[0] == key && to_number(w[1], *field) && field == &m.total) has_total = true;
    }
  });
  if (!has_total || m.total == 0) return std::nullopt;
  return m;
}

DiskCounters parse_diskstats(std::string_view text, const std::vector<std::string>& devices) {
  DiskCounters d;
  each_line(text, [&](std::string_view line) {
    auto w = words(line);
    // major minor name reads merged sectors ms writes merged sectors ms inflight io_ms ...
    if (w.size() < 13) return;
    if (std::ranges::find(devices, w[2]) == devices.end()) return;
    uint64_t rs = 0, ws = 0, io = 0;
    if (!to_number(w[5], rs) || !to_number(w[9], ws) || !to_number(w[12], io)) return;
    d.read_sectors += rs;
    d.write_sectors += ws;
    d.io_ms += io;
  });
  return d;
}

std::vector<NetDevice> parse_net_dev(std::string_view text) {
  std::vector<NetDevice> out;
  each_line(text, [&](std::string_view line) {
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;  // the two header lines
    auto name = words(line.substr(0, colon));
    auto w = words(line.substr(colon + 1));
    // receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes ...
    NetDevice d;
    if (name.size() != 1 || w.size() < 9 || !to_number(w[0], d.recv_bytes) ||
        !to_number(w[8], d.send_bytes)) {
      return;
    }
    d.name = std::string(name[0]);
    out.push_back(std::move(d));
  });
  return out;
}

std::optional<SockStat> parse_sockstat(std::string_view text) {
  SockStat s;
  bool tcp = false;
  each_line(text, [&](std::string_view line) {
    auto w = words(line);
    if (w.empty()) return;
    // "TCP: inuse 9 orphan 0 tw 0 alloc 14 mem 0", "UDP: inuse 3 mem 1": name/value pairs.
    auto value = [&](std::string_view key, int64_t& out) {
      for (size_t i = 1; i + 1 < w.size(); i += 2) {
        if (w[i] == key) return to_number(w[i + 1], out);
      }
      return false;
    };
    if (w[0] == "TCP:") {
      tcp = value("inuse", s.tcp_inuse);
      value("tw", s.tcp_tw);
      value("alloc", s.tcp_alloc);
    } else if (w[0] == "UDP:") {
      value("inuse", s.udp_inuse);
    }
  });
  if (!tcp) return std::nullopt;
  return s;
}

std::optional<std::array<double, 3>> parse_loadavg(std::string_view text) {
  auto w = words(text.substr(0, text.find('\n')));
  std::array<double, 3> out{};
  if (w.size() < 3) return std::nullopt;
  for (size_t i = 0; i < 3; ++i) {
    if (!to_double(w[i], out[i])) return std::nullopt;
  }
  return out;
}

std::optional<std::array<double, 2>> parse_uptime(std::string_view text) {
  auto w = words(text.substr(0, text.find('\n')));
  std::array<double, 2> out{};
  if (w.size() < 2 || !to_double(w[0], out[0]) || !to_double(w[1], out[1])) return std::nullopt;
  return out;
}

bool is_private_ipv4(std::string_view address) noexcept {
  in_addr a{};
  const std::string s(address);
  if (::inet_pton(AF_INET, s.c_str(), &a) != 1) return false;
  const uint32_t ip = ntohl(a.s_addr);
  return (ip >> 24) == 127 || (ip >> 24) == 10 || (ip >> 20) == 0xac1 ||  // 172.16/12
         (ip >> 16) == 0xc0a8 || (ip >> 16) == 0xa9fe;                    // 192.168, 169.254
}

}  // namespace srs

namespace srs {

namespace {
// Interfaces with a public IPv4 address (the others, lo included, count as private).
std::vector<std::string> public_interfaces() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN] = {};
    const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    if (!::inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text))) continue;
    if (!is_private_ipv4(text) && std::ranges::find(out, i->ifa_name) == out.end()) {
      out.emplace_back(i->ifa_name);
    }
  }
  ::freeifaddrs(list);
  return out;
}
}  // namespace

std::string process_command_line(const std::string& proc) {
  std::ifstream in(proc + "/self/cmdline", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && text.back() == '\0') text.pop_back();
  std::ranges::replace(text, '\0', ' ');
  return text;
}

SystemStats::SystemStats(std::vector<std::string> disks, std::string proc)
    : disks_(std::move(disks)), proc_(std::move(proc)) {}

// /proc files are generated by the kernel on read: no disk I/O, so this does not block.
std::optional<std::string> SystemStats::read(std::string_view file) const {
  std::ifstream in(proc_ + "/" + std::string(file));
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

void SystemStats::sample(int64_t wall_ms) {
  SystemSample s;
  s.sample_ms = wall_ms;
  bool ok = ::getrusage(RUSAGE_SELF, &s.ru) == 0;
  sample_cpu(s);
  if (auto t = read("meminfo")) s.mem = parse_meminfo(*t);
  auto load = read("loadavg").and_then(parse_loadavg);
  auto up = read("uptime").and_then(parse_uptime);
  auto sock = read("net/sockstat").and_then(parse_sockstat);
  if (load) s.load = *load;
  if (up) s.uptime = *up;
  if (sock) s.sock = *sock;
  sample_disk(s);
  sample_net(s);
  s.cpus = static_cast<int>(::sysconf(_SC_NPROCESSORS_CONF));
  s.cpus_online = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
  s.ok = ok && s.self && s.cpu && s.mem && load && up && sock;
  last_ = std::move(s);
  have_previous_ = true;
}

void SystemStats::sample_cpu(SystemSample& s) const {
  if (auto t = read("self/stat")) s.self = parse_self_stat(*t);
  if (auto t = read("stat")) s.cpu = parse_proc_stat(*t);
  if (!have_previous_) return;
  const double elapsed_s = static_cast<double>(s.sample_ms - last_.sample_ms) / 1000.0;
  if (s.self && last_.self && elapsed_s > 0) {
    const double ticks = static_cast<double>(s.self->cpu_ticks() - last_.self->cpu_ticks());
    s.self_percent = ratio(ticks, elapsed_s * static_cast<double>(::sysconf(_SC_CLK_TCK)));
  }
  if (s.cpu && last_.cpu && s.cpu->total() > last_.cpu->total()) {
    s.cpu_percent = ratio(static_cast<double>(s.cpu->busy() - last_.cpu->busy()),
                          static_cast<double>(s.cpu->total() - last_.cpu->total()));
  }
}

void SystemStats::sample_disk(SystemSample& s) {
  if (disks_.empty()) return;
  auto text = read("diskstats");
  if (!text) return;
  const DiskCounters now = parse_diskstats(*text, disks_);
  const double elapsed_ms = static_cast<double>(s.sample_ms - last_.sample_ms);
  if (have_previous_ && elapsed_ms > 0 && now.read_sectors >= last_disk_.read_sectors &&
      now.write_sectors >= last_disk_.write_sectors && now.io_ms >= last_disk_.io_ms) {
    // Sectors are 512 bytes whatever the device (Documentation/admin-guide/iostats).
    const double kb_per_s = 0.5 * 1000.0 / elapsed_ms;
    s.disk_read_kbps = static_cast<double>(now.read_sectors - last_disk_.read_sectors) * kb_per_s;
    s.disk_write_kbps =
        static_cast<double>(now.write_sectors - last_disk_.write_sectors) * kb_per_s;
    s.disk_busy = static_cast<double>(now.io_ms - last_disk_.io_ms) / elapsed_ms;
  }
  last_disk_ = now;
}

void SystemStats::sample_net(SystemSample& s) {
  auto text = read("net/dev");
  if (!text) return;
  if (resolve_interfaces_) public_ifs_ = public_interfaces();
  for (const NetDevice& d : parse_net_dev(*text)) {
    const bool is_public = std::ranges::find(public_ifs_, d.name) != public_ifs_.end();
    (is_public ? s.net_recv : s.net_recvi) += d.recv_bytes;
    (is_public ? s.net_send : s.net_sendi) += d.send_bytes;
  }
}

}  // namespace srs
