#!/usr/bin/env bash
# Propagation from a member POST's 201 to every data-plane node's /routing, over COUNT changes (default 1000),
# with two nodes, while other member POSTs run at BACKGROUND per second (default 100; 0 for none), after WARMUP
# changes (default 200) that are not counted.
# Starts Elb with ./run.sh plus a second node, and writes the table into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
background=${BACKGROUND:-100}
warmup=${WARMUP:-200}
log=$(mktemp -d)
second_node=bench2

# A schema of its own: load balancers left by earlier runs would otherwise load into the nodes and open listeners.
. scripts/services.sh
# Times one client's requests back to back, faster than a tenant's rate limit lets it: lifted for this run.
export Elb__RateLimits__RequestsPerSecond=100000 Elb__RateLimits__Burst=100000 Elb__RateLimits__ConcurrentRequests=1000
runuser -u postgres -- psql -q -d elb -c 'SET client_min_messages = warning; DROP SCHEMA IF EXISTS bench_propagation CASCADE' >/dev/null
export Elb__Schema=bench_propagation
setsid ./run.sh > "$log/run.log" 2>&1 &
run_pid=$!
second_pid=
cleanup() {
  [ -n "$second_pid" ] && kill "$second_pid" 2>/dev/null || true
  kill -TERM -- -"$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
  rabbitmqctl -q delete_queue "elb.dataplane.$second_node" >/dev/null 2>&1 || true
  rm -rf "$log"
}
trap cleanup EXIT
for _ in $(seq 1 180); do grep -q 'Elb is running' "$log/run.log" && break; sleep 1; done
grep -q 'Elb is running' "$log/run.log" || { cat "$log/run.log"; exit 1; }

# from its output folder, its content root, so it reads its appsettings.json as the first node does
# (with only the nodes' RabbitMQ credentials, as run.sh starts the first)
# and the node credentials run.sh made (a second node of the same operator may share them)
mapfile -t node_env < <(grep -E '^(DataPlane__|Elb__Identity__TokenSigningKey=)' .run/elb.env)
(cd Elb.DataPlane/bin/Release/net10.0 && exec env -u ELB_RABBITMQ -u ELB_RABBITMQ_MANAGEMENT -u ELB_POSTGRES "${node_env[@]}" \
  Elb__Egress__Profile=local Urls=http://127.0.0.1:5091 DataPlane__NodeId=$second_node dotnet Elb.DataPlane.dll) > "$log/node2.log" 2>&1 &
second_pid=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5091/health >/dev/null && break; sleep 0.5; done

command="dotnet run -c Release --project bench/Elb.Bench.Propagation -- http://127.0.0.1:5080 $count http://127.0.0.1:5090 http://127.0.0.1:5091"
load_before=$(cut -d' ' -f1 /proc/loadavg)
rows=$(ELB_CREDENTIALS=.run/credentials ELB_BACKGROUND_RATE=$background ELB_WARMUP_CHANGES=$warmup $command)
load_after=$(cut -d' ' -f1 /proc/loadavg)
echo "$rows"

section=$(cat <<MD
<!-- propagation:start -->
A member POST (AK/SK-signed, as my-project's admin) → its 201, then → the member visible in each node's
\`GET /routing/{pool_id}\` (polled every 1 ms, with a system admin's token), one change at a time, two nodes, while
other member POSTs run at $background per second (the last row: from sending the POST to the last node showing the
member, the issue's measure), after $warmup changes made the same way and not counted (the background load starting,
the gateway's connection pool growing, its first commands compiling: a cold start, not the steady state), measured $(date -u +%Y-%m-%d) on this machine ($(nproc) cores) with
\`BACKGROUND=$background bench/propagation.sh $count\`, which runs
\`ELB_CREDENTIALS=.run/credentials ELB_BACKGROUND_RATE=$background ELB_WARMUP_CHANGES=$warmup $command\`. Goal: propagation p99 < 50 ms.
Load average (1 min) before → after the run: $load_before → $load_after (above 2, other work shared the 2 cores).

| what | changes | median ms | p99 ms | max ms |
|---|---|---|---|---|
$rows
<!-- propagation:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md propagation "Propagation"
