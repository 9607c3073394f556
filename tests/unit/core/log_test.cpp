#include "core/log.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "core/context.hpp"

namespace srs {
namespace {

// 2015-01-03 10:57:30.776 UTC
constexpr long long kWhen = 1420282650776LL;

TEST(LogFormat, TraceLineHasTimeLevelPidAndContext) {
  auto line =
      logging::format_line(LogLevel::trace, "RTMP client ip=1.2.3.4", kWhen, 12345, 107, 0, true);
  EXPECT_EQ(line, "[2015-01-03 10:57:30.776][trace][12345][107] RTMP client ip=1.2.3.4");
}

TEST(LogFormat, WarnCarriesErrnoBracket) {
  auto line = logging::format_line(LogLevel::warn, "publish timeout", kWhen, 1, 107, 11, true);
  EXPECT_EQ(line, "[2015-01-03 10:57:30.776][warn][1][107][11] publish timeout");
}

TEST(LogFormat, ErrorAppendsStrerrorWhenErrnoSet) {
  auto line = logging::format_line(LogLevel::error, "recv failed", kWhen, 1, 7, 104, true);
  EXPECT_EQ(line,
            "[2015-01-03 10:57:30.776][error][1][7][104] recv failed(Connection reset by peer)");
}

TEST(LogFormat, InfoLevelPrintsDebugTag) {
  auto line = logging::format_line(LogLevel::info, "x", kWhen, 1, 7, 0, true);
  EXPECT_NE(line.find("[debug]"), std::string::npos);
}

TEST(LogFormat, LongLinesAreCut) {
  auto line = logging::format_line(LogLevel::trace, std::string(10000, 'x'), kWhen, 1, 7, 0, true);
  EXPECT_EQ(line.size(), 4095u);
}

TEST(LogLevels, UnknownNameDisablesLogging) {
  EXPECT_EQ(parse_log_level("trace"), LogLevel::trace);
  EXPECT_EQ(parse_log_level("verbose"), LogLevel::verbose);
  EXPECT_EQ(parse_log_level("loud"), LogLevel::disabled);
}

class LogFileTest : public ::testing::Test {
 protected:
  void TearDown() override { logging::configure(LogOptions{}); }
  std::string path_ = ::testing::TempDir() + "srs_log_test_" + std::to_string(::getpid()) + ".log";
};

TEST_F(LogFileTest, FileTankAppendsLinesWithCurrentContext) {
  ::unlink(path_.c_str());
  ASSERT_FALSE(logging::configure(LogOptions{false, path_, LogLevel::trace, false}));
  {
    ContextScope scope(4242);
    log_trace("hello {}", 1);
    log_info("hidden below trace");
    log_warn("careful");
  }
  std::ifstream in(path_);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  EXPECT_NE(text.find("][trace]["), std::string::npos);
  EXPECT_NE(text.find("][4242] hello 1\n"), std::string::npos);
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  EXPECT_NE(text.find("[warn]"), std::string::npos);
  ::unlink(path_.c_str());
}

TEST_F(LogFileTest, UnopenableFileFallsBackToConsoleWithReason) {
  auto failure =
      logging::configure(LogOptions{false, "/nonexistent/dir/x.log", LogLevel::trace, false});
  ASSERT_TRUE(failure);
  EXPECT_NE(failure->find("/nonexistent/dir/x.log"), std::string::npos);
  EXPECT_TRUE(logging::options().console);
}

}  // namespace
}  // namespace srs
