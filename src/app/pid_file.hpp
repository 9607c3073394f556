// The pid file of logging-ops.md §3.1: created 0644, locked with an exclusive fcntl write
// lock for the life of the process (a second server on the same file fails with
// "srs is already running!"), holding the decimal pid with no newline. The file is left
// behind at exit; the init script removes it.
#pragma once

#include <string>

#include "core/error.hpp"

namespace srs {

class PidFile {
 public:
  // Locks `path` and writes our pid into it.
  static Result<PidFile> acquire(const std::string& path);

  PidFile(PidFile&& o) noexcept : path_(std::move(o.path_)), fd_(o.fd_) { o.fd_ = -1; }
  PidFile& operator=(PidFile&& o) noexcept;
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;
  // Closing the descriptor releases the lock (the file stays).
  ~PidFile();

  const std::string& path() const noexcept { return path_; }

 private:
  PidFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
};

}  // namespace srs
