// A load balancer's page: what it is, its health per availability zone, listeners, pools and members, and the nodes
// serving it. The parts that show a load balancer's configuration are shared with its state at a past time (history.js).
import { get, getAll } from "./api.js";
import { h, link, shortId, slowStart, status, table, utc, warning } from "./dom.js";

export async function showLoadBalancer(view, id) {
  const path = `elb/loadbalancers/${encodeURIComponent(id)}`;
  const [{ loadbalancer }, { statuses }, listeners, pools, members, { convergence }] = await Promise.all([
    get(path),
    get(`${path}/statuses`),
    getAll("elb/listeners", "listeners", { loadbalancer_id: id }),
    getAll("elb/pools", "pools", { loadbalancer_id: id }),
    getAll("elb/members", "members", { loadbalancer_id: id }),
    get(`${path}/convergence`),
  ]);
  view.replaceChildren(
    loadBalancerHeading(loadbalancer, link(`#/loadbalancers/${loadbalancer.id}/history`, "History")),
    loadBalancerFacts(loadbalancer),
    h("h2", {}, "Health per availability zone"),
    zones(statuses.loadbalancer.availability_zones),
    h("h2", {}, "Listeners"),
    listenersTable(listeners, pools, true),
    h("h2", {}, "Backend server groups"),
    poolSections(pools, members),
    h("h2", {}, "Data-plane nodes"),
    nodes(convergence));
}

export function loadBalancerHeading(loadbalancer, ...actions) {
  return h("div", { className: "heading" },
    h("h1", { className: "lb-name" }, loadbalancer.name || "(unnamed)"), status(loadbalancer.operating_status), ...actions);
}

export function loadBalancerFacts(loadbalancer) {
  const facts = [
    ["ID", h("code", {}, loadbalancer.id)],
    ["VIP", loadbalancer.vip_address ?? "none"],
    ["VPC", loadbalancer.vpc_id],
    ["Availability zones", loadbalancer.availability_zone_list.join(", ")],
    ["Type", loadbalancer.guaranteed ? "dedicated" : "shared"],
    ["IP as backend", loadbalancer.ip_target_enable ? "enabled" : "disabled"],
    ["Updated", utc(loadbalancer.updated_at)],
  ];
  return h("dl", { className: "facts" }, facts.map(([name, value]) => [h("dt", {}, name), h("dd", {}, value)]));
}

/** Rule 13: members and healthy members per zone, and the guide's warning for a zone with none healthy. */
function zones(availabilityZones) {
  return h("div", {},
    availabilityZones.filter(z => z.warning).map(z => warning(z.warning)),
    table(["Availability zone", "Backend servers", "Healthy", "Zone"], availabilityZones.map(z => [
      z.availability_zone, String(z.members), String(z.healthy_members),
      z.has_healthy_member ? h("span", { className: "status good" }, "has a healthy server")
        : h("span", { className: "status bad" }, "no healthy server"),
    ])));
}

/** With <c>serving</c>, where and whether the nodes serve each listener now (not known for a past state). */
export function listenersTable(listeners, pools, serving) {
  const poolNames = new Map(pools.map(p => [p.id, p.name || p.id]));
  const headers = ["Listener", "Protocol", "Port", "Default pool"];
  if (serving) headers.push("Status", "Served at");
  return table(headers, listeners.map(l => {
    const row = [l.name || shortId(l.id), l.protocol, String(l.protocol_port),
      l.default_pool_id ? poolNames.get(l.default_pool_id) ?? shortId(l.default_pool_id) : "none"];
    if (serving) {
      row.push(h("span", {}, status(l.operating_status), (l.operating_status_reasons ?? []).map(r => h("small", { className: "reason" }, r))),
        (l.served_at ?? []).join(", ") || "nowhere");
    }
    return row;
  }), "No listeners.");
}

export function poolSections(pools, members) {
  if (pools.length === 0) return h("p", { className: "empty" }, "No backend server groups.");
  return h("div", {}, pools.map(pool => h("section", { className: "pool", "data-pool-id": pool.id },
    h("h3", {}, pool.name || pool.id, " ", status(pool.operating_status)),
    h("p", { className: "pool-facts" }, [
      `${pool.protocol}, ${pool.lb_algorithm}`,
      pool.slow_start?.enable ? `slow start ${pool.slow_start.duration} s` : "no slow start",
      pool.session_persistence ? `sticky: ${pool.session_persistence.type}` : "not sticky",
      pool.healthmonitor_id ? "health checks on" : "no health checks",
    ].join(" · ")),
    membersTable(members.filter(m => m.pool_id === pool.id)))));
}

function membersTable(members) {
  return table(["Backend server", "Address", "Weight", "Availability zone", "Health", "Slow start"],
    members.map(m => [
      backendServer(m),
      `${m.address}:${m.protocol_port}`,
      String(m.weight),
      m.availability_zone ?? "",
      status(m.operating_status),
      slowStart(m.slow_start),
    ]), "No backend servers.");
}

/** A member names its server (instance members), or is an IP address of its own (IP as backend). */
export function backendServer(member) {
  return member.instance_id
    ? h("span", {}, member.instance_id, member.name && member.name !== member.instance_id ? h("small", {}, ` ${member.name}`) : null)
    : h("span", {}, "IP member ", shortId(member.id));
}

/** Whether each online node routes by the control plane's current state of this load balancer. */
function nodes(convergence) {
  const controlPlane = h("p", {}, "Control plane: version ", h("strong", {}, String(convergence.version)),
    ", digest ", h("code", {}, convergence.digest));
  if (convergence.nodes.length === 0) return h("div", {}, controlPlane, warning("No data-plane node is online: nothing serves this load balancer."));
  return h("div", {}, controlPlane, table(
    ["Node", "Status", "Last heartbeat", "Applied version", "Digest", "Converged"],
    convergence.nodes.map((n, index) => [
      `node ${index + 1}`, status(n.status), utc(n.last_seen_at), String(n.applied_version),
      n.digest ? h("code", {}, n.digest) : "none",
      n.converged ? h("span", { className: "status good" }, "converged")
        : h("span", { className: "status warn" }, `not converged: ${n.versions_behind} version(s) behind`),
    ])));
}
