// The dashboard speaks the public API (/api/v1, docs/API.md); with a token configured, the session cookie stands in
// for it and every change repeats the session's CSRF token.

let csrf = null;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    /** [{field, message}] for bad input (400), else []. */
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

export async function session() {
  const state = await (await fetch("/dashboard/session", { credentials: "same-origin" })).json();
  csrf = state.csrf || null;
  return state;
}

export async function signIn(token) {
  const response = await fetch("/dashboard/session", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token }),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  csrf = body.csrf;
  return body;
}

export async function signOut() {
  await fetch("/dashboard/session", { method: "DELETE", credentials: "same-origin" });
  csrf = null;
}

/** Calls /api/v1{path}; answers the parsed JSON (or text), throws ApiError with the problem otherwise. */
export async function api(path, { method = "GET", body, text = false, signal } = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  const response = await fetch("/api/v1" + path, {
    method, headers, credentials: "same-origin", signal,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) window.dispatchEvent(new CustomEvent("signed-out"));
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return null;
  if (text) return { text: await response.text(), headers: response.headers };
  return response.json();
}

export const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? "?" + s : "";
};

/**
 * Follows a server-sent event stream; the browser reconnects by itself with Last-Event-ID, so nothing is missed or
 * seen twice. Answers a function that closes it.
 */
export function follow(path, onEvent) {
  const source = new EventSource("/api/v1" + path, { withCredentials: true });
  const handler = (e) => { if (e.data) onEvent(JSON.parse(e.data), e); };
  source.onmessage = handler;
  for (const type of EVENT_TYPES) source.addEventListener(type, handler);
  return () => source.close();
}

const EVENT_TYPES = [
  "job-defined", "job-enabled", "job-disabled", "job-paused", "job-resumed", "job-rescheduled", "job-canceled", "job-removed",
  "schedule-advanced", "runs-skipped", "deferred-run-dropped", "catch-up-queued", "run-buffered", "run-dispatched",
  "run-redispatched", "run-started", "run-progressed", "run-cancel-requested", "run-finished",
];
