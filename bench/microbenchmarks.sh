#!/usr/bin/env bash
# Pick cost per algorithm and pool size, and routing-table build time for 10,000 load balancers x 50 members
# (BenchmarkDotNet, Release). Writes the tables into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT
run=(dotnet run -c Release --project bench/Elb.Benchmarks -- --filter '*' --exporters github --artifacts "$artifacts")
"${run[@]}"
command="dotnet run -c Release --project bench/Elb.Benchmarks -- --filter '*' --exporters github"

picks=$(grep -E '^\|' "$artifacts"/results/*PickBenchmarks-report-github.md)
tables=$(grep -E '^\|' "$artifacts"/results/*TableBuildBenchmarks-report-github.md)
section=$(cat <<MD
<!-- microbenchmarks:start -->
Measured $(date -u +%Y-%m-%d) on this machine ($(nproc) cores, $(dotnet --version)) with \`bench/microbenchmarks.sh\`, which runs
\`$command\`.

### Pick cost (goal: ≤ 50 ns and 0 bytes per pick)

A quarter of the members are in slow start, with their ramp live. LEAST_CONNECTIONS scans pools of up to 16 members
exactly and compares two random members (power of two choices) above that.

$picks

### Routing tables for 10,000 load balancers × 50 members (goal: < 2 s)

$tables
<!-- microbenchmarks:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md microbenchmarks "Micro-benchmarks"
