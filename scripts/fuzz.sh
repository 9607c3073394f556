#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cpp) with clang and runs each one for
# FUZZ_SECONDS (default 60), seeded from tests/fuzz/corpus/<name>/. New inputs go to
# objs/fuzz/corpus/<name>/ (the checked-in seeds stay untouched); a crash leaves its input
# in objs/fuzz/artifacts/ and fails the run. Crashes found become unit tests.
#   FUZZ_SECONDS=600 make fuzz          # longer
#   FUZZ_TARGETS="amf0_fuzz" make fuzz  # one target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
build=objs/fuzz

need=()
for p in clang-16 libclang-rt-16-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  else
    echo "fuzz: install ${need[*]} first (sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang-16 CXX=clang++-16 cmake -S . -B "$build" -DSRS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSRS_OUTPUT_DIR="$PWD/$build" >/dev/null
fi
cmake --build "$build" -j "$(nproc)"

targets=${FUZZ_TARGETS:-$(cd tests/fuzz && ls *_fuzz.cpp | sed 's/\.cpp$//')}
mkdir -p "$build/artifacts"
status=0
for t in $targets; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  seeds=tests/fuzz/corpus/$t
  [ -d "$seeds" ] || seeds=
  echo "fuzz: $t for ${seconds}s"
  # -timeout: one input taking seconds is a bug too (per-input work must stay bounded).
  if ! "$build/$t" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$build/artifacts/$t-" -print_final_stats=1 "$corpus" $seeds \
    >"$build/$t.log" 2>&1; then
    echo "fuzz: $t FAILED, see $build/$t.log and $build/artifacts/" >&2
    tail -30 "$build/$t.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/$t.log" | tail -2
  fi
done
exit $status
