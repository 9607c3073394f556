#include "app/file_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>

namespace srs {

namespace {

std::unexpected<Error> fail_errno(std::string_view what, std::string_view path) {
  return fail(std::error_code(errno, std::system_category()), fmt::format("{} {}", what, path));
}

Result<> write_all(int fd, ByteSpan data, std::string_view path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("write", path);
    data = data.subspan(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace

DiskFileWriter::~DiskFileWriter() {
  (void)close();
}

Result<> DiskFileWriter::make_dirs(const std::string& dir) {
  if (dir.empty()) return {};
  std::string partial;
  partial.reserve(dir.size());
  size_t pos = 0;
  while (pos != std::string::npos) {
    size_t slash = dir.find('/', pos + 1);
    partial = dir.substr(0, slash);
    pos = slash;
    if (partial.empty() || partial == "." || partial == "..") continue;
    if (::mkdir(partial.c_str(), 0775) != 0 && errno != EEXIST) {
      return fail_errno("mkdir", partial);
    }
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return fail_errno("stat", dir);
  if (!S_ISDIR(st.st_mode))
    return fail(std::make_error_code(std::errc::not_a_directory), "mkdir " + dir);
  return {};
}

Result<> DiskFileWriter::open(const std::string& path, bool append) {
  if (auto r = close(); !r) return r;
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
  int fd = ::open(path.c_str(), flags, 0664);
  if (fd < 0) return fail_errno("open", path);
  fd_ = fd;
  path_ = path;
  return {};
}

Result<> DiskFileWriter::write(ByteSpan data) {
  if (fd_ < 0)
    return fail(std::make_error_code(std::errc::bad_file_descriptor), "write: no open file");
  return write_all(fd_, data, path_);
}

Result<> DiskFileWriter::close() {
  if (fd_ < 0) return {};
  int fd = fd_;
  fd_ = -1;
  // close(2) can report a deferred write error (NFS, quota): the file is then incomplete.
  if (::close(fd) != 0) return fail_errno("close", path_);
  return {};
}

Result<> DiskFileWriter::write_file(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0664);
  if (fd < 0) return fail_errno("open", path);
  ByteSpan bytes(reinterpret_cast<const uint8_t*>(content.data()), content.size());
  auto r = write_all(fd, bytes, path);
  if (::close(fd) != 0 && r) return fail_errno("close", path);
  return r;
}

Result<> DiskFileWriter::rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return fail_errno("rename", from + " to " + to);
  return {};
}

Result<> DiskFileWriter::remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return fail_errno("unlink", path);
  return {};
}

}  // namespace srs
