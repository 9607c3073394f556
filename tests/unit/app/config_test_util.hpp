// Helpers shared by the config tests.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "app/config.hpp"

namespace srs::test {

inline Config::Ptr config_of(std::string_view text) {
  auto c = Config::parse(text, "t.conf");
  EXPECT_TRUE(c) << (c ? "" : c.error().message());
  return c ? *c : nullptr;
}

// The vhost block `name` of a one-vhost config whose body is `body`.
inline VhostConfig vhost_of(std::string_view body, std::string_view extra_global = "") {
  auto text = std::string("listen 1935;\n") + std::string(extra_global) + "\nvhost v.com {\n" +
              std::string(body) + "\n}\n";
  auto c = config_of(text);
  return c && c->find_vhost("v.com") ? *c->find_vhost("v.com") : VhostConfig{};
}

}  // namespace srs::test
