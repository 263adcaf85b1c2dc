#!/usr/bin/env bash
# The fault suite (issue 13): a client changes members at a steady rate (FAULTS_RATE commands/s, default 10, AK/SK-signed
# as my-project's admin) while two data-plane nodes follow, and each fault is injected in turn:
#   baseline    nothing (the control)
#   postgres    PostgreSQL stopped for OUTAGE seconds, then started again
#   rabbitmq    the RabbitMQ node stopped for OUTAGE seconds, then started again
#   gateway     the gateway killed with SIGKILL, started again OUTAGE/2 seconds later
# Each phase runs bench/Elb.Bench.Faults (its own load balancers and elb.events subscriber), which checks that every
# request answered 2xx is in the history exactly once and on elb.events, and that every node converged. The figures go
# into docs/benchmarks.md.
#   bench/faults.sh [OUTAGE=10] [AFTER=20] [PHASES="baseline postgres rabbitmq gateway"]
#
# Isolation: everything runs on services of its own, so restarting them disturbs no one else on the machine:
# PostgreSQL cluster "elbfaults" (port 5433; pg_createcluster once, kept between runs, stopped at the end), a RabbitMQ
# node elbfaults@localhost (AMQP 5673, management 15673, distribution 25673; data, logs and config in
# .run/faults/rabbitmq; stopped at the end), the gateway on 5180 and nodes faults1/faults2 on 5190/5191 (schema
# elb_faults, dropped at the start), keys and identities in .run/faults (made on the first run, like run.sh's).
# The machine's own PostgreSQL (5432) and RabbitMQ node (rabbit) are only pinged, every 10 s, to show they kept
# answering. Needs root (pg_ctlcluster, rabbitmq-server as the rabbitmq user), jq and the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
outage=${1:-10}
after=${2:-20}
phases=${3:-baseline postgres rabbitmq gateway}
rate=${FAULTS_RATE:-10}
warmup=10
gateway_port=5180 node_ports=(5190 5191) node_ids=(faults1 faults2)
pg_port=5433 pg_cluster=elbfaults
rabbit_node=elbfaults@localhost amqp_port=5673 management_port=15673 dist_port=25673
schema=elb_faults
state=$PWD/.run/faults
rabbit_dir=$state/rabbitmq
work=$(mktemp -d)
log() { printf '[faults %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now_ms() { date +%s%3N; }

for port in $gateway_port "${node_ports[@]}"; do
  if ss -Hltn "sport = :$port" | grep -q .; then
    log "port $port is in use (an earlier run still going? ss -ltnp); stop that first"; exit 1
  fi
done

# --- PostgreSQL: a cluster of its own ---
pg_version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk -v v="$pg_version" -v c="$pg_cluster" '$1 == v && $2 == c' | grep -q .; then
  log "creating PostgreSQL $pg_version cluster $pg_cluster on port $pg_port"
  pg_createcluster "$pg_version" "$pg_cluster" --port "$pg_port" >/dev/null
fi
pg_start() { pg_ctlcluster "$pg_version" "$pg_cluster" start || [ $? = 2 ]; }
pg_stop() { pg_ctlcluster "$pg_version" "$pg_cluster" stop -m fast || true; }
pg_ready() { for _ in $(seq 1 120); do pg_isready -q -h 127.0.0.1 -p "$pg_port" && return 0; sleep 0.25; done; return 1; }

# --- RabbitMQ: a node of its own (RabbitMQ's own environment selects it; rabbitmq-server runs as user rabbitmq) ---
rabbit_env=(RABBITMQ_NODENAME=$rabbit_node RABBITMQ_NODE_PORT=$amqp_port RABBITMQ_DIST_PORT=$dist_port
  RABBITMQ_CONFIG_FILE=$rabbit_dir/rabbitmq.conf RABBITMQ_MNESIA_BASE=$rabbit_dir/mnesia RABBITMQ_LOG_BASE=$rabbit_dir/log
  RABBITMQ_PID_FILE=$rabbit_dir/pid RABBITMQ_ENABLED_PLUGINS_FILE=$rabbit_dir/enabled_plugins)
mkdir -p "$rabbit_dir/mnesia" "$rabbit_dir/log"
cat > "$rabbit_dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$amqp_port
management.tcp.ip = 127.0.0.1
management.tcp.port = $management_port
CONF
echo '[rabbitmq_management].' > "$rabbit_dir/enabled_plugins"
chown -R rabbitmq:rabbitmq "$rabbit_dir"
rabbit_start() {
  for port in $amqp_port $management_port $dist_port; do
    if ss -Hltn "sport = :$port" | grep -q . && ! rabbitmq-diagnostics -n "$rabbit_node" -q ping >/dev/null 2>&1; then
      log "port $port is in use by something other than RabbitMQ node $rabbit_node"; return 1
    fi
  done
  env "${rabbit_env[@]}" rabbitmq-server -detached >/dev/null 2>&1 || true
  for _ in $(seq 1 120); do rabbitmq-diagnostics -n "$rabbit_node" -q ping >/dev/null 2>&1 && break; sleep 0.5; done
  # await_startup can fail while the node is still registering: try again
  for _ in 1 2 3 4 5; do rabbitmqctl -n "$rabbit_node" -q await_startup >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}
rabbit_stop() { rabbitmqctl -n "$rabbit_node" -q stop >/dev/null 2>&1 || true; }
# AMQP accepts connections again (await_startup returns once the node has booted)
rabbit_ready() { for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/$amqp_port) 2>/dev/null && return 0; sleep 0.25; done; return 1; }

pids=()
gateway_pid=
watch_pid=
driver_pid=
cleanup() {
  trap - EXIT
  log "stopping Elb, RabbitMQ node $rabbit_node and PostgreSQL cluster $pg_cluster"
  for pid in $watch_pid $driver_pid "${pids[@]}" $gateway_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rabbit_stop
  # a node stopped while it was booting may need a second word
  if rabbitmq-diagnostics -n "$rabbit_node" -q ping >/dev/null 2>&1; then sleep 2; rabbit_stop; fi
  pg_stop
  if pg_isready -q -h 127.0.0.1 -p "$pg_port"; then sleep 2; pg_stop; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "starting PostgreSQL cluster $pg_cluster and RabbitMQ node $rabbit_node"
pg_start
pg_ready
. scripts/postgres-database.sh
elb_create_database "$pg_port"
runuser -u postgres -- psql -p "$pg_port" -q -d elb -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null
rabbit_start || { log "RabbitMQ node $rabbit_node did not start; see $rabbit_dir/log"; exit 1; }

# Elb's RabbitMQ users on this node, as for the machine's broker (passwords in ~/.local/state/elb/rabbitmq-$rabbit_node.env).
export ELB_POSTGRES="Host=127.0.0.1;Port=$pg_port;Database=elb;Username=elb;Password=elb;SSL Mode=Disable"
unset ELB_RABBITMQ ELB_RABBITMQ_DATAPLANE ELB_RABBITMQ_MANAGEMENT ELB_RABBITMQ_VHOST
export "${rabbit_env[@]}" RABBITMQ_MANAGEMENT_PORT=$management_port
. scripts/services.sh
unset RABBITMQ_NODENAME RABBITMQ_NODE_PORT RABBITMQ_DIST_PORT RABBITMQ_CONFIG_FILE RABBITMQ_MNESIA_BASE RABBITMQ_LOG_BASE \
  RABBITMQ_PID_FILE RABBITMQ_ENABLED_PLUGINS_FILE RABBITMQ_MANAGEMENT_PORT

log "building"
dotnet build Elb.Gateway -c Release -v q --nologo -clp:ErrorsOnly
dotnet build Elb.DataPlane -c Release -v q --nologo -clp:ErrorsOnly
dotnet build bench/Elb.Bench.Faults -c Release -v q --nologo -clp:ErrorsOnly

# Keys and identities of its own, made once as run.sh makes its own.
. scripts/identities.sh
elb_make_identities "$state" "http://127.0.0.1:$gateway_port" faults
mapfile -t gateway_env < <(grep '^Elb__' "$state/elb.env")
mapfile -t node_env < <(grep -E '^(DataPlane__|Elb__Identity__TokenSigningKey=)' "$state/elb.env")
: > "$state/gateway.log"

# As run.sh starts them (each from its output folder, its content root; each with only its own credentials). The
# client's rate is within the default limits, but retries and the checks' reads come on top: limits lifted.
start_gateway() {
  (cd Elb.Gateway/bin/Release/net10.0 && exec env -u ELB_RABBITMQ_DATAPLANE "${gateway_env[@]}" Elb__Egress__Profile=local \
    Elb__Schema=$schema Elb__RateLimits__RequestsPerSecond=100000 Elb__RateLimits__Burst=100000 \
    Elb__RateLimits__ConcurrentRequests=1000 Urls=http://127.0.0.1:$gateway_port dotnet Elb.Gateway.dll) >> "$state/gateway.log" 2>&1 &
  gateway_pid=$!
}
start_node() {
  (cd Elb.DataPlane/bin/Release/net10.0 && exec env -u ELB_RABBITMQ -u ELB_RABBITMQ_MANAGEMENT -u ELB_POSTGRES "${node_env[@]}" \
    Elb__Egress__Profile=local Urls=http://127.0.0.1:$2 DataPlane__NodeId=$1 DataPlane__GatewayUrl=http://127.0.0.1:$gateway_port \
    DataPlane__VipMap=10.0.0.0/16=127.2.0.0/16 dotnet Elb.DataPlane.dll) > "$state/node-$1.log" 2>&1 &
  pids+=($!)
}
wait_healthy() {
  for _ in $(seq 1 240); do curl -sf "$1/health" >/dev/null && return 0; sleep 0.5; done
  log "$1/health did not answer 200 within 120 s; see $state/*.log"; return 1
}
start_gateway
wait_healthy http://127.0.0.1:$gateway_port
for i in 0 1; do start_node "${node_ids[$i]}" "${node_ports[$i]}"; done
for port in "${node_ports[@]}"; do wait_healthy http://127.0.0.1:$port; done
initial_gateway_pid=$gateway_pid
initial_node_pids="${pids[*]}"

# The machine's shared services, pinged throughout: restarting ours must never touch them.
(
  while :; do
    rabbitmq-diagnostics -n rabbit -q ping >/dev/null 2>&1 && echo "rabbit ok" || echo "rabbit FAILED $(date -u +%T)"
    pg_isready -q -h 127.0.0.1 -p 5432 && echo "pg ok" || echo "pg FAILED $(date -u +%T)"
    sleep 10
  done
) > "$work/shared.log" 2>&1 &
watch_pid=$!

inject_baseline() { :; }
inject_postgres() { pg_stop; sleep "$outage"; pg_start; pg_ready; }
inject_rabbitmq() { rabbit_stop; sleep "$outage"; rabbit_start; rabbit_ready; }
inject_gateway() { kill -KILL "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true; sleep $((outage / 2)); start_gateway; }

driver="dotnet bench/Elb.Bench.Faults/bin/Release/net10.0/Elb.Bench.Faults.dll http://127.0.0.1:$gateway_port 127.0.0.1:$amqp_port"
for phase in $phases; do
  dir=$work/$phase
  mkdir -p "$dir"
  log "phase $phase: starting the client"
  ELB_CREDENTIALS=$state/credentials FAULTS_RATE=$rate $driver "$phase" "$dir" \
    http://127.0.0.1:${node_ports[0]} http://127.0.0.1:${node_ports[1]} > "$dir/result.json" 2> >(tee "$state/driver-$phase.log" >&2) &
  driver_pid=$!
  for _ in $(seq 1 240); do [ -f "$dir/ready" ] || ! kill -0 $driver_pid 2>/dev/null && break; sleep 0.5; done
  [ -f "$dir/ready" ] || { log "the client did not get ready; see $state/driver-$phase.log"; exit 1; }
  sleep "$warmup"
  log "phase $phase: injecting"
  now_ms > "$dir/fault"
  "inject_$phase"
  now_ms > "$dir/healed.tmp" && mv "$dir/healed.tmp" "$dir/healed"
  log "phase $phase: fault over; $after s more of commands"
  sleep "$after"
  touch "$dir/stop"
  wait $driver_pid || { log "the client failed; see $state/driver-$phase.log"; exit 1; }
  jq -c . "$dir/result.json" >&2
  cp "$dir/result.json" "$state/result-$phase.json"
done
kill "$watch_pid" 2>/dev/null || true
watch_pid=

same_processes=yes
[ "$gateway_pid" = "$initial_gateway_pid" ] || [[ " $phases " == *" gateway "* ]] || same_processes=no
[ "${pids[*]}" = "$initial_node_pids" ] || same_processes=no
for pid in "${pids[@]}" $gateway_pid; do kill -0 "$pid" 2>/dev/null || same_processes=no; done
rabbit_pings="$(grep -c '^rabbit ok' "$work/shared.log") of $(grep -c '^rabbit' "$work/shared.log")"
pg_pings="$(grep -c '^pg ok' "$work/shared.log") of $(grep -c '^pg' "$work/shared.log")"
log "shared services answered: rabbit $rabbit_pings pings, PostgreSQL 5432 $pg_pings"

declare -A titles=([baseline]="none (control)" [postgres]="PostgreSQL stopped ${outage} s, started" \
  [rabbitmq]="RabbitMQ node stopped ${outage} s, started" [gateway]="gateway SIGKILL, started $((outage / 2)) s later")
rows=""
details=""
for phase in $phases; do
  r=$work/$phase/result.json
  codes() { jq -r "$1 | to_entries | map(\"\(.value) \(.key)\") | join(\", \") | if . == \"\" then \"0\" else . end" "$r"; }
  secs() { jq -r "$1 | if . == null then \"never\" else (. * 10 | round / 10 | tostring) end" "$r"; }
  rows+="| ${titles[$phase]} | $(jq -r '"\(.commands) | \(.requests) | \(.answered_2xx)"' "$r") | $(jq -r .answered_503 "$r") ($(codes .codes_503)) \
| $(codes .other_status) | $(codes .no_answer) | $(jq -r '"\(.commands_failed_then_succeeded) / \(.commands_never_succeeded)"' "$r") \
| **$(jq -r '"\(.lost_history) / \(.lost_events)"' "$r")** | $(jq -r '"\(.duplicated_history) / \(.duplicated_events)"' "$r") \
| $(jq -r .redeliveries "$r") | $(secs .first_2xx_after_heal_s) | $(secs .caught_up_after_heal_s) | $(secs .converged_after_last_answer_s) |"$'\n'
  details+="- ${titles[$phase]}: $(jq -r '"requests answered without a 2xx that were committed anyway: \(.committed_without_2xx) (of them answered 503: \(.committed_with_503)); history events of this run missing on elb.events: \(.history_events_missing_on_exchange)\(if .history_events_missing_on_exchange > 0 then " (\(.missing_on_exchange | join(", ")))" else "" end); the longest request \(.max_latency_ms) ms; errors seen for \(.failures_window_s) s; gateway /health \(.gateway_health) at the end\(if (.gateway_health_failing // []) == [] then "" else " (\(.gateway_health_failing | join("; ")))" end); nodes converged: \(.nodes_converged), their /routing digests equal the control plane'"'"'s: \(.node_digests_equal)"' "$r")."$'\n'
done

section=$(cat <<MD
<!-- faults:start -->
Measured $(date -u +%Y-%m-%d) on this machine ($(nproc) cores) with \`bench/faults.sh $outage $after${3:+ "$phases"}\`: a PostgreSQL
cluster, a RabbitMQ node, a gateway and two data-plane nodes of its own (the machine's shared PostgreSQL and RabbitMQ
answered $pg_pings and $rabbit_pings pings during the run), and per phase
\`ELB_CREDENTIALS=.run/faults/credentials FAULTS_RATE=$rate $driver <phase> <dir> http://127.0.0.1:${node_ports[0]} http://127.0.0.1:${node_ports[1]}\`:
$rate commands/s (AK/SK-signed as my-project's admin; alternately a member added and a member's name and weight
changed, on four load balancers of the phase; at most 16 requests at once) for ${warmup} s, the fault, then $after s
more. A request answered 503 or not answered (15 s timeout) is sent again after its Retry-After (1 s without), doubled
for each further failure up to 8 s, named anew; requests are counted apart from commands. Then every
request answered 2xx is looked up by its member name in the load balancer's history (\`GET .../history\`) and on
\`elb.events\` (a queue of a subscriber made with \`POST /v3/my-project/elb/subscribers\`); a sequence delivered again is
at-least-once redelivery, a second sequence would be a duplicate. "Caught up" is the time from the end of the fault
(PostgreSQL or RabbitMQ accepting connections again, the gateway process started again) until both nodes' \`/routing\`
hold every load balancer of the phase at the version the control plane held once it answered again; "converged" the
time from the last answer until \`GET /v3/dataplane/nodes\` shows both nodes ONLINE and \`converged: true\` (their
heartbeats come every 3 s). The gateway and nodes kept their processes through the PostgreSQL and RabbitMQ faults:
$same_processes.

| fault | commands | requests | 2xx | 503 (error_code) | other answers | no answer | commands failed, then 2xx on retry / never 2xx | **2xx lost: history / elb.events** | 2xx twice: history / events | redeliveries | first 2xx after the fault, s | nodes caught up, s | converged after last answer, s |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows%$'\n'}

${details%$'\n'}
<!-- faults:end -->
MD
)
echo "$section"
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md faults "Faults: PostgreSQL, RabbitMQ and the gateway restarted under load"
