/* qdlab explorer, Design panel: inverse design (POST /api/design) and a small screen
   (POST /api/screen, poll GET /api/screen/{id}, cancel DELETE /api/screen/{id}). No physics
   here: every number is the API's. Loaded after app.js and reuses its globals ($, api,
   postJSON, makePlot, escapeHtml, fmt, state). */
"use strict";

const design = { request: null, result: null, screenRequest: null, screenJob: null, screen: null };
state.design = design;   // for the end-to-end tests

// Alignment choices of the request (DesignRequest.alignment: a list of allowed alignments).
const DESIGN_ALIGNMENTS = [
  ["", "any"], ["type I", "type I"], ["type I,quasi-type II", "type I or quasi-type II"],
  ["quasi-type II", "quasi-type II"], ["type II", "type II"], ["none", "bare core (none)"]];

function designBump(key) {   // a counter on <body> the end-to-end tests wait for
  document.body.dataset[key] = String((Number(document.body.dataset[key]) || 0) + 1);
}

function designList(text) {
  return String(text).split(",").map((s) => s.trim()).filter((s) => s !== "");
}

function designNumber(id) {
  const v = $(id).value.trim();
  return v === "" ? null : Number(v);
}

function designRequest() {
  const req = {};
  req[$("design-target-kind").value] = designNumber("design-target");
  const opt = { max_fwhm_nm: "design-max-fwhm", min_overlap: "design-min-overlap",
    max_mismatch_pct: "design-max-mismatch" };
  for (const [key, id] of Object.entries(opt)) {
    const v = designNumber(id);
    if (v !== null) req[key] = v;
  }
  if ($("design-alignment").value) req.alignment = designList($("design-alignment").value);
  req.rohs = $("design-rohs").checked;
  req.no_heavy_metals = $("design-no-heavy").checked;
  const cores = designList($("design-cores").value);
  if (cores.length) req.cores = cores;
  const shells = designList($("design-shells").value);
  if (shells.length) req.shells = shells;
  req.top = designNumber("design-top");
  return req;
}

function designShells(c) {
  if (!c.shells || !c.shells.length) return "bare core";
  return c.shells.map((s) => `${s.material} ${s.monolayers} ML (${fmt(s.thickness_nm, 2)} nm)`).join(" / ");
}

function designCell(key, value, text, title) {
  const t = title ? ` title="${escapeHtml(title)}"` : "";
  return `<td data-key="${escapeHtml(key)}" data-value="${escapeHtml(JSON.stringify(value === undefined ? null : value))}"${t}>`
    + `${escapeHtml(text)}</td>`;
}

function designTable(d) {
  const head = ["#", "structure", "core d (nm)", "shells", "PL peak (nm)", "abs. peak (nm)", "FWHM (nm)",
    "e–h overlap", "alignment", "mismatch (%)", "flags", "± 1σ (nm)", "recipe hint"];
  const rows = d.candidates.map((c, i) => {
    const mism = (c.lattice_mismatch_pct || []).map((m) => fmt(m, 1)).join(", ");
    const hint = c.recipe_hint;
    return `<tr data-rank="${i + 1}"><td>${i + 1}</td>`
      + designCell("structure", c.structure, c.structure)
      + designCell("core_diameter_nm", c.core_diameter_nm, fmt(c.core_diameter_nm, 2))
      + designCell("shells", c.shells, designShells(c))
      + designCell("pl_peak_nm", c.pl_peak_nm, fmt(c.pl_peak_nm, 1))
      + designCell("absorption_peak_nm", c.absorption_peak_nm, fmt(c.absorption_peak_nm, 1))
      + designCell("fwhm_nm", c.fwhm_nm, fmt(c.fwhm_nm, 1))
      + designCell("overlap", c.overlap, fmt(c.overlap, 3))
      + designCell("alignment", c.alignment, c.alignment)
      + designCell("max_mismatch_pct", c.max_mismatch_pct, mism || "–",
        "lattice mismatch at each interface, core outwards")
      + designCell("flags", c.flags, (c.flags || []).join("; "))
      + designCell("uncertainty_nm", c.uncertainty_nm, fmt(c.uncertainty_nm, 1))
      + designCell("recipe_hint", hint, hint ? hint.command : "–", hint ? hint.note : "")
      + "</tr>";
  });
  return `<table id="design-table" class="design-table"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}`
    + `</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function designNotes(d) {
  const items = [];
  for (const [core, why] of Object.entries(d.dropped_cores || {})) {
    items.push(`<li class="dropped" data-core="${escapeHtml(core)}">dropped ${escapeHtml(core)}: ${escapeHtml(why)}</li>`);
  }
  for (const w of d.warnings || []) items.push(`<li>${escapeHtml(w)}</li>`);
  return items.length ? `<ul id="design-notes" class="warnings">${items.join("")}</ul>` : "";
}

function drawDesign(d, req) {
  // Candidates (ensemble numbers) and the Pareto front (screening numbers) on one x axis:
  // PL peak for an emission target, first absorption (Pareto: first exciton) otherwise.
  const emission = req.emission_nm !== undefined;
  const target = emission ? req.emission_nm : req.absorption_nm;
  const cx = emission ? "pl_peak_nm" : "absorption_peak_nm";
  const px = emission ? "screen_pl_peak_nm" : "first_exciton_nm";
  const pts = [];
  for (const p of d.pareto_front || []) pts.push([p[px], 1, p.screen_fwhm_nm]);
  for (const c of d.candidates || []) pts.push([c[cx], 2, c.fwhm_nm]);
  pts.push([target, 3, null]);
  const ok = pts.filter((p) => p[0] !== null && p[0] !== undefined && Number.isFinite(p[0]));
  ok.sort((a, b) => a[0] - b[0]);
  const data = [ok.map((p) => p[0]), [], [], []];
  for (const p of ok) for (let s = 1; s <= 3; s++) data[s].push(p[1] === s ? p[2] : null);
  const el = $("plot-design");
  const xlabel = emission ? "PL peak (nm)" : "first absorption peak (nm)";
  const mark = (u) => {   // the target: a dashed vertical line
    const x = u.valToPos(target, "x", true);
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = "#b00020"; ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
    ctx.restore();
  };
  makePlot("design", el, {
    scales: { x: { time: false } },
    axes: [{ label: xlabel }, { label: "FWHM (nm)", size: 60 }],
    series: [{ label: "peak (nm)" },
      { label: "Pareto front (screen)", stroke: "#8fa8e8", paths: () => null, points: { show: true, size: 5, fill: "#8fa8e8" } },
      { label: "ranked candidates", stroke: "#2b5fd9", paths: () => null, points: { show: true, size: 9, fill: "#2b5fd9" } },
      { label: `target ${fmt(target, 0)} nm`, stroke: "#b00020", dash: [6, 4], paths: () => null, points: { show: false } }],
    hooks: { draw: [mark] } }, data);
  el.dataset.points = String(ok.length - 1);
}

async function runDesign() {
  const out = $("design-result");
  const req = designRequest();
  $("design-run").disabled = true;
  $("design-busy").hidden = false;
  out.innerHTML = "";
  $("design-plot-wrap").hidden = true;
  try {
    const d = await postJSON("design", "/api/design", req);
    Object.assign(design, { request: req, result: d });
    const facts = `searched ${Number(d.searched).toLocaleString("en-US")} structures, `
      + `${Number(d.feasible).toLocaleString("en-US")} feasible; ${(d.stacks || []).length} material stacks; `
      + `Pareto front: ${(d.pareto_front || []).length}`;
    out.innerHTML = `<p id="design-facts" class="hint">${escapeHtml(facts)}</p>` + designNotes(d) + designTable(d);
    $("design-plot-wrap").hidden = false;
    drawDesign(d, req);
    designBump("design");
  } catch (e) {
    if (e.name === "AbortError") return;
    const msg = typeof e.message === "string" ? e.message : JSON.stringify(e.message);
    out.innerHTML = `<span class="error" id="design-error">${escapeHtml(msg)}</span>`;
    designBump("designErrors");
  } finally {
    $("design-run").disabled = false;
    $("design-busy").hidden = true;
  }
}

// ------------------------------------------------------------------ screen sub-panel
function screenRequest() {
  const req = { materials: designList($("screen-materials").value),
    shells: designList($("screen-shells").value),
    core_diameter_nm: $("screen-core").value.trim(),
    shell_thickness_nm: $("screen-shell").value.trim() };
  if (!req.shells.length) delete req.shells;
  if (!req.shell_thickness_nm) delete req.shell_thickness_nm;
  const em = designNumber("screen-emission");
  if (em !== null) req.emission_nm = em;
  return req;
}

const SCREEN_SUMMARY = [["candidates", "candidates", 0], ["valid", "valid rows", 0],
  ["rows", "rows written", 0], ["chunks", "chunks", 0], ["complete", "complete", null],
  ["seconds", "wall time (s)", 2], ["candidates_per_s", "candidates per s", 1]];

function screenSummary(s) {
  const rows = SCREEN_SUMMARY.filter(([k]) => s[k] !== undefined).map(([k, label, digits]) => {
    const shown = digits === null ? String(s[k]) : fmt(s[k], digits);
    return `<tr><td>${escapeHtml(label)}</td><td data-key="${k}" data-value="${escapeHtml(String(s[k]))}">${escapeHtml(shown)}</td></tr>`;
  });
  return `<table id="screen-summary"><tbody>${rows.join("")}</tbody></table>`;
}

const SCREEN_DIGITS = { core_diameter_nm: 2, outer_diameter_nm: 2, first_exciton_nm: 1, pl_peak_nm: 1,
  fwhm_nm: 1, overlap: 3, max_mismatch_pct: 1 };

function screenBest(best) {
  const cols = best.columns.filter((c) => c !== "candidate_id");
  const idx = cols.map((c) => best.columns.indexOf(c));
  const rows = best.rows.map((r) => "<tr>" + idx.map((i, j) => {
    const v = r[i], digits = SCREEN_DIGITS[cols[j]];
    const shown = digits === undefined ? String(v) : fmt(v, digits);
    return `<td data-key="${escapeHtml(cols[j])}">${escapeHtml(shown)}</td>`;
  }).join("") + "</tr>");
  return `<table id="screen-best"><thead><tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>`
    + `<tbody>${rows.join("")}</tbody></table>`;
}

function screenDone(s) {
  const out = $("screen-result");
  design.screen = s;
  $("screen-progress").value = s.progress;
  const warn = (s.warnings || []).map((w) => `<li>${escapeHtml(w)}</li>`).join("");
  const warnings = warn ? `<ul class="warnings">${warn}</ul>` : "";
  if (s.status === "done") {
    const r = s.result;
    const n = r.best.rows.length;
    const caption = design.screenRequest.emission_nm !== undefined
      ? `${n} valid rows closest to PL ${fmt(design.screenRequest.emission_nm, 0)} nm` : `first ${n} valid rows`;
    out.innerHTML = `<p id="screen-status" class="hint">done</p>` + screenSummary(r.summary) + warnings
      + `<h3>${escapeHtml(caption)}</h3>` + screenBest(r.best);
    designBump("screens");
  } else {
    const msg = `${s.status}: ${s.message || "no message"}`;
    out.innerHTML = `<span class="error" id="screen-error">${escapeHtml(msg)}</span>` + warnings;
    designBump("screenErrors");
  }
}

function screenError(e) {
  const msg = typeof e.message === "string" ? e.message : JSON.stringify(e.message);
  $("screen-result").innerHTML = `<span class="error" id="screen-error">${escapeHtml(msg)}</span>`;
  designBump("screenErrors");
}

function screenIdle() {
  design.screenJob = null;
  $("screen-start").disabled = false;
  $("screen-cancel").disabled = true;
}

async function pollScreen(id) {
  if (design.screenJob !== id) return;
  let s;
  try {
    s = await api("screen-poll", `/api/screen/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e.name === "AbortError") return;
    screenIdle(); screenError(e); return;
  }
  $("screen-progress").value = s.progress;
  if (s.status === "queued" || s.status === "running") {
    $("screen-result").innerHTML = `<p id="screen-status" class="hint">${escapeHtml(s.status)} ${(100 * s.progress).toFixed(0)} %</p>`;
    setTimeout(() => pollScreen(id), 400);
    return;
  }
  screenIdle();
  screenDone(s);
}

async function startScreen() {
  const req = screenRequest();
  $("screen-start").disabled = true;
  $("screen-progress").value = 0;
  $("screen-result").innerHTML = '<p id="screen-status" class="hint">starting…</p>';
  try {
    const job = await postJSON("screen", "/api/screen", req);
    Object.assign(design, { screenRequest: req, screenJob: job.id, screen: null });
    $("screen-cancel").disabled = false;
    pollScreen(job.id);
  } catch (e) {
    if (e.name === "AbortError") return;
    screenIdle(); screenError(e);
  }
}

async function cancelScreen() {
  const id = design.screenJob;
  if (!id) return;
  $("screen-cancel").disabled = true;
  try {
    await api("screen-cancel", `/api/screen/${encodeURIComponent(id)}`, { method: "DELETE" });
  } catch (e) {
    if (e.name !== "AbortError") screenError(e);
  }   // the poll sees the job end (cancelled, or done if it finished first)
}

function startDesign() {
  if (!$("design-panel")) return;
  const sel = $("design-alignment");
  for (const [value, label] of DESIGN_ALIGNMENTS) sel.add(new Option(label, value));
  $("design-run").addEventListener("click", runDesign);
  $("screen-start").addEventListener("click", startScreen);
  $("screen-cancel").addEventListener("click", cancelScreen);
}

startDesign();
