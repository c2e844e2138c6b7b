#!/usr/bin/env bash
# Interop check from outside: runs the real `npm start`, then the Fedify-based probe of
# tools/interop against it (WebFinger, Group, Follow -> verified Accept, Create and Like accepted),
# then stops the stack with SIGTERM. Exits non-zero if any step fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Build the probe first: nothing to clean up if that fails.
npx nx run interop:build --outputStyle=static
source tools/ci/local-stack.sh
start_stack
status=0
node dist/tools/interop/main.mjs --target http://localhost:3000 || status=$?
if [ "$status" != 0 ]; then
  echo "interop failed (exit $status); the stack's last log lines (JSON, one per line):"
  tail -40 "$stack_log"
fi
stop_stack
exit "$status"
