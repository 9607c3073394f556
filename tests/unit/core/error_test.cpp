#include "core/error.hpp"

#include <gtest/gtest.h>

#include <asio/error.hpp>

namespace srs {
namespace {

Result<int> inner() {
  return fail(core_errc::timeout, "read header");
}
Result<int> outer() {
  auto r = inner();
  if (!r) return wrap(r, "handshake");
  return *r;
}

TEST(Error, WrapPrependsContextAndKeepsCode) {
  auto r = outer();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core_errc::timeout);
  EXPECT_EQ(r.error().context, "handshake: read header");
  EXPECT_EQ(r.error().message(), "handshake: read header: timeout");
}

TEST(Error, NormalCloseRecognisesEofAndReset) {
  EXPECT_TRUE(is_normal_close(Error{asio::error::eof, {}}));
  EXPECT_TRUE(is_normal_close(Error{asio::error::connection_reset, {}}));
  EXPECT_FALSE(is_normal_close(Error{make_error_code(core_errc::timeout), {}}));
}

TEST(Error, FormatsWithFmt) {
  Error e{make_error_code(core_errc::closed), "play"};
  EXPECT_EQ(fmt::format("{}", e), "play: closed by peer");
}

}  // namespace
}  // namespace srs
