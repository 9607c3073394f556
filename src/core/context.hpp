// Context ids: one process-wide counter starting at 100. Every connection and background
// task takes the next one; log lines, hook bodies (client_id) and the API (client id) show
// the same number. The id of the code running now is carried implicitly: coroutines run on
// a ContextExecutor (core/coro.hpp) that installs its id around every resumption.
#pragma once

#include <cstdint>

namespace srs {

using ContextId = int64_t;

// The id of the task running now (0 before the first one is taken).
ContextId current_context() noexcept;
// Takes the next id from the process-wide counter (the first one returned is 100).
ContextId next_context_id() noexcept;

// Installs an id for the lifetime of the scope and restores the previous one after.
class ContextScope {
 public:
  explicit ContextScope(ContextId id) noexcept;
  ~ContextScope();
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  ContextId saved_;
};

}  // namespace srs
