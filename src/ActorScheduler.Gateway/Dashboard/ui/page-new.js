import { api, ApiError } from "./api.js";
import { h, clear, time, toast, debounce } from "./ui.js";

const UNITS = ["milliseconds", "seconds", "minutes", "hours", "days", "weeks", "months", "years"];

/** New job (editing = null) or edit an existing one: a form, a schedule builder with a live preview, and the JSON beneath. */
export async function newJob(main, editing) {
  const original = editing ? (await api("/jobs/" + encodeURIComponent(editing))).definition : null;
  const d = original || {};
  const s = d.schedule || {};
  // A schedule the builder cannot show (after, decaying, several units, several schedules) is kept as defined unless
  // another is chosen; exclude and jitter are kept as they are either way.
  const simpleEvery = s.every && Object.keys(s.every).length === 1 && UNITS.includes(Object.keys(s.every)[0]) && !s.decay && !s.start && !s.timeZone;
  const custom = !!(editing && (d.schedules || (d.schedule && !(s.cron || simpleEvery || s.at))));
  const kind = custom ? "defined" : s.cron ? "cron" : s.every ? "every" : s.at ? "at" : editing ? "none" : "cron";
  const everyEntry = s.every ? Object.entries(s.every)[0] : ["minutes", 5];

  const field = (name, input, label, help) => h("div.field", { "data-for": name },
    h("label", { for: input.id }, label), input, help ? h("small.muted", help) : null, h("p.field-error", { "data-field": name }));

  const id = h("input#job-id", { name: "id", type: "text", required: true, value: d.id || "", readOnly: !!editing, pattern: "[A-Za-z0-9._\\-]{1,128}", placeholder: "nightly-report" });
  const kindSelect = h("div.segmented#schedule-kind", [...(custom ? ["defined"] : []), "cron", "every", "at", "none"].map(k =>
    h("label", h("input", { type: "radio", name: "kind", value: k, checked: k === kind, on: { change: () => { showKind(); preview(); } } }),
      k === "none" ? "on demand" : k === "defined" ? "as defined" : k)));
  const cron = h("input#schedule-cron", { name: "cron", type: "text", value: s.cron || "0 */5 * * * *", placeholder: "sec min hour day month weekday", on: { input: () => preview() } });
  const zones = ["UTC", ...(Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone").filter(z => z !== "UTC") : [])];
  const zone = h("select#schedule-zone", { name: "timeZone", on: { change: () => preview() } }, zones.map(z => h("option", { value: z, selected: z === (s.timeZone || "UTC") }, z)));
  const everyN = h("input#schedule-every", { name: "every", type: "number", min: 1, value: everyEntry[1], on: { input: () => preview() } });
  const everyUnit = h("select#schedule-unit", { name: "unit", on: { change: () => preview() } }, UNITS.map(u => h("option", { value: u, selected: u === everyEntry[0] }, u)));
  const at = h("input#schedule-at", { name: "at", type: "datetime-local", step: 1, value: s.at ? localInput(s.at) : localInput(new Date(Date.now() + 3600_000).toISOString()), on: { input: () => preview() } });
  const cronBox = h("div.schedule-part", { "data-kind": "cron" }, field("schedule.cron", cron, "Cron expression", "5 fields, or 6 with seconds first: “0 30 2 * * *” is 02:30:00 every day."), field("schedule.timeZone", zone, "Time zone"));
  const everyBox = h("div.schedule-part", { "data-kind": "every" }, h("div.field", { "data-for": "schedule.every" }, h("label", { for: "schedule-every" }, "Every"), h("div.inline", everyN, everyUnit), h("p.field-error", { "data-field": "schedule.every" })));
  const atBox = h("div.schedule-part", { "data-kind": "at" }, field("schedule.at", at, "Once, at (your local time)"));
  const previewList = h("ol.occurrences#schedule-preview");
  const scheduleError = h("p.field-error#schedule-error", { "data-field": "schedule" });

  const shell = d.run?.shell;
  // A handler run (an in-process .NET handler) is kept as defined: the form has no fields for it.
  const currentRun = d.run?.handler ? "defined" : d.run?.http ? "http" : "shell";
  const runKind = h("select#run-kind", { name: "runKind", on: { change: () => showRun() } },
    [...(d.run?.handler ? ["defined"] : []), "shell", "http"].map(k => h("option", { value: k, selected: k === currentRun }, k === "defined" ? `handler ${d.run.handler.name} (as defined)` : k)));
  const command = h("textarea#run-command", { name: "command", rows: 3, placeholder: "one argument per line:\nbash\n-c\necho hello", value: shell?.command?.join("\n") || "" });
  const url = h("input#run-url", { name: "url", type: "url", value: d.run?.http?.url || "", placeholder: "https://example.com/hook" });
  const method = h("select#run-method", { name: "method" }, ["GET", "POST", "PUT", "DELETE"].map(m => h("option", { selected: m === (d.run?.http?.method || "GET") }, m)));
  const shellBox = h("div", { "data-run": "shell" }, field("run.shell.command", command, "Command", "The program and its arguments, one per line; the worker must allow the program."));
  const httpBox = h("div", { "data-run": "http" }, field("run.http.url", url, "URL"), field("run.http.method", method, "Method"));

  const worker = h("input#job-worker", { name: "worker", type: "text", value: d.worker || "", placeholder: "any worker" });
  const tags = h("input#job-tags", { name: "tags", type: "text", value: (d.tags || []).join(", "), placeholder: "billing, nightly" });
  const attempts = h("input#job-attempts", { name: "maxAttempts", type: "number", min: 1, value: d.retry?.maxAttempts ?? "" , placeholder: "1" });
  const timeout = h("input#job-timeout", { name: "timeout", type: "text", value: d.timeout || "", placeholder: "PT5M" });
  const overlap = h("select#job-overlap", { name: "overlap" }, ["skip", "bufferOne", "bufferAll", "allow", "cancelOther", "terminateOther", "replace"].map(o => h("option", { selected: o === (d.overlap || "skip") }, o)));
  const enabled = h("input#job-enabled", { type: "checkbox", checked: d.enabled !== false });
  const general = h("div.field-error#form-error");
  const json = h("pre.json#definition-preview");

  const form = h("form.card.job-form#job-form", { novalidate: true, on: { submit: submit, input: () => showJson() } },
    field("id", id, "Job id", "Letters, digits, '.', '_' and '-'."),
    h("fieldset", h("legend", "Schedule"), kindSelect, cronBox, everyBox, atBox, scheduleError,
      h("div.preview", h("h3", "Next occurrences"), previewList)),
    h("fieldset", h("legend", "What it runs"), field("run", runKind, "Runner"), shellBox, httpBox),
    h("fieldset", h("legend", "Where and how"),
      h("div.grid2", field("worker", worker, "Worker or pool"), field("tags", tags, "Tags", "comma separated"),
        field("retry.maxAttempts", attempts, "Attempts", "1 = no retry"), field("timeout", timeout, "Time-out", "ISO 8601, e.g. PT5M"),
        field("overlap", overlap, "When the previous run is still going")),
      h("label.check", enabled, " Enabled")),
    general,
    h("div.actions", h("button.primary#save-job", { type: "submit" }, editing ? "Save changes" : "Create job"),
      editing ? h("a.button", { href: "#/jobs/" + encodeURIComponent(editing) }, "Back") : null),
    h("details", h("summary", "The definition sent (JSON)"), json));
  clear(main, h("h1", editing ? `Edit ${editing}` : "New job"), form);

  const currentKind = () => form.querySelector("input[name=kind]:checked").value;
  function showKind() {
    for (const part of form.querySelectorAll(".schedule-part")) part.hidden = part.dataset.kind !== currentKind();
    showJson();
  }
  function showRun() {
    shellBox.hidden = runKind.value !== "shell";
    httpBox.hidden = runKind.value !== "http";
    showJson();
  }

  function schedule() {
    switch (currentKind()) {
      case "cron": return { cron: cron.value.trim(), timeZone: zone.value };
      case "every": return { every: { [everyUnit.value]: Number(everyN.value) } };
      case "at": return { at: at.value ? new Date(at.value).toISOString() : "" };
      case "defined": return original.schedule;
      default: return null;
    }
  }

  function definition() {
    const def = { ...(original || {}) };
    def.id = id.value.trim();
    def.schedule = schedule();
    // "as defined" keeps schedules; any other choice replaces them with the one schedule chosen.
    if (currentKind() !== "defined") delete def.schedules;
    def.run = runKind.value === "defined" ? original.run
      : runKind.value === "shell"
        ? { shell: { ...(original?.run?.shell || {}), command: command.value.split("\n").map(a => a.trim()).filter(a => a.length) } }
        : { http: { ...(original?.run?.http || {}), url: url.value.trim(), method: method.value } };
    set(def, "worker", worker.value.trim() || null);
    set(def, "tags", tags.value.split(",").map(t => t.trim()).filter(t => t).length ? tags.value.split(",").map(t => t.trim()).filter(t => t) : null);
    set(def, "retry", attempts.value ? { ...(original?.retry || {}), maxAttempts: Number(attempts.value) } : original?.retry && null);
    set(def, "timeout", timeout.value.trim() || null);
    def.overlap = overlap.value;
    def.enabled = enabled.checked;
    return def;
  }

  function showJson() {
    json.textContent = JSON.stringify(definition(), null, 2);
  }

  let previewSeq = 0;
  const preview = debounce(async () => {
    const seq = ++previewSeq;
    scheduleError.textContent = "";
    const sched = schedule();
    const def = definition();
    showJson();
    if (!sched && !def.schedules) { clear(previewList, h("li.muted", "No schedule: it runs when triggered or on demand.")); return; }
    try {
      const answer = await api("/schedules/preview", { method: "POST", body: { schedule: sched, schedules: def.schedules, exclude: def.exclude, jitter: def.jitter, jobId: def.id || undefined, count: 10 } });
      if (seq !== previewSeq) return;
      clear(previewList, answer.occurrences.length ? answer.occurrences.map(o => h("li", time(o))) : h("li.muted", "No occurrence in the future."));
    } catch (e) {
      if (seq !== previewSeq) return;
      clear(previewList);
      scheduleError.textContent = e instanceof ApiError && e.errors.length ? e.errors.map(x => x.message.startsWith(x.field) ? x.message : `${x.field}: ${x.message}`).join(" ") : e.message;
    }
  }, 250);

  async function submit(e) {
    e.preventDefault();
    for (const el of form.querySelectorAll(".field-error")) el.textContent = "";
    form.querySelectorAll(".invalid").forEach(el => el.classList.remove("invalid"));
    const def = definition();
    try {
      const saved = editing
        ? await api("/jobs/" + encodeURIComponent(editing), { method: "PUT", body: { ...def, id: undefined } })
        : await api("/jobs", { method: "POST", body: def });
      toast(editing ? "Saved." : `Job ${saved.id} created.`, "ok");
      location.hash = "#/jobs/" + encodeURIComponent(saved.id);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const errors = err.errors.length ? err.errors : [{ field: "", message: err.message }];
      for (const { field: name, message } of errors) {
        const slot = errorSlot(form, name);
        const target = slot || general;
        const text = slot || !name || message.startsWith(name) ? message : `${name}: ${message}`;
        target.textContent = (target.textContent ? target.textContent + " " : "") + text;
        target.closest(".field")?.classList.add("invalid");
      }
    }
  }

  showKind();
  showRun();
  preview();
}

/** The error slot of the longest field name that starts the server's field path ("schedule.cron" → schedule.cron, "run.shell.command[0]" → run.shell.command). */
function errorSlot(form, name) {
  let best = null;
  for (const slot of form.querySelectorAll("[data-field]")) {
    const f = slot.dataset.field;
    if ((name === f || name.startsWith(f + ".") || name.startsWith(f + "[")) && (!best || f.length > best.dataset.field.length)) best = slot;
  }
  return best;
}

function set(target, key, value) {
  if (value === null || value === undefined || value === false) delete target[key];
  else target[key] = value;
}

function localInput(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
