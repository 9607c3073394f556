// security allow/deny evaluation and refer matching (config.md §4.4).
#include <gtest/gtest.h>

#include "app/access_error.hpp"
#include "app/refer.hpp"
#include "app/security.hpp"

namespace srs {
namespace {

SecurityConfig rules(std::initializer_list<SecurityRule> list, bool enabled = true) {
  return SecurityConfig{enabled, list};
}
SecurityRule allow(std::string method, std::string target) {
  return {true, std::move(method), std::move(target)};
}
SecurityRule deny(std::string method, std::string target) {
  return {false, std::move(method), std::move(target)};
}

constexpr auto kPlay = AccessKind::play;
constexpr auto kPublish = AccessKind::publish;

TEST(Security, DisabledAllowsEvenWithDenyRules) {
  auto s = rules({deny("play", "all"), deny("publish", "all")}, false);
  EXPECT_TRUE(security_allows(s, kPlay, "1.1.1.1"));
  EXPECT_TRUE(security_allows(s, kPublish, "1.1.1.1"));
}

TEST(Security, EnabledWithoutRulesDeniesEverything) {
  auto s = rules({});
  EXPECT_FALSE(security_allows(s, kPlay, "1.1.1.1"));
  EXPECT_FALSE(security_allows(s, kPublish, "1.1.1.1"));
}

TEST(Security, AllowRuleAppliesToItsKindOnly) {
  auto s = rules({allow("play", "all")});
  EXPECT_TRUE(security_allows(s, kPlay, "1.1.1.1"));
  EXPECT_FALSE(security_allows(s, kPublish, "1.1.1.1"));
}

TEST(Security, AllowByExactIp) {
  auto s = rules({allow("publish", "127.0.0.1"), allow("play", "all")});
  EXPECT_TRUE(security_allows(s, kPublish, "127.0.0.1"));
  EXPECT_FALSE(security_allows(s, kPublish, "127.0.0.10"));
  EXPECT_FALSE(security_allows(s, kPublish, "127.0.0"));
}

TEST(Security, DenyWinsOverAllowWhateverTheOrder) {
  auto before = rules({deny("play", "1.1.1.1"), allow("play", "all")});
  auto after = rules({allow("play", "all"), deny("play", "1.1.1.1")});
  for (const auto& s : {before, after}) {
    EXPECT_FALSE(security_allows(s, kPlay, "1.1.1.1"));
    EXPECT_TRUE(security_allows(s, kPlay, "2.2.2.2"));
  }
}

TEST(Security, DenyAllOfOneKindLeavesTheOther) {
  auto s = rules({allow("play", "all"), allow("publish", "all"), deny("publish", "all")});
  EXPECT_TRUE(security_allows(s, kPlay, "1.1.1.1"));
  EXPECT_FALSE(security_allows(s, kPublish, "1.1.1.1"));
}

TEST(Security, CheckNamesTheRefusal) {
  auto r = check_security(rules({}), kPublish, "9.9.9.9");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, access_errc::security_denied);
  EXPECT_NE(r.error().context.find("9.9.9.9"), std::string::npos);
}

TEST(Refer, HostIsCutAtSchemePathAndPort) {
  EXPECT_EQ(refer_host("http://a.b.com:8080/x/y"), "a.b.com");
  EXPECT_EQ(refer_host("https://a.b.com/x"), "a.b.com");
  EXPECT_EQ(refer_host("a.b.com/x"), "a.b.com");
  EXPECT_EQ(refer_host("http://a.b.com"), "a.b.com");
  EXPECT_EQ(refer_host(""), "");
}

TEST(Refer, NoRuleAllowsAnyPageEvenNone) {
  EXPECT_TRUE(refer_allows({}, ""));
  EXPECT_TRUE(refer_allows({}, "http://x.com/"));
}

TEST(Refer, SuffixOfTheHostMatches) {
  const std::vector<std::string> d = {"github.io", "ossrs.net"};
  EXPECT_TRUE(refer_allows(d, "http://ossrs.github.io/srs/index.html"));
  EXPECT_TRUE(refer_allows(d, "http://ossrs.net:8080/x"));
  EXPECT_TRUE(refer_allows(d, "https://github.io"));
}

TEST(Refer, OtherHostsAndPathsDoNotMatch) {
  const std::vector<std::string> d = {"github.io"};
  EXPECT_FALSE(refer_allows(d, "http://evil.com/github.io"));
  EXPECT_FALSE(refer_allows(d, "http://github.io.evil.com/"));
  EXPECT_FALSE(refer_allows(d, "http://github.iox/"));
  EXPECT_FALSE(refer_allows(d, "http://evil.com:github.io/"));
}

TEST(Refer, MissingPageUrlFailsWhenRulesExist) {
  auto r = check_refer({"a.com"}, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, access_errc::refer_denied);
}

}  // namespace
}  // namespace srs
