#include "app/config_parser.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace srs {
namespace {

Directive parse_ok(std::string_view text) {
  auto r = parse_config_text(text, "t.conf");
  EXPECT_TRUE(r) << (r ? "" : r.error().message());
  return r ? *r : Directive{};
}

// The error text of a parse that must fail.
std::string parse_error(std::string_view text) {
  auto r = parse_config_text(text, "t.conf");
  EXPECT_FALSE(r);
  if (r) return {};
  EXPECT_EQ(r.error().code, config_errc::parse);
  return r.error().context;
}

TEST(ConfigParser, SimpleDirectiveWithArguments) {
  auto root = parse_ok("listen 1935 1936;\n");
  ASSERT_EQ(root.children.size(), 1u);
  EXPECT_EQ(root.children[0].name, "listen");
  EXPECT_EQ(root.children[0].args, (std::vector<std::string>{"1935", "1936"}));
  EXPECT_EQ(root.children[0].line, 1);
  EXPECT_EQ(root.children[0].file, "t.conf");
}

TEST(ConfigParser, BlocksNestWithArguments) {
  auto root = parse_ok("vhost a.com {\n  hls {\n    enabled on;\n  }\n}\n");
  const Directive* v = root.get("vhost", "a.com");
  ASSERT_NE(v, nullptr);
  const Directive* e = v->get("hls")->get("enabled");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->arg(), "on");
  EXPECT_EQ(e->line, 3);
}

TEST(ConfigParser, AllWhitespaceKindsSeparateTokensAndLfCountsLines) {
  auto root = parse_ok("a\t1\r\n;\n\nb   2;");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].args, std::vector<std::string>{"1"});
  EXPECT_EQ(root.children[1].line, 4);
}

TEST(ConfigParser, CommentsRunToEndOfLine) {
  auto root = parse_ok("# top\nlisten 1935; # trailing ; { }\n#x;\npid p;");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[1].name, "pid");
  EXPECT_EQ(root.children[1].line, 4);
}

TEST(ConfigParser, HashInsideAWordIsPartOfTheWord) {
  auto root = parse_ok("url http://h/a#b;");
  EXPECT_EQ(root.children[0].arg(), "http://h/a#b");
}

TEST(ConfigParser, QuotesMakeOneArgumentWithSpecialCharacters) {
  auto root = parse_ok("a \"x y;{#}\" 'single \"q\"';");
  EXPECT_EQ(root.children[0].args, (std::vector<std::string>{"x y;{#}", "single \"q\""}));
}

TEST(ConfigParser, QuoteMayBeFollowedBySemicolonOrBrace) {
  auto root = parse_ok("vhost \"v\"{ a 'b'; }");
  EXPECT_EQ(root.children[0].arg(), "v");
  EXPECT_EQ(root.children[0].children[0].arg(), "b");
}

TEST(ConfigParser, EmptyQuotedArgumentsAreDropped) {
  auto root = parse_ok("device_id \"\";\nb '' x \"\";");
  EXPECT_TRUE(root.children[0].args.empty());
  EXPECT_EQ(root.children[1].args, std::vector<std::string>{"x"});
}

TEST(ConfigParser, NamesAreCaseSensitive) {
  auto root = parse_ok("Listen 1;");
  EXPECT_EQ(root.get("listen"), nullptr);
  EXPECT_NE(root.get("Listen"), nullptr);
}

TEST(ConfigParser, FirstDirectiveWins) {
  auto root = parse_ok("listen 1;\nlisten 2;");
  EXPECT_EQ(root.get("listen")->arg(), "1");
  EXPECT_EQ(root.all("listen").size(), 2u);
}

TEST(ConfigParser, EmptyTextIsAnEmptyRoot) {
  EXPECT_TRUE(parse_ok("").children.empty());
  EXPECT_TRUE(parse_ok("  # only a comment\n").children.empty());
}

TEST(ConfigParser, EmptyBlockIsABlockWithoutChildren) {
  auto root = parse_ok("vhost x {}");
  EXPECT_EQ(root.children[0].name, "vhost");
  EXPECT_TRUE(root.children[0].children.empty());
}

TEST(ConfigParser, SemicolonWithoutNameIsAnError) {
  EXPECT_EQ(parse_error("listen 1;\n;"), "t.conf:2: ';' with no directive name before it");
}

TEST(ConfigParser, BraceWithoutNameIsAnError) {
  EXPECT_EQ(parse_error("\n{ a b; }"), "t.conf:2: '{' with no directive name before it");
}

TEST(ConfigParser, MissingSemicolonBeforeCloseIsAnError) {
  EXPECT_EQ(parse_error("vhost v {\n  enabled on\n}"),
            "t.conf:2: directive \"enabled\": missing ';' before '}'");
}

TEST(ConfigParser, UnterminatedDirectiveAtEndIsAnError) {
  EXPECT_EQ(parse_error("pid a;\nlisten 1935"),
            "t.conf:2: directive \"listen\": missing ';' at end of file");
}

TEST(ConfigParser, UnclosedBlockIsAnError) {
  EXPECT_EQ(parse_error("vhost v {\n  enabled on;\n"),
            "t.conf:1: directive \"vhost\": block not closed with '}' at end of file");
}

TEST(ConfigParser, StrayCloseBraceIsAnError) {
  EXPECT_EQ(parse_error("a 1;\n}"), "t.conf:2: unexpected '}' without an open block");
}

TEST(ConfigParser, QuoteFollowedByJunkIsAnError) {
  EXPECT_EQ(parse_error("a \"x\"y;"), "t.conf:1: unexpected 'y' after quoted string \"x\"");
  EXPECT_FALSE(parse_config_text("a 'x'};", "t.conf"));
}

TEST(ConfigParser, UnterminatedQuoteIsAnError) {
  EXPECT_EQ(parse_error("a\n\"x;"), "t.conf:2: unterminated quoted string");
}

TEST(ConfigParser, EqualityIgnoresLocation) {
  auto a = parse_ok("vhost v { hls { enabled on; } }");
  auto b = parse_ok("\n\nvhost v {\n hls {\n enabled on;\n }\n}");
  auto c = parse_ok("vhost v { hls { enabled off; } }");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

class ConfigInclude : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("srs-include-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "sub");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::filesystem::path dir_;
};

TEST_F(ConfigInclude, SplicesFileRelativeToTheIncludingFile) {
  write("sub/v.conf", "hls { enabled on; }\n");
  write("sub/vhost.conf", "vhost v {\n include v.conf;\n}\n");
  auto main = write("main.conf", "listen 1935;\ninclude sub/vhost.conf;\npid x;\n");
  auto root = parse_config_file(main);
  ASSERT_TRUE(root) << root.error().message();
  ASSERT_EQ(root->children.size(), 3u);
  EXPECT_EQ(root->children[1].name, "vhost");
  const Directive* e = root->children[1].get("hls")->get("enabled");
  EXPECT_EQ(e->file, (dir_ / "sub/v.conf").string());
  EXPECT_EQ(e->line, 1);
}

TEST_F(ConfigInclude, MissingFileNamesTheIncludeLine) {
  auto main = write("main.conf", "listen 1935;\ninclude nope.conf;\n");
  auto root = parse_config_file(main);
  ASSERT_FALSE(root);
  EXPECT_NE(root.error().context.find("main.conf:2: directive \"include\""), std::string::npos)
      << root.error().context;
}

TEST_F(ConfigInclude, SelfInclusionStopsAtTheDepthLimit) {
  auto main = write("loop.conf", "include loop.conf;\n");
  auto root = parse_config_file(main);
  ASSERT_FALSE(root);
  EXPECT_NE(root.error().context.find("nested deeper than"), std::string::npos);
}

TEST_F(ConfigInclude, EndlessFileIsRefusedNotReadForever) {
  auto main = write("main.conf", "listen 1935;\ninclude /dev/zero;\n");
  auto root = parse_config_file(main);
  ASSERT_FALSE(root);
  EXPECT_NE(root.error().context.find("main.conf:2: directive \"include\""), std::string::npos)
      << root.error().context;
  EXPECT_NE(root.error().context.find("larger than"), std::string::npos) << root.error().context;
}

TEST_F(ConfigInclude, ErrorsInsideIncludedFileNameThatFile) {
  write("bad.conf", "\n\na b\n");
  auto main = write("main.conf", "include bad.conf;\n");
  auto root = parse_config_file(main);
  ASSERT_FALSE(root);
  EXPECT_NE(root.error().context.find("bad.conf:3: directive \"a\""), std::string::npos);
}

TEST(ConfigParserFile, MissingFileIsAnIoError) {
  auto root = parse_config_file("/nonexistent/srs.conf");
  ASSERT_FALSE(root);
  EXPECT_EQ(root.error().code, config_errc::io);
  EXPECT_NE(root.error().context.find("/nonexistent/srs.conf"), std::string::npos);
}

}  // namespace
}  // namespace srs
