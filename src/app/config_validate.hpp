// The checks of shared/spec/config.md §5, run by `-t`, at start-up and on every reload
// before a new file replaces the running one. Each error names file:line and the
// directive path (`vhost.hls.hls_fragmnet`).
#pragma once

#include "app/config_directive.hpp"
#include "core/error.hpp"

namespace srs {

// Facts about the process that some rules compare against; tests pass their own.
struct ValidationLimits {
  long open_files = 1024;  // RLIMIT_NOFILE soft limit
  static ValidationLimits of_process();
};

Result<> validate_config(const Directive& root, const ValidationLimits& limits);

}  // namespace srs
