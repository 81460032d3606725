import { api, query } from "./api.js";
import { h, clear, badge, table, when, toast, describeSchedule, debounce } from "./ui.js";

const PAGE = 50;
const STATUSES = ["", "scheduled", "running", "waiting", "paused", "error", "done", "canceled"];

export async function jobs(main, params) {
  const filter = { status: params.get("status") || "", tag: params.get("tag") || "", worker: params.get("worker") || "", q: params.get("q") || "" };
  let cursors = [null]; // cursor of each page shown so far: Previous goes back one
  let page = null;
  const selected = new Set();

  const status = h("select#filter-status", { name: "status", on: { change: () => apply({ status: status.value }) } },
    STATUSES.map(s => h("option", { value: s, selected: s === filter.status }, s || "any status")));
  const search = h("input#filter-q", { type: "search", placeholder: "Search by id", value: filter.q, on: { input: debounce(() => apply({ q: search.value.trim() }), 300) } });
  const tag = h("input#filter-tag", { type: "text", placeholder: "tag", value: filter.tag, on: { change: () => apply({ tag: tag.value.trim() }) } });
  const worker = h("input#filter-worker", { type: "text", placeholder: "worker", value: filter.worker, on: { change: () => apply({ worker: worker.value.trim() }) } });
  const reason = h("input#bulk-reason", { type: "text", placeholder: "reason (for pause)" });
  const bulk = h("div.bulk#bulk",
    h("span.muted#selected-count", "0 selected"),
    ["enable", "disable", "pause", "resume", "trigger"].map(action =>
      h("button", { type: "button", "data-action": action, on: { click: () => doBulk(action) } }, action === "trigger" ? "Run now" : capital(action))),
    reason);
  const list = h("div#job-list");
  const pager = h("div.pager");
  clear(main, h("h1", "Jobs"), h("div.filters", search, status, tag, worker), bulk, list, pager);

  let left = false, loading = 0;
  function apply(change) {
    if (left) return; // a search typed just before leaving the page must not rewrite the next page's address
    Object.assign(filter, change);
    cursors = [null];
    const q = query(filter);
    history.replaceState(null, "", "#/jobs" + q);
    load();
  }

  async function load() {
    const after = cursors[cursors.length - 1];
    const mine = ++loading;
    const answer = await api("/jobs" + query({ ...filter, limit: PAGE, after }));
    if (mine !== loading || left) return; // an older answer arriving after a newer filter is dropped
    page = answer;
    selected.clear();
    draw();
  }

  function draw() {
    const all = h("input", { type: "checkbox", title: "Select all on this page", on: { change: (e) => { page.items.forEach(j => e.target.checked ? selected.add(j.id) : selected.delete(j.id)); draw(); } } });
    clear(list, table([
      { title: all, cell: j => h("input", { type: "checkbox", "data-job": j.id, checked: selected.has(j.id), on: { change: (e) => { e.target.checked ? selected.add(j.id) : selected.delete(j.id); count(); } } }) },
      { title: "Job", cell: j => h("a.job-link", { href: "#/jobs/" + encodeURIComponent(j.id) }, j.id) },
      { title: "Status", cell: j => [badge(j.status), j.enabled ? null : h("span.badge.muted", "disabled")] },
      { title: "Schedule", cell: j => describeSchedule(j.definition.schedule, j.definition) },
      { title: "Next due", cell: j => when(j.nextDueAt) },
      { title: "Last run", cell: j => j.lastRun ? h("a", { href: "#/runs/" + encodeURIComponent(j.lastRun.runId) }, badge(j.lastRun.status), " ", when(j.lastRun.finishedAt || j.lastRun.startedAt || j.lastRun.scheduledFor)) : "—" },
      { title: "Runs", cell: j => `${j.runCount}` + (j.failureCount ? ` (${j.failureCount} failed)` : ""), class: "num" },
      { title: "Tags", cell: j => (j.definition.tags || []).join(", ") },
    ], page.items, filter.q || filter.status || filter.tag || filter.worker ? "No job matches these filters." : "No jobs yet: create one with New job."));
    clear(pager,
      h("button", { type: "button", disabled: cursors.length === 1, on: { click: () => { cursors.pop(); load(); } } }, "← Previous"),
      h("span.muted", `page ${cursors.length}`),
      h("button#next-page", { type: "button", disabled: !page.next, on: { click: () => { cursors.push(page.next); load(); } } }, "Next →"));
    count();
  }

  function count() {
    document.getElementById("selected-count").textContent = `${selected.size} selected`;
  }

  async function doBulk(action) {
    if (!selected.size) return toast("Select jobs first.", "warn");
    const ids = [...selected];
    const body = action === "pause" ? { reason: reason.value || undefined } : undefined;
    const results = await Promise.allSettled(ids.map(id => api(`/jobs/${encodeURIComponent(id)}/${action}`, { method: "POST", body })));
    const failed = results.map((r, i) => [r, ids[i]]).filter(([r]) => r.status === "rejected");
    toast(failed.length ? `${action}: ${ids.length - failed.length} done, ${failed.length} refused — ${failed[0][1]}: ${failed[0][0].reason.message}`
      : `${action}: done for ${ids.length} job${ids.length === 1 ? "" : "s"}.`, failed.length ? "bad" : "ok");
    await load();
  }

  await load();
  return () => { left = true; };
}

const capital = (s) => s[0].toUpperCase() + s.slice(1);
