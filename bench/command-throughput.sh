#!/usr/bin/env bash
# AddBackendServer throughput: wrk posting members spread over $LBS load balancers (one pool each, IP as backend),
# with 1 client and with $CLIENTS, for $DURATION s each, after $WARMUP s of the same load unmeasured (a fresh process
# spends its first half-minute compiling), against ./run.sh (one gateway, one node) on a fresh schema.
# In the same run: pgbench's single-row commit rate on the same PostgreSQL (the ceiling), and what PostgreSQL executes
# per command (its statement log over $PROFILE_COMMANDS commands on one load balancer). With a commit, measures that
# commit the same way first (in a worktree, with its own ./run.sh), for a before/after. Writes docs/benchmarks.md.
# Also how long one WAL flush takes on this disk (pg_test_fsync): a command's commit waits for one, so it is the floor
# of a single client's latency.
#   bench/command-throughput.sh [BEFORE]     # DURATION=20 WARMUP=30 CLIENTS=16 LBS=200 PROFILE_COMMANDS=100
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-20}
warmup=${WARMUP:-30}
clients=${CLIENTS:-16}
lbs=${LBS:-200}
profile_commands=${PROFILE_COMMANDS:-100}
before=${1:-}
work=$(mktemp -d)
. scripts/services.sh
command -v wrk >/dev/null || elb_apt_install wrk
command -v jq >/dev/null || elb_apt_install jq
# Many requests from one project, faster than a tenant's rate limit lets it: lifted for this run.
export Elb__RateLimits__RequestsPerSecond=1000000 Elb__RateLimits__Burst=1000000 Elb__RateLimits__ConcurrentRequests=10000
schema=bench_throughput
pg_log=$(ls -t /var/log/postgresql/postgresql-15-main.log 2>/dev/null | head -1)
. bench/member-load.sh
cleanup() {
  stop_run
  psql_admin -c "ALTER ROLE elb RESET log_statement" >/dev/null 2>&1 || true
  [ -n "$before" ] && git worktree remove --force "$work/before" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- the ceiling: single-row transactions/s on this PostgreSQL, as many clients as wrk's ---
psql_admin -c "SET client_min_messages = warning; DROP TABLE IF EXISTS bench_commit; CREATE TABLE bench_commit (id bigserial, v int)" >/dev/null
chmod 755 "$work"
echo 'INSERT INTO bench_commit (v) VALUES (1);' > "$work/commit.sql"
pgbench_tps=$(runuser -u postgres -- pgbench -n -c "$clients" -j 2 -T 10 -f "$work/commit.sql" elb 2>/dev/null \
  | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
psql_admin -c "DROP TABLE bench_commit" >/dev/null
echo "[bench] pgbench single-row commits: $pgbench_tps/s" >&2
wal_sync_method=$(psql_admin -At -c "SHOW wal_sync_method")
data_directory=$(psql_admin -At -c "SHOW data_directory")
flush_us=$(runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_test_fsync -s 3 -f "$data_directory/bench_fsync.tmp" 2>/dev/null \
  | awk -v m="$wal_sync_method" '$1 == m && /usecs\/op/ {print $(NF-1); exit}')
rm -f "$data_directory/bench_fsync.tmp"
echo "[bench] one WAL flush ($wal_sync_method): $flush_us µs" >&2

rows=(); profiles=(); cpu_rows=()
# CPU time in ms each part has spent so far: the gateway, the node, PostgreSQL (every backend), RabbitMQ
cpu_ms() {
  local ticks_per_s pids
  ticks_per_s=$(getconf CLK_TCK)
  for pids in "$(pgrep -f 'dotnet Elb.Gateway.dll')" "$(pgrep -f 'dotnet Elb.DataPlane.dll')" \
      "$(pgrep -u postgres -x postgres)" "$(pgrep -u rabbitmq -x beam.smp)"; do
    # shellcheck disable=SC2046 # one stat file per process
    cat $(sed 's|.*|/proc/&/stat|' <<<"$pids") 2>/dev/null | awk -v hz="$ticks_per_s" '{t += $14 + $15} END {printf "%d ", t * 1000 / hz}'
  done
}
# How many events the public events relay (LoadBalancerEventRelay) has yet to publish
relay_behind() {
  psql_admin -At -c "SELECT (SELECT coalesce(max(seq_id), 0) FROM $schema.mt_events)
    - coalesce((SELECT last_seq_id FROM $schema.mt_event_progression WHERE name = 'elb_events_relay:All'), 0)"
}
# Waits (at most 10 minutes) until the relay has taken every event and the outbox has sent every message (the relay
# commits its progress before it sends): the seconds that took
relay_catch_up() {
  local started=$SECONDS
  while [ "$(relay_behind)" -gt 0 ] || [ "$(psql_admin -At -c "SELECT count(*) FROM $schema.wolverine_outgoing_envelopes")" -gt 0 ]; do
    [ $((SECONDS - started)) -lt 600 ] || break
    sleep 1
  done
  echo $((SECONDS - started))
}
# $1 label: profiles, then measures throughput, of Elb as $checkout runs it
measure() {
  local label=$1
  # --- what PostgreSQL executes per command: its statement log over $profile_commands adds to one pool ---
  psql_admin -c "ALTER ROLE elb SET log_statement = 'all'" >/dev/null
  start_run
  pool=$(make_pools 1)
  sleep 3
  offset=$(stat -c %s "$pg_log")
  for i in $(seq 1 "$profile_commands"); do
    api POST "elb/pools/$pool/members" "{\"member\": {\"address\": \"10.9.$((i / 250)).$((i % 250 + 1))\", \"protocol_port\": 80}}" >/dev/null
  done
  sleep 3 # the relay and its outbox finish with the last command
  tail -c +$((offset + 1)) "$pg_log" | grep -E 'LOG:  (statement|execute [^:]*):' \
    | sed -E 's/.*LOG:  (statement|execute [^:]*): *//; s/\$[0-9]+/?/g; s/[0-9a-f]{8}-[0-9a-f-]{27}/<id>/g' \
    | cut -c1-90 | sort | uniq -c | sort -rn > "$work/statements"
  statements_per_command=$(awk -v n="$profile_commands" '{s += $1} END {printf "%.1f", s / n}' "$work/statements")
  profile_rows=$(head -15 "$work/statements" | awk -v n="$profile_commands" '{c = $1; $1 = ""; sub(/^ /, ""); gsub(/\|/, "\\|");
    printf "| %.2f | `%s` |\n", c / n, $0}')
  snapshot_bytes=$(psql_admin -At -c "SELECT max(pg_column_size(data)) FROM $schema.mt_doc_loadbalancer")
  stop_run
  psql_admin -c "ALTER ROLE elb RESET log_statement" >/dev/null
  echo "[bench] $label: $statements_per_command statements per command" >&2

  # --- throughput: wrk posting members over $lbs pools, one client, then $clients ---
  start_run
  make_pools "$lbs" > "$work/pools"
  write_members_lua "$work/pools" "$work/members.lua"
  row() { # label, first octet of its addresses (every row's own: a pool refuses a member twice), wrk arguments...
    local label=$1 first_octet=$2; shift 2
    sed "s/FIRST_OCTET/$first_octet/" "$work/members.lua" > "$work/row.lua"
    local cpu_before cpu_after behind caught_up
    # A row measures commands alone: the relay publishing an earlier row's events would share the CPU with them.
    relay_catch_up >/dev/null
    cpu_before=$(cpu_ms)
    wrk -d "${duration}s" "$@" --latency -s "$work/row.lua" "$gateway" > "$work/wrk.txt"
    behind=$(relay_behind)
    caught_up=$(relay_catch_up)
    # The row's CPU time runs on until the relay has published the row's events: they are its commands' work too.
    cpu_after=$(cpu_ms)
    local rps p50 p99 non2xx
    rps=$(sed -n 's/^Requests\/sec: *//p' "$work/wrk.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
    non2xx=$(sed -n 's/^answers \([^2].*\)/\1/p' "$work/wrk.txt" | paste -sd, - | sed 's/,/, /g')
    echo "| $label | ${rps%.*} | $p50 | $p99 | ${non2xx:-none} | $behind, ${caught_up} s |"
    # What one command cost each part in CPU: the row's CPU time over the commands it answered
    local commands
    commands=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
    paste -d' ' <(tr ' ' '\n' <<<"$cpu_before") <(tr ' ' '\n' <<<"$cpu_after") | awk -v n="$commands" -v label="$label" \
      'NF == 2 {ms[++i] = ($2 - $1) / n; total += ms[i]} END {printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", label, ms[1], ms[2], ms[3], ms[4], total}' \
      >> "$work/cpu"
  }
  row warmup 50 -t2 -c"$clients" -d"${warmup}s" >/dev/null
  rows+=("$(row "$label, 1 client" 10 -t1 -c1)" "$(row "$label, $clients clients" 30 -t2 -c"$clients")")
  stop_run
  profiles+=("| $label | $statements_per_command | $snapshot_bytes |")
  mapfile -t -O "${#cpu_rows[@]}" cpu_rows < <(tail -2 "$work/cpu")
  printf '%s\n' "${rows[@]: -2}" >&2
}

if [ -n "$before" ]; then
  git worktree add -q --detach "$work/before" "$before"
  checkout=$work/before measure "$(git rev-parse --short "$before") (before)"
fi
checkout=. measure "$(git rev-parse --short HEAD)"

section=$(cat <<MD
<!-- throughput:start -->
AddBackendServer under load: \`wrk\` posting members (IP as backend, token-authenticated) spread over $lbs load
balancers of one project (member quota 1,000,000: each POST counts the project's members against it), ${duration} s with one client, then ${duration} s with $clients, after ${warmup} s of that load
unmeasured, against \`./run.sh\` (one
gateway, one node, PostgreSQL and RabbitMQ on this machine) on a fresh schema, for each commit measured. Measured
$(date -u +%Y-%m-%d) on this machine ($(nproc) cores) with \`bench/command-throughput.sh${before:+ $before}\`
(DURATION=$duration WARMUP=$warmup CLIENTS=$clients LBS=$lbs). Each row starts once the public events relay has
published every earlier event (a backlog being published would share the CPU with the row's commands), and says how
far behind the relay was as the row ended, and how long it then took to catch up. Goals: ≥ 1,000 commands/s at 16
clients with p99 < 50 ms; one client: p50 < 2 ms.

| commit, clients | commands/s | p50 | p99 | other answers (status error_code: count) | public events not yet relayed as the row ends; the relay done after |
|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

The ceiling, measured in the same run: PostgreSQL commits **${pgbench_tps%.*} single-row transactions/s** here
(\`pgbench\`, $clients clients, a one-row INSERT per transaction). One WAL flush (\`$wal_sync_method\`, which every
commit waits for) takes **${flush_us} µs** on this disk (\`pg_test_fsync\`): a single client's command cannot answer
sooner than its commit's flush.

CPU time per command, in ms, by process, over the same rows: each one's CPU time from the row's start until the relay
had published its events (\`/proc/<pid>/stat\`, every PostgreSQL backend included) divided by the commands answered.

| commit, clients | gateway | node | PostgreSQL | RabbitMQ | total |
|---|---|---|---|---|---|
$(printf '%s\n' "${cpu_rows[@]}")

What PostgreSQL executed per command, from its statement log (\`log_statement = all\` for Elb's role) over
$profile_commands member POSTs to one load balancer: everything the gateway sent meanwhile (the command, the inline
projections, the relay, its outbox, the daemon's polling) divided by $profile_commands; and the load balancer
snapshot document's stored size at $profile_commands members.

| commit | statements per command | snapshot bytes |
|---|---|---|
$(printf '%s\n' "${profiles[@]}")

The most frequent statements at $(git rev-parse --short HEAD):

| per command | statement (parameters as ?, ids as &lt;id&gt;, cut at 90 characters) |
|---|---|
$profile_rows
<!-- throughput:end -->
MD
)
SECTION="$section" python3 bench/write_section.py docs/benchmarks.md throughput "Command throughput, and where a command's time goes"
