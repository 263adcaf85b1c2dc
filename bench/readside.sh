#!/usr/bin/env bash
# Read side at scale: seeds 211,310 events (205 load balancers x 490 members, and one 10,000-event stream) into the
# schema elb_bench, rebuilds every read model (events/s), then times history pages and member lookups over HTTP and
# shows the lookup's query plan. Writes the results into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh
schema=elb_bench
vhost=elb-bench
port=5085
log=$(mktemp -d)
gateway_pid=
cleanup() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null || true
  rm -rf "$log"
}
trap cleanup EXIT

dotnet build Elb.Gateway -c Release -v q --nologo -clp:ErrorsOnly
dotnet build Elb.Cli -c Release -v q --nologo -clp:ErrorsOnly
dotnet build bench/Elb.Bench.ReadSide -c Release -v q --nologo -clp:ErrorsOnly
tool=(dotnet bench/Elb.Bench.ReadSide/bin/Release/net10.0/Elb.Bench.ReadSide.dll)

# The gateway's keys for this run, and a viewer of the seeded project it makes at start, whose key the tool signs with.
random_id() { LC_ALL=C tr -dc "$1" </dev/urandom | head -c "$2" || true; }  # tr ends on SIGPIPE
export Elb__Identity__EncryptionKey=$(head -c 32 /dev/urandom | base64) Elb__Identity__TokenSigningKey=$(head -c 32 /dev/urandom | base64)
export ELB_ACCESS_KEY=$(random_id 'A-Z0-9' 20) ELB_SECRET_KEY=$(random_id 'A-Za-z0-9' 40)
reader=(Elb__Bootstrap__Users__0__Name=bench-reader Elb__Bootstrap__Users__0__Project=bench
  Elb__Bootstrap__Users__0__ProjectRole=elb_viewer Elb__Bootstrap__Users__0__AccessKey="$ELB_ACCESS_KEY"
  Elb__Bootstrap__Users__0__SecretKey="$ELB_SECRET_KEY")

started=$(date +%s)
stream=$("${tool[@]}" seed "$ELB_POSTGRES" "$schema")
echo "seeded in $(( $(date +%s) - started )) s; long stream $stream"

# A store in service is vacuumed; freshly seeded tables are not, and the first pass over them would also write every
# row's hint bits. Vacuumed first, the rebuild measures the rebuild (unvacuumed, this machine gave 37,000-44,000 events/s).
runuser -u postgres -- psql -q -d elb -c "VACUUM (ANALYZE) $schema.mt_events, $schema.mt_streams"
rebuild=$(dotnet Elb.Cli/bin/Release/net10.0/elb.dll projections rebuild --postgres "$ELB_POSTGRES" --schema "$schema")
echo "$rebuild"

# Anything this gateway publishes goes to a virtual host of its own, where no node listens: the gateway's user may do
# anything there (nothing else uses it), and nowhere else more than on "/".
rabbitmqctl -q add_vhost "$vhost" 2>/dev/null || true
rabbitmqctl -q set_permissions -p "$vhost" elb-gateway '.*' '.*' '.*' >/dev/null
env "${reader[@]}" Elb__RateLimits__RequestsPerSecond=100000 Elb__RateLimits__Burst=100000 Urls=http://127.0.0.1:$port Elb__Schema=$schema ELB_RABBITMQ="${ELB_RABBITMQ%/}/$vhost" ELB_RABBITMQ_MANAGEMENT= \
  dotnet Elb.Gateway/bin/Release/net10.0/Elb.Gateway.dll > "$log/gateway.log" 2>&1 &
gateway_pid=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:$port/health >/dev/null && break; sleep 0.5; done

measured=$("${tool[@]}" measure "http://127.0.0.1:$port/" "$ELB_POSTGRES" "$schema" "$stream")
rows=$(sed '/^PLAN$/,$d' <<<"$measured")
plan=$(sed '1,/^PLAN$/d' <<<"$measured")
echo "$measured"

section=$(cat <<MD
<!-- readside:start -->
Measured $(date -u +%Y-%m-%d) on this machine ($(nproc) cores) with \`bench/readside.sh\`: 211,310 events seeded through
Elb's own store definition (205 load balancers × 490 members with a weight change each, and one stream of 10,000
events), vacuumed (\`VACUUM (ANALYZE)\`, as a store in service is), then \`elb projections rebuild\` (Release), then HTTP requests to a Release gateway.

**Rebuild** (both read models, each a full pass over the events):

\`\`\`
$rebuild
\`\`\`

| request | median ms | p99 ms |
|---|---|---|
$rows

Member lookup by address, \`EXPLAIN ANALYZE\` of the query Marten sends (one index scan on the address):

\`\`\`
$plan
\`\`\`
<!-- readside:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md readside "Read side"
