#include "protocol/http/file_server.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <vector>

#include "core/bytes.hpp"
#include "protocol/http/error.hpp"
#include "protocol/http/file_types.hpp"
#include "protocol/http/headers.hpp"
#include "protocol/http/response_writer.hpp"

namespace srs::http {

namespace {

constexpr size_t kBlockSize = 64 * 1024;
constexpr size_t kFlvHeaderSize = 13;  // 9-byte header + PreviousTagSize0
constexpr int kMaxLeadingTags = 8;

// An open file, closed on scope exit.
class File {
 public:
  explicit File(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  bool ok() const noexcept { return fd_ >= 0; }
  // Reads exactly `n` bytes at `offset`; false on a short read or an error.
  bool read_at(uint64_t offset, char* out, size_t n) const {
    while (n > 0) {
      ssize_t r = ::pread(fd_, out, n, static_cast<off_t>(offset));
      if (r <= 0) return false;
      out += r;
      n -= static_cast<size_t>(r);
      offset += static_cast<uint64_t>(r);
    }
    return true;
  }

 private:
  int fd_;
};

bool ends_with_any(std::string_view path, std::initializer_list<std::string_view> exts) {
  for (auto e : exts) {
    if (path.size() >= e.size() && iequals(path.substr(path.size() - e.size()), e)) return true;
  }
  return false;
}

// Streams [offset, offset + length) of `file` in blocks (nothing for HEAD).
awaitable<Result<>> send_span(ResponseWriter& w, const File& file, uint64_t offset, uint64_t length,
                              std::vector<char>& block, bool head) {
  if (head) co_return co_await w.write_header();
  while (length > 0) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(length, block.size()));
    if (!file.read_at(offset, block.data(), n)) co_return fail(core_errc::io, "read file");
    if (auto r = co_await w.write(std::string_view(block.data(), n)); !r) co_return r;
    offset += n;
    length -= n;
  }
  co_return Result<>{};
}

// Where the leading script-data and sequence-header tags of an FLV file end; 0 if the
// file is not FLV. Bounded: looks at no more than kMaxLeadingTags tags.
uint64_t flv_leading_end(const File& file, uint64_t size) {
  char header[kFlvHeaderSize];
  if (size < kFlvHeaderSize || !file.read_at(0, header, sizeof(header))) return 0;
  if (std::string_view(header, 3) != "FLV") return 0;
  uint64_t pos = kFlvHeaderSize;
  for (int i = 0; i < kMaxLeadingTags && pos + 13 <= size; ++i) {
    uint8_t tag[13];  // 11-byte tag header + the first 2 bytes of its data
    if (!file.read_at(pos, reinterpret_cast<char*>(tag), sizeof(tag))) break;
    ByteReader r({tag, sizeof(tag)});
    const uint8_t type = r.u8() & 0x1f;
    const uint32_t data_size = r.u24();
    const uint8_t codec = tag[11];
    const bool packet0 = tag[12] == 0;  // AVC/HEVC/AAC packet type 0: sequence header
    const bool video_sh = type == 9 && ((codec & 0x0f) == 7 || (codec & 0x0f) == 12) && packet0;
    const bool audio_sh = type == 8 && (codec >> 4) == 10 && packet0;
    if (type != 18 && !video_sh && !audio_sh) break;
    const uint64_t next = pos + 11 + data_size + 4;
    if (next > size) break;
    pos = next;
  }
  return pos;
}

}  // namespace

Result<std::string> resolve_under(std::string_view root, std::string_view relative) {
  std::string_view rest = relative;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    if (rest.substr(0, slash) == "..") return fail(http_errc::bad_request, "'..' in path");
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path real_root = fs::canonical(fs::path(root), ec);
  if (ec) return fail(http_errc::not_found, "root " + std::string(root));
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  const fs::path real = fs::canonical(real_root / fs::path(relative), ec);
  if (ec) return fail(http_errc::not_found, std::string(relative));
  // Symlinks are followed, but only to files that still live under the root.
  auto [r, f] = std::mismatch(real_root.begin(), real_root.end(), real.begin(), real.end());
  if (r != real_root.end()) return fail(http_errc::forbidden, std::string(relative));
  return real.string();
}

FileServer::FileServer(std::string mount, std::string dir) : dir_(std::move(dir)) {
  const size_t slash = mount.find('/');
  prefix_ = slash == std::string::npos ? "/" : mount.substr(slash);
}

awaitable<Result<>> FileServer::serve(Request& req, ResponseWriter& w) {
  if (req.method != "GET" && req.method != "HEAD") {
    w.headers().set("Allow", "GET, HEAD");
    co_return co_await w.send(405, "text/plain; charset=utf-8", "Method Not Allowed");
  }
  std::string relative = req.path.starts_with(prefix_) ? req.path.substr(prefix_.size()) : req.path;
  if (relative.empty() || relative.back() == '/') relative += "index.html";
  auto path = resolve_under(dir_, relative);
  if (!path) co_return std::unexpected(path.error());
  struct stat st;
  if (::stat(path->c_str(), &st) != 0) co_return fail(http_errc::not_found, *path);
  if (S_ISDIR(st.st_mode)) {
    std::string location = req.raw_path + "/";
    if (!req.query.empty()) location += "?" + req.query;
    w.headers().set("Location", location);
    const std::string body = "Redirect to" + location;
    co_return co_await w.send(302, "text/plain; charset=utf-8", body);
  }
  if (!S_ISREG(st.st_mode)) co_return fail(http_errc::not_found, *path);
  File file(*path);
  if (!file.ok()) co_return fail(http_errc::not_found, *path);
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  w.set_content_type(mime_type(*path));
  std::vector<char> block(static_cast<size_t>(std::min<uint64_t>(kBlockSize, size + 1)));
  const bool head = req.is_head();

  // FLV pseudo-streaming: header + leading tags + the file from ?start.
  auto start = req.query_param("start");
  if (start && ends_with_any(*path, {".flv", ".fhv"})) {
    uint64_t offset = 0;
    auto [p, ec] = std::from_chars(start->data(), start->data() + start->size(), offset);
    if (ec == std::errc() && offset > 0) {
      if (offset >= size) co_return fail(http_errc::range_not_satisfiable, "?start past the end");
      const uint64_t lead = flv_leading_end(file, size);
      if (lead > 0 && offset > lead) {
        w.set_content_length(lead + (size - offset));
        if (auto r = co_await send_span(w, file, 0, lead, block, head); !r) co_return r;
        co_return co_await send_span(w, file, offset, size - offset, block, head);
      }
    }
  }

  // A byte range: the Range header, or ?range= / ?bytes= on .mp4 files.
  Result<std::optional<ByteRange>> range = std::optional<ByteRange>{};
  auto span = ends_with_any(*path, {".mp4"}) ? req.query_param("range") : std::nullopt;
  if (!span && ends_with_any(*path, {".mp4"})) span = req.query_param("bytes");
  if (span) {
    range = parse_byte_span(*span, size);
  } else if (auto h = req.headers.get("Range")) {
    range = parse_range(*h, size);
  }
  if (!range) {
    w.headers().set("Content-Range", unsatisfied_range(size));
    co_return co_await w.send(416, "text/plain; charset=utf-8", "Range Not Satisfiable");
  }
  w.headers().set("Accept-Ranges", "bytes");
  if (*range) {
    const ByteRange r = **range;
    w.set_status(206);
    w.headers().set("Content-Range", content_range(r, size));
    w.set_content_length(r.length());
    co_return co_await send_span(w, file, r.first, r.length(), block, head);
  }
  w.set_content_length(size);
  co_return co_await send_span(w, file, 0, size, block, head);
}

}  // namespace srs::http
