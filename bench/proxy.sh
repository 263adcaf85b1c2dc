#!/usr/bin/env bash
# Requests/s and latency through an Elb HTTP listener and, in the same run, through nginx as a reverse proxy, both
# in front of the same three backends (weights 1:2:5), loaded by wrk. Writes the comparison into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk >/dev/null
fi
duration=${1:-10}
rounds=${2:-3}
warmup=15
connections=32
work=$(mktemp -d)
run_pid=
bare_pid=
cleanup() {
  [ -n "$bare_pid" ] && kill "$bare_pid" 2>/dev/null || true
  for pid in "$work"/backends.pid "$work"/proxy.pid; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null; done
  [ -n "$run_pid" ] && { kill -TERM -- -"$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; }
  rabbitmqctl -q delete_queue elb.dataplane.bench-proxy >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The backends and nginx-as-proxy are two nginx instances, as the backends and Elb are two processes: in one
# instance a worker could serve the proxied request and its backend response without waking another process.
# start_nginx NAME HTTP-BLOCK: one nginx instance, its pid file named after it
start_nginx() {
  cat > "$work/$1.conf" <<CONF
worker_processes auto;
pid $work/$1.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
  access_log off;
$2
}
CONF
  nginx -c "$work/$1.conf"
}
start_nginx backends "
  server { listen 127.0.0.1:18001; location / { return 200 'backend-0'; } }
  server { listen 127.0.0.1:18002; location / { return 200 'backend-1'; } }
  server { listen 127.0.0.1:18003; location / { return 200 'backend-2'; } }"
start_nginx proxy '
  upstream pool {
    server 127.0.0.1:18001 weight=1;
    server 127.0.0.1:18002 weight=2;
    server 127.0.0.1:18003 weight=5;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:18080;
    location / { proxy_pass http://pool; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }'

# A schema and node of its own: load balancers left by earlier runs would otherwise hold the listener port.
. scripts/services.sh
# Times one client's requests back to back, faster than a tenant's rate limit lets it: lifted for this run.
export Elb__RateLimits__RequestsPerSecond=100000 Elb__RateLimits__Burst=100000 Elb__RateLimits__ConcurrentRequests=1000
runuser -u postgres -- psql -q -d elb -c 'SET client_min_messages = warning; DROP SCHEMA IF EXISTS bench_proxy CASCADE' >/dev/null
Elb__Schema=bench_proxy ELB_NODE_ID=bench-proxy setsid ./run.sh > "$work/run.log" 2>&1 &
run_pid=$!
for _ in $(seq 1 180); do grep -q 'Elb is running' "$work/run.log" && break; sleep 1; done
grep -q 'Elb is running' "$work/run.log" || { cat "$work/run.log"; exit 1; }

api=http://127.0.0.1:5080/v3/my-project
json='Content-Type: application/json'
auth="X-Auth-Token: $(scripts/token.sh demo my-project)"
curl -sf -H "$auth" -X POST "$api/inventory/subnets" -H "$json" \
  -d '{"subnet": {"id": "s", "vpc_id": "v", "cidr": "10.0.0.0/24", "availability_zone": "az-1"}}' >/dev/null
lb=$(curl -sf -H "$auth" -X POST "$api/elb/loadbalancers" -H "$json" \
  -d '{"loadbalancer": {"vpc_id": "v", "vip_subnet_cidr_id": "s", "availability_zone_list": ["az-1"], "ip_target_enable": true}}' | jq -r .loadbalancer.id)
pool=$(curl -sf -H "$auth" -X POST "$api/elb/pools" -H "$json" \
  -d "{\"pool\": {\"loadbalancer_id\": \"$lb\", \"protocol\": \"HTTP\", \"lb_algorithm\": \"ROUND_ROBIN\"}}" | jq -r .pool.id)
for member in "18001 1" "18002 2" "18003 5"; do
  set -- $member
  curl -sf -H "$auth" -X POST "$api/elb/pools/$pool/members" -H "$json" \
    -d "{\"member\": {\"address\": \"127.0.0.1\", \"protocol_port\": $1, \"weight\": $2}}" >/dev/null
done
listener=$(curl -sf -H "$auth" -X POST "$api/elb/listeners" -H "$json" \
  -d "{\"listener\": {\"loadbalancer_id\": \"$lb\", \"protocol\": \"HTTP\", \"protocol_port\": 18081, \"default_pool_id\": \"$pool\"}}" | jq -r .listener.id)
# where the node serves it: the load balancer's VIP, as run.sh's VIP map puts it on loopback
elb_url=
for _ in $(seq 1 100); do
  served=$(curl -sf -H "$auth" "$api/elb/listeners/$listener" | jq -r '.listener.served_at[0] // empty')
  [ -n "$served" ] && curl -sf "http://$served/" >/dev/null && elb_url="http://$served/" && break
  sleep 0.2
done
[ -n "$elb_url" ] || { echo "the listener is not served; see $work/run.log" >&2; exit 1; }

# wrk's latency lines read like "50%  512.00us"; everything in ms
ms() { awk '{ v=$2; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.3f", v }'; }
cpu_ticks() { local total=0 pid; for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }
# One run: requests/s, p50 ms, p99 ms, and the proxy processes' CPU time per request in µs.
measure() {
  local url=$1; shift
  local before out after
  before=$(cpu_ticks "$@")
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$url")
  after=$(cpu_ticks "$@")
  local requests; requests=$(grep 'requests in' <<<"$out" | awk '{print $1}')
  echo "$(grep 'Requests/sec' <<<"$out" | awk '{print $2}') $(grep -E '^ +50%' <<<"$out" | ms) $(grep -E '^ +99%' <<<"$out" | ms)" \
    "$(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')"
}
dotnet build bench/Elb.Bench.BareForwarder -c Release -v q --nologo -clp:ErrorsOnly
dotnet bench/Elb.Bench.BareForwarder/bin/Release/net10.0/Elb.Bench.BareForwarder.dll 18082 \
  http://127.0.0.1:18001/=1 http://127.0.0.1:18002/=2 http://127.0.0.1:18003/=5 > "$work/bare.log" 2>&1 &
bare_pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18082/ >/dev/null && break; sleep 0.2; done
nginx_workers=$(pgrep -P "$(cat "$work/proxy.pid")")
elb_node=$(pgrep -f 'Elb.DataPlane.dll')
# .NET compiles hot code again with profile data during the first seconds under load; both proxies get the same warm-up.
wrk -t2 -c"$connections" -d"${warmup}s" http://127.0.0.1:18080/ >/dev/null
wrk -t2 -c"$connections" -d"${warmup}s" "$elb_url" >/dev/null
wrk -t2 -c"$connections" -d"${warmup}s" http://127.0.0.1:18082/ >/dev/null
rows=""
ratios=()
for round in $(seq 1 "$rounds"); do
  read -r n_rps n_p50 n_p99 n_cpu <<<"$(measure http://127.0.0.1:18080/ $nginx_workers)"
  read -r e_rps e_p50 e_p99 e_cpu <<<"$(measure "$elb_url" $elb_node)"
  read -r b_rps b_p50 b_p99 b_cpu <<<"$(measure http://127.0.0.1:18082/ $bare_pid)"
  bare_ratio=$(awk -v e="$b_rps" -v n="$n_rps" 'BEGIN { printf "%.0f", 100 * e / n }')
  ratio=$(awk -v e="$e_rps" -v n="$n_rps" 'BEGIN { printf "%.0f", 100 * e / n }')
  added=$(awk -v e="$e_p50" -v n="$n_p50" 'BEGIN { printf "%.3f", e - n }')
  ratios+=("$ratio $added $bare_ratio")
  echo "round $round: nginx $n_rps req/s p50 $n_p50 p99 $n_p99 ms ${n_cpu} µs CPU/req; elb $e_rps req/s p50 $e_p50 p99 $e_p99 ms ${e_cpu} µs CPU/req; $ratio %, +$added ms; YARP alone $b_rps req/s ${b_cpu} µs CPU/req, $bare_ratio %"
  rows+="| $round | $n_rps | $n_p50 | $n_p99 | $n_cpu | $e_rps | $e_p50 | $e_p99 | $e_cpu | **$ratio %** | $added | $b_rps | $b_cpu | $bare_ratio % |"$'\n'
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio=$(printf '%s\n' "${ratios[@]}" | awk '{print $1}' | median)
added=$(printf '%s\n' "${ratios[@]}" | awk '{print $2}' | median)
bare_ratio=$(printf '%s\n' "${ratios[@]}" | awk '{print $3}' | median)
echo "median: $ratio % of nginx's throughput, +$added ms p50; YARP alone $bare_ratio %"

section=$(cat <<MD
<!-- proxy:start -->
Measured $(date -u +%Y-%m-%d) on this machine ($(nproc) cores; load generator, proxies and backends share them) with
\`bench/proxy.sh $duration $rounds\`: $rounds rounds, each \`wrk -t2 -c$connections -d${duration}s --latency\` against nginx
$(nginx -v 2>&1 | sed 's/.*\///') as a reverse proxy (keep-alive to the upstream) and then against an Elb HTTP listener (node
started by \`./run.sh\`, Release), both in front of the same three nginx backends weighted 1:2:5, after a ${warmup} s
warm-up of each. "YARP alone" is \`bench/Elb.Bench.BareForwarder\`: YARP's forwarder on the node's socket settings
with nothing else of Elb (no routing table, algorithm, stickiness, counters), the ceiling of the approach here.
CPU/request is the proxy processes' user + system CPU time divided by the requests served.
Goal: Elb at ≥ 80 % of nginx's throughput, < 0.5 ms added median latency.

| round | nginx req/s | p50 ms | p99 ms | CPU µs/req | Elb req/s | p50 ms | p99 ms | CPU µs/req | Elb/nginx | added p50 ms | YARP alone req/s | CPU µs/req | YARP alone/nginx |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows%$'\n'}

**Median of the rounds: Elb reaches $ratio % of nginx's throughput and adds $added ms to the median latency;
YARP alone reaches $bare_ratio %.**
<!-- proxy:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md proxy "Proxying real traffic"
