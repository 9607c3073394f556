#!/usr/bin/env bash
# One case of the side-by-side benchmark: our server (objs/srs) and nginx-rtmp under the
# same load, one after the other, each server pinned to core 0 and the load (objs/srs_bench)
# to core 1. Prints one markdown table row per server (and appends it to $OUT/compare.md).
#
#   bench/compare.sh play1000|play3000|flv1000|flv3000|publish200|latency-default|latency-min
#   SRS_BASELINE=other/srs bench/compare.sh CASE   # ours against another build of ours
#
# Figures: server CPU seconds (utime+stime from /proc/PID/stat) per delivered Gbit over the
# steady window (all players started); peak RSS per client = (VmHWM after - VmRSS before
# the clients) / clients; startup p50/p99 (TCP connect -> first keyframe); delivery delay
# p50/p99 of one extra player joining after the load against the publisher (same process, the latency mode), measured
# while the load runs; failures. Reports only: nothing here asserts.
set -euo pipefail
cd "$(dirname "$0")/.."
case_name=${1:?usage: bench/compare.sh CASE}
out=${OUT:-objs/bench}
mkdir -p "$out"
root=$(pwd)
bench="$root/objs/srs_bench"
srs="${SRS_BIN:-$root/objs/srs}"
# SRS_BASELINE=path/to/srs: compare against that build of ours instead of nginx-rtmp.
baseline=${SRS_BASELINE:-}
steady=${STEADY:-15}         # seconds of steady state measured per server
ncpu=$(nproc)
core_server=0
core_load=$((ncpu > 1 ? 1 : 0))
hz=$(getconf CLK_TCK)

# ~500 kbit/s H.264 + AAC, 25 fps, 2 s GOP (TESTING.md), 30 s, cached.
media="$out/bench_500k.flv"
if [ ! -s "$media" ]; then
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=640x360:rate=25,noise=alls=8:allf=t" \
    -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 30 \
    -c:v libx264 -preset veryfast -g 50 -keyint_min 50 -sc_threshold 0 -b:v 440k \
    -maxrate 440k -bufsize 880k -pix_fmt yuv420p -c:a aac -b:a 64k -ac 2 -f flv "$media.part"
  mv "$media.part" "$media"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
summary_get() { grep "^SUMMARY mode=$2 " "$1" | tail -1 | tr ' ' '\n' | awk -F= -v k="$3" '$1 == k {print $2}'; }

ensure_nginx() {
  if [ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] && command -v nginx >/dev/null; then return 0; fi
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx libnginx-mod-rtmp >/dev/null 2>&1 || true
  fi
  [ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ]
}

work=$(mktemp -d /tmp/srs-compare-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

wait_port() {
  for _ in $(seq 100); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Starts a server; sets server_pid, rtmp_port, http_port.
start_srs() {
  local min_latency=$1 dir="$work/srs"
  mkdir -p "$dir"
  rtmp_port=$(free_port)
  http_port=$(free_port)
  cat >"$dir/srs.conf" <<CONF
listen $rtmp_port;
max_connections 12000;
daemon off;
chunk_size 60000;
srs_log_tank file;
srs_log_file $dir/srs.log;
srs_log_level warn;
pid $dir/srs.pid;
http_server { enabled on; listen $http_port; dir $dir/html; }
vhost __defaultVhost__ {
  min_latency $min_latency;
  http_remux { enabled on; mount [vhost]/[app]/[stream].flv; }
}
CONF
  (cd "$dir" && exec taskset -c $core_server "$srs" -c "$dir/srs.conf" >"$dir/console.log" 2>&1) &
  server_pid=$!
  pids+=("$server_pid")
  wait_port "$rtmp_port"
}

start_nginx() {
  local dir="$work/nginx"
  mkdir -p "$dir/logs"
  rtmp_port=$(free_port)
  http_port=0
  cat >"$dir/nginx.conf" <<CONF
daemon off; master_process off; worker_rlimit_nofile 20000;
error_log $dir/nginx.log warn; pid $dir/nginx.pid;
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
events { worker_connections 16000; multi_accept on; }
rtmp { server { listen 127.0.0.1:$rtmp_port; chunk_size 60000; application live { live on; } } }
CONF
  (ulimit -n 20000; exec taskset -c $core_server nginx -c "$dir/nginx.conf" -p "$dir/") &
  server_pid=$!
  pids+=("$server_pid")
  wait_port "$rtmp_port"
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}

load() { taskset -c $core_load "$bench" "$@"; }

row() {
  local line="| $case_name | $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 |"
  echo "$line"
  echo "$line" >>"$out/compare.md"
}

# N players of one stream: a latency probe publishes it, N players join, then the probe's
# own player joins last (a server serving players in the order they came must not show its
# first player's delay as everyone's).
run_players() {
  local name=$1 kind=$2 n=$3 url=$4 play_url=$5 rate=1000
  local ramp=$(((n + rate - 1) / rate))
  local total=$((ramp + steady + 4))
  load latency -u "$url" -i "$media" -d $((total + 4)) -n 10 --join-after $((ramp + 4)) >"$work/lat.txt" 2>&1 &
  local lat=$!
  pids+=("$lat")
  sleep 3  # the stream is up and a GOP has passed
  local base_rss
  base_rss=$(status_kb "$server_pid" VmRSS)
  load "$kind" -u "$play_url" -n "$n" -r $rate -d $total >"$work/play.txt" 2>&1 &
  local player=$!
  pids+=("$player")
  sleep $((ramp + 2))
  local c0 c1 t0 t1
  c0=$(cpu_ticks "$server_pid")
  t0=$(date +%s.%N)
  sleep "$steady"
  c1=$(cpu_ticks "$server_pid")
  t1=$(date +%s.%N)
  local hwm
  hwm=$(status_kb "$server_pid" VmHWM)
  wait "$player" || true
  wait "$lat" || true
  local kbps p50 p99 failed connected d50 d99
  kbps=$(summary_get "$work/play.txt" "$kind" kbps)
  p50=$(summary_get "$work/play.txt" "$kind" startup_p50_ms)
  p99=$(summary_get "$work/play.txt" "$kind" startup_p99_ms)
  failed=$(summary_get "$work/play.txt" "$kind" failed)
  connected=$(summary_get "$work/play.txt" "$kind" connected)
  d50=$(summary_get "$work/lat.txt" latency delay_p50_ms)
  d99=$(summary_get "$work/lat.txt" latency delay_p99_ms)
  local cpu_s gbit core_per_gbit kib_per
  cpu_s=$(echo "($c1 - $c0) / $hz" | bc -l)
  gbit=$(echo "${kbps:-0} * ($t1 - $t0) / 1000000" | bc -l)
  core_per_gbit=$(echo "if ($gbit > 0) $cpu_s / $gbit else 0" | bc -l)
  kib_per=$(echo "($hwm - $base_rss) / $n" | bc -l)
  cp "$work/play.txt" "$out/$case_name-$name-play.txt"
  cp "$work/lat.txt" "$out/$case_name-$name-latency.txt"
  row "$name" "$(printf '%.3f (CPU %.0f%%)' "$core_per_gbit" "$(echo "100 * $cpu_s / ($t1 - $t0)" | bc -l)")" \
    "$(printf '%.1f KiB' "$kib_per")" "$(printf '%.0f / %.0f ms' "${p50:-0}" "${p99:-0}")" \
    "$(printf '%.1f / %.1f ms' "${d50:-0}" "${d99:-0}")" \
    "$(printf '%s of %s connected, %s failed' "$connected" "$n" "$failed")" \
    "$(printf '%.0f Mbit/s' "$(echo "${kbps:-0} / 1000" | bc -l)")" "$(grep -m1 -o 'failure x.*' "$work/play.txt" || echo -)"
}

run_publishers() {
  local name=$1 n=$2 url=$3
  local ramp=$(((n + 99) / 100))
  local total=$((ramp + steady + 4))
  local base_rss
  base_rss=$(status_kb "$server_pid" VmRSS)
  load publish -u "$url" -n "$n" -r 100 -i "$media" -d $total >"$work/pub.txt" 2>&1 &
  local pub=$!
  pids+=("$pub")
  sleep $((ramp + 2))
  local c0 c1 t0 t1 hwm
  c0=$(cpu_ticks "$server_pid")
  t0=$(date +%s.%N)
  sleep "$steady"
  c1=$(cpu_ticks "$server_pid")
  t1=$(date +%s.%N)
  hwm=$(status_kb "$server_pid" VmHWM)
  wait "$pub" || true
  local kbps failed connected
  kbps=$(summary_get "$work/pub.txt" publish kbps)
  failed=$(summary_get "$work/pub.txt" publish failed)
  connected=$(summary_get "$work/pub.txt" publish connected)
  cp "$work/pub.txt" "$out/$case_name-$name-publish.txt"
  row "$name" "$(printf 'CPU %.1f%%' "$(echo "100 * ($c1 - $c0) / $hz / ($t1 - $t0)" | bc -l)")" \
    "$(printf '%.0f KiB (RSS peak %.0f MiB)' "$(echo "($hwm - $base_rss) / $n" | bc -l)" "$(echo "$hwm / 1024" | bc -l)")" \
    "-" "-" "$(printf '%s of %s connected, %s failed' "$connected" "$n" "$failed")" \
    "$(printf '%.0f Mbit/s in' "$(echo "${kbps:-0} / 1000" | bc -l)")" "$(grep -m1 -o 'failure x.*' "$work/pub.txt" || echo -)"
}

run_latency() {
  local name=$1 url=$2
  load latency -u "$url" -i "$media" -d "$steady" >"$work/lat.txt" 2>&1 || true
  cp "$work/lat.txt" "$out/$case_name-$name-latency.txt"
  local d50 d99 dmax missing received
  d50=$(summary_get "$work/lat.txt" latency delay_p50_ms)
  d99=$(summary_get "$work/lat.txt" latency delay_p99_ms)
  dmax=$(summary_get "$work/lat.txt" latency delay_max_ms)
  missing=$(summary_get "$work/lat.txt" latency missing)
  received=$(summary_get "$work/lat.txt" latency received)
  row "$name" "-" "-" "-" "$(printf '%.1f / %.1f ms (max %.1f)' "${d50:-0}" "${d99:-0}" "${dmax:-0}")" \
    "${received:-0} frames, ${missing:-?} missing" "-" "-"
}

have_flv() {
  # HTTP-FLV is there when a published stream can be fetched as FLV.
  curl -s --max-time 3 "http://127.0.0.1:$http_port/live/probe.flv" -o "$work/probe.flv" || true
  [ "$(head -c 3 "$work/probe.flv" 2>/dev/null)" = "FLV" ]
}

each_server() {  # runs "$@" against ours, then nginx-rtmp
  local min_latency=${MIN_LATENCY:-off}
  start_srs "$min_latency"
  "$@" "srs" "$rtmp_port"
  stop_server
  if [ -n "$baseline" ]; then
    local ours=$srs
    srs=$baseline
    start_srs "$min_latency"
    "$@" "srs-baseline" "$rtmp_port"
    stop_server
    srs=$ours
  elif ensure_nginx; then
    start_nginx
    "$@" "nginx-rtmp" "$rtmp_port"
    stop_server
  else
    echo "(nginx-rtmp not installed and cannot be: no comparison)"
  fi
}

case_players() { run_players "$2" play "$1" "rtmp://127.0.0.1:$3/live/s" "rtmp://127.0.0.1:$3/live/s"; }
case_publishers() { run_publishers "$2" "$1" "rtmp://127.0.0.1:$3/live/p"; }
case_latency() { run_latency "$1" "rtmp://127.0.0.1:$2/live/lat"; }

case "$case_name" in
  play1000) each_server case_players 1000 ;;
  play3000) each_server case_players 3000 ;;
  publish200) each_server case_publishers 200 ;;
  latency-default) MIN_LATENCY=off each_server case_latency ;;
  latency-min) MIN_LATENCY=on each_server case_latency ;;
  flv1000 | flv3000)
    start_srs off
    load publish -u "rtmp://127.0.0.1:$rtmp_port/live/probe" -i "$media" -d 6 >/dev/null 2>&1 &
    sleep 3
    if have_flv; then
      run_players srs flv "${case_name#flv}" "rtmp://127.0.0.1:$rtmp_port/live/s" \
        "http://127.0.0.1:$http_port/live/s.flv"
    else
      row "srs" "skipped: HTTP-FLV not available in this build" "-" "-" "-" "-" "-" "-"
    fi
    stop_server
    ;;
  *) echo "unknown case $case_name" >&2; exit 2 ;;
esac
