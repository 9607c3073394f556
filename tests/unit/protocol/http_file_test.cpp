#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "http_fixtures.hpp"
#include "protocol/http/error.hpp"
#include "protocol/http/file_server.hpp"
#include "protocol/http/file_types.hpp"
#include "protocol/http/router.hpp"

namespace srs::http {
namespace {

namespace fs = std::filesystem;
using test::LoopbackServer;
using test::RawClient;

TEST(MimeType, FollowsTheSpecTableAndDefaultsToOctetStream) {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"/live/a.m3u8", "application/vnd.apple.mpegurl"},
      {"/live/a-12.TS", "video/MP2T"},
      {"x.flv", "video/x-flv"},
      {"x.mp4", "video/mp4"},
      {"x.html", "text/html"},
      {"x.js", "text/javascript"},
      {"x.css", "text/css"},
      {"x.json", "application/json"},
      {"x.xml", "text/xml"},
      {"x.txt", "text/plain"},
      {"x.ico", "image/x-icon"},
      {"x.png", "image/png"},
      {"x.jpg", "image/jpeg"},
      {"x.mp3", "audio/mpeg"},
      {"x.aac", "audio/x-aac"},
      {"x.bin", "application/octet-stream"},
      {"/dir.d/noext", "application/octet-stream"},
  };
  for (const auto& [path, type] : table) EXPECT_EQ(mime_type(path), type) << path;
}

TEST(Range, ParsesTheThreeFormsAndClampsToTheSize) {
  auto r = parse_range("bytes=0-9", 100);
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->first, 0u);
  EXPECT_EQ((*r)->last, 9u);
  r = parse_range("bytes=90-200", 100);
  EXPECT_EQ((*r)->last, 99u);
  r = parse_range("bytes=95-", 100);
  EXPECT_EQ((*r)->first, 95u);
  EXPECT_EQ((*r)->length(), 5u);
  r = parse_range("bytes=-10", 100);
  EXPECT_EQ((*r)->first, 90u);
  r = parse_range("bytes=-1000", 100);
  EXPECT_EQ((*r)->first, 0u);
  EXPECT_EQ(content_range(**r, 100), "bytes 0-99/100");
}

TEST(Range, MalformedOrMultiRangesAreIgnoredAndEmptySelectionsAre416) {
  for (auto h : {"bytes=5-1", "bytes=a-b", "items=0-1", "bytes=0-1,3-4", "bytes=", "0-1"}) {
    auto r = parse_range(h, 100);
    ASSERT_TRUE(r) << h;
    EXPECT_FALSE(*r) << h;
  }
  for (auto h : {"bytes=100-", "bytes=100-200", "bytes=-0"}) {
    auto r = parse_range(h, 100);
    ASSERT_FALSE(r) << h;
    EXPECT_EQ(r.error().code, http_errc::range_not_satisfiable);
  }
  EXPECT_FALSE(parse_range("bytes=-5", 0));
  EXPECT_EQ(unsatisfied_range(100), "bytes */100");
}

// A scratch directory: root/ with files, and outside/ next to it.
class FileTree : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/srs-http-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    root_ = base_ / "root";
    fs::create_directories(root_ / "live");
    fs::create_directories(root_ / "site");
    fs::create_directories(base_ / "outside");
    write(root_ / "live" / "a.m3u8", "#EXTM3U\n");
    write(root_ / "site" / "index.html", "<html/>");
    write(base_ / "outside" / "secret.txt", "secret");
    fs::create_symlink(base_ / "outside" / "secret.txt", root_ / "escape.txt");
    fs::create_symlink(root_ / "live" / "a.m3u8", root_ / "inside.m3u8");
  }
  void TearDown() override { fs::remove_all(base_); }
  static void write(const fs::path& p, std::string_view data) {
    std::ofstream(p, std::ios::binary)
        .write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  fs::path base_, root_;
};

TEST_F(FileTree, ResolvesFilesAndRejectsEscapes) {
  auto ok = resolve_under(root_.string(), "/live/a.m3u8");
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, fs::canonical(root_ / "live" / "a.m3u8").string());
  EXPECT_TRUE(resolve_under(root_.string(), "inside.m3u8"));  // symlink that stays inside

  auto dots = resolve_under(root_.string(), "/live/../../outside/secret.txt");
  ASSERT_FALSE(dots);
  EXPECT_EQ(dots.error().code, http_errc::bad_request);
  EXPECT_FALSE(resolve_under(root_.string(), ".."));
  auto link = resolve_under(root_.string(), "/escape.txt");
  ASSERT_FALSE(link);
  EXPECT_EQ(link.error().code, http_errc::forbidden);
  auto missing = resolve_under(root_.string(), "/nope.ts");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, http_errc::not_found);
}

// Sends each raw request on one connection and collects the parsed answers.
awaitable<void> exchange(asio::io_context* io, LoopbackServer* srv,
                         std::vector<std::pair<std::string, bool>> requests,
                         std::vector<Result<Response>>* out) {
  RawClient c(*io);
  EXPECT_TRUE(co_await c.connect(srv->port()));
  for (auto& [wire, head] : requests) {
    co_await c.send(wire);
    out->push_back(co_await c.read_response(head));
  }
  srv->stop();
}

std::vector<Result<Response>> run_requests(HandlerPtr handler,
                                           std::vector<std::pair<std::string, bool>> requests) {
  asio::io_context io;
  LoopbackServer srv(io, std::move(handler));
  std::vector<Result<Response>> out;
  spawn(io.get_executor(), exchange(&io, &srv, std::move(requests), &out), "test");
  io.run_for(std::chrono::seconds(10));
  return out;
}

std::string get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: h\r\n" + std::string(extra) + "\r\n";
}

TEST_F(FileTree, ServesFilesWithTypesRangesHeadAndIndex) {
  std::string big(200000, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  write(root_ / "live" / "big.ts", big);
  auto r = run_requests(std::make_shared<FileServer>("/", root_.string()),
                        {{get("/live/a.m3u8"), false},
                         {get("/live/big.ts"), false},
                         {get("/live/big.ts", "Range: bytes=65530-65545\r\n"), false},
                         {get("/live/big.ts", "Range: bytes=-3\r\n"), false},
                         {get("/live/big.ts", "Range: bytes=200000-\r\n"), false},
                         {"HEAD /live/big.ts HTTP/1.1\r\nHost: h\r\n\r\n", true},
                         {get("/site/"), false},
                         {get("/site?x=1"), false},
                         {get("/missing.flv"), false},
                         {get("/escape.txt"), false},
                         {get("/live/%2e%2e/%2e%2e/outside/secret.txt"), false},
                         {"DELETE /live/a.m3u8 HTTP/1.1\r\nHost: h\r\n\r\n", false}});
  ASSERT_EQ(r.size(), 12u);
  for (auto& x : r) ASSERT_TRUE(x) << x.error().message();
  EXPECT_EQ(r[0]->status, 200);
  EXPECT_EQ(r[0]->body, "#EXTM3U\n");
  EXPECT_EQ(r[0]->headers.get_or("Content-Type", ""), "application/vnd.apple.mpegurl");
  EXPECT_EQ(r[1]->body, big);  // several 64 KiB blocks
  EXPECT_EQ(r[1]->headers.get_or("Content-Length", ""), "200000");
  EXPECT_EQ(r[2]->status, 206);
  EXPECT_EQ(r[2]->body, big.substr(65530, 16));
  EXPECT_EQ(r[2]->headers.get_or("Content-Range", ""), "bytes 65530-65545/200000");
  EXPECT_EQ(r[3]->body, big.substr(199997));
  EXPECT_EQ(r[4]->status, 416);
  EXPECT_EQ(r[4]->headers.get_or("Content-Range", ""), "bytes */200000");
  EXPECT_EQ(r[5]->status, 200);
  EXPECT_EQ(r[5]->headers.get_or("Content-Length", ""), "200000");
  EXPECT_EQ(r[5]->body, "");
  EXPECT_EQ(r[6]->body, "<html/>");
  EXPECT_EQ(r[6]->headers.get_or("Content-Type", ""), "text/html");
  EXPECT_EQ(r[7]->status, 302);
  EXPECT_EQ(r[7]->headers.get_or("Location", ""), "/site/?x=1");
  EXPECT_EQ(r[8]->status, 404);
  EXPECT_EQ(r[8]->body, "Not Found");
  EXPECT_EQ(r[9]->status, 403);
  EXPECT_EQ(r[10]->status, 400);
  EXPECT_EQ(r[11]->status, 405);
}

TEST_F(FileTree, MountPrefixIsRemovedAndRouterFallsBackTo404) {
  auto router = std::make_shared<Router>();
  ASSERT_TRUE(
      router->handle("/hls/", std::make_shared<FileServer>("/hls/", (root_ / "live").string())));
  auto r = run_requests(router, {{get("/hls/a.m3u8"), false}, {get("/live/a.m3u8"), false}});
  ASSERT_EQ(r.size(), 2u);
  ASSERT_TRUE(r[0] && r[1]);
  EXPECT_EQ(r[0]->body, "#EXTM3U\n");
  EXPECT_EQ(r[1]->status, 404);
  EXPECT_EQ(r[1]->headers.get_or("Content-Type", ""), "text/plain; charset=utf-8");
}

// An FLV tag: 11-byte header, data, PreviousTagSize.
std::string flv_tag(uint8_t type, std::string data) {
  std::string t;
  t.push_back(static_cast<char>(type));
  const auto n = static_cast<uint32_t>(data.size());
  t.push_back(static_cast<char>(n >> 16));
  t.push_back(static_cast<char>(n >> 8));
  t.push_back(static_cast<char>(n));
  t.append(7, '\0');  // timestamp, extension, stream id
  t += data;
  const auto prev = static_cast<uint32_t>(11 + data.size());
  for (int s : {24, 16, 8, 0}) t.push_back(static_cast<char>(prev >> s));
  return t;
}

TEST_F(FileTree, FlvStartServesHeaderAndSequenceHeadersThenTheOffset) {
  const std::string header("FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00", 13);
  const std::string meta = flv_tag(18, "\x02onMetaData");
  const std::string avc_sh = flv_tag(9, std::string("\x17\x00\x00\x00\x00seq", 8));
  const std::string aac_sh = flv_tag(8, std::string("\xaf\x00\x12\x10", 4));
  const std::string frame1 = flv_tag(9, std::string("\x17\x01\x00\x00\x00key1", 9));
  const std::string frame2 = flv_tag(9, std::string("\x17\x01\x00\x00\x00key2", 9));
  const std::string lead = header + meta + avc_sh + aac_sh;
  const std::string file = lead + frame1 + frame2;
  write(root_ / "vod.flv", file);
  const size_t offset = lead.size() + frame1.size();
  auto r = run_requests(std::make_shared<FileServer>("/", root_.string()),
                        {{get("/vod.flv?start=" + std::to_string(offset)), false},
                         {get("/vod.flv?start=0"), false},
                         {get("/vod.flv?start=99999"), false}});
  ASSERT_EQ(r.size(), 3u);
  ASSERT_TRUE(r[0] && r[1] && r[2]);
  EXPECT_EQ(r[0]->status, 200);
  EXPECT_EQ(r[0]->headers.get_or("Content-Type", ""), "video/x-flv");
  EXPECT_EQ(r[0]->body, lead + frame2);
  EXPECT_EQ(r[0]->headers.get_or("Content-Length", ""),
            std::to_string(lead.size() + frame2.size()));
  EXPECT_EQ(r[1]->body, file);
  EXPECT_EQ(r[2]->status, 416);
}

TEST_F(FileTree, Mp4RangeQueryAnswersPartialContent) {
  write(root_ / "v.mp4", "0123456789");
  auto r = run_requests(std::make_shared<FileServer>("/", root_.string()),
                        {{get("/v.mp4?range=2-4"), false}, {get("/v.mp4?bytes=7-"), false}});
  ASSERT_EQ(r.size(), 2u);
  ASSERT_TRUE(r[0] && r[1]);
  EXPECT_EQ(r[0]->status, 206);
  EXPECT_EQ(r[0]->body, "234");
  EXPECT_EQ(r[0]->headers.get_or("Content-Range", ""), "bytes 2-4/10");
  EXPECT_EQ(r[1]->body, "789");
}

}  // namespace
}  // namespace srs::http
