#!/usr/bin/env bash
# What verifying an AK/SK signature costs the gateway per request (BenchmarkDotNet, Release): the canonical request
# rebuilt from the target as received and the HMAC checked, for a GET and for a POST with a 1 KB body.
# Writes the table into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT
command="dotnet run -c Release --project bench/Elb.Benchmarks -- --filter '*SigningBenchmarks*' --exporters github"
dotnet run -c Release --project bench/Elb.Benchmarks -- --filter '*SigningBenchmarks*' --exporters github --artifacts "$artifacts"
table=$(grep -E '^\|' "$artifacts"/results/*SigningBenchmarks-report-github.md)
section=$(cat <<MD
<!-- signing:start -->
Measured $(date -u +%Y-%m-%d) on this machine ($(nproc) cores, $(dotnet --version)) with \`bench/signing.sh\`, which runs
\`$command\`. This is the CPU the gateway spends on a signature; the key's lookup (one indexed read of
\`AccessKeyRecord\`, then the user and its roles in one batch) is in the command latency below.

$table
<!-- signing:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md signing "AK/SK signature verification"
