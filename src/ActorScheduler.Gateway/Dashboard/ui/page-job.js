import { api, follow, query } from "./api.js";
import { h, clear, badge, table, when, time, toast, describeSchedule, debounce, duration, progressBar } from "./ui.js";

const RUN_PAGE = 10;
const HISTORY_PAGE = 25;
const HISTORY_CHUNK = 500;
const RUN_STATUSES = ["", "pending", "running", "succeeded", "failed", "timedOut", "canceled", "lost"];

export async function job(main, id) {
  const path = "/jobs/" + encodeURIComponent(id);
  const head = h("div.job-head");
  const summary = h("div.card");
  const nextBox = h("div.card", h("h2", "Next occurrences"));
  const linksBox = h("div.card", h("h2", "Trigger links"));
  const backfillBox = h("div.card#backfill");
  const runsBox = h("div");
  const historyBox = h("div");
  const definition = h("pre.json#definition");
  const runStatus = h("select#run-status", { on: { change: () => { runPage = 0; loadRuns(); } } }, RUN_STATUSES.map(s => h("option", { value: s }, s || "any status")));
  const historyType = h("select#history-type", { on: { change: () => { historyPage = 0; drawHistory(); } } }, h("option", { value: "" }, "every event"));
  clear(main, head,
    h("section.two", summary, h("div", nextBox, backfillBox, linksBox)),
    h("div.card", h("div.card-head", h("h2", "Runs"), runStatus), runsBox),
    h("div.card", h("div.card-head", h("h2", "History"), historyType), historyBox),
    h("div.card", h("div.card-head", h("h2", "Definition"), h("a.button", { href: `#/jobs/${encodeURIComponent(id)}/edit` }, "Edit")), definition));

  let view = null, runs = [], history = [], runPage = 0, historyPage = 0, lastSeq = 0;

  // One reason box for the page's life: the header is redrawn on every event, and what was typed must stay.
  const reason = h("input#pause-reason", { type: "text", placeholder: "reason for pausing" });

  async function loadView() {
    view = await api(path);
    const act = (action, body, label) => h("button", { type: "button", "data-action": action, on: { click: () => command(action, body?.()) } }, label);
    clear(head,
      h("h1", id, " ", badge(view.status), view.enabled ? null : h("span.badge.muted", "disabled")),
      h("div.actions",
        act("trigger", null, "Run now"),
        view.status === "paused" ? act("resume", null, "Resume") : [reason, act("pause", () => ({ reason: reason.value || undefined }), "Pause")],
        view.enabled ? act("disable", null, "Disable") : act("enable", null, "Enable"),
        view.status === "canceled" ? null : h("button.danger", { type: "button", "data-action": "cancel", on: { click: cancelJob } }, "Cancel job")));
    const d = view.definition;
    clear(summary, h("h2", "Summary"), h("dl.facts",
      fact("Status", [badge(view.status), view.pausedReason ? h("span#paused-reason", ` — ${view.pausedReason}`) : null]),
      fact("Schedule", describeSchedule(d.schedule, d)),
      fact("Next due", view.nextDueAt ? [when(view.nextDueAt), ` (${time(view.nextDueAt)})`] : "—"),
      view.pendingEdit ? fact("Pending edit", h("span#pending-edit", `takes effect ${time(view.pendingEdit.effectiveAt)}`,
        view.pendingEdit.by ? `, asked by ${view.pendingEdit.by}` : "")) : null,
      fact("Runs", `${view.runCount} (${view.failureCount} failed)`),
      fact("Last run", view.lastRun ? h("a", { href: "#/runs/" + encodeURIComponent(view.lastRun.runId) }, badge(view.lastRun.status), " ", view.lastRun.runId) : "—"),
      fact("Runs on", d.worker ? `${d.worker}${d.strictWorker ? " (strict)" : " (preferred)"}` : "any worker"),
      fact("Overlap", d.overlap || "skip"), fact("Misfire", d.misfire?.policy || "fireOnce"),
      fact("Retry", d.retry ? `${d.retry.maxAttempts} attempts` : "none"),
      fact("Tags", (d.tags || []).join(", ") || "—"), fact("Version", String(view.version))));
    definition.textContent = JSON.stringify(d, null, 2);
  }

  async function loadNext() {
    const { schedule, schedules, exclude, jitter } = view.definition;
    const list = h("ol.occurrences#next-occurrences");
    if ((schedules || (schedule && (schedule.cron || schedule.every))) && view.status !== "canceled" && view.status !== "done") {
      try {
        // The job's whole schedule (several schedules, exclusions, jitter) as the job runs it.
        const preview = await api("/schedules/preview", { method: "POST", body: { schedule, schedules, exclude, jitter, jobId: view.id, count: 10 } });
        preview.occurrences.forEach(o => list.append(h("li", time(o), " ", h("span.muted", `(${new Date(o).toISOString()})`))));
      } catch (e) { list.append(h("li.field-error", e.message)); }
    } else if (view.nextDueAt) list.append(h("li", time(view.nextDueAt)));
    // What the schedule lost: occurrences older than the catch-up window, and those the overlap policy skipped.
    const described = await api(path + "/describe").catch(() => null);
    const counts = described ? h("p.muted#skipped-counts",
      `${described.missedByCatchUpWindow} missed by the catch-up window, ${described.skippedByOverlap} skipped by overlap`) : null;
    clear(nextBox, h("h2", "Next occurrences"), list.children.length ? list : h("p.muted", "None planned: it runs on demand or when triggered."), counts);
    drawBackfill();
  }

  // Runs the schedule's occurrences in a past range (POST /jobs/{id}/backfill); only for a job with a schedule. The
  // form is built once: the page is redrawn on every event, and what was typed must stay.
  const backfillFrom = h("input#backfill-from", { type: "datetime-local", step: "1" });
  const backfillTo = h("input#backfill-to", { type: "datetime-local", step: "1" });
  const backfillOverlap = h("select#backfill-overlap", ["bufferOne", "bufferAll", "skip", "allow"].map(o => h("option", { value: o }, o)));
  const utc = (input) => input.value ? new Date(input.value + "Z").toISOString() : undefined;
  async function backfill() {
    try {
      const queued = await api(path + "/backfill", { method: "POST", body: { from: utc(backfillFrom), to: utc(backfillTo), overlap: backfillOverlap.value } });
      toast(`Backfill: ${queued.count} runs queued (${time(queued.first)} … ${time(queued.last)}).`, "ok");
    } catch (e) { toast(e.message, "bad"); }
  }
  clear(backfillBox, h("h2", "Backfill"),
    h("p.muted", "Run the schedule's occurrences in a past range [from, to), times in UTC."),
    h("div.actions", h("label", "from ", backfillFrom), h("label", "to ", backfillTo), backfillOverlap,
      h("button#backfill-go", { type: "button", on: { click: backfill } }, "Backfill")));

  function drawBackfill() {
    const d = view.definition;
    backfillBox.hidden = !(d.schedule || d.schedules) || view.status === "canceled";
  }

  async function loadLinks() {
    const links = await api(path + "/links");
    const jobLink = (j) => h("a", { href: "#/jobs/" + encodeURIComponent(j) }, j);
    clear(linksBox, h("h2", "Trigger links"),
      h("h3", "Triggered by"), links.triggeredBy.length
        ? h("ul#triggered-by", links.triggeredBy.map(t => h("li", t.job ? [jobLink(t.job), ` when it has ${t.on}`] : `event “${t.event}”`)))
        : h("p.muted", "Nothing: only its schedule and manual runs start it."),
      h("h3", "Triggers"), links.triggers.length
        ? h("ul#triggers", links.triggers.map(t => h("li", jobLink(t.job), ` when this one has ${t.on}`)))
        : h("p.muted", "No job waits for this one."));
  }

  async function loadRuns() {
    runs = (await api(path + "/runs" + query({ status: runStatus.value, limit: 500 }))).items;
    const pages = Math.max(1, Math.ceil(runs.length / RUN_PAGE));
    runPage = Math.min(runPage, pages - 1);
    const shown = runs.slice(runPage * RUN_PAGE, (runPage + 1) * RUN_PAGE);
    clear(runsBox, table([
      { title: "Run", cell: r => h("a.run-link", { href: "#/runs/" + encodeURIComponent(r.runId) }, r.runId.slice(r.runId.lastIndexOf(":") + 1) || r.runId) },
      { title: "Status", cell: r => badge(r.status) },
      { title: "Trigger", cell: r => r.trigger },
      { title: "Attempt", cell: r => String(r.attempt), class: "num" },
      { title: "Scheduled", cell: r => when(r.scheduledFor) },
      { title: "Took", cell: r => duration(r.startedAt, r.finishedAt) },
      { title: "Worker", cell: r => r.worker || "—" },
      { title: "Progress", cell: r => r.status === "running" || r.progress ? progressBar(r.progress, r.status) : "" },
    ], shown, runStatus.value ? "No run has this status." : "No runs yet."),
    pager(runPage, pages, (p) => { runPage = p; loadRuns(); }, `${runs.length} runs kept`));
  }

  // The newest events first; older ones a chunk at a time (GET /jobs/{id}/history pages by sequence number).
  let oldest = null;
  async function loadHistory() {
    const last = view.version;
    const from = Math.max(1, last - HISTORY_CHUNK + 1);
    history = (await api(path + "/history" + query({ from, limit: HISTORY_CHUNK }))).items;
    oldest = history.length ? history[0].seq : 1;
    lastSeq = Math.max(last, history.length ? history[history.length - 1].seq : 0);
    drawTypes();
    drawHistory();
  }

  async function loadOlder() {
    const from = Math.max(1, oldest - HISTORY_CHUNK);
    const older = (await api(path + "/history" + query({ from, limit: oldest - from }))).items;
    history = [...older, ...history];
    oldest = history.length ? history[0].seq : 1;
    drawTypes();
    drawHistory();
  }

  function drawTypes() {
    const types = [...new Set(history.map(e => e.type))].sort();
    const current = historyType.value;
    clear(historyType, h("option", { value: "" }, "every event"), types.map(t => h("option", { value: t, selected: t === current }, t)));
  }

  function drawHistory() {
    const wanted = historyType.value;
    const entries = history.filter(e => !wanted || e.type === wanted).slice().reverse();
    const pages = Math.max(1, Math.ceil(entries.length / HISTORY_PAGE));
    historyPage = Math.min(historyPage, pages - 1);
    clear(historyBox, table([
      { title: "#", cell: e => String(e.seq), class: "num" },
      { title: "When", cell: e => h("span", { title: e.at }, time(e.at)) },
      { title: "Event", cell: e => h("code", e.type) },
      { title: "By", cell: e => e.data?.by ? h("span.by", e.data.by) : "" },
      { title: "Details", cell: e => describeEvent(e) },
    ], entries.slice(historyPage * HISTORY_PAGE, (historyPage + 1) * HISTORY_PAGE)),
    pager(historyPage, pages, (p) => { historyPage = p; drawHistory(); }, `${entries.length} events${oldest > 1 ? ` (the newest ${history.length} of ${view.version})` : ""}`),
    oldest > 1 ? h("button#older-history", { type: "button", on: { click: () => loadOlder().catch(e => toast(e.message, "bad")) } }, `Load ${Math.min(HISTORY_CHUNK, oldest - 1)} older events`) : null);
  }

  async function command(action, body) {
    try {
      const answer = await api(`${path}/${action}`, { method: "POST", body });
      if (action === "trigger" && answer.runId) {
        // A run buffered behind the one in flight (overlap bufferOne) has no view until it is dispatched: stay here.
        const exists = await api("/runs/" + encodeURIComponent(answer.runId)).then(() => true, () => false);
        toast(exists ? `Run ${answer.runId} started.` : `Run ${answer.runId} is queued behind the run in flight.`, "ok");
        if (exists) { location.hash = "#/runs/" + encodeURIComponent(answer.runId); return; }
      } else toast(`${action}: done.`, "ok");
      await refresh();
    } catch (e) { toast(e.message, "bad"); }
  }

  async function cancelJob() {
    if (!confirm(`Cancel job ${id}? It stops for good; its history stays readable.`)) return;
    try { await api(path, { method: "DELETE" }); toast("Canceled.", "ok"); await refresh(); } catch (e) { toast(e.message, "bad"); }
  }

  const refresh = async () => { await loadView(); await Promise.all([loadNext(), loadRuns(), loadHistory(), loadLinks()]); };
  await refresh();
  // Each new event joins the history at once; the rest of the page is read again shortly after.
  const later = debounce(() => loadView().then(() => Promise.all([loadNext(), loadRuns(), loadLinks()])).catch(() => {}), 400);
  const close = follow(`${path}/events` + query({ from: lastSeq + 1 }), (e) => {
    if (e.seq > lastSeq) {
      history.push({ seq: e.seq, type: e.type, at: e.at, data: e.data });
      lastSeq = e.seq;
      drawTypes();
      drawHistory();
    }
    later();
  });
  if (lastSeq > view.version) later(); // events written between reading the job and its history: read the job again
  return close;
}

const fact = (name, value) => [h("dt", name), h("dd", value)];

function pager(page, pages, go, label) {
  if (pages <= 1) return h("p.muted", label);
  return h("div.pager", h("button", { type: "button", disabled: page === 0, on: { click: () => go(page - 1) } }, "← Newer"),
    h("span.muted", `${label}, page ${page + 1} of ${pages}`),
    h("button", { type: "button", disabled: page >= pages - 1, on: { click: () => go(page + 1) } }, "Older →"));
}

/** One line for a history entry; a skipped occurrence always shows its reason. */
export function describeEvent(e) {
  const d = e.data || {};
  switch (e.type) {
    case "runs-skipped": return h("span.skip", `${d.count}${d.atLeast ? "+" : ""} occurrence(s) skipped (${time(d.first)}${d.count > 1 ? " … " + time(d.last) : ""}): ${d.reason}`);
    case "run-finished": return [badge(d.outcome), ` ${d.runId}`, d.exitCode !== undefined && d.exitCode !== null ? ` exit ${d.exitCode}` : "", d.error ? ` — ${d.error}` : "", d.retryAt ? ` — retry at ${time(d.retryAt)}` : ""];
    case "run-dispatched": case "run-redispatched": return `${d.runId ?? d.run?.runId ?? ""} ${d.trigger ?? ""} ${d.worker ? "→ " + d.worker : ""}`;
    case "job-paused": return `paused${d.reason ? ": " + d.reason : ""}`;
    case "deferred-run-dropped": case "catch-up-queued": case "run-buffered": return JSON.stringify(d);
    case "job-defined": return d.created ? "created"
      : `definition replaced${d.effectiveAt ? " (dated edit of " + time(d.effectiveAt) + ")" : ""}${d.changed ? ": " + d.changed.join(", ") : ""}`;
    case "edit-scheduled": return `edit to take effect ${time(d.effectiveAt)}${d.changed ? ": " + d.changed.join(", ") : ""}`;
    case "edit-dropped": return `pending edit of ${time(d.effectiveAt)} dropped: ${d.reason}`;
    case "fan-in-arrived": return `fan-in triggers[${d.trigger}] part ${d.part} arrived${d.completes ? ": all parts in, run started" : ""}`;
    case "job-removed": return `removed by retention (${d.reason}); a job created again under this id goes on from run ${d.runSequence + 1}`;
    default: {
      const text = JSON.stringify(d);
      return text.length > 160 ? text.slice(0, 160) + "…" : text;
    }
  }
}
