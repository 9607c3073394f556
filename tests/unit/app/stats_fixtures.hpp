// Helpers for the statistics and API tests: a connection whose byte counters the test
// sets, real codec headers, and a fake /proc tree.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "app/stats.hpp"
#include "kernel/avc.hpp"
#include "unit/kernel/codec_test_util.hpp"

namespace srs::test {

struct FakeConnection final : ByteCounter {
  uint64_t recv = 0;
  uint64_t send = 0;
  uint64_t bytes_received() const noexcept override { return recv; }
  uint64_t bytes_sent() const noexcept override { return send; }
};

inline ClientInfo client_info(std::string_view type, std::string stream = "livestream",
                              std::string vhost = "__defaultVhost__") {
  ClientInfo i;
  i.ip = "127.0.0.1";
  i.vhost = vhost;
  i.app = "live";
  i.stream = stream;
  i.tc_url = "rtmp://127.0.0.1/live";
  i.url = (vhost == "__defaultVhost__" ? "" : vhost) + "/live/" + stream;
  i.type = type;
  i.publish = type != "Play";
  return i;
}

// The FLV AVC sequence header built from the SPS/PPS of tests/data/h264_high_640x360.h264.
inline SharedMessagePtr real_avc_sequence_header() {
  const Bytes annexb = read_data_file("h264_high_640x360.h264");
  avc::AnnexBReader reader(annexb);
  avc::DecoderConfig config;
  while (auto nal = reader.next()) {
    if (!*nal) break;
    if (avc::nal_type(**nal) == avc::NalType::sps)
      config.sps.emplace_back((*nal)->begin(), (*nal)->end());
    if (avc::nal_type(**nal) == avc::NalType::pps)
      config.pps.emplace_back((*nal)->begin(), (*nal)->end());
  }
  EXPECT_FALSE(config.sps.empty());
  config.profile = config.sps[0][1];
  config.compatibility = config.sps[0][2];
  config.level = config.sps[0][3];
  Bytes payload = {0x17, 0x00, 0, 0, 0};
  EXPECT_TRUE(avc::write_decoder_config(config, payload));
  return SharedMessage::make(MessageType::video, 0, 1, std::move(payload));
}

// AAC LC, 44100 Hz, stereo: AudioSpecificConfig 0x12 0x10.
inline SharedMessagePtr real_aac_sequence_header() {
  return SharedMessage::make(MessageType::audio, 0, 1, Bytes{0xaf, 0x00, 0x12, 0x10});
}

// A fake /proc: the files SystemStats reads, with the given texts.
class ProcDir {
 public:
  ProcDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("srs-proc-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(path_ / "self");
    std::filesystem::create_directories(path_ / "net");
  }
  ~ProcDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  void write(const std::string& name, std::string_view text) const {
    std::ofstream(path_ / name) << text;
  }
  std::string path() const { return path_.string(); }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path_;
};

inline constexpr std::string_view kProcStat =
    "cpu  1000 10 500 8000 100 5 5 0 0 0\ncpu0 500 5 250 4000 50 2 2 0 0 0\nintr 1 2 3\n";
inline constexpr std::string_view kProcStatLater =
    "cpu  1100 10 550 8300 100 5 5 0 0 0\ncpu0 550 5 275 4150 50 2 2 0 0 0\nintr 1 2 3\n";
inline constexpr std::string_view kSelfStat =
    "4242 (srs (test) x) S 1 4242 4242 0 -1 4194560 1200 0 3 0 40 20 0 0 20 0 1 0 123456 "
    "50000000 2500 18446744073709551615 1 1 0 0 0 0 0 4096 17926 0 0 0 17 1 0 0 0 0 0\n";
inline constexpr std::string_view kSelfStatLater =
    "4242 (srs (test) x) S 1 4242 4242 0 -1 4194560 1300 0 3 0 100 60 0 0 20 0 1 0 123456 "
    "50000000 2600 18446744073709551615 1 1 0 0 0 0 0 4096 17926 0 0 0 17 1 0 0 0 0 0\n";
inline constexpr std::string_view kMeminfo =
    "MemTotal:        8000000 kB\nMemFree:         2000000 kB\nMemAvailable:    5000000 kB\n"
    "Buffers:          500000 kB\nCached:          1500000 kB\nSwapCached:            0 kB\n"
    "SwapTotal:       1000000 kB\nSwapFree:         750000 kB\n";
inline constexpr std::string_view kLoadavg = "0.50 0.25 0.10 1/234 5678\n";
inline constexpr std::string_view kUptime = "86400.12 300000.50\n";
inline constexpr std::string_view kNetDev =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
    "drop fifo colls carrier compressed\n"
    "    lo:  123000     100    0    0    0     0          0         0   123000     100    0 "
    "   0    0     0       0          0\n"
    "  eth0: 5000000    4000    0    0    0     0          0         0  7000000    5000    0 "
    "   0    0     0       0          0\n";
inline constexpr std::string_view kSockstat =
    "sockets: used 59\nTCP: inuse 9 orphan 0 tw 4 alloc 14 mem 1\nUDP: inuse 3 mem 1\n"
    "UDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n";
inline constexpr std::string_view kDiskstats =
    "   8       0 sda 1000 0 20000 500 2000 0 40000 800 0 1000 1300 0 0 0 0\n"
    "   8       1 sda1 900 0 18000 450 1900 0 38000 750 0 900 1200 0 0 0 0\n";
inline constexpr std::string_view kDiskstatsLater =
    "   8       0 sda 1100 0 22000 550 2100 0 44000 850 0 1250 1400 0 0 0 0\n"
    "   8       1 sda1 990 0 19800 495 1990 0 41800 795 0 1125 1300 0 0 0 0\n";

// Fills `dir` with the first (or later) sample's texts.
inline void write_proc(const ProcDir& dir, bool later = false) {
  dir.write("stat", later ? kProcStatLater : kProcStat);
  dir.write("self/stat", later ? kSelfStatLater : kSelfStat);
  dir.write("meminfo", kMeminfo);
  dir.write("loadavg", kLoadavg);
  dir.write("uptime", kUptime);
  dir.write("net/dev", kNetDev);
  dir.write("net/sockstat", kSockstat);
  dir.write("diskstats", later ? kDiskstatsLater : kDiskstats);
}

}  // namespace srs::test
