// The dashboard: plain JavaScript and inline SVG, no library or network beyond this site's own API.
"use strict";

const $ = (selector) => document.querySelector(selector);
let token = sessionStorage.getItem("cleanup-token") || "";

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { "Authorization": `Bearer ${token}`, "Content-Type": "application/json", ...(options.headers || {}) } });
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (!response.ok) {
    throw new Error(response.status === 401 || response.status === 403 ? "The admin token was not accepted." : (body?.detail || body?.title || `HTTP ${response.status}`));
  }
  return body;
}

function rows(table, items, cells) {
  const tbody = $(table).querySelector("tbody");
  tbody.replaceChildren(...items.map((item) => {
    const tr = document.createElement("tr");
    for (const cell of cells(item)) {
      const td = document.createElement("td");
      if (cell instanceof Node) td.append(cell); else td.textContent = cell ?? "";
      tr.append(td);
    }
    return tr;
  }));
}

function size(bytes) {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const when = (iso) => iso ? new Date(iso).toLocaleString() : "";

// Storage over time, from the run history: what is held now, plus what each later run freed, is what was held before it.
function chart(heldNow, runs) {
  const svg = $("#chart");
  const real = runs.filter((r) => !r.dry_run).sort((a, b) => new Date(a.started_at) - new Date(b.started_at));
  const points = [];
  let held = heldNow;
  points.push({ at: new Date(), held });
  for (const run of [...real].reverse()) {
    held += run.bytes_freed;
    points.push({ at: new Date(run.started_at), held });
  }
  points.reverse();
  if (points.length < 2) points.unshift({ at: new Date(Date.now() - 60000), held: heldNow });
  const t0 = points[0].at.getTime(), t1 = points[points.length - 1].at.getTime() || t0 + 1;
  const max = Math.max(...points.map((p) => p.held), 1);
  const x = (t) => 40 + (540 * (t - t0)) / Math.max(t1 - t0, 1);
  const y = (v) => 140 - (120 * v) / max;
  svg.innerHTML = `<text x="2" y="20">${size(max)}</text><text x="2" y="140">0</text>` +
    `<polyline points="${points.map((p) => `${x(p.at.getTime()).toFixed(1)},${y(p.held).toFixed(1)}`).join(" ")}"/>`;
}

async function refresh() {
  const [dashboard, runs, status] = await Promise.all([api("/api/dashboard"), api("/api/cleanup/runs?limit=20"), api("/api/cleanup/status")]);
  $("#held-total").textContent = size(dashboard.held_bytes);
  const biggest = Math.max(...dashboard.storage.map((s) => s.bytes), 1);
  rows("#storage", dashboard.storage, (s) => {
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.style.width = `${(100 * s.bytes) / biggest}%`;
    return [s.status, s.jobs, s.human_readable, bar];
  });
  rows("#awaiting", dashboard.awaiting_cleanup, (j) => [j.job_id, j.status, j.due_now ? "now" : when(j.due_at), j.reason]);
  rows("#runs", runs.runs, (r) => [when(r.started_at), r.trigger, r.requested_by, r.outcome + (r.dry_run ? " (dry run)" : ""), r.jobs_cleaned, size(r.bytes_freed)]);
  $("#next-run").textContent = status.next_run_at ? `· next at ${when(status.next_run_at)}` : "";
  chart(dashboard.held_bytes, runs.runs);
}

async function guarded(action) {
  $("#message").textContent = "";
  try { await action(); } catch (error) { $("#message").textContent = error.message; }
}

$("#login").addEventListener("submit", (event) => {
  event.preventDefault();
  token = $("#token").value;
  sessionStorage.setItem("cleanup-token", token);
  guarded(async () => { await refresh(); $("#dashboard").hidden = false; });
});

$("#preview").addEventListener("click", () => guarded(async () => {
  const plan = await api("/api/cleanup/preview");
  $("#plan").hidden = false;
  rows("#plan", plan.details, (j) => [j.job_id, j.status, j.age_days, j.space_freed, j.reason]);
  $("#clean-result").textContent = `Preview: would clean ${plan.cleaned_jobs.successful + plan.cleaned_jobs.failed + plan.cleaned_jobs.cancelled} job(s), freeing ~${plan.space_freed.human_readable}`;
}));

$("#clean").addEventListener("click", () => guarded(async () => {
  const result = await api("/api/cleanup", { method: "POST", body: "{}" });
  $("#clean-result").textContent = `Cleaned ${result.cleaned_jobs.successful} successful and ${result.cleaned_jobs.failed} failed job(s), freed ${result.space_freed.human_readable}`;
  $("#plan").hidden = true;
  await refresh();
}));

if (token) {
  $("#token").value = token;
  guarded(async () => { await refresh(); $("#dashboard").hidden = false; });
}
