#!/usr/bin/env bash
# Runs the real `npm start` (own Postgres and Redis under .data/) and checks that all five
# services become ready, then stops it with SIGTERM and checks it exits cleanly.
set -euo pipefail
cd "$(dirname "$0")/../.."
log=$(mktemp)
# Its own process group, so that stopping it signals npm, the shell and the runner together, as Ctrl-C does.
env -u DATABASE_URL -u REDIS_URL setsid npm start >"$log" 2>&1 &
pid=$!
trap 'kill -TERM -- -$pid 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  grep -q "all services are ready" "$log" && break
  kill -0 $pid 2>/dev/null || { echo "npm start exited early:"; tail -50 "$log"; exit 1; }
  sleep 1
done
grep -q "all services are ready" "$log" || { echo "npm start never got ready:"; tail -50 "$log"; exit 1; }
for port in 3000 3001 3002 3003 3004; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")
  echo "port $port /health/ready -> $status"
  [ "$status" = 200 ] || exit 1
done
grep -vE '^\S+ +\| \{' "$log" | tail -15
kill -TERM -- -$pid
wait $pid || true
trap - EXIT
# npm may exit before the runner has stopped the databases: wait for the runner's last line.
for _ in $(seq 1 60); do grep -q "^\[local\] stopped" "$log" && break; sleep 1; done
grep -q "^\[local\] stopped$" "$log" || { echo "npm start did not stop cleanly:"; tail -20 "$log"; exit 1; }
if curl -s -o /dev/null "http://127.0.0.1:3000/health/live"; then echo "ingress still answers after stop"; exit 1; fi
echo "npm start smoke: ok"
