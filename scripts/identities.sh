#!/usr/bin/env bash
# elb_make_identities DIR GATEWAY_URL NODE_ID: on the first start, makes the gateway's keys and the first identities
# (the system admin "admin", the node user "node-NODE_ID", and "demo", admin of my-project) and keeps them, mode 0600:
# DIR/elb.env is what the processes read, DIR/credentials (JSON) is for people and scripts (scripts/token.sh).
# Does nothing where DIR/elb.env exists. Sourced by run.sh and bench/faults.sh.
elb_make_identities() {
  local dir=$1 gateway_url=$2 node_id=$3
  [ -f "$dir/elb.env" ] && return 0
  (
    random_key() { head -c 32 /dev/urandom | base64; }
    random_id() { LC_ALL=C tr -dc "$1" </dev/urandom | head -c "$2" || true; }  # tr ends on SIGPIPE
    umask 077
    admin_ak=$(random_id 'A-Z0-9' 20); admin_sk=$(random_id 'A-Za-z0-9' 40); admin_password=$(random_id 'A-Za-z0-9' 20)
    node_ak=$(random_id 'A-Z0-9' 20); node_sk=$(random_id 'A-Za-z0-9' 40)
    demo_ak=$(random_id 'A-Z0-9' 20); demo_sk=$(random_id 'A-Za-z0-9' 40); demo_password=$(random_id 'A-Za-z0-9' 20)
    cat > "$dir/elb.env" <<ENV
Elb__Identity__EncryptionKey=$(random_key)
Elb__Identity__TokenSigningKey=$(random_key)
Elb__Bootstrap__Users__0__Name=admin
Elb__Bootstrap__Users__0__SystemRole=elb_system_admin
Elb__Bootstrap__Users__0__Password=$admin_password
Elb__Bootstrap__Users__0__AccessKey=$admin_ak
Elb__Bootstrap__Users__0__SecretKey=$admin_sk
Elb__Bootstrap__Users__1__Name=node-$node_id
Elb__Bootstrap__Users__1__SystemRole=elb_dataplane
Elb__Bootstrap__Users__1__AccessKey=$node_ak
Elb__Bootstrap__Users__1__SecretKey=$node_sk
Elb__Bootstrap__Users__2__Name=demo
Elb__Bootstrap__Users__2__Password=$demo_password
Elb__Bootstrap__Users__2__Project=my-project
Elb__Bootstrap__Users__2__ProjectRole=elb_admin
Elb__Bootstrap__Users__2__AccessKey=$demo_ak
Elb__Bootstrap__Users__2__SecretKey=$demo_sk
DataPlane__AccessKey=$node_ak
DataPlane__SecretKey=$node_sk
ENV
    cat > "$dir/credentials" <<JSON
{
  "gateway": "$gateway_url",
  "system_admin": {"user": "admin", "password": "$admin_password", "access_key": "$admin_ak", "secret_key": "$admin_sk"},
  "projects": {"my-project": {"user": "demo", "password": "$demo_password", "access_key": "$demo_ak", "secret_key": "$demo_sk"}},
  "nodes": {"$node_id": {"user": "node-$node_id", "access_key": "$node_ak", "secret_key": "$node_sk"}}
}
JSON
  )
}
