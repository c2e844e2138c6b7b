#!/usr/bin/env bash
# Runs the real `npm start` and checks that all five services become ready, then stops it with
# SIGTERM and checks it exits cleanly.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/ci/local-stack.sh
start_stack
for port in 3000 3001 3002 3003 3004; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")
  echo "port $port /health/ready -> $status"
  [ "$status" = 200 ] || exit 1
done
grep -vE '^\S+ +\| \{' "$stack_log" | tail -15
stop_stack
if curl -s -o /dev/null "http://127.0.0.1:3000/health/live"; then echo "ingress still answers after stop"; exit 1; fi
echo "npm start smoke: ok"
