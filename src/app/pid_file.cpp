#include "app/pid_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace srs {

namespace {
std::unexpected<Error> system_error(const std::string& what) {
  return fail(std::error_code(errno, std::system_category()), what);
}
}  // namespace

Result<PidFile> PidFile::acquire(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return system_error("open pid file " + path);
  PidFile file(path, fd);  // closes fd on every early return below

  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;  // l_start = l_len = 0: the whole file
  if (::fcntl(fd, F_SETLK, &lock) < 0) {
    if (errno == EACCES || errno == EAGAIN) {
      return system_error("srs is already running! pid file " + path + " is locked");
    }
    return system_error("lock pid file " + path);
  }
  if (::ftruncate(fd, 0) < 0) return system_error("truncate pid file " + path);
  const std::string pid = std::to_string(::getpid());
  if (::write(fd, pid.data(), pid.size()) != static_cast<ssize_t>(pid.size())) {
    return system_error("write pid file " + path);
  }
  return file;
}

PidFile& PidFile::operator=(PidFile&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(o.path_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

PidFile::~PidFile() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace srs
