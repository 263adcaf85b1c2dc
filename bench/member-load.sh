# Shared by the bench scripts that load Elb with member POSTs (bench/command-throughput.sh, bench/profile-gateway.sh):
# Elb started as ./run.sh starts it on a fresh schema, load balancers with a pool each, and wrk's script.
# Expects $schema, $work, and $checkout (the tree whose ./run.sh runs; . by default).
psql_admin() { runuser -u postgres -- psql -q -X -d elb -v ON_ERROR_STOP=1 "$@"; }
run_pid=
stop_run() {
  [ -n "$run_pid" ] && { kill -TERM -- -"$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; }
  run_pid=
}
checkout=${checkout:-.}
start_run() { # Elb as $checkout's ./run.sh starts it, on a fresh schema
  psql_admin -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null
  (cd "$checkout" && exec setsid env Elb__Schema=$schema ./run.sh) > "$work/run.log" 2>&1 &
  run_pid=$!
  for _ in $(seq 1 240); do grep -q 'Elb is running' "$work/run.log" && break; sleep 1; done
  grep -q 'Elb is running' "$work/run.log" || { cat "$work/run.log"; exit 1; }
  gateway=$(jq -r .gateway "$checkout/.run/credentials")
  token=$(cd "$checkout" && scripts/token.sh demo my-project)
  admin=$(cd "$checkout" && scripts/token.sh admin)
}
api() { # method path [body]: as my-project's admin, failing on an error answer
  curl -sf -X "$1" "$gateway/v3/my-project/$2" -H "X-Auth-Token: $token" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
# $1 load balancers, each with one HTTP pool: their pool ids, a line each
# More load balancers and members than a project's default quotas allow; the member quota stays a limit (a high one),
# so every member POST counts the project's members as a tenant's does.
make_pools() {
  curl -sf -X PUT "$gateway/v3/my-project/elb/quotas" -H "X-Auth-Token: $admin" -H 'Content-Type: application/json' \
    -d '{"quota": {"loadbalancer": -1, "pool": -1, "member": 1000000}}' >/dev/null
  api POST inventory/subnets '{"subnet": {"id": "bench-vips", "vpc_id": "vpc-bench", "cidr": "10.0.0.0/16", "availability_zone": "az-1"}}' >/dev/null
  for i in $(seq 1 "$1"); do
    local lb
    lb=$(api POST elb/loadbalancers "{\"loadbalancer\": {\"name\": \"bench-$i\", \"vpc_id\": \"vpc-bench\", \"vip_subnet_cidr_id\": \"bench-vips\",
      \"availability_zone_list\": [\"az-1\"], \"guaranteed\": true, \"ip_target_enable\": true}}" | jq -r .loadbalancer.id)
    api POST elb/pools "{\"pool\": {\"loadbalancer_id\": \"$lb\", \"protocol\": \"HTTP\", \"lb_algorithm\": \"ROUND_ROBIN\"}}" | jq -r .pool.id
  done
}

# wrk's script: member POSTs spread over the pools in $1 (a pool id a line), written to $2. Addresses start at the
# first octet FIRST_OCTET, which the caller replaces (a pool refuses a member twice, so every run takes its own).
write_members_lua() {
  local pools=$1 out=$2
  {
    echo "local pools = {"; sed 's/.*/"&",/' "$pools"; echo "}"
    cat <<LUA
-- The first octet is the row's own (set by the script for each run), so no run adds a member a pool already has.
-- thread_id is a global, which setup() sets in each thread's own Lua state.
thread_id, first_octet = 0, FIRST_OCTET
local counter = 0
local threads, all = 0, {}
statuses = {}
function setup(thread) threads = threads + 1; thread:set("thread_id", threads); table.insert(all, thread) end
response = function(status, headers, body)
  local key = tostring(status)
  if status ~= 201 then key = key .. " " .. (string.match(body, '"error_code":"([^"]*)"') or "") end
  statuses[key] = (statuses[key] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(all) do
    for key, n in pairs(thread:get("statuses")) do total[key] = (total[key] or 0) + n end
  end
  for key, n in pairs(total) do io.write(string.format("answers %s: %d\n", key, n)) end
end
request = function()
  counter = counter + 1
  local pool = pools[(counter + thread_id * 7) % #pools + 1]
  local body = string.format('{"member": {"address": "10.%d.%d.%d", "protocol_port": 80}}',
    first_octet + thread_id + math.floor(counter / 62500), math.floor(counter / 250) % 250, counter % 250 + 1)
  return wrk.format("POST", "/v3/my-project/elb/pools/" .. pool .. "/members",
    {["Content-Type"] = "application/json", ["X-Auth-Token"] = "$token"}, body)
end
LUA
  } > "$out"
}
