#include "app/command_line.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace srs {
namespace {

Result<CommandLine> parse(std::vector<std::string_view> args) {
  return parse_command_line(args);
}

TEST(CommandLine, NoArgumentsMeansHelp) {
  auto cl = parse({});
  ASSERT_TRUE(cl);
  EXPECT_EQ(cl->action, CommandLine::Action::help);
  EXPECT_EQ(parse({"-h"})->action, CommandLine::Action::help);
  EXPECT_EQ(parse({"-?"})->action, CommandLine::Action::help);
}

TEST(CommandLine, VersionNeedsNoConfig) {
  EXPECT_EQ(parse({"-v"})->action, CommandLine::Action::version);
  EXPECT_EQ(parse({"-V"})->action, CommandLine::Action::version);
}

TEST(CommandLine, ConfigFileSeparateOrGlued) {
  auto a = parse({"-c", "conf/srs.conf"});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->action, CommandLine::Action::run);
  EXPECT_EQ(a->config_file, "conf/srs.conf");
  EXPECT_EQ(parse({"-cconf/x.conf"})->config_file, "conf/x.conf");
}

TEST(CommandLine, TestModeWithConfig) {
  auto cl = parse({"-t", "-c", "a.conf"});
  ASSERT_TRUE(cl);
  EXPECT_EQ(cl->action, CommandLine::Action::test);
  EXPECT_EQ(parse({"-c", "a.conf", "-t"})->action, CommandLine::Action::test);
}

TEST(CommandLine, RunAndTestNeedAConfig) {
  auto cl = parse({"-t"});
  ASSERT_FALSE(cl);
  EXPECT_EQ(cl.error().context, "missing the config file: -c <file>");
  EXPECT_FALSE(parse({"-c"}));
}

TEST(CommandLine, DolphinPorts) {
  auto cl = parse({"-c", "a.conf", "-p", "19350", "-x18080"});
  ASSERT_TRUE(cl);
  EXPECT_EQ(cl->overrides.rtmp_port, 19350);
  EXPECT_EQ(cl->overrides.http_port, 18080);
  EXPECT_FALSE(parse({"-c", "a.conf", "-p", "0"}));
  EXPECT_FALSE(parse({"-c", "a.conf", "-p", "12ab"}));
  EXPECT_FALSE(parse({"-c", "a.conf", "-x"}));
}

TEST(CommandLine, UnknownOptionsAndStrayArgumentsAreErrors) {
  EXPECT_EQ(parse({"-z"}).error().context, "unknown option \"-z\"");
  EXPECT_EQ(parse({"srs.conf"}).error().context, "unexpected argument \"srs.conf\"");
}

TEST(CommandLine, UsageMentionsEveryOption) {
  auto u = usage("srs");
  for (auto opt : {"-h", "-v", "-t", "-c <file>", "-p <port>", "-x <port>"}) {
    EXPECT_NE(u.find(opt), std::string::npos) << opt;
  }
}

}  // namespace
}  // namespace srs
