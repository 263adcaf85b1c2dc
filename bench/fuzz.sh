#!/usr/bin/env bash
# The 10,000-request fuzz of every gateway route (tests/Elb.IntegrationTests/Fuzz/RequestFuzzTests.cs) with a seed of
# its own; ./test.sh runs the same test with 800 requests and a fixed seed. Fails on any 5xx, or on a refused request
# that changed the event store. Writes its figures into docs/benchmarks.md.
# Usage: bench/fuzz.sh [requests] [seed]   (defaults: 10000, today's date as a number)
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-10000}
seed=${2:-$(date -u +%Y%m%d)}
export ELB_RABBITMQ_VHOST=${ELB_RABBITMQ_VHOST:-elb-tests}
. scripts/services.sh
dotnet build tests/Elb.IntegrationTests -v q --nologo -clp:ErrorsOnly
log=$(mktemp)
trap 'rm -f "$log"' EXIT
started=$(date +%s)
set +e
ELB_FUZZ_REQUESTS=$requests ELB_FUZZ_SEED=$seed dotnet test tests/Elb.IntegrationTests --no-build \
  --filter "FullyQualifiedName~RequestFuzzTests" --logger "console;verbosity=detailed" > "$log" 2>&1
status=$?
set -e
elapsed=$(( $(date +%s) - started ))
summary=$(grep -o "$requests requests, seed $seed: .*" "$log" | head -1)
failures=$(grep -E '^\s+(POST|PUT|GET|DELETE|PATCH) ' "$log" | cut -c1-300 | head -20 || true)
echo "$summary"
[ -n "$failures" ] && echo "$failures"
verdict=$([ "$status" = 0 ] && echo "no 5xx, and no refused request changed the event store" || echo "FAILED: see below")

section=$(cat <<MD
<!-- fuzz:start -->
Measured $(date -u +%Y-%m-%d) on this machine ($(nproc) cores) with \`bench/fuzz.sh $requests $seed\` ($elapsed s):
generated requests over every route of the gateway (valid bodies with mutated types, ranges, lengths and characters;
raw bodies that are not JSON, not UTF-8, too deep or too large; wrong content types; odd path and query values), as
the project's admin or, for system routes, the system admin. Verdict: $verdict.

Answers by status: ${summary#*: }
$( [ -n "$failures" ] && printf '\n```\n%s\n```\n' "$failures")
<!-- fuzz:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md fuzz "Fuzzing the API"
exit "$status"
