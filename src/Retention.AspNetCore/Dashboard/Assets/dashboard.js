// The cleanup dashboard: plain JavaScript, SVG drawn here, and this site's own API (./api/...). Nothing else is loaded.
"use strict";

const $ = (selector) => document.querySelector(selector);
const svgNs = "http://www.w3.org/2000/svg";
const state = { canAct: false, actionHeader: "X-Retention-Dashboard", runsBefore: null, running: null, timer: 0, pastGuard: false, explained: null, cancelling: null };

class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

// Every call goes to the dashboard's API, relative to the page; actions carry the header that proves they come from it.
async function api(path, { method = "GET", body } = {}) {
  const headers = { "Accept": "application/json" };
  if (method !== "GET") {
    headers[state.actionHeader] = "1";
    if (body !== undefined) headers["Content-Type"] = "application/json";
  }
  const response = await fetch(`api/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

function element(name, text, className) {
  const node = document.createElement(name);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function svg(name, attributes) {
  const node = document.createElementNS(svgNs, name);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
  return node;
}

// Replaces a table's body (a selector, or anything with querySelector) with one row per item.
function fillTable(table, items, cells) {
  const tbody = (typeof table === "string" ? $(table) : table).querySelector("tbody");
  tbody.replaceChildren(...items.map((item) => {
    const tr = document.createElement("tr");
    for (const cell of cells(item)) {
      if (cell instanceof Node && cell.nodeName === "TD") { tr.append(cell); continue; }
      const td = document.createElement("td");
      if (cell instanceof Node) td.append(cell); else td.textContent = cell ?? "";
      tr.append(td);
    }
    return tr;
  }));
}

const numberCell = (value) => element("td", value, "num");

function size(bytes) {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let value = Number(bytes) || 0, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const when = (iso) => iso ? new Date(iso).toLocaleString() : "";

function duration(from, to) {
  if (!from || !to) return "";
  const seconds = Math.max(0, (new Date(to) - new Date(from)) / 1000);
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  const minutes = seconds / 60;
  return minutes < 120 ? `${minutes.toFixed(1)} min` : `${(minutes / 60).toFixed(1)} h`;
}

function showError(error) {
  const message = $("#message");
  message.textContent = error instanceof ApiError && error.status === 403 ? `Not allowed: ${error.message}` : error.message;
  message.hidden = false;
}

function clearError() {
  $("#message").hidden = true;
}

function bar(fraction) {
  const graphic = svg("svg", { viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true" });
  graphic.append(svg("rect", { x: 0, y: 0, height: 10, width: Math.max(0.5, 100 * fraction).toFixed(2), rx: 1 }));
  return graphic;
}

function renderStorage(storage) {
  $("#held-total").textContent = storage.held ? storage.held.human_readable : "unknown";
  const byStatus = storage.by_status || [];
  const most = Math.max(1, ...byStatus.map((s) => s.size.bytes));
  fillTable("#by-status", byStatus, (s) => [s.status, numberCell(s.jobs), numberCell(s.size.human_readable), bar(s.size.bytes / most)]);
  const byKind = storage.by_kind;
  $("#by-kind").hidden = !byKind;
  if (byKind) {
    const largest = Math.max(1, ...byKind.map((k) => k.size.bytes));
    fillTable("#by-kind", byKind, (k) => [k.kind, numberCell(k.artifacts), numberCell(k.size.human_readable), bar(k.size.bytes / largest)]);
  }
  return storage.held ? storage.held.bytes : 0;
}

// Storage over time: what is held now, plus what each later real run freed, is what was held before that run.
function renderChart(heldNow, runs) {
  const chart = $("#chart");
  const real = runs.filter((r) => !r.dry_run && r.finished_at).sort((a, b) => new Date(b.finished_at) - new Date(a.finished_at));
  const points = [{ at: Date.now(), held: heldNow }];
  let held = heldNow;
  for (const run of real) {
    points.push({ at: new Date(run.finished_at).getTime(), held });
    held += run.bytes_freed;
    points.push({ at: new Date(run.started_at).getTime(), held });
  }
  points.reverse();
  if (points.length === 1) points.unshift({ at: Date.now() - 3600_000, held: heldNow });
  const t0 = points[0].at, t1 = Math.max(points[points.length - 1].at, t0 + 1);
  const top = Math.max(1, ...points.map((p) => p.held));
  const x = (t) => 50 + (540 * (t - t0)) / (t1 - t0);
  const y = (v) => 150 - (135 * v) / top;
  const line = points.map((p) => `${x(p.at).toFixed(1)},${y(p.held).toFixed(1)}`).join(" ");
  chart.replaceChildren(
    svg("line", { class: "axis", x1: 50, y1: 150, x2: 590, y2: 150 }),
    svg("line", { class: "axis", x1: 50, y1: 15, x2: 50, y2: 150 }),
    svg("polygon", { class: "area", points: `50,150 ${line} ${x(t1).toFixed(1)},150` }),
    svg("polyline", { class: "line", points: line }),
  );
  const label = (text, attributes) => { const t = svg("text", attributes); t.textContent = text; chart.append(t); };
  label(size(top), { x: 2, y: 20 });
  label("0", { x: 2, y: 150 });
  label(new Date(t0).toLocaleString(), { x: 50, y: 170 });
  label("now", { x: 590, y: 170, "text-anchor": "end" });
  $("#chart-note").textContent = real.length ? `${real.length} real run(s) freed ${size(real.reduce((sum, r) => sum + r.bytes_freed, 0))} in this window.` : "No real run in the history yet.";
}

function runCells(r) {
  return [when(r.started_at), r.trigger || "", r.requested_by || "", r.outcome + (r.dry_run ? " (dry run)" : ""), numberCell(r.jobs_cleaned), numberCell(size(r.bytes_freed)), numberCell(duration(r.started_at, r.finished_at))];
}

function renderRuns(page, append) {
  if (append) {
    // Filled apart, then appended: the rows already shown stay as they are.
    const older = document.createElement("tbody");
    fillTable({ querySelector: () => older }, page.runs, runCells);
    $("#runs tbody").append(...older.children);
  } else {
    fillTable("#runs", page.runs, runCells);
  }
  state.runsBefore = page.next_before || null;
  $("#more-runs").hidden = !state.runsBefore;
}

function jobButton(jobId) {
  const button = element("button", jobId, "link");
  button.type = "button";
  button.addEventListener("click", () => { $("#job-id").value = jobId; explain(jobId); });
  return button;
}

function renderDue(due) {
  const overdue = due.overdue_jobs > 0 ? `${due.overdue_jobs} job(s) overdue, holding ${due.overdue_size.human_readable}: the next run cleans them.` : "Nothing overdue.";
  $("#overdue").textContent = `${overdue} Among the first ${due.scanned} finished job(s) not yet cleaned${due.complete ? " (all of them)" : ""}.`;
  fillTable("#due", due.jobs, (j) => [jobButton(j.job_id), j.status, j.due_now ? "now" : when(j.due_at), numberCell(size(j.bytes)), j.reason]);
}

function renderHealth(health) {
  const badge = $("#health");
  badge.textContent = `health: ${health.status}`;
  badge.className = `badge ${health.status}`;
  $("#health-text").textContent = health.description || health.status;
}

function renderStatus(status) {
  $("#policy").replaceChildren(...status.policy.map((rule) => element("li", rule)));
  const unmapped = status.unmapped_statuses || [];
  $("#unmapped").hidden = unmapped.length === 0;
  $("#unmapped").textContent = unmapped.length ? `Status words no status is mapped to (never cleaned): ${unmapped.map((u) => `${u.status} (${u.jobs})`).join(", ")}` : "";
  $("#next-run").textContent = status.next_run_at ? `Next scheduled run: ${when(status.next_run_at)}.` : "No schedule runs in this process.";
  const run = status.current_run;
  state.running = run ? run.run_id : null;
  $("#current-none").hidden = !!run;
  $("#current-run").hidden = !run;
  if (run) {
    const percent = run.percent ?? null;
    // A cancel asked for here stays said until the run ends: the next poll must not make it look forgotten.
    const cancelling = state.cancelling === run.run_id ? `Cancelling run ${run.run_id}: it stops after the job in hand. ` : "";
    $("#current-text").textContent = `${cancelling}${run.dry_run ? "Dry run" : "Run"} ${run.run_id} (${run.trigger}${run.requested_by ? `, by ${run.requested_by}` : ""}) since ${when(run.started_at)}: ${run.stage}, ${run.jobs_scanned} job(s) read, ${run.jobs_cleaned} cleaned, ${size(run.bytes_freed)} freed${percent === null ? "" : ` (${percent}%)`}.`;
    const progress = $("#current-progress");
    if (percent === null) progress.removeAttribute("value"); else progress.value = percent;
  }
}

async function refreshStatus() {
  const wasRunning = state.running;
  const status = await api("status");
  renderStatus(status);
  return { status, finished: wasRunning && !state.running };
}

async function refresh() {
  const [status, storage, runs, due, health] = await Promise.all([
    api("status"), api("storage"), api("runs?limit=50"), api("due?limit=20"), api("health").catch(() => null),
  ]);
  renderStatus(status);
  renderChart(renderStorage(storage), runs.runs);
  renderRuns(runs, false);
  renderDue(due);
  if (health) renderHealth(health); else $("#health-text").textContent = "No health check is registered.";
}

// Polls the status: every second while a run is in progress, every ten otherwise; a run that ends refreshes the rest,
// and so does every sixth quiet poll, for runs started elsewhere (the schedule, another replica).
function schedulePoll() {
  clearTimeout(state.timer);
  state.timer = setTimeout(async () => {
    try {
      const { finished } = await refreshStatus();
      state.quietPolls = state.running ? 0 : (state.quietPolls || 0) + 1;
      if (finished || state.quietPolls >= 6) {
        state.quietPolls = 0;
        await refresh();
      }
    } catch (error) {
      showError(error);
    }
    schedulePoll();
  }, state.running ? 1000 : 10000);
}

async function explain(jobId) {
  clearError();
  const panel = $("#explain");
  try {
    const job = await api(`jobs/${encodeURIComponent(jobId)}`);
    panel.hidden = false;
    const due = job.is_due ? "due now" : job.next_due_at ? `next due ${when(job.next_due_at)}` : "nothing due";
    $("#explain-summary").textContent = `${job.job_id}: ${job.status}${job.job_type ? ` (${job.job_type})` : ""}, finished ${when(job.finished_at)} (${job.age_days} days ago); ${due}. ${job.reason}${job.deciding_rule ? ` Rule: ${job.deciding_rule}.` : ""}${job.data_cleaned_at ? ` Data cleaned ${when(job.data_cleaned_at)}.` : ""}`;
    $("#explain-hold").textContent = job.hold ? `Held by ${job.hold.pinned_by}: ${job.hold.reason}${job.hold.until ? ` (until ${when(job.hold.until)})` : ""}.` : job.protection === "active" ? "Protected: the job is still active." : "No hold.";
    fillTable("#explain-artifacts", job.artifacts, (a) => [a.kind, element("span", a.path, "path"), numberCell(a.bytes === undefined ? "?" : size(a.bytes)), element("span", a.verdict === "delete" ? "deleted" : "kept", a.verdict), a.rule || "", a.reason]);
    state.explained = job.job_id;
    renderHolds(await api(`holds?job_id=${encodeURIComponent(job.job_id)}`));
  } catch (error) {
    panel.hidden = true;
    showError(error instanceof ApiError && error.status === 404 ? new Error(`No job '${jobId}' in the store.`) : error);
  }
}

// The job's holds in force, each with a button that releases it (as the signed-in user, through the API's audit).
function renderHolds(holds) {
  $("#explain-holds").hidden = holds.length === 0;
  fillTable("#explain-holds", holds, (h) => {
    const release = element("button", "Release", "danger");
    release.type = "button";
    release.dataset.action = "";
    release.disabled = !state.canAct;
    release.addEventListener("click", () => act(async () => {
      const released = await api(`holds/${encodeURIComponent(h.id)}`, { method: "DELETE" });
      $("#action-result").textContent = `Released ${released.owner}'s hold on ${released.job_id} (${released.reason}).`;
      await explain(released.job_id);
    }));
    return [h.owner, h.reason, when(h.created_at), h.until ? when(h.until) : "no end", release];
  });
}

function describePlan(plan) {
  const jobs = plan.cleaned_jobs.successful + plan.cleaned_jobs.failed + plan.cleaned_jobs.cancelled;
  return `would clean ${jobs} job(s) (${plan.cleaned_jobs.successful} succeeded, ${plan.cleaned_jobs.failed} failed, ${plan.cleaned_jobs.cancelled} cancelled), freeing ${plan.space_freed.human_readable}`;
}

function showPlan(plan) {
  $("#plan").hidden = plan.details.length === 0;
  fillTable("#plan", plan.details, (j) => [j.job_id, j.status, numberCell(j.age_days), numberCell(j.space_freed), j.reason]);
}

// Runs an action with the buttons disabled, shows its error if any, and refreshes what it changed.
async function act(work) {
  clearError();
  // Not the cancel button: a run started here must stay cancellable while its request waits.
  const buttons = [...document.querySelectorAll("[data-action]:not(#cancel)")];
  for (const button of buttons) button.disabled = true;
  try {
    await work();
  } catch (error) {
    showError(error);
  } finally {
    for (const button of buttons) button.disabled = !state.canAct;
  }
  try { await refresh(); } catch (error) { showError(error); }
}

function startPollingSoon() {
  // The action's own request waits for the run; the status shows it meanwhile.
  setTimeout(async () => { try { await refreshStatus(); schedulePoll(); } catch (error) { showError(error); } }, 300);
}

function wire() {
  $("#preview").addEventListener("click", () => act(async () => {
    $("#confirm").hidden = true;
    const plan = await api("preview");
    showPlan(plan);
    $("#action-result").textContent = `Preview (run ${plan.run_id}): ${describePlan(plan)}.${plan.jobs_omitted ? ` ${plan.jobs_omitted} more not listed.` : ""}`;
  }));

  $("#clean").addEventListener("click", () => act(async () => {
    const plan = await api("preview");
    showPlan(plan);
    // A dry run stops where the real run would: when the mass-deletion guard stops it, say so, and confirming goes past it.
    state.pastGuard = plan.outcome === "limit_reached" && (plan.error || "").startsWith("Mass-deletion guard");
    $("#confirm-text").textContent = plan.outcome === "limit_reached"
      ? `A dry run just now stopped at a limit: ${plan.error} Before it stopped, it ${describePlan(plan)}. ${state.pastGuard ? "Delete past the guard now?" : "Delete up to the limit now?"} This cannot be undone.`
      : `A dry run just now ${describePlan(plan)}. Delete it now? This cannot be undone.`;
    $("#confirm-clean").textContent = state.pastGuard ? "Delete past the guard" : "Delete now";
    $("#confirm").hidden = false;
    $("#action-result").textContent = "";
    $("#confirm-clean").focus();
  }));

  $("#abort-clean").addEventListener("click", () => {
    $("#confirm").hidden = true;
    $("#action-result").textContent = "Nothing was deleted.";
    $("#clean").focus();
  });

  $("#confirm-clean").addEventListener("click", () => act(async () => {
    $("#confirm").hidden = true;
    $("#action-result").textContent = "Cleaning…";
    startPollingSoon();
    const result = await api("", { method: "POST", body: state.pastGuard ? { confirm_mass_deletion: true } : {} });
    $("#plan").hidden = true;
    const verb = result.outcome === "cancelled" ? "Cancelled after cleaning" : "Cleaned";
    $("#action-result").textContent = `${verb} ${result.cleaned_jobs.successful} succeeded, ${result.cleaned_jobs.failed} failed and ${result.cleaned_jobs.cancelled} cancelled job(s), freed ${result.space_freed.human_readable} (run ${result.run_id}, ${result.outcome}).`;
  }));

  $("#reap").addEventListener("click", () => act(async () => {
    const result = await api("stale?mode=stuck", { method: "POST" });
    $("#action-result").textContent = `Reaper: ${result.jobs_found} stale job(s) found, ${result.jobs_changed} marked failed.`;
  }));

  $("#cancel").addEventListener("click", () => act(async () => {
    if (!state.running) return;
    const runId = state.running;
    await api(`runs/${encodeURIComponent(runId)}/cancel`, { method: "POST" });
    state.cancelling = runId;
    $("#current-text").textContent = `Cancelling run ${runId}: it stops after the job in hand.`;
  }));

  $("#more-runs").addEventListener("click", async () => {
    try { renderRuns(await api(`runs?limit=50&before=${encodeURIComponent(state.runsBefore)}`), true); } catch (error) { showError(error); }
  });

  $("#hold-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const reason = $("#hold-reason").value.trim();
    const until = $("#hold-until").value;
    if (!state.explained || !reason) return;
    act(async () => {
      const hold = await api("holds", { method: "POST", body: { job_id: state.explained, reason, ...(until ? { until: `${until}T00:00:00Z` } : {}) } });
      $("#hold-reason").value = "";
      $("#hold-until").value = "";
      $("#action-result").textContent = `Held ${hold.job_id} for ${hold.owner}: ${hold.reason} (${hold.id}).`;
      await explain(hold.job_id);
    });
  });

  $("#search").addEventListener("submit", (event) => {
    event.preventDefault();
    const jobId = $("#job-id").value.trim();
    if (jobId) explain(jobId);
  });
}

async function start() {
  wire();
  try {
    const me = await api("me");
    state.canAct = me.can_act;
    state.actionHeader = me.action_header;
    $("#user").textContent = me.user;
    $("#read-only").hidden = me.can_act;
    for (const button of document.querySelectorAll("[data-action]")) {
      button.disabled = !me.can_act;
      if (!me.can_act) button.title = "You may look, not act: the actions need another policy.";
    }
    await refresh();
    document.body.dataset.loaded = "true";
  } catch (error) {
    showError(error);
  }
  schedulePoll();
}

start();
