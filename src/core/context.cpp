#include "core/context.hpp"

namespace srs {

namespace {
// One thread runs everything (DESIGN.md), but tests may run io_contexts on helper threads.
thread_local ContextId g_current = 0;
ContextId g_next = 100;
}  // namespace

ContextId current_context() noexcept {
  return g_current;
}
ContextId next_context_id() noexcept {
  return g_next++;
}

ContextScope::ContextScope(ContextId id) noexcept : saved_(g_current) {
  g_current = id;
}
ContextScope::~ContextScope() {
  g_current = saved_;
}

}  // namespace srs
