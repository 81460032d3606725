import { api, follow, query } from "./api.js";
import { h, svg, clear, badge, table, when, every } from "./ui.js";

const STATUSES = ["scheduled", "running", "waiting", "paused", "error", "done", "canceled"];

export async function overview(main) {
  const counts = h("section.counts#status-counts");
  const charts = h("section.charts");
  const workersBox = h("div");
  const membersBox = h("div");
  const feed = h("ol.feed#live-events");
  clear(main,
    h("h1", "Overview"),
    counts,
    charts,
    h("section.two",
      h("div.card", h("h2", "Workers"), workersBox),
      h("div.card", h("h2", "Cluster members"), membersBox)),
    h("div.card", h("h2", "Live events"), h("p.muted", "Every job's events as they are written (GET /api/v1/events)."), feed));

  let closeFeed = null;
  const refresh = async () => {
    const [stats, workerList, members] = await Promise.all([
      api("/stats"), api("/workers").catch(() => ({ items: [] })), api("/cluster/members").catch(() => ({ items: [] })),
    ]);
    const total = Object.values(stats.jobs).reduce((a, b) => a + b, 0);
    clear(counts,
      h("a.count", { href: "#/jobs" }, h("span.n", String(total)), h("span.label", "jobs")),
      STATUSES.map(s => h("a.count", { href: "#/jobs?status=" + s, "data-status": s }, h("span.n", String(stats.jobs[s] || 0)), badge(s))));
    const minutes = stats.activity;
    const sum = (key) => minutes.reduce((a, m) => a + m[key], 0);
    clear(charts,
      h("div.card", h("h2", "Runs per minute"), h("p.muted", `last hour: ${sum("finished")} finished, ${sum("succeeded")} succeeded`),
        barChart(minutes, [["succeeded", "ok"], ["failed", "bad"], ["other", "muted"]], m => ({ ...m, other: m.finished - m.succeeded - m.failed }))),
      h("div.card", h("h2", "Failures"), h("p.muted", `last hour: ${sum("failed")} failed runs`), barChart(minutes, [["failed", "bad"]])),
      h("div.card", h("h2", "Skipped and missed occurrences"), h("p.muted", `last hour: ${sum("skipped")} (each reason is in the job's history)`),
        barChart(minutes, [["skipped", "warn"]])));
    clear(workersBox, table([
      { title: "Worker", cell: w => w.name },
      { title: "Pools", cell: w => w.pools.join(", ") || "—" },
      { title: "Status", cell: w => w.status },
      { title: "Load", cell: w => load(w) },
    ], workerList.items, "No worker nodes are members of the cluster."));
    clear(membersBox, table([
      { title: "Address", cell: m => m.address + (m.self ? " (this node)" : "") },
      { title: "Status", cell: m => m.status + (m.reachable ? "" : " — unreachable") },
      { title: "Roles", cell: m => m.roles.filter(r => !r.includes(":")).join(", ") },
    ], members.items));
    if (!closeFeed) closeFeed = follow("/events" + query({ from: stats.position + 1 }), (e) => {
      feed.prepend(h("li", when(e.at), " ", h("a", { href: "#/jobs/" + encodeURIComponent(e.jobId) }, e.jobId), " ", h("code", e.type),
        e.type === "run-finished" && e.data ? [" ", badge(e.data.outcome)] : null,
        e.type === "runs-skipped" && e.data ? ` ${e.data.count} skipped: ${e.data.reason}` : null));
      while (feed.children.length > 30) feed.lastChild.remove();
    });
  };
  await refresh();
  const stopRefresh = every(5000, refresh);
  return () => { stopRefresh(); if (closeFeed) closeFeed(); };
}

function load(worker) {
  if (worker.inFlight === null || worker.inFlight === undefined) return "did not answer";
  const pct = worker.slots ? Math.round((worker.inFlight / worker.slots) * 100) : 0;
  const bar = h("div.bar");
  bar.style.width = Math.min(100, pct) + "%";
  return h("div.load", h("div.progress.small", bar), ` ${worker.inFlight} / ${worker.slots} slots`);
}

/** Stacked bars, one per minute; series = [[key, cssClass]]. */
function barChart(minutes, series, map = (m) => m) {
  const rows = minutes.map(map);
  const max = Math.max(1, ...rows.map(r => series.reduce((a, [k]) => a + Math.max(0, r[k]), 0)));
  const width = 600, height = 120, slot = width / rows.length;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 14}`, class: "chart", role: "img", "aria-label": series.map(s => s[0]).join(", ") + " per minute" });
  rows.forEach((r, i) => {
    let y = height;
    for (const [key, cls] of series) {
      const v = Math.max(0, r[key]);
      if (!v) continue;
      const bh = (v / max) * height;
      y -= bh;
      chart.append(svg("rect", { x: (i * slot + 1).toFixed(1), y: y.toFixed(1), width: Math.max(1, slot - 2).toFixed(1), height: bh.toFixed(1), class: cls },
        svg("title", {}, `${new Date(r.minute).toLocaleTimeString()}: ${v} ${key}`)));
    }
  });
  chart.append(svg("line", { x1: 0, y1: height, x2: width, y2: height, class: "axis" }));
  chart.append(svg("text", { x: 0, y: height + 12, class: "tick" }, "-60 min"));
  chart.append(svg("text", { x: width, y: height + 12, class: "tick end" }, "now"));
  chart.append(svg("text", { x: 2, y: 10, class: "tick" }, `max ${max}/min`));
  return chart;
}
