#!/usr/bin/env bash
# Where the gateway's CPU goes under AddBackendServer load: wrk posting members over $LBS load balancers with $CLIENTS
# clients against ./run.sh on a fresh schema (as bench/command-throughput.sh loads it), and after $WARMUP s,
# dotnet-trace sampling the gateway's threads for $DURATION s (EventPipe's sampled thread time: the samples taken
# while a thread ran managed code are its CPU time).
# Writes docs/benchmarks.md (section "profile"): CPU by part of the request path, and the hottest frames.
#   bench/profile-gateway.sh          # DURATION=20 WARMUP=30 CLIENTS=16 LBS=200
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-20}
warmup=${WARMUP:-30}
clients=${CLIENTS:-16}
lbs=${LBS:-200}
work=$(mktemp -d)
. scripts/services.sh
command -v wrk >/dev/null || elb_apt_install wrk
command -v jq >/dev/null || elb_apt_install jq
tools=$HOME/.dotnet/tools
[ -x "$tools/dotnet-trace" ] || dotnet tool install -g dotnet-trace --version 10.0.750501 >/dev/null
export Elb__RateLimits__RequestsPerSecond=1000000 Elb__RateLimits__Burst=1000000 Elb__RateLimits__ConcurrentRequests=10000
schema=bench_profile
. bench/member-load.sh
trap 'stop_run; rm -rf "$work"' EXIT

start_run
make_pools "$lbs" > "$work/pools"
write_members_lua "$work/pools" "$work/members.lua"
sed "s/FIRST_OCTET/10/" "$work/members.lua" > "$work/load.lua"
gateway_pid=$(pgrep -f 'dotnet Elb.Gateway.dll')
wrk -t2 -c"$clients" -d"$((warmup + duration + 5))s" --latency -s "$work/load.lua" "$gateway" > "$work/wrk.txt" &
wrk_pid=$!
sleep "$warmup"
"$tools/dotnet-trace" collect -p "$gateway_pid" --profile dotnet-sampled-thread-time --format speedscope \
  --duration "00:00:00:$duration" -o "$work/gateway.nettrace" >/dev/null
wait "$wrk_pid"
rps=$(sed -n 's/^Requests\/sec: *//p' "$work/wrk.txt")
echo "[bench] $rps commands/s while profiled" >&2
tables=$(python3 bench/profile_summary.py "$work/gateway.speedscope.json")

section=$(cat <<MD
<!-- profile:start -->
Where the gateway's CPU time goes under load: \`wrk\` posting members (as in the throughput section) over $lbs load
balancers with $clients clients against \`./run.sh\`, sampled for ${duration} s after ${warmup} s of load by
\`dotnet-trace\` (\`dotnet-sampled-thread-time\`; a sample taken while its thread ran managed code counts as that
thread's CPU time). Measured $(date -u +%Y-%m-%d) at
$(git rev-parse --short HEAD) on this machine ($(nproc) cores) with \`bench/profile-gateway.sh\`: ${rps%.*} commands/s
while profiled.

$tables
<!-- profile:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md profile "Where the gateway's CPU goes"
