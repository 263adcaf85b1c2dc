// Builds the pages from DOM nodes: every value from the API becomes a text node, never markup, so a name such as
// <img src=x onerror=...> shows as those characters.

/** An element with properties (className, href, ...) and children: nodes, or strings as text. */
export function h(tag, properties = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(properties)) {
    if (name.startsWith("data-") || name.startsWith("aria-") || name === "role") element.setAttribute(name, value);
    else element[name] = value;
  }
  element.append(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false).map(
    c => (c instanceof Node ? c : document.createTextNode(String(c)))));
  return element;
}

/** A table with a header row; each row is a list of cells (nodes or text). */
export function table(headers, rows, emptyText = "None.") {
  if (rows.length === 0) return h("p", { className: "empty" }, emptyText);
  return h("table", {},
    h("thead", {}, h("tr", {}, headers.map(header => h("th", {}, header)))),
    h("tbody", {}, rows.map(row => h("tr", {}, row.map(cell => h("td", {}, cell))))));
}

/** A status as a coloured label: ONLINE and the like are good, OFFLINE bad, the rest in between. */
export function status(value) {
  const tone = { ONLINE: "good", ACTIVE: "good", NO_MONITOR: "neutral", DEGRADED: "warn", OFFLINE: "bad" }[value] ?? "neutral";
  return h("span", { className: `status ${tone}` }, value ?? "unknown");
}

/** A time as UTC to the second, the way the history and the as-of picker read it. */
export function utc(iso) {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : "";
}

export function link(href, text) {
  return h("a", { href }, text);
}

/** A short id, whole in its tooltip: the end, as ids made together share their beginning (UUIDv7 starts with the time). */
export function shortId(id) {
  return h("code", { title: id }, id.slice(-8));
}

export function slowStart(state) {
  const text = {
    none: "none",
    pending: "pending (waits for its first healthy check)",
    active: `active until ${utc(state.ends_at)}`,
    ended: "ended",
  }[state.state] ?? state.state;
  return h("span", { className: `slow-start ${state.state}` }, text);
}

export function problem(error) {
  return h("div", { className: "problem", role: "alert" },
    h("strong", {}, error.code ?? "Error"), " ", error.message,
    error.requestId ? h("small", {}, ` (request ${error.requestId})`) : null);
}

export function warning(text) {
  return h("div", { className: "warning", role: "alert" }, text);
}
