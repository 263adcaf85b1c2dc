#!/usr/bin/env bash
# Runs Elb: PostgreSQL and RabbitMQ (installed and started if missing), the gateway and one data-plane node.
# Stays in the foreground; Ctrl-C stops everything it started. Set ELB_POSTGRES / ELB_RABBITMQ (and
# ELB_RABBITMQ_DATAPLANE, ELB_RABBITMQ_MANAGEMENT: see scripts/services.sh) to use your own.
set -euo pipefail
cd "$(dirname "$0")"

GATEWAY_URL=${ELB_GATEWAY_URL:-http://127.0.0.1:5080}
DATAPLANE_URL=${ELB_DATAPLANE_URL:-http://127.0.0.1:5090}
NODE_ID=${ELB_NODE_ID:-node1}

. scripts/services.sh

echo "[run] building" >&2
dotnet build Elb.Gateway -c Release -v q --nologo -clp:ErrorsOnly
dotnet build Elb.DataPlane -c Release -v q --nologo -clp:ErrorsOnly

mkdir -p .run
# First start: make the gateway's keys and the first identities, and keep them (mode 0600) for later starts.
# .run/credentials is for you (JSON); .run/elb.env is what the processes read.
. scripts/identities.sh
[ -f .run/elb.env ] || echo "[run] first start: creating keys and credentials in .run/credentials" >&2
elb_make_identities .run "$GATEWAY_URL" "$NODE_ID"
mapfile -t gateway_env < <(grep '^Elb__' .run/elb.env)
mapfile -t node_env < <(grep -E '^(DataPlane__|Elb__Identity__TokenSigningKey=)' .run/elb.env)
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo "[run] stopping" >&2
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  elb_stop_started_services
}
trap cleanup INT TERM EXIT

# Each process runs from its output folder: that is its content root, where its appsettings.json (log levels) is read.
start() {
  local project=$1 log=$2; shift 2
  (cd "$project/bin/Release/net10.0" && exec env "$@" dotnet "$project.dll") > "$log" 2>&1 &
  pids+=($!)
}
# Each process gets only its own credentials: RabbitMQ users, and of the identity settings what its role needs.
# One machine: the local egress profile lets members be on loopback, except Elb's own ports.
start Elb.Gateway .run/gateway.log -u ELB_RABBITMQ_DATAPLANE "${gateway_env[@]}" Elb__Egress__Profile=local Urls="$GATEWAY_URL"
# One machine: VIPs in 10.0.0.0/16 are served on 127.1.x.y (10.0.3.4 on 127.1.3.4); loopback VIPs as they are.
start Elb.DataPlane .run/dataplane-"$NODE_ID".log -u ELB_RABBITMQ -u ELB_RABBITMQ_MANAGEMENT -u ELB_POSTGRES "${node_env[@]}" Elb__Egress__Profile=local \
  Urls="$DATAPLANE_URL" DataPlane__NodeId="$NODE_ID" DataPlane__GatewayUrl="$GATEWAY_URL" \
  DataPlane__VipMap="${ELB_VIP_MAP:-10.0.0.0/16=127.1.0.0/16}"

wait_healthy() {
  for _ in $(seq 1 120); do
    curl -sf "$1/health" >/dev/null && return 0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "[run] a process exited; see .run/*.log" >&2; return 1; }; done
    sleep 0.5
  done
  echo "[run] $1/health did not answer 200 within 60 s; see .run/*.log" >&2
  return 1
}
wait_healthy "$GATEWAY_URL"
wait_healthy "$DATAPLANE_URL"

cat <<MSG

Elb is running.
  gateway (HTTP API):         $GATEWAY_URL        logs: .run/gateway.log
  data-plane node $NODE_ID admin: $DATAPLANE_URL        logs: .run/dataplane-$NODE_ID.log

Credentials (system admin, the demo project my-project, the node): .run/credentials (keep it private).

Get a token for my-project (scripts/token.sh reads .run/credentials; it is the same POST /v3/auth/tokens as the README's)
and use it:
  TOKEN=\$(scripts/token.sh demo my-project)
  curl -s -X POST $GATEWAY_URL/v3/my-project/inventory/subnets -H "X-Auth-Token: \$TOKEN" -H 'Content-Type: application/json' \\
    -d '{"subnet": {"id": "subnet-1", "vpc_id": "vpc-1", "cidr": "10.0.0.0/24", "availability_zone": "az-1"}}'
  curl -s -X POST $GATEWAY_URL/v3/my-project/elb/loadbalancers -H "X-Auth-Token: \$TOKEN" -H 'Content-Type: application/json' \\
    -d '{"loadbalancer": {"name": "web", "vpc_id": "vpc-1", "availability_zone_list": ["az-1"], "guaranteed": true}}'
  (its vip_address 10.0.0.x is served on 127.1.0.x here: a listener's served_at shows where)

The README's walk-through, against this Elb: scripts/walkthrough.sh (it deletes what it makes).

The console: $GATEWAY_URL/console/ (sign in as demo, project my-project, password: jq -r '.projects["my-project"].password' .run/credentials).

Ctrl-C stops Elb (and PostgreSQL/RabbitMQ if this script started them).
MSG

wait -n "${pids[@]}"
echo "[run] a process exited; see .run/*.log" >&2
exit 1
