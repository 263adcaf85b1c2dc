#!/usr/bin/env bash
# The cost of authentication on the command path: COUNT member POSTs (AddBackendServer) one at a time, timed to their
# 201, against the last commit before identity existed (BEFORE, default 4b973e4: anonymous) and against this tree
# (AK/SK-signed), each started by its own ./run.sh on this machine, on a fresh schema. Writes docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
before=${2:-4b973e4}
work=$(mktemp -d)
. scripts/services.sh
# Times one client's requests back to back, faster than a tenant's rate limit lets it: lifted for this run.
export Elb__RateLimits__RequestsPerSecond=100000 Elb__RateLimits__Burst=100000 Elb__RateLimits__ConcurrentRequests=1000
schema=bench_commands
run_pid=
stop_run() {
  [ -n "$run_pid" ] && { kill -TERM -- -"$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; }
  run_pid=
}
cleanup() {
  stop_run
  git worktree remove --force "$work/before" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release -v q --nologo -clp:ErrorsOnly bench/Elb.Bench.Propagation
bench="dotnet bench/Elb.Bench.Propagation/bin/Release/net10.0/Elb.Bench.Propagation.dll http://127.0.0.1:5080 $count"

# $1: the checkout whose run.sh starts Elb; the rest: environment for it
measure() {
  local checkout=$1; shift
  runuser -u postgres -- psql -q -d elb -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null
  (cd "$checkout" && exec setsid env "$@" Elb__Schema=$schema ./run.sh) > "$work/run.log" 2>&1 &
  run_pid=$!
  for _ in $(seq 1 240); do grep -q 'Elb is running' "$work/run.log" && break; sleep 1; done
  grep -q 'Elb is running' "$work/run.log" || { cat "$work/run.log"; exit 1; }
}

git worktree add -q --detach "$work/before" "$before"
# The commit before identity predates RabbitMQ's per-role users: it runs as the broker's administrator.
admin_amqp=$(sed -E 's|^http://([^@]+)@([^:/]+):[0-9]+/?$|amqp://\1@\2:5672/|' <<<"$ELB_RABBITMQ_MANAGEMENT")
measure "$work/before" ELB_RABBITMQ="$admin_amqp"
before_row=$($bench | sed "s/(gateway)/(gateway at $before, anonymous)/")
stop_run

measure . 
after_row=$(ELB_CREDENTIALS=.run/credentials $bench | sed "s/(gateway, AK\/SK-signed)/(gateway at $(git rev-parse --short HEAD), AK\/SK-signed)/")
stop_run
echo "$before_row"
echo "$after_row"

section=$(cat <<MD
<!-- commands:start -->
$count member POSTs, one at a time, each timed to its 201: the AddBackendServer command end to end (authentication,
the load balancer's row lock, the decision, the append and its inline projections, the answer), after 200 made the same
way and not counted (a fresh gateway's first commands compile). Measured
$(date -u +%Y-%m-%d) on this machine ($(nproc) cores) with \`bench/command-latency.sh $count $before\`, which starts each
commit with its own \`./run.sh\` on a fresh schema and runs \`$bench\` (with \`ELB_CREDENTIALS=.run/credentials\` for
the signed run).

| what | commands | median ms | p99 ms | max ms |
|---|---|---|---|---|
$before_row
$after_row
<!-- commands:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md commands "Command latency before and after authentication"
