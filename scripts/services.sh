#!/usr/bin/env bash
# Makes PostgreSQL and RabbitMQ available to Elb and exports ELB_POSTGRES and, one RabbitMQ user per role,
# ELB_RABBITMQ (the gateway, elb-gateway), ELB_RABBITMQ_DATAPLANE (nodes, elb-dataplane) and ELB_RABBITMQ_MANAGEMENT
# (the management HTTP API as the administrator elb-broker-admin, which the gateway uses to create subscriber users).
# Source it: `. scripts/services.sh`. Idempotent: with everything running it returns in about a second.
# Where ELB_POSTGRES / ELB_RABBITMQ are already set, that service is taken as given and nothing is started (then set
# ELB_RABBITMQ_DATAPLANE and ELB_RABBITMQ_MANAGEMENT yourself, or nodes use ELB_RABBITMQ's user).
# Sets ELB_STARTED_POSTGRES / ELB_STARTED_RABBITMQ to 1 for what it started itself, so a caller can stop just that.
#
# RabbitMQ users: the passwords are generated once per broker and kept in $ELB_BROKER_ENV (mode 0600; default
# ~/.local/state/elb/rabbitmq-<node>.env), beside the machine's broker rather than in a checkout's .run/, so that
# several checkouts (worktrees) sharing the one local broker agree on them. Each run sets the users, permissions,
# exchanges and policy again (scripts/broker-setup.py) and deletes the guest user. RabbitMQ's own RABBITMQ_NODENAME
# and RABBITMQ_NODE_PORT (and RABBITMQ_MANAGEMENT_PORT here) select another local node. ELB_RABBITMQ_VHOST (default /)
# puts Elb's exchanges and queues in a virtual host of their own: ./test.sh uses elb-tests, so that tests never reach
# an Elb started by ./run.sh on the same broker (nor it theirs); ELB_RABBITMQ_EXTRA_VHOSTS sets up more the same way
# (./test.sh: one for the conformance tests, which run beside the integration tests).

elb_log() { printf '[services] %s\n' "$*" >&2; }

. "$(dirname "${BASH_SOURCE[0]}")/postgres-database.sh"

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
  elb_create_database 5432
  # Loopback to the cluster started here: TLS (Debian's clusters offer it, Npgsql prefers it) only spends CPU on both
  # ends (about 6% of the gateway's per command under load).
  export ELB_POSTGRES="Host=127.0.0.1;Port=5432;Database=elb;Username=elb;Password=elb;SSL Mode=Disable"
}

# A virtual host with Elb's exchanges, queues and per-user permissions (scripts/broker-setup.py); "/" exists already.
elb_setup_vhost() {
  local vhost=$1 api=$2
  if [ "$vhost" != / ]; then
    curl -sf -o /dev/null -u "elb-broker-admin:$ELB_BROKER_ADMIN_PASSWORD" -X PUT "$api/vhosts/$vhost" \
      && curl -sf -o /dev/null -u "elb-broker-admin:$ELB_BROKER_ADMIN_PASSWORD" -X PUT -H 'Content-Type: application/json' \
        -d '{"configure": ".*", "write": ".*", "read": ".*"}' "$api/permissions/$vhost/elb-broker-admin" \
      || { elb_log "could not create the RabbitMQ virtual host $vhost"; return 1; }
  fi
  ELB_BROKER_GATEWAY_PASSWORD=$ELB_BROKER_GATEWAY_PASSWORD ELB_BROKER_DATAPLANE_PASSWORD=$ELB_BROKER_DATAPLANE_PASSWORD \
    ELB_BROKER_VHOST=$vhost python3 "$(dirname "${BASH_SOURCE[0]}")/broker-setup.py"
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
  local amqp_port=${RABBITMQ_NODE_PORT:-5672} http_port=${RABBITMQ_MANAGEMENT_PORT:-15672}
  local api="http://127.0.0.1:$http_port/api"
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$api/overview")" != 401 ]; then
    elb_log "enabling the RabbitMQ management plugin"
    rabbitmq-plugins -q enable rabbitmq_management >/dev/null
    for _ in $(seq 1 120); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$api/overview")" = 401 ] && break; sleep 0.5; done
  fi

  local secrets=${ELB_BROKER_ENV:-${XDG_STATE_HOME:-$HOME/.local/state}/elb/rabbitmq-${RABBITMQ_NODENAME:-rabbit}.env}
  if [ ! -s "$secrets" ]; then
    elb_log "generating RabbitMQ passwords into $secrets"
    mkdir -p "$(dirname "$secrets")"
    (umask 077 && for user in ADMIN GATEWAY DATAPLANE; do
      echo "ELB_BROKER_${user}_PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    done > "$secrets")
  fi
  # shellcheck disable=SC1090
  . "$secrets"
  if ! curl -sf -o /dev/null -u "elb-broker-admin:$ELB_BROKER_ADMIN_PASSWORD" "$api/whoami"; then
    elb_log "setting up the RabbitMQ administrator elb-broker-admin"
    rabbitmqctl -q add_user elb-broker-admin "$ELB_BROKER_ADMIN_PASSWORD" >/dev/null 2>&1 \
      || rabbitmqctl -q change_password elb-broker-admin "$ELB_BROKER_ADMIN_PASSWORD" >/dev/null
    rabbitmqctl -q set_user_tags elb-broker-admin administrator >/dev/null
    rabbitmqctl -q set_permissions -p / elb-broker-admin '.*' '.*' '.*' >/dev/null
  fi
  export ELB_RABBITMQ_MANAGEMENT="http://elb-broker-admin:$ELB_BROKER_ADMIN_PASSWORD@127.0.0.1:$http_port/"
  local vhost=${ELB_RABBITMQ_VHOST:-/} vhost_path= extra
  [ "$vhost" = / ] || vhost_path=$vhost
  for extra in "$vhost" ${ELB_RABBITMQ_EXTRA_VHOSTS:-}; do elb_setup_vhost "$extra" "$api" || return 1; done
  export ELB_RABBITMQ="amqp://elb-gateway:$ELB_BROKER_GATEWAY_PASSWORD@127.0.0.1:$amqp_port/$vhost_path"
  export ELB_RABBITMQ_DATAPLANE="amqp://elb-dataplane:$ELB_BROKER_DATAPLANE_PASSWORD@127.0.0.1:$amqp_port/$vhost_path"
  unset ELB_BROKER_ADMIN_PASSWORD ELB_BROKER_GATEWAY_PASSWORD ELB_BROKER_DATAPLANE_PASSWORD
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
