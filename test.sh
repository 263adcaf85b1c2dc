#!/usr/bin/env bash
# Runs every test: the same service setup as ./run.sh, then `dotnet test Elb.sln`.
# Ends with one line "N passed, M failed" summed over all test projects.
set -uo pipefail
cd "$(dirname "$0")"

# A virtual host and a schema of the tests' own (GatewayFixture): a test never reaches an Elb started by ./run.sh.
export ELB_RABBITMQ_VHOST=${ELB_RABBITMQ_VHOST:-elb-tests}
# The conformance tests run beside the integration tests, on a virtual host (and schema) of their own (ElbSuite.cs).
export ELB_RABBITMQ_EXTRA_VHOSTS="$ELB_RABBITMQ_VHOST-conformance"
. scripts/services.sh || { echo "[test] could not start PostgreSQL/RabbitMQ" >&2; exit 1; }

if ! command -v docker-compose >/dev/null 2>&1; then elb_apt_install docker-compose; fi
# the README's walk-through (scripts/walkthrough.sh), which the integration tests run, reads Elb's answers with jq
if ! command -v jq >/dev/null 2>&1; then elb_apt_install jq; fi
if ! docker-compose -f compose.yaml config -q; then echo "[test] compose.yaml is invalid" >&2; exit 1; fi
# The console's tests drive Debian's Chromium: Playwright cannot download a browser of its own here.
if [ ! -x /usr/bin/chromium ]; then elb_apt_install chromium; fi

results=TestResults
rm -rf "$results"
dotnet test Elb.sln --logger trx --results-directory "$results" "$@"
status=$?

passed=0; failed=0; found=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  found=1
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
  failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
done
[ "$found" = 1 ] && echo "$passed passed, $failed failed"
exit $status
