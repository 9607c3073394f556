// The file operations HLS and DVR need, behind an interface so their logic runs in tests
// against memory (and against a disk that fails on cue) and in the server against the real
// file system. Calls block, but each is one small syscall: a segment is buffered in memory
// and handed over in large writes.
#pragma once

#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace srs {

class FileWriter {
 public:
  virtual ~FileWriter() = default;
  // Creates dir and its missing parents (mode 0775 before umask); an existing dir is fine.
  virtual Result<> make_dirs(const std::string& dir) = 0;
  // Opens path for writing (created with mode 0664 before umask), truncated unless append.
  // One file is open at a time per writer; opening another closes the previous one.
  virtual Result<> open(const std::string& path, bool append = false) = 0;
  // Appends to the open file; all of data or an error.
  virtual Result<> write(ByteSpan data) = 0;
  virtual Result<> close() = 0;
  // Creates or truncates path with content (small files: playlists).
  virtual Result<> write_file(const std::string& path, std::string_view content) = 0;
  // rename(2): atomic replacement, readers see the old or the new file, never a part.
  virtual Result<> rename(const std::string& from, const std::string& to) = 0;
  // Deletes a file; one that does not exist is not an error.
  virtual Result<> remove(const std::string& path) = 0;
};

// The real file system through POSIX calls. Errors carry errno (system_category) and the
// operation and path in their context.
class DiskFileWriter final : public FileWriter {
 public:
  DiskFileWriter() = default;
  ~DiskFileWriter() override;
  DiskFileWriter(const DiskFileWriter&) = delete;
  DiskFileWriter& operator=(const DiskFileWriter&) = delete;

  Result<> make_dirs(const std::string& dir) override;
  Result<> open(const std::string& path, bool append = false) override;
  Result<> write(ByteSpan data) override;
  Result<> close() override;
  Result<> write_file(const std::string& path, std::string_view content) override;
  Result<> rename(const std::string& from, const std::string& to) override;
  Result<> remove(const std::string& path) override;

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace srs
