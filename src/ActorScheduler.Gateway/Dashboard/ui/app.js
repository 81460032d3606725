// The dashboard's shell: sign-in when the API has a token, then hash routes to the pages. Each page renders into
// <main> and answers a function that stops what it started (event streams, timers) when the page is left.
import { session, signIn, signOut, ApiError } from "./api.js";
import { h, clear, toast } from "./ui.js";
import { overview } from "./page-overview.js";
import { jobs } from "./page-jobs.js";
import { job } from "./page-job.js";
import { run } from "./page-run.js";
import { workers, cluster } from "./page-cluster.js";
import { newJob } from "./page-new.js";
import { queues, queue } from "./page-queues.js";

const routes = [
  [/^#?\/?$/, "overview", () => overview],
  [/^#\/jobs\/?$/, "jobs", () => jobs],
  [/^#\/jobs\/([^/]+)\/edit$/, "jobs", (m) => (main) => newJob(main, decodeURIComponent(m[1]))],
  [/^#\/jobs\/([^/]+)$/, "jobs", (m) => (main) => job(main, decodeURIComponent(m[1]))],
  [/^#\/runs\/(.+)$/, "jobs", (m) => (main) => run(main, decodeURIComponent(m[1]))],
  [/^#\/workers$/, "workers", () => workers],
  [/^#\/cluster$/, "cluster", () => cluster],
  [/^#\/queues\/?$/, "queues", () => queues],
  [/^#\/queues\/([^/]+)$/, "queues", (m) => (main, params) => queue(main, decodeURIComponent(m[1]), params)],
  [/^#\/new$/, "new", () => (main) => newJob(main, null)],
];

let leave = null;
let state = null;
let rendering = 0; // the number of the latest render: a page that finishes loading after another was asked for is stopped at once

function stop(cleanup) {
  try { if (cleanup) cleanup(); } catch { /* a page that cannot stop cleanly must not block the next one */ }
}

async function render() {
  const mine = ++rendering;
  stop(leave);
  leave = null;
  const main = document.getElementById("main");
  if (state?.tokenRequired && !state.signedIn) return showSignIn(main);
  const [hash, search] = (location.hash || "#/").split("?");
  for (const [pattern, nav, page] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.dataset.nav === nav);
    // Each page draws into a box of its own: one still loading after the next was asked for draws into a detached box.
    const view = h("div.view");
    clear(main, view);
    try {
      const cleanup = await page(match)(view, new URLSearchParams(search || "")) || null;
      if (mine === rendering) leave = cleanup;
      else stop(cleanup);
    } catch (e) {
      if (mine === rendering)
        clear(view, h("div.card.error", h("h2", "This page could not be shown"), h("p", e instanceof ApiError ? e.message : String(e))));
    }
    return;
  }
  clear(main, h("div.card", h("h2", "Not found"), h("p", "Nothing here. "), h("a", { href: "#/" }, "Back to the overview")));
}

function showSignIn(main) {
  const input = h("input#token", { type: "password", name: "token", autocomplete: "current-password", required: true, placeholder: "API token" });
  const error = h("p.field-error#sign-in-error");
  const form = h("form.card.sign-in", {
    on: {
      submit: async (e) => {
        e.preventDefault();
        error.textContent = "";
        try {
          state = await signIn(input.value);
          document.getElementById("sign-out").hidden = false;
          render();
        } catch (err) {
          error.textContent = err.message;
        }
      },
    },
  }, h("h1", "Sign in"),
  h("p.muted", "This scheduler's API is protected by a token (actor-scheduler.gateway.token). Enter it once; the browser then keeps a session."),
  h("label", { for: "token" }, "Token"), input, error, h("button.primary", { type: "submit" }, "Sign in"));
  clear(main, form);
  input.focus();
}

async function start() {
  try {
    state = await session();
  } catch {
    state = { tokenRequired: false, signedIn: true };
  }
  const out = document.getElementById("sign-out");
  out.hidden = !(state.tokenRequired && state.signedIn);
  out.addEventListener("click", async () => {
    await signOut();
    state = { tokenRequired: true, signedIn: false };
    out.hidden = true;
    render();
  });
  window.addEventListener("signed-out", () => {
    if (state.tokenRequired && state.signedIn) {
      state = { tokenRequired: true, signedIn: false };
      toast("The session ended; sign in again.", "warn");
      render();
    }
  });
  window.addEventListener("hashchange", render);
  render();
}

start();
