#!/usr/bin/env python3
"""Gives RabbitMQ Elb's users, their permissions, and the exchanges and policy those permissions name.

Idempotent: every step is a PUT (or the DELETE of guest), so running it again resets passwords and permissions to
what is written here. Talks to the management HTTP API as an administrator, with the Python standard library only,
so it runs wherever rabbitmqadmin does: from scripts/services.sh, in compose.yaml's broker-setup service (the
rabbitmq:3-management image), and in the tests' Testcontainers broker.

Environment:
  ELB_RABBITMQ_MANAGEMENT          http://<admin>:<password>@<host>:15672/ (the administrator, e.g. elb-broker-admin)
  ELB_BROKER_GATEWAY_PASSWORD    password to give elb-gateway
  ELB_BROKER_DATAPLANE_PASSWORD  password to give elb-dataplane
  ELB_BROKER_VHOST               virtual host of Elb's exchanges (default /)

What each user may do (RabbitMQ regexes on queue and exchange names; the same regex covers both kinds):
  elb-gateway    declares Elb's exchanges and its own elb.gateway.* queues; publishes LoadBalancerChange to
                 elb.internal.changes and CloudEvents to elb.events; consumes the heartbeat and health-report queues.
  elb-dataplane  declares, binds and consumes its elb.dataplane.<node-id> queue bound to elb.internal.changes;
                 publishes only to elb.heartbeats and elb.health-reports. No configure permission on any exchange
                 (nodes declare exchanges passively), no write on elb.internal.changes nor on the default exchange
                 (amq.default), so it cannot inject a change into any node's queue by either route.
  Subscribers    elb-subscriber.<project>.* users, created by the gateway at run time (Elb.Gateway/Subscribers).
  guest          deleted: its password is known to everyone.
"""
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

GATEWAY = "elb-gateway"
DATAPLANE = "elb-dataplane"

# Exchanges Elb's code declares (Elb.Commands/Messaging/ElbExchanges.cs), declared here too with the same
# properties so that nodes, which may only declare them passively, can start before the gateway has ever run.
EXCHANGES = {
    "elb.events": "topic",
    "elb.internal.changes": "topic",
    "elb.heartbeats": "fanout",
    "elb.health-reports": "fanout",
}

# Wolverine's dead-letter exchange and queue: durable queues name it as x-dead-letter-exchange, and declaring such a
# queue takes write permission on that exchange.
DEAD_LETTERS = r"wolverine-dead-letter-queue"

PERMISSIONS = {
    GATEWAY: {
        "configure": r"^(elb\.(events|internal\.changes|heartbeats|health-reports)|elb\.gateway\..+|" + DEAD_LETTERS + ")$",
        "write": r"^(elb\.(events|internal\.changes)|elb\.gateway\..+|" + DEAD_LETTERS + ")$",
        "read": r"^(elb\.(heartbeats|health-reports)|elb\.gateway\..+|" + DEAD_LETTERS + ")$",
    },
    DATAPLANE: {
        "configure": r"^elb\.dataplane\..+$",
        "write": r"^(elb\.(heartbeats|health-reports)|elb\.dataplane\..+|" + DEAD_LETTERS + ")$",
        "read": r"^(elb\.internal\.changes|elb\.dataplane\..+)$",
    },
}

# A node's queue keeps filling while the node is down, and a node loads a snapshot when it starts: beyond 10,000
# changes the oldest go (a running node that far behind closes the gap from a snapshot too).
POLICIES = {
    "elb-dataplane-queues": {"pattern": r"^elb\.dataplane\.", "apply-to": "queues", "definition": {"max-length": 10000}},
}


def main():
    management = urllib.parse.urlsplit(required("ELB_RABBITMQ_MANAGEMENT"))
    base = f"{management.scheme}://{management.hostname}:{management.port or 15672}{management.path.rstrip('/')}/api/"
    credentials = f"{urllib.parse.unquote(management.username or '')}:{urllib.parse.unquote(management.password or '')}"
    auth = "Basic " + base64.b64encode(credentials.encode()).decode()
    vhost = os.environ.get("ELB_BROKER_VHOST") or "/"

    def call(method, path, body=None, missing_ok=False):
        request = urllib.request.Request(base + path, method=method, headers={"Authorization": auth})
        if body is not None:
            request.data = json.dumps(body).encode()
            request.add_header("Content-Type", "application/json")
        for attempt in range(60):
            try:
                with urllib.request.urlopen(request, timeout=10):
                    return True
            except urllib.error.HTTPError as error:
                if missing_ok and error.code == 404:
                    return False
                sys.exit(f"[broker-setup] {method} {path}: {error.code} {error.read().decode(errors='replace')}")
            except (urllib.error.URLError, ConnectionError) as error:
                # the management listener starts a little after the broker answers pings
                if attempt == 59:
                    sys.exit(f"[broker-setup] {method} {path}: {error}")
                time.sleep(1)

    def q(segment):
        return urllib.parse.quote(segment, safe="")

    passwords = {GATEWAY: required("ELB_BROKER_GATEWAY_PASSWORD"), DATAPLANE: required("ELB_BROKER_DATAPLANE_PASSWORD")}
    for user, password in passwords.items():
        call("PUT", f"users/{q(user)}", {"password": password, "tags": ""})
        call("PUT", f"permissions/{q(vhost)}/{q(user)}", PERMISSIONS[user])
    for name, kind in EXCHANGES.items():
        call("PUT", f"exchanges/{q(vhost)}/{q(name)}",
             {"type": kind, "durable": True, "auto_delete": False, "internal": False, "arguments": {}})
    for name, policy in POLICIES.items():
        call("PUT", f"policies/{q(vhost)}/{q(name)}", policy)
    if call("DELETE", "users/guest", missing_ok=True):
        print("[broker-setup] deleted the guest user", file=sys.stderr)


def required(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"[broker-setup] {name} is not set")
    return value


if __name__ == "__main__":
    main()
