// The command line of spec/README.md: -c FILE (or -cFILE), -t, -v/-V, -h/-?, and the
// "dolphin" overrides -p PORT / -x PORT.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "app/config.hpp"
#include "core/error.hpp"

namespace srs {

struct CommandLine {
  enum class Action { run, test, version, help };
  Action action = Action::help;
  std::string config_file;
  ConfigOverrides overrides;  // -p / -x
};

// `args` excludes the program name. No arguments at all means help.
Result<CommandLine> parse_command_line(std::span<const std::string_view> args);
std::string usage(std::string_view program);

}  // namespace srs
