// The shipped config files: all valid, and full.conf really holds the defaults.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/config.hpp"

namespace srs {
namespace {

// conf/ of the source tree, found from this file (CMake compiles it by absolute path).
const std::string kConfDir =
    (std::filesystem::path(__FILE__).parent_path() / "../../../conf/").lexically_normal();

Config::Ptr load_valid(const std::string& name) {
  auto c = Config::load(kConfDir + name);
  EXPECT_TRUE(c) << name << ": " << (c ? "" : c.error().message());
  if (!c) return nullptr;
  auto ok = (*c)->validate(ValidationLimits{100000});
  EXPECT_TRUE(ok) << name << ": " << (ok ? "" : ok.error().message());
  return *c;
}

TEST(ConfFiles, SrsConfServesRtmpApiHttpHlsAndFlv) {
  auto c = load_valid("srs.conf");
  ASSERT_TRUE(c);
  const GlobalConfig& g = c->global();
  EXPECT_EQ(g.listen, std::vector<std::string>{"1935"});
  EXPECT_FALSE(g.daemon);
  EXPECT_TRUE(g.log_to_console);
  EXPECT_TRUE(g.http_api.enabled);
  EXPECT_EQ(g.http_api.listen, "1985");
  EXPECT_TRUE(g.http_server.enabled);
  EXPECT_EQ(g.http_server.listen, "8080");
  EXPECT_EQ(g.http_server.dir, "./objs/nginx/html");
  const VhostConfig* v = c->find_vhost("__defaultVhost__");
  ASSERT_NE(v, nullptr);
  EXPECT_TRUE(v->hls.enabled);
  EXPECT_TRUE(v->http_remux.enabled);
  EXPECT_EQ(v->http_remux.mount, "[vhost]/[app]/[stream].flv");
}

TEST(ConfFiles, ConsoleConfRunsInTheForeground) {
  auto c = load_valid("console.conf");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->global().daemon);
  EXPECT_TRUE(c->global().log_to_console);
}

TEST(ConfFiles, FullConfSpellsOutTheDefaults) {
  auto c = load_valid("full.conf");
  ASSERT_TRUE(c);
  GlobalConfig g = c->global();
  GlobalConfig defaults;
  defaults.listen = {"1935"};
  g.stream_casters.clear();  // an example block, not a default
  EXPECT_EQ(g, defaults);
  const VhostConfig* v = c->find_vhost("__defaultVhost__");
  ASSERT_NE(v, nullptr);
  VhostConfig expected;
  expected.name = "__defaultVhost__";
  expected.transcodes = v->transcodes;  // examples, disabled
  expected.ingests = v->ingests;
  EXPECT_EQ(*v, expected);
  ASSERT_EQ(v->transcodes.size(), 1u);
  EXPECT_FALSE(v->transcodes[0].enabled);
  ASSERT_EQ(v->ingests.size(), 1u);
  EXPECT_FALSE(v->ingests[0].enabled);
}

}  // namespace
}  // namespace srs
