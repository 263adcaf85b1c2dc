// "On the ELB console, you can view the load balancer that the backend server is associated with by the IP address or
// ID of the backend server": every member with that address or server, with its load balancer and pool.
import { ApiError, get, getAll } from "./api.js";
import { h, link, shortId, slowStart, status, table } from "./dom.js";
import { backendServer } from "./loadbalancer.js";

const ipAddress = /^(\d{1,3}\.){3}\d{1,3}$|:/;

export async function showSearch(view, query) {
  const byAddress = ipAddress.test(query);
  const [members, server] = await Promise.all([
    getAll("elb/members", "members", byAddress ? { address: query } : { instance_id: query }),
    byAddress ? null : serverNamed(query),
  ]);
  const pools = members.length === 0 ? []
    : await getAll("elb/pools", "pools", { id: [...new Set(members.map(m => m.pool_id))] });
  const poolNames = new Map(pools.map(p => [p.id, p.name || p.id]));
  const loadBalancers = new Set(members.map(m => m.loadbalancer_id)).size;
  const poolCount = new Set(members.map(m => m.pool_id)).size;
  view.replaceChildren(
    h("h1", {}, byAddress ? `Backend server ${query}` : `Server ${query}`),
    server ? h("p", { className: "server" }, `${server.name}, ${server.address}, ${server.status}`,
      server.availability_zone ? `, ${server.availability_zone}` : "", server.os ? `, ${server.os}` : "") : "",
    h("p", { id: "search-summary" }, members.length === 0
      ? `No load balancer has a backend server with ${byAddress ? "IP address" : "server ID"} ${query}.`
      : `${members.length} member(s) in ${poolCount} backend server group(s) of ${loadBalancers} load balancer(s).`),
    table(["Load balancer", "Backend server group", "Backend server", "Address", "Weight", "Health", "Slow start", "Availability zone"],
      members.map(m => [
        link(`#/loadbalancers/${m.loadbalancer_id}`, m.loadbalancer_name || m.loadbalancer_id),
        poolNames.get(m.pool_id) ?? shortId(m.pool_id),
        backendServer(m),
        `${m.address}:${m.protocol_port}`,
        String(m.weight),
        status(m.operating_status),
        slowStart(m.slow_start),
        m.availability_zone ?? "",
      ]), ""));
}

/** The inventory's server, or null where the ID names none (its members are still looked up). */
async function serverNamed(id) {
  try {
    return (await get(`inventory/servers/${encodeURIComponent(id)}`)).server;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
