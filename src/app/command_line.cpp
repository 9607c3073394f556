#include "app/command_line.hpp"

#include <charconv>

#include <fmt/format.h>

namespace srs {

namespace {

Result<uint16_t> parse_port(std::string_view option, std::string_view text) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) {
    return fail(core_errc::invalid_argument,
                fmt::format("{} needs a port in 1..65535, got \"{}\"", option, text));
  }
  return static_cast<uint16_t>(port);
}

// The value of an option given either glued (`-cfile`) or as the next argument.
Result<std::string_view> value_of(std::span<const std::string_view> args, size_t& i) {
  const std::string_view a = args[i];
  if (a.size() > 2) return a.substr(2);
  if (i + 1 >= args.size()) {
    return fail(core_errc::invalid_argument, fmt::format("{} needs a value", a));
  }
  return args[++i];
}

}  // namespace

Result<CommandLine> parse_command_line(std::span<const std::string_view> args) {
  CommandLine cl;
  bool test = false;
  bool version = false;
  bool help = args.empty();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a.size() < 2 || a[0] != '-') {
      return fail(core_errc::invalid_argument, fmt::format("unexpected argument \"{}\"", a));
    }
    const char opt = a[1];
    if (opt == 'h' || opt == '?') {
      help = true;
    } else if (opt == 'v' || opt == 'V') {
      version = true;
    } else if (opt == 't') {
      test = true;
    } else if (opt == 'c' || opt == 'p' || opt == 'x') {
      auto value = value_of(args, i);
      if (!value) return std::unexpected(value.error());
      if (opt == 'c') {
        cl.config_file = std::string(*value);
        continue;
      }
      auto port = parse_port(a.substr(0, 2), *value);
      if (!port) return std::unexpected(port.error());
      (opt == 'p' ? cl.overrides.rtmp_port : cl.overrides.http_port) = *port;
    } else {
      return fail(core_errc::invalid_argument, fmt::format("unknown option \"{}\"", a));
    }
  }
  if (help) return cl;  // Action::help
  cl.action = version ? CommandLine::Action::version
              : test  ? CommandLine::Action::test
                      : CommandLine::Action::run;
  if (cl.action != CommandLine::Action::version && cl.config_file.empty()) {
    return fail(core_errc::invalid_argument, "missing the config file: -c <file>");
  }
  return cl;
}

std::string usage(std::string_view program) {
  return fmt::format(
      "Usage: {0} [-h?vVt] [-c <file>] [-p <port>] [-x <port>]\n"
      "  -h, -?      show this help and exit\n"
      "  -v, -V      show the version and exit\n"
      "  -t          test the config file (syntax and checks) and exit\n"
      "  -c <file>   the config file to run with\n"
      "  -p <port>   dolphin mode: RTMP on this port only, foreground, console log, no pid file\n"
      "  -x <port>   dolphin mode: enable the HTTP server on this port\n"
      "Examples:\n"
      "  {0} -c conf/srs.conf\n"
      "  {0} -t -c conf/srs.conf\n",
      program);
}

}  // namespace srs
