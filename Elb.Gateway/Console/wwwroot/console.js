// The console's frame: sign-in, the search bar, and which page the address (#/...) names.
import { ApiError, SignedOut, currentSession, getAll, signInWithPassword, signInWithToken, signOut } from "./api.js";
import { h, link, problem, status, table } from "./dom.js";
import { showHistory } from "./history.js";
import { showLoadBalancer } from "./loadbalancer.js";
import { showSearch } from "./search.js";

const main = document.getElementById("main");
const signInSection = document.getElementById("sign-in");
const bar = document.getElementById("bar");

/** #/, #/search/{ip or server id}, #/loadbalancers/{id}, #/loadbalancers/{id}/history?as_of=... */
const routes = [
  [/^#\/search\/(.+)$/, (view, query) => showSearch(view, decodeURIComponent(query))],
  [/^#\/loadbalancers\/([^/?]+)$/, showLoadBalancer],
  [/^#\/loadbalancers\/([^/?]+)\/history(?:\?(.*))?$/, (view, id, query) => showHistory(view, id, new URLSearchParams(query ?? "").get("as_of"))],
];

/** Counts renders, so that a slow page answering after the user moved on does not replace the newer one. */
let latestRender = 0;

async function show() {
  const session = currentSession();
  signInSection.hidden = session !== null;
  bar.hidden = session === null;
  if (!session) {
    main.replaceChildren();
    return;
  }
  document.getElementById("who").textContent = `${session.user ?? "token"} · ${session.project}`;
  const render = ++latestRender;
  const view = h("div");
  main.replaceChildren(h("p", { className: "loading" }, "Loading…"));
  main.setAttribute("aria-busy", "true");
  try {
    await pageFor(location.hash)(view);
  } catch (error) {
    if (error instanceof SignedOut) {
      showSignIn("Your session has ended: sign in again.");
      return;
    }
    view.replaceChildren(problem(error instanceof ApiError ? error : { code: "Error", message: String(error) }));
  }
  if (render !== latestRender) return;
  main.replaceChildren(view);
  main.removeAttribute("aria-busy");
}

function pageFor(hash) {
  for (const [pattern, page] of routes) {
    const match = hash.match(pattern);
    if (match) return view => page(view, ...match.slice(1));
  }
  return showLoadBalancers;
}

async function showLoadBalancers(view) {
  const loadBalancers = await getAll("elb/loadbalancers", "loadbalancers");
  view.replaceChildren(
    h("h1", {}, "Load balancers"),
    h("p", {}, "Search by a backend server's IP address or server ID above to see the load balancers it serves in."),
    table(["Name", "VIP", "Status", "Availability zones", "Listeners", "Pools"], loadBalancers.map(lb => [
      link(`#/loadbalancers/${lb.id}`, lb.name || lb.id), lb.vip_address ?? "", status(lb.operating_status),
      lb.availability_zone_list.join(", "), String(lb.listeners.length), String(lb.pools.length),
    ]), "No load balancers yet."));
}

function showSignIn(message) {
  signOut();
  document.getElementById("sign-in-error").textContent = message ?? "";
  show();
}

async function signInWith(form, signIn) {
  const error = document.getElementById("sign-in-error");
  error.textContent = "";
  try {
    await signIn(new FormData(form));
    form.reset();
    show();
  } catch (failure) {
    error.textContent = failure instanceof ApiError ? `${failure.code}: ${failure.message}` : failure.message;
  }
}

document.getElementById("password-form").addEventListener("submit", event => {
  event.preventDefault();
  signInWith(event.target, data => signInWithPassword(data.get("user"), data.get("password"), data.get("project")));
});
document.getElementById("token-form").addEventListener("submit", event => {
  event.preventDefault();
  signInWith(event.target, data => signInWithToken(data.get("token").trim(), data.get("project")));
});
document.getElementById("search-form").addEventListener("submit", event => {
  event.preventDefault();
  location.hash = `#/search/${encodeURIComponent(document.getElementById("search-input").value.trim())}`;
});
document.getElementById("sign-out").addEventListener("click", () => showSignIn());
window.addEventListener("hashchange", show);
show();
