#!/usr/bin/env bash
# One project floods its load balancer with weight changes from CLIENTS concurrent clients while my-project reads and
# writes as usual (OPERATIONS of each, paced within its rate limit, alone and then during the flood): the quiet project's p50/p99 both ways, and
# how the flood was answered. Starts Elb with ./run.sh on a schema of its own; writes docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
operations=${1:-200}
clients=${2:-32}
log=$(mktemp -d)
. scripts/services.sh
runuser -u postgres -- psql -q -d elb -c 'SET client_min_messages = warning; DROP SCHEMA IF EXISTS bench_isolation CASCADE' >/dev/null
Elb__Schema=bench_isolation setsid ./run.sh > "$log/run.log" 2>&1 &
run_pid=$!
cleanup() { kill -TERM -- -"$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; rm -rf "$log"; }
trap cleanup EXIT
for _ in $(seq 1 180); do grep -q 'Elb is running' "$log/run.log" && break; sleep 1; done
grep -q 'Elb is running' "$log/run.log" || { cat "$log/run.log"; exit 1; }

command="dotnet run -c Release --project bench/Elb.Bench.Isolation -- http://127.0.0.1:5080 $operations $clients"
out=$(ELB_CREDENTIALS=.run/credentials $command)
echo "$out"
rows=$(grep '^|' <<<"$out")
flood=$(sed -n 's/^FLOOD //p' <<<"$out")

section=$(cat <<MD
<!-- isolation:start -->
Measured $(date -u +%Y-%m-%d) on this machine ($(nproc) cores) with \`bench/isolation.sh $operations $clients\`, which starts
Elb with \`./run.sh\` (default limits: 20 requests/s, burst 50, 8 at once, per project and per caller) and runs
\`ELB_CREDENTIALS=.run/credentials $command\`. The quiet project reads its pool's members and changes a weight every
150 ms, within its rate limit; the flooding project's clients change member weights on one load balancer as fast as
they are answered. The flooding clients run on the same 2 cores as the gateway, PostgreSQL and the node: what the
quiet project still loses is mostly CPU taken by the flood's own client and by answering its 429s.

| quiet project's requests | count | median ms | p99 ms |
|---|---|---|---|
$rows

The flood was answered: $flood.
<!-- isolation:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md isolation "One project's flood, another project's latency"
