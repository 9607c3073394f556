#include "app/system_stats.hpp"

#include <gtest/gtest.h>

#include "stats_fixtures.hpp"

namespace srs {
namespace {

TEST(SystemStats, ParsesTheCpuLineOfProcStat) {
  auto c = parse_proc_stat(test::kProcStat);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, 1000u);
  EXPECT_EQ(c->sys, 500u);
  EXPECT_EQ(c->idle, 8000u);
  EXPECT_EQ(c->iowait, 100u);
  EXPECT_EQ(c->total(), 9620u);
  EXPECT_FALSE(parse_proc_stat("cpu0 1 2 3 4\n"));
  EXPECT_FALSE(parse_proc_stat("cpu  1 x 3 4\n"));
  EXPECT_FALSE(parse_proc_stat(""));
}

TEST(SystemStats, ParsesSelfStatWithACommHoldingSpacesAndParentheses) {
  auto s = parse_self_stat(test::kSelfStat);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->pid, 4242);
  EXPECT_EQ(s->comm, "srs (test) x");
  EXPECT_EQ(s->state, "S");
  EXPECT_EQ(std::get<uint64_t>(s->fields[0]), 1u);           // ppid
  EXPECT_EQ(std::get<int64_t>(s->fields[4]), -1);            // tpgid
  EXPECT_EQ(std::get<uint64_t>(s->fields[21]), UINT64_MAX);  // rsslim
  EXPECT_EQ(s->cpu_ticks(), 60u);                            // utime + stime
  EXPECT_FALSE(parse_self_stat("4242 srs S 1"));
  EXPECT_FALSE(parse_self_stat("x (srs) S 1"));
  EXPECT_FALSE(parse_self_stat("1 (srs) S 1 2 zz"));
  EXPECT_FALSE(parse_self_stat(") 1 ("));
}

TEST(SystemStats, ParsesMeminfoAndDerivesTheSpecValues) {
  auto m = parse_meminfo(test::kMeminfo);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->total, 8000000u);
  EXPECT_EQ(m->active(), 6000000u);
  EXPECT_EQ(m->real_in_use(), 4000000u);
  EXPECT_EQ(m->not_in_use(), 4000000u);
  EXPECT_DOUBLE_EQ(m->ram_ratio(), 0.5);
  EXPECT_DOUBLE_EQ(m->swap_ratio(), 0.25);
  EXPECT_FALSE(parse_meminfo("MemFree: 1 kB\n"));
}

TEST(SystemStats, ParsesDiskNetSocketLoadAndUptime) {
  auto d = parse_diskstats(test::kDiskstats, {"sda"});
  EXPECT_EQ(d.read_sectors, 20000u);
  EXPECT_EQ(d.write_sectors, 40000u);
  EXPECT_EQ(d.io_ms, 1000u);
  EXPECT_EQ(parse_diskstats(test::kDiskstats, {"nvme0n1"}).read_sectors, 0u);

  auto net = parse_net_dev(test::kNetDev);
  ASSERT_EQ(net.size(), 2u);
  EXPECT_EQ(net[0].name, "lo");
  EXPECT_EQ(net[1].name, "eth0");
  EXPECT_EQ(net[1].recv_bytes, 5000000u);
  EXPECT_EQ(net[1].send_bytes, 7000000u);

  auto sock = parse_sockstat(test::kSockstat);
  ASSERT_TRUE(sock);
  EXPECT_EQ(sock->tcp_inuse, 9);
  EXPECT_EQ(sock->tcp_tw, 4);
  EXPECT_EQ(sock->tcp_alloc, 14);
  EXPECT_EQ(sock->udp_inuse, 3);

  auto load = parse_loadavg(test::kLoadavg);
  ASSERT_TRUE(load);
  EXPECT_DOUBLE_EQ((*load)[0], 0.5);
  EXPECT_DOUBLE_EQ((*load)[2], 0.1);
  auto up = parse_uptime(test::kUptime);
  ASSERT_TRUE(up);
  EXPECT_DOUBLE_EQ((*up)[1], 300000.5);
  EXPECT_FALSE(parse_uptime("abc"));
  EXPECT_FALSE(parse_loadavg("1 2"));
}

TEST(SystemStats, ClassifiesPrivateAddresses) {
  for (auto a :
       {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.10", "169.254.0.1"}) {
    EXPECT_TRUE(is_private_ipv4(a)) << a;
  }
  for (auto a : {"8.8.8.8", "172.32.0.1", "192.169.0.1", "not an ip"}) {
    EXPECT_FALSE(is_private_ipv4(a)) << a;
  }
}

TEST(SystemStats, GarbageNeverCrashesTheParsers) {
  const std::string junk[] = {
      std::string("\0\xff(", 3),      "((((", "cpu", "TCP:", "a:b:c", std::string(10000, ' '),
      "1 (x) S -99999999999999999999"};
  for (const auto& j : junk) {
    (void)parse_proc_stat(j);
    (void)parse_self_stat(j);
    (void)parse_meminfo(j);
    (void)parse_diskstats(j, {"sda"});
    (void)parse_net_dev(j);
    (void)parse_sockstat(j);
    (void)parse_loadavg(j);
    (void)parse_uptime(j);
  }
}

TEST(SystemStats, SamplesRatesBetweenTwoTicks) {
  test::ProcDir proc;
  test::write_proc(proc);
  SystemStats sys({"sda"}, proc.path());
  sys.set_public_interfaces({"eth0"});
  sys.sample(10000);
  EXPECT_TRUE(sys.last().ok);
  EXPECT_EQ(sys.last().cpu_percent, 0);  // one sample: no rate yet
  test::write_proc(proc, true);
  sys.sample(12000);
  const SystemSample& s = sys.last();
  EXPECT_TRUE(s.ok);
  EXPECT_EQ(s.sample_ms, 12000);
  // /proc/stat: 450 ticks more, 150 of them busy.
  EXPECT_DOUBLE_EQ(s.cpu_percent, 150.0 / 450.0);
  // self: 100 ticks in 2 s.
  EXPECT_DOUBLE_EQ(s.self_percent, 100.0 / (2.0 * static_cast<double>(::sysconf(_SC_CLK_TCK))));
  // sda: 2000 sectors read (1000 KB) and 4000 written in 2 s; 250 ms busy.
  EXPECT_DOUBLE_EQ(s.disk_read_kbps, 500);
  EXPECT_DOUBLE_EQ(s.disk_write_kbps, 1000);
  EXPECT_DOUBLE_EQ(s.disk_busy, 0.125);
  EXPECT_EQ(s.net_recv, 5000000u);
  EXPECT_EQ(s.net_recvi, 123000u);
  EXPECT_EQ(s.net_sendi, 123000u);
  EXPECT_EQ(s.sock.tcp_alloc, 14);
  EXPECT_GT(s.cpus, 0);
}

TEST(SystemStats, AMissingFileIsNotOk) {
  test::ProcDir proc;
  test::write_proc(proc);
  std::filesystem::remove(proc.path() + "/meminfo");
  SystemStats sys({}, proc.path());
  sys.sample(1000);
  EXPECT_FALSE(sys.last().ok);
  EXPECT_FALSE(sys.last().mem);
  EXPECT_TRUE(sys.last().cpu);
}

TEST(SystemStats, ReadsTheRealProc) {
  SystemStats sys;
  sys.sample(1000);
  EXPECT_TRUE(sys.last().ok);
  ASSERT_TRUE(sys.last().self);
  EXPECT_EQ(sys.last().self->pid, ::getpid());
  EXPECT_GT(sys.last().ru.ru_maxrss, 0);
}

TEST(SystemStats, CommandLineJoinsTheArguments) {
  test::ProcDir proc;
  proc.write("self/cmdline", std::string("./objs/srs\0-c\0conf/srs.conf\0", 28));
  EXPECT_EQ(process_command_line(proc.path()), "./objs/srs -c conf/srs.conf");
  EXPECT_EQ(process_command_line(proc.path() + "/missing"), "");
}

}  // namespace
}  // namespace srs
