#!/usr/bin/env bash
# Pick cost per algorithm and pool size, and a node's cold start on 10,000 load balancers x 50 members
# (BenchmarkDotNet, Release). Writes the tables into docs/benchmarks.md, with the machine's load average around the
# run: other work on these 2 cores shows in the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT
run=(dotnet run -c Release --project bench/Elb.Benchmarks -- --filter '*' --exporters github --artifacts "$artifacts")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"${run[@]}"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
command="dotnet run -c Release --project bench/Elb.Benchmarks -- --filter '*' --exporters github"

picks=$(grep -E '^\|' "$artifacts"/results/*PickBenchmarks-report-github.md)
tables=$(grep -E '^\|' "$artifacts"/results/*TableBuildBenchmarks-report-github.md)
section=$(cat <<MD
<!-- microbenchmarks:start -->
Measured $(date -u +%Y-%m-%d) on this machine ($(nproc) cores, $(dotnet --version)) with \`bench/microbenchmarks.sh\`, which runs
\`$command\`. Load average (1, 5, 15 min) before the run: $load_before; after: $load_after.

### Pick cost (goal: ≤ 50 ns and 0 bytes per pick)

A quarter of the members are in slow start, with their ramp live. LEAST_CONNECTIONS scans pools of up to 16 members
exactly and compares two random members (power of two choices) above that.

$picks

### Node cold start, 10,000 load balancers × 50 members (goal: < 1 s)

\`ReadSnapshotAndBuildTables\` is what a node does at start (\`InitialSnapshotLoader\`): its \`ControlPlaneClient\` reads
the gateway's answer, serialized as the gateway serializes it, from a stream, and \`RoutingTable.LoadAll\` swaps in
the routing table. \`BuildTables\` is the table part alone. Both run under server GC, as the node does.

$tables
<!-- microbenchmarks:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md microbenchmarks "Micro-benchmarks"
