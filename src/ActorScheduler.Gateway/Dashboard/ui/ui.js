// Small DOM helpers: every text goes in through textContent, never as HTML.

/** h("div.card#id", {attrs, on: {click}}, ...children) */
export function h(spec, attrs, ...children) {
  const [tagAndClasses, id] = spec.split("#");
  const [tag, ...classes] = tagAndClasses.split(".");
  const el = document.createElement(tag || "div");
  if (classes.length) el.className = classes.join(" ");
  if (id) el.id = id;
  // Anything but a plain object in the attributes' place is the first child (0 and "" included).
  if (attrs !== null && attrs !== undefined && (typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "on") for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (key === "class") el.className += (el.className ? " " : "") + value;
    else if (key === "text") el.textContent = value;
    else if (key in el && key !== "list" && key !== "form") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, value);
  append(el, children);
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const statusClass = {
  succeeded: "ok", done: "ok", scheduled: "info", waiting: "muted", running: "run", pending: "run",
  paused: "warn", failed: "bad", timedOut: "bad", lost: "bad", error: "bad", canceled: "muted",
};

export const badge = (status) => h("span.badge", { class: statusClass[status] || "muted", "data-status": status }, status);

export function time(value) {
  if (!value) return "—";
  const d = new Date(value);
  return d.toLocaleString(undefined, { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function relative(value, now = Date.now()) {
  if (!value) return "—";
  const seconds = Math.round((new Date(value).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 2) return "just now";
  const text = abs < 60 ? `${abs}s` : abs < 3600 ? `${Math.round(abs / 60)}m` : abs < 86400 ? `${Math.round(abs / 3600)}h` : `${Math.round(abs / 86400)}d`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

export const when = (value) => h("time", { dateTime: value || "", title: value ? time(value) : "" }, value ? relative(value) : "—");

export function duration(start, end) {
  if (!start) return "—";
  const ms = (end ? new Date(end) : new Date()) - new Date(start);
  return ms < 1000 ? `${ms} ms` : ms < 60000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60000)}m ${Math.round((ms % 60000) / 1000)}s`;
}

export function table(columns, rows, empty = "Nothing here yet.") {
  if (!rows.length) return h("p.muted.empty", empty);
  return h("table.grid",
    h("thead", h("tr", columns.map(c => h("th", c.title)))),
    h("tbody", rows.map(row => h("tr", columns.map(c => h("td", { class: c.class }, c.cell(row)))))));
}

export function progressBar(progress, status) {
  if (!progress) return h("div.progress", { "data-progress": "none" }, h("div.bar", { class: status === "running" ? "indeterminate" : "" }));
  const pct = progress.max ? Math.min(100, Math.round((progress.current / progress.max) * 100)) : null;
  const bar = h("div.bar");
  if (pct !== null) bar.style.width = pct + "%";
  else bar.classList.add("indeterminate");
  return h("div.progress", { role: "progressbar", "aria-valuemin": 0, "aria-valuemax": progress.max ?? "", "aria-valuenow": progress.current, "data-progress": pct ?? "" },
    bar, h("span.label", pct !== null ? `${progress.current} / ${progress.max} (${pct}%)` : `${progress.current}`));
}

let toastTimer;
export function toast(message, kind = "info") {
  const el = document.getElementById("toast");
  el.className = "show " + kind;
  el.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.className = ""; }, 5000);
}

/** A schedule as one line: "cron 0 * * * * (UTC)", "every 5m", "at …"; with the definition, its extras ("3 schedules", exclusions, jitter). */
export function describeSchedule(s, definition) {
  if (definition && (definition.schedules || definition.exclude || definition.jitter)) {
    const base = definition.schedules ? definition.schedules.map(x => describeSchedule(x)).join(" + ") : describeSchedule(s);
    const exclude = definition.exclude ? `, ${definition.exclude.length} exclusion${definition.exclude.length === 1 ? "" : "s"}` : "";
    return base + exclude + (definition.jitter ? `, jitter ${definition.jitter}` : "");
  }
  if (!s) return "on demand / triggers";
  if (s.cron) return `cron ${s.cron}${s.timeZone ? ` (${s.timeZone})` : ""}`;
  if (s.every) return "every " + Object.entries(s.every).map(([k, v]) => `${v} ${k}`).join(" ") + (s.decay ? " (decaying)" : "");
  if (s.at) return "at " + time(s.at);
  if (s.after) return "after " + s.after;
  return JSON.stringify(s);
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

/** Calls fn every ms milliseconds, never two at once (a slow answer delays the next call); answers a function that stops it. */
export function every(ms, fn) {
  let stopped = false, timer = null;
  const tick = async () => {
    try { await fn(); } catch { /* the next round tries again */ }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  timer = setTimeout(tick, ms);
  return () => { stopped = true; clearTimeout(timer); };
}
