// The gateway's public API, called with the signed-in user's token: the console sees what that user may see, no more.
// The token lives in sessionStorage only, so it goes away with the tab.

const sessionKey = "elb.console.session";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `The gateway answered ${status}.`);
    this.status = status;
    this.code = problem?.error_code ?? `HTTP ${status}`;
    this.requestId = problem?.request_id;
  }
}

/** No token, or the gateway refused it (expired, revoked): the console asks to sign in again. */
export class SignedOut extends Error {
  constructor() {
    super("The gateway refused the token: it is invalid or has expired.");
  }
}

export function currentSession() {
  const stored = sessionStorage.getItem(sessionKey);
  return stored ? JSON.parse(stored) : null;
}

export function signOut() {
  sessionStorage.removeItem(sessionKey);
}

/** Keystone's password method, scoped to the project; the token comes back in X-Subject-Token. */
export async function signInWithPassword(user, password, project) {
  const response = await fetch("/v3/auth/tokens", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ auth: {
      identity: { methods: ["password"], password: { user: { name: user, password } } },
      scope: { project: { id: project } },
    } }),
  });
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  const token = response.headers.get("X-Subject-Token");
  const body = await response.json();
  save({ token, project, user: body.token.user.name });
}

/** A token made elsewhere (scripts/token.sh, the elb tool): checked by reading the project with it. */
export async function signInWithToken(token, project) {
  save({ token, project, user: null });
  try {
    await get(`/v3/projects/${encodeURIComponent(project)}`);
  } catch (error) {
    signOut();
    throw error;
  }
}

function save(session) {
  sessionStorage.setItem(sessionKey, JSON.stringify(session));
}

/** GET of a path under /v3/{project_id}/, or of an absolute path. */
export async function get(path, query = {}) {
  const session = currentSession();
  if (!session) throw new SignedOut();
  const url = new URL(path.startsWith("/") ? path : `/v3/${encodeURIComponent(session.project)}/${path}`, location.origin);
  for (const [name, value] of Object.entries(query)) {
    for (const one of [value].flat()) url.searchParams.append(name, one);
  }
  const response = await fetch(url, { headers: { "X-Auth-Token": session.token } });
  if (response.status === 401) {
    signOut();
    throw new SignedOut();
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.json();
}

/** Every item of an ELB list, following page_info.next_marker. */
export async function getAll(path, wrapper, query = {}) {
  const items = [];
  let marker;
  do {
    const page = await get(path, marker ? { ...query, marker } : query);
    items.push(...page[wrapper]);
    marker = page.page_info?.next_marker;
  } while (marker);
  return items;
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}
