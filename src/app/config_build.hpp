// Turns a directive tree into the typed values of config_types.hpp, applying the SRS 2.0
// getter rules: first directive wins, a directive without an argument means the default,
// integers by atoi and floats by atof, and the two kinds of booleans (a default-on flag is
// off only for the exact word `off`, a default-off flag is on only for the exact word `on`).
// v3+ alias blocks (`play {}`, `publish { mr; ... }`, `cluster {}`, `forward {}`, `refer {}`)
// are read when the 2.0 directive itself is absent. Building never fails: whether the
// values make sense is validation's job (config_validate.hpp).
#pragma once

#include "app/config_directive.hpp"
#include "app/config_types.hpp"

namespace srs {

GlobalConfig build_global_config(const Directive& root);
// `global_chunk_size` is the vhost's chunk_size when it has none of its own.
VhostConfig build_vhost_config(const Directive& vhost, int global_chunk_size);
EngineConfig build_engine_config(const Directive& engine);

}  // namespace srs
