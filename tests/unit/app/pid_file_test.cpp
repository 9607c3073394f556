#include "app/pid_file.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace srs {
namespace {

std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() /
          (std::string(name) + "-" + std::to_string(::getpid()) + ".pid"))
      .string();
}
std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(PidFile, WritesPidWithoutNewline) {
  auto path = temp_path("srs-pid-write");
  std::ofstream(path) << "99999999 stale content\n";
  {
    auto pid = PidFile::acquire(path);
    ASSERT_TRUE(pid) << pid.error().message();
    EXPECT_EQ(read(path), std::to_string(::getpid()));
  }
  EXPECT_TRUE(std::filesystem::exists(path));  // left for the init script
  std::filesystem::remove(path);
}

// fcntl locks belong to a process, so "another server" must be another process.
TEST(PidFile, SecondProcessIsRefusedWhileLocked) {
  auto path = temp_path("srs-pid-lock");
  auto pid = PidFile::acquire(path);
  ASSERT_TRUE(pid);
  const pid_t child = ::fork();
  if (child == 0) {
    auto second = PidFile::acquire(path);
    const bool refused =
        !second && second.error().context.find("srs is already running!") != std::string::npos;
    ::_exit(refused ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(read(path), std::to_string(::getpid()));  // the refused one changed nothing
  std::filesystem::remove(path);
}

TEST(PidFile, DescriptorIsCloseOnExec) {
  auto path = temp_path("srs-pid-cloexec");
  auto pid = PidFile::acquire(path);
  ASSERT_TRUE(pid);
  bool found = false;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(e.path(), ec) == path) {
      const int fd = std::stoi(e.path().filename().string());
      EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC);
      found = true;
    }
  }
  EXPECT_TRUE(found);
  std::filesystem::remove(path);
}

TEST(PidFile, UnwritableDirectoryIsAnError) {
  auto pid = PidFile::acquire("/nonexistent-dir/srs.pid");
  ASSERT_FALSE(pid);
  EXPECT_NE(pid.error().context.find("/nonexistent-dir/srs.pid"), std::string::npos);
}

}  // namespace
}  // namespace srs
