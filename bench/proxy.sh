#!/usr/bin/env bash
# Requests/s and latency through an Elb HTTP listener and, in the same run, through nginx as a reverse proxy, both
# in front of the same three backends (weights 1:2:5), loaded by wrk. Writes the comparison into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk >/dev/null
fi
duration=${1:-15}
connections=32
work=$(mktemp -d)
run_pid=
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "$run_pid" ] && { kill -TERM -- -"$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server { listen 127.0.0.1:18001; location / { return 200 'backend-0'; } }
  server { listen 127.0.0.1:18002; location / { return 200 'backend-1'; } }
  server { listen 127.0.0.1:18003; location / { return 200 'backend-2'; } }
  upstream pool {
    server 127.0.0.1:18001 weight=1;
    server 127.0.0.1:18002 weight=2;
    server 127.0.0.1:18003 weight=5;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:18080;
    location / { proxy_pass http://pool; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
nginx -c "$work/nginx.conf"

setsid ./run.sh > "$work/run.log" 2>&1 &
run_pid=$!
for _ in $(seq 1 180); do grep -q 'Elb is running' "$work/run.log" && break; sleep 1; done
grep -q 'Elb is running' "$work/run.log" || { cat "$work/run.log"; exit 1; }

api=http://127.0.0.1:5080/v3/bench-proxy-$$
json='Content-Type: application/json'
curl -sf -X POST "$api/inventory/subnets" -H "$json" \
  -d '{"subnet": {"id": "s", "vpc_id": "v", "cidr": "10.0.0.0/24", "availability_zone": "az-1"}}' >/dev/null
lb=$(curl -sf -X POST "$api/elb/loadbalancers" -H "$json" \
  -d '{"loadbalancer": {"vpc_id": "v", "vip_subnet_cidr_id": "s", "availability_zone_list": ["az-1"], "ip_target_enable": true}}' | jq -r .loadbalancer.id)
pool=$(curl -sf -X POST "$api/elb/pools" -H "$json" \
  -d "{\"pool\": {\"loadbalancer_id\": \"$lb\", \"protocol\": \"HTTP\", \"lb_algorithm\": \"ROUND_ROBIN\"}}" | jq -r .pool.id)
for member in "18001 1" "18002 2" "18003 5"; do
  set -- $member
  curl -sf -X POST "$api/elb/pools/$pool/members" -H "$json" \
    -d "{\"member\": {\"address\": \"127.0.0.1\", \"protocol_port\": $1, \"weight\": $2}}" >/dev/null
done
curl -sf -X POST "$api/elb/listeners" -H "$json" \
  -d "{\"listener\": {\"loadbalancer_id\": \"$lb\", \"protocol\": \"HTTP\", \"protocol_port\": 18081, \"default_pool_id\": \"$pool\"}}" >/dev/null
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18081/ >/dev/null && break; sleep 0.2; done

# wrk's latency lines read like "50%  512.00us"; everything in ms
ms() { awk '{ v=$2; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.3f", v }'; }
measure() {
  wrk -t2 -c"$connections" -d3s "$1" >/dev/null
  local out; out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$1")
  echo "$(grep 'Requests/sec' <<<"$out" | awk '{print $2}') $(grep -E '^ +50%' <<<"$out" | ms) $(grep -E '^ +99%' <<<"$out" | ms)"
}
read -r nginx_rps nginx_p50 nginx_p99 <<<"$(measure http://127.0.0.1:18080/)"
read -r elb_rps elb_p50 elb_p99 <<<"$(measure http://127.0.0.1:18081/)"
ratio=$(awk -v e="$elb_rps" -v n="$nginx_rps" 'BEGIN { printf "%.0f", 100 * e / n }')
added=$(awk -v e="$elb_p50" -v n="$nginx_p50" 'BEGIN { printf "%.3f", e - n }')
echo "nginx $nginx_rps req/s p50 $nginx_p50 ms p99 $nginx_p99 ms; elb $elb_rps req/s p50 $elb_p50 ms p99 $elb_p99 ms; ratio $ratio %, added p50 $added ms"

section=$(cat <<MD
<!-- proxy:start -->
Measured $(date -u +%Y-%m-%d) on this machine ($(nproc) cores; load generator, proxies and backends share them) with
\`bench/proxy.sh $duration\`: \`wrk -t2 -c$connections -d${duration}s --latency\` after a 3 s warm-up, against an Elb HTTP
listener (node started by \`./run.sh\`, Release) and against nginx $(nginx -v 2>&1 | sed 's/.*\///') as a reverse proxy
(keep-alive to the upstream), both in front of the same three nginx backends weighted 1:2:5.
Goal: Elb at ≥ 80 % of nginx's throughput, < 0.5 ms added median latency.

| proxy | requests/s | p50 ms | p99 ms |
|---|---|---|---|
| nginx | $nginx_rps | $nginx_p50 | $nginx_p99 |
| Elb | $elb_rps | $elb_p50 | $elb_p99 |

**Elb reaches $ratio % of nginx's throughput and adds $added ms to the median latency.**
<!-- proxy:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md proxy "Proxying real traffic"
