#include "kernel/bitrate.hpp"

#include <gtest/gtest.h>

namespace srs {
namespace {

// 125000 bytes a second is 1000 kbit/s.
constexpr uint64_t kBytesPerSecondAt1000Kbps = 125000;

TEST(KbpsMeter, CountsTotalsPerDirection) {
  KbpsMeter meter(0);
  meter.add_recv(100);
  meter.add_recv(23);
  meter.add_send(7);
  EXPECT_EQ(meter.recv_bytes(), 123u);
  EXPECT_EQ(meter.send_bytes(), 7u);
}

TEST(KbpsMeter, CurrentRateCoversTimeSincePreviousSample) {
  ManualClock clock(5000);
  KbpsMeter meter(clock);
  EXPECT_EQ(meter.recv_kbps(), 0);
  meter.add_recv(1000);
  clock.advance(1000);
  meter.sample(clock);
  EXPECT_EQ(meter.recv_kbps(), 8);
  meter.add_recv(500);
  clock.advance(1000);
  meter.sample(clock);
  EXPECT_EQ(meter.recv_kbps(), 4);
  EXPECT_EQ(meter.send_kbps(), 0);
}

TEST(KbpsMeter, WindowsReportLastCompletedWindowAndPartialAverageBefore) {
  ManualClock clock;
  KbpsMeter meter(clock);
  // 40 s at 1000 kbit/s, then 20 s of silence, sampled every second.
  for (int s = 1; s <= 60; ++s) {
    if (s <= 40) meter.add_send(kBytesPerSecondAt1000Kbps);
    clock.advance(1000);
    meter.sample(clock);
    if (s == 10 || s == 30) {
      EXPECT_EQ(meter.send_kbps_30s(), 1000) << s;  // at 10 s: the first window, partial
    }
    if (s == 45) {
      EXPECT_EQ(meter.send_kbps(), 0);
      EXPECT_EQ(meter.send_kbps_30s(), 1000);  // still the window that ended at 30 s
    }
  }
  // The window from 30 s to 60 s held 10 s of data.
  EXPECT_EQ(meter.send_kbps_30s(), 333);
  // No 5 min window has completed: the average since the start, 40 of 60 s.
  EXPECT_EQ(meter.send_kbps_5m(), 666);
  EXPECT_EQ(meter.recv_kbps_30s(), 0);
  EXPECT_EQ(meter.send_bytes(), 40 * kBytesPerSecondAt1000Kbps);
}

TEST(KbpsMeter, FiveMinuteWindowCompletes) {
  KbpsMeter meter(0);
  meter.add_recv(300 * kBytesPerSecondAt1000Kbps / 2);  // 500 kbit/s over 5 min
  meter.sample(300000);
  EXPECT_EQ(meter.recv_kbps_5m(), 500);
  meter.sample(600000);  // a silent second window replaces it
  EXPECT_EQ(meter.recv_kbps_5m(), 0);
}

TEST(KbpsMeter, SampleWithoutElapsedTimeKeepsRates) {
  KbpsMeter meter(0);
  meter.add_recv(1000);
  meter.sample(1000);
  meter.sample(1000);
  EXPECT_EQ(meter.recv_kbps(), 8);
}

TEST(KbpsMeter, ClockGoingBackwardsRestartsWindows) {
  KbpsMeter meter(10000);
  meter.add_recv(1000);
  meter.sample(11000);
  EXPECT_EQ(meter.recv_kbps(), 8);
  meter.sample(500);  // restarted at 500 with the current total
  EXPECT_EQ(meter.recv_kbps(), 8);
  meter.add_recv(2000);
  meter.sample(1500);
  EXPECT_EQ(meter.recv_kbps(), 16);
  EXPECT_EQ(meter.recv_kbps_30s(), 16);
}

}  // namespace
}  // namespace srs
