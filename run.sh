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
# Each process gets only its own RabbitMQ credentials.
start Elb.Gateway .run/gateway.log -u ELB_RABBITMQ_DATAPLANE Urls="$GATEWAY_URL"
start Elb.DataPlane .run/dataplane-"$NODE_ID".log -u ELB_RABBITMQ -u ELB_RABBITMQ_MANAGEMENT -u ELB_POSTGRES \
  Urls="$DATAPLANE_URL" DataPlane__NodeId="$NODE_ID" DataPlane__GatewayUrl="$GATEWAY_URL"

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

Try:
  curl -s -X POST $GATEWAY_URL/v3/my-project/elb/loadbalancers -H 'Content-Type: application/json' \\
    -d '{"loadbalancer": {"name": "web", "vpc_id": "vpc-1", "availability_zone_list": ["az-1"], "guaranteed": true}}'
  curl -s $DATAPLANE_URL/routing

Ctrl-C stops Elb (and PostgreSQL/RabbitMQ if this script started them).
MSG

wait -n "${pids[@]}"
echo "[run] a process exited; see .run/*.log" >&2
exit 1
