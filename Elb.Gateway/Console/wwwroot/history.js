// A load balancer's audit history as a timeline (who, what, when), and the load balancer as it was at a chosen time,
// replayed from its events by the API (?as_of=).
import { ApiError, get } from "./api.js";
import { listenersTable, loadBalancerFacts, loadBalancerHeading, poolSections } from "./loadbalancer.js";
import { h, link, problem, utc } from "./dom.js";

export async function showHistory(view, id, asOf) {
  const path = `elb/loadbalancers/${encodeURIComponent(id)}`;
  const [events, current, then] = await Promise.all([allEvents(`${path}/history`), orNull(get(path)), asOf ? asItWas(path, asOf) : null]);
  const name = current?.loadbalancer.name ?? events.find(e => e.data?.name)?.data.name ?? id;
  view.replaceChildren(
    h("div", { className: "heading" }, h("h1", { id: "history-title" }, "History of ", h("span", { className: "lb-name" }, name)),
      current ? link(`#/loadbalancers/${id}`, "Now") : h("span", { className: "status bad" }, "deleted")),
    asOfPicker(id, asOf),
    then ?? "",
    h("h2", {}, `Timeline (${events.length} changes, newest first)`),
    h("ol", { className: "timeline" }, events.slice().reverse().map(e => entry(id, e))));
}

/** Every event of the load balancer, in pages of the largest size the API answers. */
async function allEvents(path) {
  const events = [];
  let from = 1;
  while (from) {
    const page = await get(path, { from_version: from, limit: 1000 });
    events.push(...page.events);
    from = page.page_info.next_from_version;
  }
  return events;
}

async function orNull(request) {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

function asOfPicker(id, asOf) {
  const input = h("input", { type: "datetime-local", step: 1, name: "as_of", required: true, value: asOf ? asOf.slice(0, 19) : "" });
  const form = h("form", { id: "as-of-form", className: "as-of" }, h("label", {}, "Show it as it was at (UTC) ", input), h("button", {}, "Show"));
  form.addEventListener("submit", event => {
    event.preventDefault();
    // The picker reads to the second, as the timeline shows times: its whole second counts, so a change shown at
    // 11:30:05 is included when 11:30:05 is picked.
    const value = input.value.length === 16 ? `${input.value}:59` : input.value;
    location.hash = historyHash(id, `${value}.999Z`);
  });
  return form;
}

async function asItWas(path, asOf) {
  try {
    const { loadbalancer: then } = await get(path, { as_of: asOf });
    return h("section", { id: "as-of", className: "as-of-state" },
      h("h2", {}, `As it was at ${utc(then.as_of)} (version ${then.version})`),
      loadBalancerHeading(then.loadbalancer),
      loadBalancerFacts(then.loadbalancer),
      h("h3", {}, "Listeners"),
      listenersTable(then.listeners, then.pools.map(p => p.pool), false),
      h("h3", {}, "Backend server groups"),
      poolSections(then.pools.map(p => p.pool), then.pools.flatMap(p => p.members)));
  } catch (error) {
    if (error instanceof ApiError) return h("section", { id: "as-of" }, problem(error));
    throw error;
  }
}

function entry(id, event) {
  const who = event.user ?? event.principal?.user_name ?? "unknown";
  return h("li", { className: "event", "data-version": event.version },
    h("time", { dateTime: event.occurred_at }, utc(event.occurred_at)),
    h("span", { className: "what" }, event.type),
    h("span", { className: "who" }, "by ", h("strong", {}, who), event.principal?.auth_method ? ` (${event.principal.auth_method})` : ""),
    h("span", { className: "version" }, `version ${event.version}`),
    link(historyHash(id, event.occurred_at), "as it was after this"),
    h("details", {}, h("summary", {}, "data"), h("pre", {}, JSON.stringify(event.data, null, 2))));
}

function historyHash(id, asOf) {
  return `#/loadbalancers/${id}/history?${new URLSearchParams({ as_of: asOf })}`;
}
