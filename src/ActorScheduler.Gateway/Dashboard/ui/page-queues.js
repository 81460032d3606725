// Work queues: every queue with its item counts by status, and one queue's items — filtered by status, sorted by
// createdAt or updatedAt, paged with the API's cursors, each top-level scalar field of the items' data a column.
import { api, query } from "./api.js";
import { h, clear, badge, table, when } from "./ui.js";

const PAGE = 50;
const MAX_DATA_COLUMNS = 12;
const SORTS = [["createdAt", "oldest first"], ["-createdAt", "newest first"], ["updatedAt", "least recently changed"], ["-updatedAt", "recently changed"]];

const queuePath = (name) => "#/queues/" + encodeURIComponent(name);

export async function queues(main) {
  const answer = await api("/queues");
  const statuses = [...new Set(answer.items.flatMap(q => Object.keys(q.counts)))].sort();
  clear(main, h("h1", "Queues"), h("div#queue-list", table([
    { title: "Queue", cell: q => h("a.queue-link", { href: queuePath(q.name) }, q.name) },
    { title: "Items", cell: q => `${q.total}`, class: "num" },
    ...statuses.map(s => ({
      title: badge(s),
      cell: q => q.counts[s] ? h("a", { href: queuePath(q.name) + query({ status: s }), "data-count": s }, `${q.counts[s]}`) : "—",
      class: "num",
    })),
  ], answer.items, "No queues yet: a queue appears with its first item (POST /api/v1/queues/{queue}/items).")));
}

export async function queue(main, name, params) {
  const filter = { status: params.get("status") || "", sort: params.get("sort") || "createdAt" };
  let cursors = [null];
  let page = null;
  let left = false, loading = 0;

  const summary = (await api("/queues")).items.find(q => q.name === name);
  const known = Object.keys(summary?.counts || {});
  if (filter.status && !known.includes(filter.status)) known.push(filter.status);
  const status = h("select#filter-status", { name: "status", on: { change: () => apply({ status: status.value }) } },
    ["", ...known].map(s => h("option", { value: s, selected: s === filter.status }, s ? `${s} (${summary?.counts[s] ?? 0})` : "any status")));
  const sort = h("select#sort", { name: "sort", on: { change: () => apply({ sort: sort.value }) } },
    SORTS.map(([value, label]) => h("option", { value, selected: value === filter.sort }, label)));
  const list = h("div#item-list");
  const pager = h("div.pager");
  clear(main, h("p.muted", h("a", { href: "#/queues" }, "Queues"), " / "), h("h1", name),
    h("p.muted#queue-total", summary ? `${summary.total} item${summary.total === 1 ? "" : "s"}` : "No items."),
    h("div.filters", status, sort), list, pager);

  function apply(change) {
    if (left) return;
    Object.assign(filter, change);
    cursors = [null];
    history.replaceState(null, "", queuePath(name) + query(filter));
    load();
  }

  async function load() {
    const mine = ++loading;
    const answer = await api(`/queues/${encodeURIComponent(name)}/items` + query({ ...filter, limit: PAGE, after: cursors[cursors.length - 1] }));
    if (mine !== loading || left) return;
    page = answer;
    draw();
  }

  function draw() {
    const columns = dataColumns(page.items);
    clear(list, table([
      { title: "Item", cell: item => h("code.item-id", { title: JSON.stringify(item.data) }, item.id) },
      { title: "Status", cell: item => badge(item.status) },
      ...columns.map(key => ({ title: key, cell: item => scalar(item.data[key]) })),
      { title: "Created", cell: item => when(item.createdAt) },
      { title: "Updated", cell: item => when(item.updatedAt) },
    ], page.items, filter.status ? `No item is ${filter.status}.` : "This queue holds no items."));
    clear(pager,
      h("button", { type: "button", disabled: cursors.length === 1, on: { click: () => { cursors.pop(); load(); } } }, "← Previous"),
      h("span.muted", `page ${cursors.length}`),
      h("button#next-page", { type: "button", disabled: !page.next, on: { click: () => { cursors.push(page.next); load(); } } }, "Next →"));
  }

  await load();
  return () => { left = true; };
}

/** The top-level fields with a scalar value in any item of the page, in the order they first appear (nested ones stay in the id's tooltip). */
function dataColumns(items) {
  const keys = [];
  for (const item of items)
    for (const [key, value] of Object.entries(item.data || {}))
      if (isScalar(value) && !keys.includes(key) && keys.length < MAX_DATA_COLUMNS) keys.push(key);
  return keys;
}

const isScalar = (value) => value === null || ["string", "number", "boolean"].includes(typeof value);

const scalar = (value) => value === undefined ? "" : isScalar(value) ? String(value) : "…";
