import { api, follow, query } from "./api.js";
import { h, clear, badge, time, toast, duration, progressBar } from "./ui.js";

const FINISHED = ["succeeded", "failed", "timedOut", "canceled", "lost"];
const MAX_SHOWN = 1_000_000;

export async function run(main, runId) {
  const path = "/runs/" + encodeURIComponent(runId);
  const head = h("div.job-head");
  const facts = h("div.card");
  const progress = h("div#run-progress");
  const output = h("pre.output#run-output", { "aria-live": "polite" });
  const outputNote = h("p.muted#output-note");
  const chain = h("div.card", h("h2", "Attempts"));
  clear(main, head, h("div.card", h("h2", "Progress"), progress), h("section.two", facts, chain),
    h("div.card", h("h2", "Output"), outputNote, output));

  // The job's version first, then the run: events written after that version come through the stream below, so
  // none that changes the run can fall between what was read and what is followed.
  const jobId = runId.slice(0, runId.lastIndexOf("~"));
  const jobAtStart = await api("/jobs/" + encodeURIComponent(jobId)).catch(() => null);
  let current = await api(path);
  let offset = 0, streamed = false, polling = null;

  function drawProgress() {
    const r = current;
    clear(progress, progressBar(r.progress, r.status), h("p.muted", FINISHED.includes(r.status) ? `Finished ${time(r.finishedAt)} after ${duration(r.startedAt, r.finishedAt)}.`
      : r.startedAt ? `Running for ${duration(r.startedAt)} on ${r.worker}.` : `Pending since ${time(r.scheduledFor)}.`));
  }

  function draw() {
    const r = current;
    drawProgress();
    clear(head,
      h("h1", "Run ", h("span#run-id", r.runId), " ", h("span#run-status", badge(r.status)), r.cancelRequested ? h("span.badge.warn", "cancel requested") : null),
      h("p", "of job ", h("a", { href: "#/jobs/" + encodeURIComponent(r.jobId) }, r.jobId)),
      h("div.actions", FINISHED.includes(r.status) ? null
        : h("button.danger#cancel-run", { type: "button", on: { click: cancel } }, "Cancel run")));
    clear(facts, h("h2", "Details"), h("dl.facts",
      fact("Status", badge(r.status)), fact("Trigger", r.trigger), fact("Attempt", String(r.attempt)),
      fact("Worker", r.worker || "—"), fact("Fencing token", h("code#fencing-token", String(r.fencingToken))),
      fact("Scheduled for", time(r.scheduledFor)), fact("Started", time(r.startedAt)), fact("Finished", time(r.finishedAt)),
      fact("Exit code", h("span#run-exit-code", r.exitCode === null || r.exitCode === undefined ? "—" : String(r.exitCode))), fact("Error", r.error || "—"),
      fact("Data", r.data ? h("code", JSON.stringify(r.data)) : "—")));
  }

  async function drawChain() {
    // Earlier attempts: follow retryOf back; later ones: the job's runs that retry this one.
    const earlier = [];
    let at = current;
    while (at.retryOf && earlier.length < 20) {
      try { at = await api("/runs/" + encodeURIComponent(at.retryOf)); earlier.unshift(at); } catch { break; }
    }
    const runs = (await api(`/jobs/${encodeURIComponent(current.jobId)}/runs` + query({ limit: 500 })).catch(() => ({ items: [] }))).items;
    const later = [];
    let next = current.runId;
    for (let i = 0; i < 20; i++) {
      const retry = runs.find(r => r.retryOf === next);
      if (!retry) break;
      later.push(retry);
      next = retry.runId;
    }
    const all = [...earlier, current, ...later];
    clear(chain, h("h2", "Attempts"), h("ol.chain#attempts", all.map(r => h("li", { class: r.runId === current.runId ? "current" : "" },
      r.runId === current.runId ? h("strong", `attempt ${r.attempt}`) : h("a", { href: "#/runs/" + encodeURIComponent(r.runId) }, `attempt ${r.attempt}`),
      " ", badge(r.status), ` token ${r.fencingToken}`))));
  }

  /** While the run runs, its output comes from the worker as it is written. */
  let reading = false, again = false;
  async function pollOutput() {
    if (reading) { again = true; return; } // asked while a read is under way (the run just ended): read once more after it
    reading = true;
    try {
      for (let more = true, rounds = 0; more && rounds < 50; rounds++) {
        const answer = await api(`${path}/output` + query({ from: offset }), { text: true });
        const next = Number(answer.headers.get("Output-Next"));
        const running = answer.headers.get("Output-Running") === "true";
        const dropped = Number(answer.headers.get("Output-Dropped") || 0);
        if (dropped > 0) appendOutput(`\n[… ${dropped} bytes the worker could not keep …]\n`);
        if (answer.text) { appendOutput(answer.text); streamed = true; }
        if (!Number.isNaN(next)) offset = next;
        outputNote.textContent = running ? "Live from the worker."
          : streamed ? "The run's output (a run keeps the last 64 KB)." : "This run wrote no output.";
        if (!running) stopPolling();
        more = answer.headers.get("Output-More") === "true";
      }
    } catch (e) {
      if (e.status === 404 || e.status === 400) stopPolling();
    } finally {
      reading = false;
      if (again) { again = false; pollOutput(); }
    }
  }
  const stopPolling = () => { if (polling) { clearInterval(polling); polling = null; } };

  /** Appends to the output shown, keeping its last MAX_SHOWN characters: a long chatty run cannot fill the tab's memory. */
  function appendOutput(text) {
    output.append(document.createTextNode(text));
    let shown = output.textContent.length;
    while (shown > MAX_SHOWN && output.firstChild) {
      shown -= output.firstChild.textContent.length;
      output.firstChild.remove();
    }
    output.scrollTop = output.scrollHeight;
  }

  async function reload() {
    current = await api(path);
    draw();
    // The rest of the output, or (when nothing came live, e.g. an HTTP run) what its outcome recorded.
    if (FINISHED.includes(current.status)) { stopPolling(); await pollOutput(); drawChain(); }
  }

  async function cancel() {
    try { current = await api(path + "/cancel", { method: "POST" }); toast("Cancel requested.", "ok"); draw(); } catch (e) { toast(e.message, "bad"); }
  }

  draw();
  await drawChain();
  // Output always comes through /runs/{id}/output: live from the worker while it runs, then what was recorded.
  if (!FINISHED.includes(current.status)) polling = setInterval(pollOutput, 1000);
  pollOutput();
  // Only events about this run change it; a new attempt that retries it changes the attempt chain.
  const close = follow(`/jobs/${encodeURIComponent(jobId)}/events` + query({ from: (jobAtStart?.version ?? 0) + 1 }), (e) => {
    if (e.data?.runId === current.runId) reload().catch(() => {});
    else if (e.type === "run-dispatched" && e.data?.retryOf === current.runId) drawChain().catch(() => {});
  });
  // A running run's clock ticks without events.
  const ticker = setInterval(() => { if (!FINISHED.includes(current.status)) drawProgress(); }, 1000);
  return () => { close(); stopPolling(); clearInterval(ticker); };
}

const fact = (name, value) => [h("dt", name), h("dd", value)];
