"""A complete ELB v3 flow against Elb, made only with the official Huawei Cloud Python SDK (huaweicloudsdkelb).

Every call prints `ok` or `FAIL`, what it answered, and whether each field the answer carries has the type the SDK's
model declares for it (a string where the SDK reads `str`, a whole number where it reads `int`, ...). The inventory
(a VPC's subnets and servers) is Elb's own extension, with no SDK operation: it is set up over plain HTTP with a token.
Run it with samples/python-sdk/run.sh, which fetches nothing and needs the SDK's source on PYTHONPATH.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkcore.http.http_handler import HttpHandler
from huaweicloudsdkelb.v3 import *  # noqa: F401,F403 - the SDK's request and model classes
import huaweicloudsdkelb.v3.model as models

credentials_path = os.environ.get("ELB_CREDENTIALS", os.path.join(os.path.dirname(__file__), "../../.run/credentials"))
with open(credentials_path) as f:
    credentials = json.load(f)
gateway = credentials["gateway"]
project_id, project = next(iter(credentials["projects"].items()))
builder = (ElbClient.new_builder()
           .with_credentials(BasicCredentials(project["access_key"], project["secret_key"], project_id))
           .with_endpoints([gateway]))
record = open(os.environ["ELB_SDK_RECORD"], "w") if os.environ.get("ELB_SDK_RECORD") else None
sent = {}
if record:
    # Keeps each request as the SDK sends it, written with its answer by record_call (one JSON object a line):
    # export_conformance.py turns that into what tests/Elb.Conformance.Tests replays.
    builder = builder.with_http_handler(HttpHandler().add_request_handler(lambda request, **_: sent.update(
        method=request.method, url=request.url,
        headers={k: v for k, v in request.header_params.items() if k.lower() in ("content-type", "x-project-id")},
        body=request.body.decode() if isinstance(request.body, bytes) else request.body)))
client = builder.build()


def record_call(operation, response_model, status, body):
    if record:
        print(json.dumps({"operation": operation, "request": dict(sent), "status": status,
                          "response_model": response_model, "response": body}), file=record, flush=True)

results = []


def model_class(type_name):
    return getattr(models, type_name, None)


def type_mismatches(value, type_name, path):
    """Where a JSON value does not have the type the SDK's model declares (fields the model lacks are Elb's own)."""
    if value is None:
        return []
    if type_name.startswith("list["):
        if not isinstance(value, list):
            return [f"{path}: a list expected, got {json.dumps(value)[:60]}"]
        inner = type_name[5:-1]
        return [m for i, item in enumerate(value) for m in type_mismatches(item, inner, f"{path}[{i}]")]
    if type_name.startswith("dict("):
        return [] if isinstance(value, dict) else [f"{path}: an object expected"]
    simple = {"str": str, "bool": bool, "float": (int, float), "object": object}
    if type_name == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{path}: a whole number expected, got {json.dumps(value)[:60]}"]
    if type_name in simple:
        ok = isinstance(value, simple[type_name]) and (type_name == "bool" or not isinstance(value, bool))
        return [] if ok else [f"{path}: {type_name} expected, got {json.dumps(value)[:60]}"]
    cls = model_class(type_name)
    if cls is None:
        return []
    if not isinstance(value, dict):
        return [f"{path}: an object ({type_name}) expected, got {json.dumps(value)[:60]}"]
    by_json_name = {json_name: cls.openapi_types[attribute] for attribute, json_name in cls.attribute_map.items()}
    return [m for key, item in value.items() if key in by_json_name
            for m in type_mismatches(item, by_json_name[key], f"{path}.{key}")]


def call(operation, request, summary=lambda r: ""):
    """Calls one SDK operation; a call passes when it answers 2xx and its body has the types the SDK's model declares."""
    try:
        response = getattr(client, operation)(request)
    except exceptions.ClientRequestException as e:
        print(f"FAIL {operation}: HTTP {e.status_code} {e.error_code}: {e.error_msg} (request {e.request_id})")
        results.append((operation, False))
        return None
    raw = json.loads(response.raw_content) if getattr(response, "raw_content", None) else {}
    record_call(operation, type(response).__name__, response.status_code, raw)
    mismatches = type_mismatches(raw, type(response).__name__, "") if raw else []
    if mismatches:
        print(f"FAIL {operation}: HTTP {response.status_code}, types differ from the SDK's model: {'; '.join(mismatches[:5])}")
        results.append((operation, False))
        return response
    print(f"ok   {operation}: HTTP {response.status_code} {summary(response)}")
    results.append((operation, True))
    return response


def refused(operation, request, expected_code):
    """Calls an operation the flow expects Elb to refuse, and checks the SDK reads the refusal's code."""
    try:
        getattr(client, operation)(request)
        print(f"FAIL {operation}: accepted, {expected_code} expected")
        results.append((operation + " (refusal)", False))
    except exceptions.ClientRequestException as e:
        record_call(operation, None, e.status_code, {"error_code": e.error_code})
        ok = e.error_code == expected_code and bool(e.error_msg) and bool(e.request_id)
        print(f"{'ok  ' if ok else 'FAIL'} {operation} refused: HTTP {e.status_code} {e.error_code}: {e.error_msg}")
        results.append((operation + " (refusal)", ok))


def inventory(path, body):
    """Elb's inventory (subnets, servers) has no SDK operation: a token from the password and a plain POST."""
    token_request = urllib.request.Request(f"{gateway}/v3/auth/tokens", method="POST",
        headers={"Content-Type": "application/json"}, data=json.dumps({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {"name": project["user"], "password": project["password"]}}},
            "scope": {"project": {"id": project_id}}}}).encode())
    token = urllib.request.urlopen(token_request).headers["X-Subject-Token"]
    request = urllib.request.Request(f"{gateway}/v3/{project_id}/inventory/{path}", method="POST",
        headers={"Content-Type": "application/json", "X-Auth-Token": token}, data=json.dumps(body).encode())
    return json.load(urllib.request.urlopen(request))


def self_signed_certificate(domain):
    with tempfile.TemporaryDirectory() as folder:
        key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "30", "-subj", f"/CN={domain}", "-addext", f"subjectAltName=DNS:{domain}"],
                       check=True, capture_output=True)
        return open(cert).read(), open(key).read()


run = str(int(time.time()))
vpc = f"vpc-sdk-{run}"
# One VPC: a subnet for VIPs, and servers on loopback addresses so that health checks stay on this machine.
inventory("subnets", {"subnet": {"id": f"vip-{run}", "vpc_id": vpc, "cidr": "10.0.0.0/24", "availability_zone": "az-1"}})
inventory("subnets", {"subnet": {"id": f"web-{run}", "vpc_id": vpc, "cidr": "127.0.0.0/24", "availability_zone": "az-1"}})
for n in (11, 12, 13):
    inventory("servers", {"server": {"id": f"ecs-{run}-{n}", "name": f"web-{n}", "subnet_id": f"web-{run}",
                                     "address": f"127.0.0.{n}", "os": "Linux", "availability_zone": "az-1"}})

call("list_availability_zones", ListAvailabilityZonesRequest(),
     lambda r: [z.code for zones in r.availability_zones for z in zones])
call("show_quota", ShowQuotaRequest(), lambda r: f"loadbalancer quota {r.quota.loadbalancer}")
call("list_quota_details", ListQuotaDetailsRequest(quota_key=["loadbalancer", "member"]),
     lambda r: {q.quota_key: f"{q.used}/{q.quota_limit}" for q in r.quotas})

# A dedicated load balancer with IP as backend, in the VPC without a subnet: Elb picks the VPC's largest subnet.
lb = call("create_load_balancer", CreateLoadBalancerRequest(CreateLoadBalancerRequestBody(CreateLoadBalancerOption(
    name=f"sdk-{run}", vpc_id=vpc, availability_zone_list=["az-1"], guaranteed=True, ip_target_enable=True,
    description="made by the Python SDK"))), lambda r: f"{r.loadbalancer.id} vip {r.loadbalancer.vip_address}")
if lb is None:
    sys.exit("no load balancer: the rest of the flow needs one")
lb_id = lb.loadbalancer.id
call("show_load_balancer", ShowLoadBalancerRequest(lb_id),
     lambda r: f"{r.loadbalancer.provisioning_status}/{r.loadbalancer.operating_status}")
call("list_load_balancers", ListLoadBalancersRequest(id=[lb_id], vpc_id=[vpc]), lambda r: len(r.loadbalancers))
call("update_load_balancer", UpdateLoadBalancerRequest(lb_id, UpdateLoadBalancerRequestBody(
    UpdateLoadBalancerOption(name=f"sdk-{run}-renamed"))), lambda r: r.loadbalancer.name)

certificate_pem, key_pem = self_signed_certificate("www.example.com")
certificate = call("create_certificate", CreateCertificateRequest(CreateCertificateRequestBody(CreateCertificateOption(
    name=f"sdk-{run}", certificate=certificate_pem, private_key=key_pem, type="server"))),
    lambda r: f"{r.certificate.id} {r.certificate.domain} expires {r.certificate.expire_time}")
certificate_id = certificate.certificate.id if certificate else None
if certificate_id:
    call("show_certificate", ShowCertificateRequest(certificate_id), lambda r: r.certificate.common_name)
    call("list_certificates", ListCertificatesRequest(id=[certificate_id]), lambda r: len(r.certificates))
    call("update_certificate", UpdateCertificateRequest(certificate_id, UpdateCertificateRequestBody(
        UpdateCertificateOption(description="renamed by the SDK"))), lambda r: r.certificate.description)

listener = call("create_listener", CreateListenerRequest(CreateListenerRequestBody(CreateListenerOption(
    loadbalancer_id=lb_id, protocol="HTTP", protocol_port=8081, name=f"sdk-{run}"))),
    lambda r: f"{r.listener.id} {r.listener.protocol}:{r.listener.protocol_port}")
listener_id = listener.listener.id
https = call("create_listener", CreateListenerRequest(CreateListenerRequestBody(CreateListenerOption(
    loadbalancer_id=lb_id, protocol="HTTPS", protocol_port=8443, default_tls_container_ref=certificate_id))),
    lambda r: f"{r.listener.id} presents {r.listener.default_tls_container_ref}") if certificate_id else None
call("show_listener", ShowListenerRequest(listener_id), lambda r: r.listener.loadbalancers[0].id == lb_id)
call("list_listeners", ListListenersRequest(loadbalancer_id=[lb_id], protocol=["HTTP", "HTTPS"]),
     lambda r: f"{len(r.listeners)} listeners")
call("update_listener", UpdateListenerRequest(listener_id, UpdateListenerRequestBody(UpdateListenerOption(
    description="updated by the SDK"))), lambda r: r.listener.description)

pool = call("create_pool", CreatePoolRequest(CreatePoolRequestBody(CreatePoolOption(
    lb_algorithm="ROUND_ROBIN", protocol="HTTP", listener_id=listener_id, name=f"sdk-{run}",
    slow_start=CreatePoolSlowStartOption(enable=True, duration=30),
    session_persistence=CreatePoolSessionPersistenceOption(type="HTTP_COOKIE", persistence_timeout=30)))),
    lambda r: f"{r.pool.id} slow start {r.pool.slow_start.enable}/{r.pool.slow_start.duration}s")
pool_id = pool.pool.id
call("show_pool", ShowPoolRequest(pool_id), lambda r: r.pool.session_persistence.type)
spare = call("create_pool", CreatePoolRequest(CreatePoolRequestBody(CreatePoolOption(
    lb_algorithm="LEAST_CONNECTIONS", protocol="HTTP", loadbalancer_id=lb_id, name="spare"))), lambda r: r.pool.listeners)
if spare:
    call("delete_pool", DeletePoolRequest(spare.pool.id))
call("list_pools", ListPoolsRequest(loadbalancer_id=[lb_id], listener_id=[listener_id]), lambda r: len(r.pools))
# The guide: slow start works with weighted round robin only.
refused("update_pool", UpdatePoolRequest(pool_id, UpdatePoolRequestBody(UpdatePoolOption(lb_algorithm="LEAST_CONNECTIONS"))),
        "ELB.SlowStartNeedsRoundRobin")
call("update_pool", UpdatePoolRequest(pool_id, UpdatePoolRequestBody(UpdatePoolOption(
    slow_start=UpdatePoolSlowStartOption(enable=True, duration=60), description="updated by the SDK"))),
    lambda r: f"slow start {r.pool.slow_start.duration}s")
call("show_listener", ShowListenerRequest(listener_id), lambda r: f"default pool {r.listener.default_pool_id}")

monitor = call("create_health_monitor", CreateHealthMonitorRequest(CreateHealthMonitorRequestBody(CreateHealthMonitorOption(
    pool_id=pool_id, type="HTTP", delay=5, timeout=3, max_retries=3, url_path="/", monitor_port=None))),
    lambda r: f"{r.healthmonitor.id} {r.healthmonitor.type}")
monitor_id = monitor.healthmonitor.id if monitor else None
if monitor_id:
    call("show_health_monitor", ShowHealthMonitorRequest(monitor_id), lambda r: r.healthmonitor.url_path)
    call("list_health_monitors", ListHealthMonitorsRequest(id=[monitor_id], type=["HTTP", "TCP"]),
         lambda r: len(r.healthmonitors))
    call("update_health_monitor", UpdateHealthMonitorRequest(monitor_id, UpdateHealthMonitorRequestBody(
        UpdateHealthMonitorOption(delay=10, name="checked by the SDK"))), lambda r: r.healthmonitor.delay)

# ELB v3's member in the VPC: address plus subnet_cidr_id, resolved to the inventory's server at that address.
member = call("create_member", CreateMemberRequest(pool_id, CreateMemberRequestBody(CreateMemberOption(
    address="127.0.0.11", protocol_port=9101, subnet_cidr_id=f"web-{run}", weight=10, name="web-11"))),
    lambda r: f"{r.member.id} {r.member.member_type} {r.member.instance_id}")
member_id = member.member.id if member else None
refused("create_member", CreateMemberRequest(pool_id, CreateMemberRequestBody(CreateMemberOption(
    address="127.0.0.99", protocol_port=9101, subnet_cidr_id=f"web-{run}"))), "ELB.ServerNotFound")
batch = call("batch_create_members", BatchCreateMembersRequest(pool_id, BatchCreateMembersRequestBody(members=[
    BatchCreateMembersOption(address="127.0.0.12", protocol_port=9102, subnet_cidr_id=f"web-{run}"),
    BatchCreateMembersOption(address="127.0.0.13", protocol_port=9103, subnet_cidr_id=f"web-{run}", weight=5),
    BatchCreateMembersOption(address="127.0.0.14", protocol_port=9104)])),  # IP as backend: no subnet
    lambda r: [m.address for m in r.members])
batch_ids = [m.id for m in batch.members] if batch else []
if member_id:
    call("show_member", ShowMemberRequest(pool_id, member_id), lambda r: f"{r.member.address} {r.member.operating_status}")
    call("update_member", UpdateMemberRequest(member_id, pool_id, UpdateMemberRequestBody(UpdateMemberOption(
        weight=20, name="web-11-heavier"))), lambda r: r.member.weight)
call("list_members", ListMembersRequest(pool_id, address=["127.0.0.11", "127.0.0.12"]), lambda r: len(r.members))
call("list_all_members", ListAllMembersRequest(loadbalancer_id=[lb_id], protocol_port=[9101, 9102, 9103]),
     lambda r: [f"{m.address}:{m.protocol_port} in {m.pool_id}" for m in r.members])
call("list_all_members", ListAllMembersRequest(address=["127.0.0.14"], limit=1),
     lambda r: f"{len(r.members)} member, page_info {r.page_info}")
if batch_ids:
    call("batch_update_members", BatchUpdateMembersRequest(pool_id, BatchUpdateMembersRequestBody(members=[
        BatchUpdateMembersOption(id=batch_ids[0], weight=7), BatchUpdateMembersOption(id=batch_ids[1], name="renamed")])),
        lambda r: [(m.id[:8], m.weight) for m in r.members])
status = call("show_load_balancer_status", ShowLoadBalancerStatusRequest(lb_id),
     lambda r: f"{r.statuses.loadbalancer.operating_status}, listener's pool {r.statuses.loadbalancer.listeners[0].pools[0].id}: "
               f"{r.statuses.loadbalancer.listeners[0].pools[0].operating_status}, "
               f"{len(r.statuses.loadbalancer.pools[0].members)} members")
call("show_load_balancer", ShowLoadBalancerRequest(lb_id),
     lambda r: f"{r.loadbalancer.operating_status} (the status tree says {status.statuses.loadbalancer.operating_status})")
if batch_ids:
    call("batch_delete_members", BatchDeleteMembersRequest(pool_id, BatchDeleteMembersRequestBody(members=[
        BatchDeleteMembersOption(id=batch_ids[2])])), lambda r: [m.ret_status for m in r.members])
if member_id:
    call("delete_member", DeleteMemberRequest(pool_id, member_id))
refused("delete_listener", DeleteListenerRequest(listener_id), "ELB.ListenerInUse")
if monitor_id:
    call("delete_health_monitor", DeleteHealthMonitorRequest(monitor_id))

# Teardown the ELB v3 way: the listener with its bindings, the pool with what is left of its members, then the rest.
call("delete_listener_force", DeleteListenerForceRequest(listener_id))
call("delete_pool_cascade", DeletePoolCascadeRequest(pool_id))
refused("delete_load_balancer", DeleteLoadBalancerRequest(lb_id), "ELB.LoadBalancerInUse")
if https:
    call("delete_listener", DeleteListenerRequest(https.listener.id))
call("delete_load_balancer", DeleteLoadBalancerRequest(lb_id))
refused("show_load_balancer", ShowLoadBalancerRequest(lb_id), "ELB.LoadBalancerNotFound")
if certificate_id:
    call("delete_certificate", DeleteCertificateRequest(certificate_id))

# A second load balancer with listener, pool, monitor and members, deleted in one call.
# Fields Elb does not model (tags, enterprise projects, admin_state_up, flavors) are accepted and ignored.
lb2 = call("create_load_balancer", CreateLoadBalancerRequest(CreateLoadBalancerRequestBody(CreateLoadBalancerOption(
    name=f"sdk-{run}-2", vpc_id=vpc, vip_subnet_cidr_id=f"vip-{run}", availability_zone_list=["az-1"],
    ip_target_enable=True, admin_state_up=True, tags=[Tag(key="team", value="web")], enterprise_project_id="0",
    l4_flavor_id="l4-small"))), lambda r: r.loadbalancer.vip_address)
if lb2:
    lb2_id = lb2.loadbalancer.id
    listener2 = call("create_listener", CreateListenerRequest(CreateListenerRequestBody(CreateListenerOption(
        loadbalancer_id=lb2_id, protocol="TCP", protocol_port=8082))))
    pool2 = call("create_pool", CreatePoolRequest(CreatePoolRequestBody(CreatePoolOption(
        lb_algorithm="SOURCE_IP", protocol="TCP", listener_id=listener2.listener.id))))
    call("create_health_monitor", CreateHealthMonitorRequest(CreateHealthMonitorRequestBody(CreateHealthMonitorOption(
        pool_id=pool2.pool.id, type="TCP", delay=5, timeout=3, max_retries=3))))
    call("batch_create_members", BatchCreateMembersRequest(pool2.pool.id, BatchCreateMembersRequestBody(members=[
        BatchCreateMembersOption(address="127.0.0.15", protocol_port=9105),
        BatchCreateMembersOption(address="127.0.0.16", protocol_port=9106)])))
    call("delete_load_balancer_cascade", DeleteLoadBalancerCascadeRequest(lb2_id, DeleteLoadBalancerCascadeRequestBody(
        DeleteLoadBalancerCascadeOption(unbounded_pool=True))))
    refused("show_pool", ShowPoolRequest(pool2.pool.id), "ELB.PoolNotFound")

# An operation works when every call of it in the flow did, refusals included (they must carry the expected code).
operation = lambda name: name.replace(" (refusal)", "")
failed = sorted({operation(name) for name, ok in results if not ok})
passed = sorted({operation(name) for name, _ in results} - set(failed))
print(f"\n{len(passed)} SDK operations worked: {', '.join(passed)}")
print(f"{len(failed)} failed: {', '.join(failed)}" if failed else "none failed")
sys.exit(1 if failed else 0)
