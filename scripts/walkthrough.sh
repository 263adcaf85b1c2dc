#!/usr/bin/env bash
# The README's walk-through, as one script against a running Elb: every step checks what the gateway (or the node)
# answers and fails naming the step, and whatever it made is deleted at the end, also when a step fails. CI runs it
# (tests/Elb.IntegrationTests/Readme/WalkthroughTests.cs), and the README's blocks are its sections, between the
# "readme:<name>" lines below (scripts/readme.py copies them; a test fails where the two differ).
#
#   ./run.sh                  # in another terminal
#   scripts/walkthrough.sh
#
# Needs curl, jq and python3 (the backend servers are python3's http.server, on free ports of 127.0.0.1), and the
# credentials ./run.sh writes: $ELB_CREDENTIALS, default .run/credentials (the gateway's URL, the users demo and admin).
# ELB_DATAPLANE_URL is the node's admin API (default http://127.0.0.1:5090). It makes one load balancer in
# my-project and deletes it; the inventory it registers (two subnets, a server) has no delete, and a second run
# reuses it.
set -euo pipefail
cd "$(dirname "$0")/.."

# readme:helpers
for tool in curl jq python3; do
  command -v "$tool" >/dev/null || { echo "walkthrough: needs $tool (apt-get install $tool)" >&2; exit 2; }
done
export ELB_CREDENTIALS=${ELB_CREDENTIALS:-$PWD/.run/credentials}
[ -r "$ELB_CREDENTIALS" ] || { echo "walkthrough: no $ELB_CREDENTIALS: start Elb with ./run.sh first" >&2; exit 2; }
NODE=${ELB_DATAPLANE_URL:-http://127.0.0.1:5090}
NODE=${NODE%/}

STEP=start
# step NAME: what follows, in the output and in a failure's message
step() { STEP=$1; printf '\n== %s\n' "$STEP" >&2; }
fail() { printf 'walkthrough: FAILED at "%s": %s\n' "$STEP" "$*" >&2; exit 1; }
# api TOKEN METHOD URL [BODY]: the answer of one call; fails unless it is 2xx
api() {
  local token=$1 method=$2 url=$3 body=${4:-} answer code
  answer=$(curl -sS -w '\n%{http_code}' -X "$method" "$url" -H "X-Auth-Token: $token" \
    ${body:+-H 'Content-Type: application/json' --data "$body"}) || fail "$method $url: no answer"
  code=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  [[ $code == 2* ]] || fail "$method $url answered $code: $answer"
  printf '%s\n' "$answer"
}
# status TOKEN URL: only the status of a GET
status() { curl -s -o /dev/null -w '%{http_code}' "$2" -H "X-Auth-Token: $1"; }
# check JQ_FILTER JSON: fails unless the filter holds of the JSON
check() { jq -e "$1" >/dev/null <<<"$2" || fail "expected $1 of: $2"; }
# eventually SECONDS COMMAND...: runs the command every half second until it succeeds
eventually() {
  local deadline=$((SECONDS + $1)); shift
  until ("$@") >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "not within the time allowed: $*"
    sleep 0.5
  done
}
# served_at LISTENER: where nodes serve the listener; fails while none does
served_at() { api "$A" GET "$GW/elb/listeners/$1" | jq -ce '.listener.served_at | select(length > 0)'; }
# free_port: a TCP port nothing holds on any address now
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("0.0.0.0", 0)); print(s.getsockname()[1])'; }
# readme:end

# readme:teardown
BACKENDS=$(mktemp -d)   # the backend servers' pages and logs (see Serving traffic)
BACKEND_PIDS=()
teardown() {
  local outcome=$?
  trap - EXIT
  step "teardown"
  # A listener cannot be deleted while it has a default pool, nor a pool while it has members: the cascading delete
  # takes the load balancer with its listeners, pools, health monitors and members, all or none.
  if [ -n "${LB:-}" ]; then
    (api "$A" POST "$GW/elb/loadbalancers/$LB/delete-cascade" '{"loadbalancer": {"unbounded_pool": true}}') >/dev/null || outcome=1
    [ "$(status "$A" "$GW/elb/loadbalancers/$LB")" = 404 ] || { echo "walkthrough: load balancer $LB is still there" >&2; outcome=1; }
  fi
  kill "${BACKEND_PIDS[@]}" 2>/dev/null || true
  rm -rf "$BACKENDS"
  exit "$outcome"
}
trap teardown EXIT
trap 'exit 130' INT TERM
# readme:end

# readme:walk-through
step "tokens for my-project's admin and for the system admin (scripts/token.sh reads their passwords)"
GATEWAY=$(jq -r .gateway "$ELB_CREDENTIALS")
GW=$GATEWAY/v3/my-project
A=$(scripts/token.sh demo my-project) || fail "no token for demo from $GATEWAY"
SA=$(scripts/token.sh admin) || fail "no token for admin from $GATEWAY"

step "the cloud facts the rules need: a subnet for VIPs, and a server on loopback (so health checks stay here)"
# The inventory mirrors the compute and network services: it has no delete, so a second run finds it registered.
[ "$(status "$A" "$GW/inventory/subnets/subnet-vip")" = 200 ] || api "$A" POST "$GW/inventory/subnets" \
  '{"subnet": {"id": "subnet-vip", "vpc_id": "vpc-1", "cidr": "10.0.0.0/24", "availability_zone": "az-1"}}' >/dev/null
[ "$(status "$A" "$GW/inventory/subnets/subnet-1")" = 200 ] || api "$A" POST "$GW/inventory/subnets" \
  '{"subnet": {"id": "subnet-1", "vpc_id": "vpc-1", "cidr": "127.0.0.0/24", "availability_zone": "az-1"}}' >/dev/null
[ "$(status "$A" "$GW/inventory/servers/ecs-1")" = 200 ] || api "$A" POST "$GW/inventory/servers" \
  '{"server": {"id": "ecs-1", "name": "web-1", "subnet_id": "subnet-1", "address": "127.0.0.11", "os": "Linux"}}' >/dev/null

step "a dedicated load balancer with IP as backend: its vip_address is the subnet's lowest free address"
ANSWER=$(api "$A" POST "$GW/elb/loadbalancers" '{"loadbalancer": {"name": "walkthrough", "vpc_id": "vpc-1",
  "vip_subnet_cidr_id": "subnet-vip", "availability_zone_list": ["az-1", "az-2"], "guaranteed": true, "ip_target_enable": true}}')
jq '.loadbalancer | {id, vip_address, ip_target_enable}' <<<"$ANSWER"
LB=$(jq -r .loadbalancer.id <<<"$ANSWER")

step "a slow-start HTTP pool with cookie stickiness: enabling stickiness answers a warning"
ANSWER=$(api "$A" POST "$GW/elb/pools" "$(jq -n --arg lb "$LB" '{pool: {loadbalancer_id: $lb, protocol: "HTTP",
  lb_algorithm: "ROUND_ROBIN", slow_start: {enable: true, duration: 60}, session_persistence: {type: "HTTP_COOKIE"}}}')")
jq .warnings <<<"$ANSWER"
check '.warnings | length == 1' "$ANSWER"
POOL=$(jq -r .pool.id <<<"$ANSWER")

step "its listener, on a port free here; served_at says where the node serves it, once its heartbeat tells"
ANSWER=$(api "$A" POST "$GW/elb/listeners" "$(jq -n --arg lb "$LB" --arg pool "$POOL" --argjson port "$(free_port)" \
  '{listener: {loadbalancer_id: $lb, protocol: "HTTP", protocol_port: $port, default_pool_id: $pool}}')")
L=$(jq -r .listener.id <<<"$ANSWER")
eventually 30 served_at "$L"
served_at "$L"

step "health checks, then members: a cloud server by id, and an IP as backend server by address"
api "$A" POST "$GW/elb/healthmonitors" "$(jq -n --arg pool "$POOL" '{healthmonitor: {pool_id: $pool, type: "HTTP",
  delay: 5, timeout: 3, max_retries: 2, url_path: "/healthz"}}')" | jq '.healthmonitor | {id, type, delay}'
ANSWER=$(api "$A" POST "$GW/elb/pools/$POOL/members" '{"member": {"instance_id": "ecs-1", "protocol_port": 8080, "weight": 5}}')
check '.member | .member_type == "instance" and .operating_status == "OFFLINE" and .slow_start.state == "none"' "$ANSWER"
ANSWER=$(api "$A" POST "$GW/elb/pools/$POOL/members" '{"member": {"address": "127.0.7.20", "protocol_port": 8080}}')
jq '.member | {member_type, operating_status, slow_start}' <<<"$ANSWER"   # OFFLINE until healthy; slow start pending
check '.member | .member_type == "ip" and .operating_status == "OFFLINE" and .slow_start.state == "pending"' "$ANSWER"
M=$(jq -r .member.id <<<"$ANSWER")

step "a node reports it healthy (elb_dataplane, or the system admin): ONLINE, and its slow start begins now"
ANSWER=$(api "$SA" POST "$GW/elb/pools/$POOL/members/$M/health-reports" '{"health_report": {"healthy": true, "node_id": "node1"}}')
jq '.member | {operating_status, slow_start}' <<<"$ANSWER"
check '.member | .operating_status == "ONLINE" and .slow_start.state == "active"' "$ANSWER"

step "the status tree counts members per availability zone, and flags az-2: no healthy member there"
ANSWER=$(api "$A" GET "$GW/elb/loadbalancers/$LB/statuses")
jq -c '.statuses.loadbalancer.availability_zones[] | {availability_zone, members, healthy_members, warning}' <<<"$ANSWER"
check 'any(.statuses.loadbalancer.availability_zones[]; .availability_zone == "az-2" and .has_healthy_member == false)' "$ANSWER"

step "restarting the server is recorded on its members"
api "$A" POST "$GW/inventory/servers/ecs-1/action" '{"action": "restart"}' | jq -c '.server | {id, status}'
ANSWER=$(api "$A" GET "$GW/elb/loadbalancers/$LB/history?type=BackendServerPowerChanged")
jq -c '.events[] | {version, type, data}' <<<"$ANSWER"
check '.events | length == 1' "$ANSWER"
# readme:end

# readme:time-travel
step "lookup: where the server serves, by its address"
ANSWER=$(api "$A" GET "$GW/elb/members?address=127.0.0.11")
jq -c '.members[] | {loadbalancer_name, pool_id, protocol_port}' <<<"$ANSWER"
check "any(.members[]; .pool_id == \"$POOL\")" "$ANSWER"

step "the audit history: who added which member, when"
ADDED=$(api "$A" GET "$GW/elb/loadbalancers/$LB/history?type=BackendServerAdded")
jq -c '.events[] | {version, user, occurred_at}' <<<"$ADDED"
check '[.events[].user] == ["demo", "demo"]' "$ADDED"

step "time travel: the load balancer before its first member (by version), and once it had both (by time)"
BEFORE=$(jq '.events[0].version - 1' <<<"$ADDED")
AFTER=$(jq -r '.events[-1].occurred_at | @uri' <<<"$ADDED")
api "$A" GET "$GW/elb/loadbalancers/$LB?version=$BEFORE" | jq -c '.loadbalancer | {version, members: [.pools[].members | length]}'
check '[.loadbalancer.pools[].members | length] == [0]' "$(api "$A" GET "$GW/elb/loadbalancers/$LB?version=$BEFORE")"
check '[.loadbalancer.pools[].members | length] == [2]' "$(api "$A" GET "$GW/elb/loadbalancers/$LB?as_of=$AFTER")"
# readme:end

# readme:serving
# start_backend NAME: python3's http.server on a free port of 127.0.0.1 (it picks one and says which), answering
# NAME; sets PORT
start_backend() {
  mkdir -p "$BACKENDS/$1" && echo "$1" > "$BACKENDS/$1/index.html"
  python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$BACKENDS/$1" > "$BACKENDS/$1.log" 2>&1 &
  BACKEND_PIDS+=($!)
  eventually 30 grep -q ' port ' "$BACKENDS/$1.log"
  PORT=$(sed -nE 's/.* port ([0-9]+) .*/\1/p' "$BACKENDS/$1.log")
}

step "two backend servers, in a round-robin pool weighted 1:3 behind a listener of their own"
start_backend one; PORT_ONE=$PORT
start_backend two; PORT_TWO=$PORT
POOL2=$(api "$A" POST "$GW/elb/pools" "$(jq -n --arg lb "$LB" \
  '{pool: {loadbalancer_id: $lb, protocol: "HTTP", lb_algorithm: "ROUND_ROBIN"}}')" | jq -r .pool.id)
for member in "$PORT_ONE 1" "$PORT_TWO 3"; do
  read -r port weight <<<"$member"
  api "$A" POST "$GW/elb/pools/$POOL2/members" "$(jq -n --argjson port "$port" --argjson weight "$weight" \
    '{member: {address: "127.0.0.1", protocol_port: $port, weight: $weight}}')" | jq -c '.member | {address, protocol_port, weight}'
done
L2=$(api "$A" POST "$GW/elb/listeners" "$(jq -n --arg lb "$LB" --arg pool "$POOL2" --argjson port "$(free_port)" \
  '{listener: {loadbalancer_id: $lb, protocol: "HTTP", protocol_port: $port, default_pool_id: $pool}}')" | jq -r .listener.id)

step "eight requests where the node serves the listener: one, two, two, two, one, ... by weight"
eventually 30 served_at "$L2"
SERVED=$(served_at "$L2" | jq -r '.[0]')
ANSWERS=$(for _ in $(seq 8); do curl -sS "http://$SERVED/"; done | sort | uniq -c | awk '{print $2 ":" $1}' | paste -sd ' ')
echo "$ANSWERS"
[ "$ANSWERS" = "one:2 two:6" ] || fail "answers by backend: $ANSWERS"
METRICS=$(curl -sS "$NODE/metrics" | grep "^elb_member_requests_total.*$POOL2") || fail "no elb_member_requests_total on $NODE/metrics"
echo "$METRICS"
[ "$(wc -l <<<"$METRICS")" = 2 ] || fail "expected a series per member"
# readme:end

# readme:node
step "the node's routing table: each member's weight and its effective weight now"
ANSWER=$(api "$SA" GET "$NODE/routing/$POOL2")
jq -c '.pool.members[] | {address, weight, effective_weight}' <<<"$ANSWER"
check '[.pool.members[].effective_weight] | sort == [1, 3]' "$ANSWER"

step "what the algorithm would do with 8000 requests, without traffic"
ANSWER=$(api "$SA" POST "$NODE/routing/$POOL2/simulate" '{"requests": 8000}')
jq -c '.simulation.members[] | {address, count, share}' <<<"$ANSWER"
check '[.simulation.members[].count] | sort == [2000, 6000]' "$ANSWER"

step "the nodes as the gateway sees them (elb_system_admin or elb_global_viewer)"
ANSWER=$(api "$SA" GET "$GATEWAY/v3/dataplane/nodes")
jq -c '.nodes[] | {id, status, versions_behind, converged}' <<<"$ANSWER"
check 'any(.nodes[]; .status == "ONLINE")' "$ANSWER"
# readme:end
