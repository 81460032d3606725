import { api } from "./api.js";
import { h, clear, table, every } from "./ui.js";

export async function workers(main) {
  const box = h("div#workers");
  clear(main, h("h1", "Workers"), h("p.muted", "Worker nodes of the cluster, what each runs now, and its slots. `schedctl workers drain <name>` stops one gracefully."), h("div.card", box));
  const refresh = async () => {
    const list = (await api("/workers")).items;
    clear(box, table([
      { title: "Worker", cell: w => h("strong", w.name) },
      { title: "Pools", cell: w => w.pools.join(", ") || "—" },
      { title: "Node", cell: w => h("code", w.node) },
      { title: "Status", cell: w => w.status },
      { title: "In flight", cell: w => w.inFlight === null || w.inFlight === undefined ? "did not answer" : `${w.inFlight} / ${w.slots}`, class: "num" },
      { title: "Running", cell: w => w.runs.length ? w.runs.map(r => h("a.chip", { href: "#/runs/" + encodeURIComponent(r) }, r)) : "—" },
    ], list, "No worker nodes are members of the cluster."));
  };
  await refresh();
  return every(3000, refresh);
}

export async function cluster(main) {
  const members = h("div#members");
  const shards = h("div#shards");
  clear(main, h("h1", "Cluster"), h("div.card", h("h2", "Members"), members), h("div.card", h("h2", "Job shards"), shards));
  const refresh = async () => {
    const list = (await api("/cluster/members")).items;
    clear(members, table([
      { title: "Address", cell: m => [h("code", m.address), m.self ? " (this node)" : ""] },
      { title: "Status", cell: m => m.status },
      { title: "Reachable", cell: m => m.reachable ? "yes" : h("span.bad-text", "no") },
      { title: "Roles", cell: m => m.roles.join(", ") },
    ], list));
    try {
      const sharding = await api("/cluster/sharding");
      clear(shards, table([
        { title: "Region", cell: r => h("code", r.address) },
        { title: "Shards", cell: r => String(r.shards), class: "num" },
        { title: "Jobs in memory", cell: r => String(r.jobs), class: "num" },
      ], sharding.regions, "No scheduler holds shards yet."));
    } catch (e) {
      clear(shards, h("p.muted", e.message));
    }
  };
  await refresh();
  return every(5000, refresh);
}
