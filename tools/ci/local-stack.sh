# Sourced by the CI scripts that need the real `npm start` running (own Postgres and Redis under
# .data/). start_stack runs it in its own process group, so that stopping it signals npm, the shell
# and the runner together, as Ctrl-C does, and waits until all five services are ready.
stack_log=$(mktemp)
stack_pid=

start_stack() {
  env -u DATABASE_URL -u REDIS_URL setsid npm start >"$stack_log" 2>&1 &
  stack_pid=$!
  trap 'kill -TERM -- -$stack_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 180); do
    grep -q "all services are ready" "$stack_log" && return 0
    kill -0 "$stack_pid" 2>/dev/null || { echo "npm start exited early:"; tail -50 "$stack_log"; return 1; }
    sleep 1
  done
  echo "npm start never got ready:"; tail -50 "$stack_log"; return 1
}

# SIGTERM, then wait for the runner's last line: npm may exit before the runner has stopped the databases.
stop_stack() {
  kill -TERM -- -"$stack_pid" 2>/dev/null || true
  wait "$stack_pid" 2>/dev/null || true
  trap - EXIT
  for _ in $(seq 1 60); do grep -q "^\[local\] stopped" "$stack_log" && break; sleep 1; done
  grep -q "^\[local\] stopped$" "$stack_log" || { echo "npm start did not stop cleanly:"; tail -20 "$stack_log"; return 1; }
}
