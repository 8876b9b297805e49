#!/usr/bin/env bash
# How long `npm start` takes until /healthz answers, and whether SIGTERM to npm stops the server.
#   scripts/start-time.sh [runs] [port]      (BENCHMARKS.md, "start")
# The first run builds what is stale; later runs find nothing to build. Data goes to a temporary
# directory, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${2:-18080}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  HUSH_DATA_DIR=$data HUSH_PORT=$port npm start >"$data/npm-start.log" 2>&1 &
  npm=$!
  until curl -sf -m 1 "http://127.0.0.1:$port/healthz" >/dev/null; do
    kill -0 "$npm" 2>/dev/null || { cat "$data/npm-start.log"; exit 1; }
    sleep 0.02
  done
  ready=$(date +%s%N)
  server=$(pgrep -P "$npm" || true)
  kill -TERM "$npm"
  wait "$npm" || true
  left=no
  [ -n "$server" ] && kill -0 "$server" 2>/dev/null && left="yes (pid $server)"
  built=$(grep -q 'web page: building' "$data/npm-start.log" && echo 'page rebuilt' || echo 'page up to date')
  printf 'run %d: /healthz after %d ms (%s); server left after SIGTERM to npm: %s\n' \
    "$run" $(((ready - start) / 1000000)) "$built" "$left"
done
