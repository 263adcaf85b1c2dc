#!/usr/bin/env bash
# Makes PostgreSQL and RabbitMQ available to Elb and exports ELB_POSTGRES / ELB_RABBITMQ.
# Source it: `. scripts/services.sh`. Idempotent: with everything running it returns in about a second.
# Where ELB_POSTGRES / ELB_RABBITMQ are already set, that service is taken as given and nothing is started.
# Sets ELB_STARTED_POSTGRES / ELB_STARTED_RABBITMQ to 1 for what it started itself, so a caller can stop just that.

elb_log() { printf '[services] %s\n' "$*" >&2; }

elb_apt_updated=0
elb_apt_install() {
  if [ "$elb_apt_updated" = 0 ]; then
    elb_log "apt-get update"
    apt-get update -qq >/dev/null
    elb_apt_updated=1
  fi
  elb_log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

elb_start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    elb_apt_install postgresql
  fi
  local version
  version=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1}')
  if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    elb_log "creating PostgreSQL $version cluster"
    pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    elb_log "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start || [ $? = 2 ]
    ELB_STARTED_POSTGRES=1
    ELB_POSTGRES_CLUSTER="$version main"
    for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
  runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'elb') THEN
    CREATE ROLE elb LOGIN PASSWORD 'elb';
  END IF;
END $$;
SELECT 'CREATE DATABASE elb OWNER elb' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'elb')\gexec
SQL
  export ELB_POSTGRES="Host=127.0.0.1;Port=5432;Database=elb;Username=elb;Password=elb"
}

elb_start_rabbitmq() {
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    elb_apt_install rabbitmq-server
  fi
  if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
    elb_log "starting RabbitMQ"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    ELB_STARTED_RABBITMQ=1
    # ping first: await_startup fails at once while the node is not registered yet
    for _ in $(seq 1 120); do rabbitmq-diagnostics -q ping >/dev/null 2>&1 && break; sleep 0.5; done
    rabbitmqctl -q await_startup >/dev/null
  fi
  # A node's queue keeps filling while the node is down, and a node loads a snapshot when it starts: beyond 10,000
  # changes the oldest go (a running node that far behind closes the gap from a snapshot too). compose.yaml sets the same.
  rabbitmqctl -q set_policy --apply-to queues elb-dataplane-queues '^elb\.dataplane\.' '{"max-length": 10000}' >/dev/null
  export ELB_RABBITMQ="amqp://guest:guest@127.0.0.1:5672/"
}

ELB_STARTED_POSTGRES=0
ELB_STARTED_RABBITMQ=0
if [ -z "${ELB_POSTGRES:-}" ]; then elb_start_postgres; else elb_log "using ELB_POSTGRES as given"; fi
if [ -z "${ELB_RABBITMQ:-}" ]; then elb_start_rabbitmq; else elb_log "using ELB_RABBITMQ as given"; fi

elb_stop_started_services() {
  if [ "$ELB_STARTED_RABBITMQ" = 1 ]; then elb_log "stopping RabbitMQ"; rabbitmqctl -q stop >/dev/null 2>&1 || true; fi
  # shellcheck disable=SC2086
  if [ "$ELB_STARTED_POSTGRES" = 1 ]; then elb_log "stopping PostgreSQL"; pg_ctlcluster $ELB_POSTGRES_CLUSTER stop || true; fi
}
