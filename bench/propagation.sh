#!/usr/bin/env bash
# Propagation from a member POST's 201 to the data plane's /routing, over COUNT members (default 200).
# Starts Elb with ./run.sh, measures with bench/Elb.Bench.Propagation, and writes the table into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
log=$(mktemp)

setsid ./run.sh > "$log" 2>&1 &
run_pid=$!
trap 'kill -TERM -- -$run_pid 2>/dev/null || true; wait $run_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do grep -q 'Elb is running' "$log" && break; sleep 1; done
grep -q 'Elb is running' "$log" || { cat "$log"; exit 1; }

command="dotnet run -c Release --project bench/Elb.Bench.Propagation -- http://127.0.0.1:5080 $count http://127.0.0.1:5090"
rows=$($command)
echo "$rows"

table=$(cat <<MD
<!-- propagation:start -->
Member POST's 201 → member visible in the node's \`GET /routing/{pool_id}\` (polled every 1 ms), one member at a time,
measured $(date -u +%Y-%m-%d) on this machine ($(nproc) cores) with \`bench/propagation.sh $count\`, which runs:
\`$command\`

| node | members | median ms | p99 ms | max ms |
|---|---|---|---|---|
$rows
<!-- propagation:end -->
MD
)
file=docs/benchmarks.md
[ -f "$file" ] || printf '# Benchmarks\n\nEvery table here is written by the script named in it; rerun the script to refresh it.\n\n## Propagation\n\n<!-- propagation:start -->\n<!-- propagation:end -->\n' > "$file"
TABLE="$table" python3 - "$file" <<'PY'
import os, re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r"<!-- propagation:start -->.*?<!-- propagation:end -->", lambda _: os.environ["TABLE"], text, flags=re.S)
open(path, "w").write(text)
PY
