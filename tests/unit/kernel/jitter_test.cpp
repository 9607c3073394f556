#include "kernel/jitter.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace srs {
namespace {

std::vector<int64_t> run(JitterAlgorithm a, const std::vector<int64_t>& in) {
  TimeJitter j;
  std::vector<int64_t> out;
  for (int64_t t : in) out.push_back(j.correct(t, true, a));
  return out;
}

TEST(TimeJitter, FullStartsLargeTimestampsNearZero) {
  auto out = run(JitterAlgorithm::full, {2000000000, 2000000040, 2000000080});
  EXPECT_EQ(out, (std::vector<int64_t>{9, 49, 89}));
}

TEST(TimeJitter, FullReplacesJumpsWithTenMilliseconds) {
  auto out = run(JitterAlgorithm::full, {0, 40, 100000, 100040, 20, 60});
  EXPECT_EQ(out, (std::vector<int64_t>{0, 40, 50, 90, 100, 140}));
}

TEST(TimeJitter, FullKeepsSmallStepsAndNeverGoesNegative) {
  auto out = run(JitterAlgorithm::full, {0, 100, 50});
  EXPECT_EQ(out, (std::vector<int64_t>{0, 100, 50}));
  auto step_back = run(JitterAlgorithm::full, {100, 10});
  EXPECT_EQ(step_back, (std::vector<int64_t>{99, 9}));
  auto clamp = run(JitterAlgorithm::full, {0, 0, -200});
  EXPECT_EQ(clamp.back(), 0);
}

TEST(TimeJitter, FullContinuesAfterTheLatestTimeOfEitherKindAtAJump) {
  // Audio at 2995 went out, then a video message stamped 2983 (interleave), then the
  // republished stream restarts at 0: it must not land before the audio already sent.
  auto out = run(JitterAlgorithm::full, {2980, 2995, 2983, 0, 23});
  EXPECT_EQ(out.back() - out[3], 23);
  EXPECT_GT(out[3], out[1]);
}

TEST(TimeJitter, FullStampsMetadataZero) {
  TimeJitter j;
  EXPECT_EQ(j.correct(5000, false, JitterAlgorithm::full), 0);
}

TEST(TimeJitter, ZeroSubtractsFirstTimestamp) {
  auto out = run(JitterAlgorithm::zero, {1000, 1040, 1080});
  EXPECT_EQ(out, (std::vector<int64_t>{0, 40, 80}));
}

TEST(TimeJitter, OffPassesThrough) {
  auto out = run(JitterAlgorithm::off, {7, 3, 100000});
  EXPECT_EQ(out, (std::vector<int64_t>{7, 3, 100000}));
}

TEST(TimeJitter, UnknownNameMeansOff) {
  EXPECT_EQ(parse_jitter("full"), JitterAlgorithm::full);
  EXPECT_EQ(parse_jitter("zero"), JitterAlgorithm::zero);
  EXPECT_EQ(parse_jitter("bogus"), JitterAlgorithm::off);
}

}  // namespace
}  // namespace srs
