/* qdlab explorer: a thin page over the REST API (no physics here). Plots: uPlot (vendored). */
"use strict";

const $ = (id) => document.getElementById(id);
const state = { features: {}, materials: [], updates: 0, plots: {}, fits: [], synth: null, photons: null };
window.qdlab = state;   // for the end-to-end tests and the curious

function setStatus(text, isError) {
  const el = $("status");
  el.textContent = text || "";
  el.classList.toggle("error", !!isError);
}

const controllers = {};
async function api(channel, path, options) {
  // one request in flight per channel: a newer one aborts the older
  if (controllers[channel]) controllers[channel].abort();
  const ctl = new AbortController();
  controllers[channel] = ctl;
  const resp = await fetch(path, { ...(options || {}), signal: ctl.signal });
  let body = null;
  try { body = await resp.json(); } catch (e) { body = null; }
  if (!resp.ok) {
    const msg = body && body.detail ? body.detail : `HTTP ${resp.status}`;
    const err = new Error(msg);
    err.status = resp.status;
    throw err;
  }
  return body;
}
const postJSON = (channel, path, data) => api(channel, path, {
  method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) });

function fmt(x, digits) { return x === null || x === undefined ? "–" : Number(x).toFixed(digits); }
function fmtSci(x) { return x === null || x === undefined ? "–" : Number(x).toExponential(2); }

function plotWidth(el) { return Math.max(260, el.clientWidth || 400); }

function makePlot(key, el, opts, data) {
  if (state.plots[key]) state.plots[key].destroy();
  el.innerHTML = "";
  const plot = new uPlot({ width: plotWidth(el), height: 220, ...opts }, data, el);
  state.plots[key] = plot;
  el.dataset.updates = String((Number(el.dataset.updates) || 0) + 1);
  return plot;
}

function normalise(arr) {
  let m = 0;
  for (const v of arr) if (v !== null && v > m) m = v;
  return arr.map((v) => (v === null || m === 0 ? null : v / m));
}

// ------------------------------------------------------------------ structure panel
function structureRequest() {
  const kind = $("kind").value;
  const mat = $("material").value;
  const d = Number($("diameter").value);
  const req = { temperature: Number($("temperature").value), include_profiles: true };
  if (kind === "coreshell") {
    req.material = `${mat}/${$("shell-material").value}`;
    req.core_diameter = d;
    req.shells = [Number($("shell").value)];
  } else {
    req.material = mat;
    req.diameter = d;
  }
  return req;
}

function spectrumRequest() {
  const req = { material: $("material").value, mean_diameter_nm: Number($("diameter").value),
    dispersion_pct: Number($("dispersion").value), temperature: Number($("temperature").value),
    wavelength_min_nm: 350, wavelength_max_nm: 800, n_points: 226 };
  if ($("kind").value === "coreshell") {
    req.shells = [{ material: $("shell-material").value, thickness_nm: Number($("shell").value) }];
  }
  if (["PbS", "PbSe", "InAs", "PbTe"].some((p) => req.material.startsWith(p))) {
    req.wavelength_min_nm = 400; req.wavelength_max_nm = 2500;
  }
  return req;
}

function showLabels() {
  $("diameter-value").textContent = `${Number($("diameter").value).toFixed(2)} nm`;
  $("shell-value").textContent = `${Number($("shell").value).toFixed(2)} nm`;
  $("dispersion-value").textContent = `${Number($("dispersion").value).toFixed(1)} %`;
  $("temperature-value").textContent = `${$("temperature").value} K`;
  const kind = $("kind").value;
  const cs = kind === "coreshell";
  const shape = isShape();
  $("shell-label").hidden = !cs;
  $("shell-material-label").hidden = !cs;
  $("diameter-label").hidden = shape;
  $("dispersion-label").hidden = shape;
  document.querySelectorAll("label[data-shape]").forEach((el) => { el.hidden = !el.dataset.shape.split(" ").includes(kind); });
  $("compute-row").hidden = !shape;
  $("shape-panel").hidden = !shape;
  $("plots-panel").hidden = shape;
}

async function updateLevels() {
  const lv = await postJSON("levels", "/api/levels", structureRequest());
  const sw = $("swatch");
  sw.style.background = lv.colour_hex || "#777777";
  sw.dataset.colour = lv.colour_hex || "none";
  sw.title = lv.colour_hex ? `first exciton colour ${lv.colour_hex}` : "outside the visible range";
  $("exciton").textContent = `${fmt(lv.first_exciton_nm, 1)} nm (${fmt(lv.first_exciton_eV, 3)} eV)`;
  $("overlap").textContent = fmt(lv.overlap, 3);
  $("alignment").textContent = lv.alignment === "none" ? "single material" : lv.alignment;
  drawLevels(lv);
  drawWavefunctions(lv);
  return lv;
}

function drawLevels(lv) {
  const p = lv.profiles;
  if (!p) return;
  const layers = p.layers;
  const rOut = layers[layers.length - 1].outer_radius_nm;
  const rMax = rOut + Math.max(0.6, 0.25 * rOut);
  const n = 240;
  const x = Array.from({ length: n }, (_, i) => (rMax * i) / (n - 1));
  const last = layers[layers.length - 1];
  const eb = lv.medium.electron_barrier_eV, hb = lv.medium.hole_barrier_eV;
  const cbOut = eb === null ? null : last.conduction_band_edge_eV + eb;
  const vbOut = hb === null ? null : last.valence_band_edge_eV - hb;
  const layerAt = (r) => layers.find((l) => r <= l.outer_radius_nm + 1e-9);
  const cb = x.map((r) => { const l = layerAt(r); return l ? l.conduction_band_edge_eV : cbOut; });
  const vb = x.map((r) => { const l = layerAt(r); return l ? l.valence_band_edge_eV : vbOut; });
  const series = [{}, { label: "conduction edge", stroke: "#2b5fd9", width: 2 },
    { label: "valence edge", stroke: "#c2410c", width: 2 }];
  const data = [x, cb, vb];
  const lvls = [...lv.electron_levels.slice(0, 3).map((l) => ["e " + l.label, l.energy_eV, "#2b5fd9"]),
    ...lv.hole_levels.slice(0, 3).map((l) => ["h " + l.label, l.energy_eV, "#c2410c"])];
  for (const [name, e, colour] of lvls) {
    series.push({ label: name, stroke: colour, width: 1, dash: [4, 3] });
    data.push(x.map((r) => (r <= rOut ? e : null)));
  }
  // show the gap region: clip the medium barriers to 1.2 eV beyond the levels
  const eMin = Math.min(...lv.hole_levels.map((l) => l.energy_eV), ...layers.map((l) => l.valence_band_edge_eV)) - 0.8;
  const eMax = Math.max(...lv.electron_levels.map((l) => l.energy_eV), ...layers.map((l) => l.conduction_band_edge_eV)) + 0.8;
  makePlot("levels", $("plot-levels"), {
    series, scales: { x: { time: false }, y: { range: [eMin, eMax] } },
    axes: [{ label: "r (nm)" }, { label: "energy (eV, vacuum scale)", size: 60 }],
    legend: { show: false },
  }, data);
}

function drawWavefunctions(lv) {
  const p = lv.profiles;
  if (!p) return;
  makePlot("wavefunctions", $("plot-wavefunctions"), {
    series: [{}, { label: "electron 1S", stroke: "#2b5fd9", width: 2 },
      { label: "hole 1S", stroke: "#c2410c", width: 2 }],
    scales: { x: { time: false } },
    axes: [{ label: "r (nm)" }, { label: "R(r) (norm.)", size: 50 }],
  }, [p.r_nm, normalise(p.electron_wavefunction.map(Math.abs)), normalise(p.hole_wavefunction.map(Math.abs))]);
}

async function updateSpectrum() {
  if (!state.features.spectrum) return null;
  const sp = await postJSON("spectrum", "/api/spectrum", spectrumRequest());
  $("abs-peak").textContent = `${fmt(sp.first_peak_nm, 1)} nm`;
  $("pl-peak").textContent = `${fmt(sp.emission_peak_nm, 1)} nm / ${fmt(sp.emission_fwhm_nm, 1)} nm`;
  makePlot("spectrum", $("plot-spectrum"), {
    series: [{}, { label: "absorption (norm.)", stroke: "#1d2330", width: 2 },
      { label: "PL (norm.)", stroke: sp.emission_colour ? sp.emission_colour.srgb_hex : "#b00020",
        width: 2, fill: "rgba(200,80,40,0.08)" }],
    scales: { x: { time: false }, y: { range: [0, 1.05] } },
    axes: [{ label: "wavelength (nm)" }, { label: "normalised", size: 50 }],
  }, [sp.wavelength_nm, normalise(sp["molar_extinction_M-1cm-1"]), normalise(sp.emission_per_nm)]);
  return sp;
}

let timer = null;
function scheduleUpdate() {
  showLabels();
  clearTimeout(timer);
  if (isShape()) { shapeInputsChanged(); return; }   // 3D solves: on the Compute button only
  timer = setTimeout(update, 120);
}

async function update() {
  if (isShape()) return;
  setStatus("computing…");
  try {
    const [lv, sp] = await Promise.all([updateLevels(), updateSpectrum()]);
    if (isShape()) return;   // the user switched to a shape meanwhile
    const warns = [...(lv.warnings || []), ...((sp && sp.warnings) || [])];
    $("warnings").textContent = [...new Set(warns)].join(" · ");
    state.updates += 1;
    document.body.dataset.updates = String(state.updates);
    setStatus("");
  } catch (e) {
    if (e.name === "AbortError" || isShape()) return;
    setStatus(e.message, true);
  }
}

// ------------------------------------------------------------------ 3D shapes
// Rods, cubes, tetrapods, dot-in-rods and dimers are solved on a 3D grid (seconds):
// computed on the Compute button only, one request at a time (the button is disabled
// while it runs); a response that belongs to an older request or to a shape no longer
// selected is dropped.  Before computing, the page asks the server how many grid cells
// the inputs need (POST /api/levels/budget) and shows it.
const SHAPES = ["rod", "platelet", "cube", "tetrapod", "dot-in-rod", "dimer"];
const GRID_SHAPES = ["rod", "cube", "tetrapod", "dot-in-rod", "dimer"];
// grid spacing per shape (nm; "" = the library default): chosen so that the default
// dimensions of each shape fit the server's grid budget
const RESOLUTION_DEFAULTS = { rod: "", cube: "", tetrapod: "0.4", "dot-in-rod": "0.2", dimer: "0.2" };
const shapeState = { seq: 0, busy: false, last: null, kind: null, budgetSeq: 0, suggested: null,
  resolution: { ...RESOLUTION_DEFAULTS } };
state.shape = shapeState;

function isShape() { return SHAPES.includes($("kind").value); }

function shapeRequest() {
  const kind = $("kind").value;
  const num = (id) => Number($(id).value);
  const mat = $("material").value;
  let material = mat;
  const shape = { kind };
  if (kind === "rod") { shape.length_nm = num("rod-length"); shape.diameter_nm = num("rod-diameter"); }
  if (kind === "platelet") {
    shape.monolayers = Math.round(num("platelet-monolayers"));
    shape.lateral_size_nm = num("platelet-lateral");
  }
  if (kind === "cube") shape.edge_nm = num("cube-edge");
  if (kind === "tetrapod") {
    shape.core_diameter_nm = num("tet-core");
    shape.arm_length_nm = num("tet-arm-length");
    shape.arm_diameter_nm = num("tet-arm-diameter");
    if ($("tet-arm-material").value) material = `${mat}/${$("tet-arm-material").value}`;
  }
  if (kind === "dot-in-rod") {
    material = `${mat}/${$("dir-rod-material").value}`;
    shape.core_diameter_nm = num("dir-core");
    shape.length_nm = num("dir-length");
    shape.diameter_nm = num("dir-diameter");
    if ($("dir-position").value.trim() !== "") shape.core_position_nm = num("dir-position");
  }
  if (kind === "dimer") {
    shape.diameter_a_nm = num("dimer-da");
    if ($("dimer-db").value.trim() !== "") shape.diameter_b_nm = num("dimer-db");
    if ($("dimer-gap").value.trim() !== "") shape.gap_nm = num("dimer-gap");
    if ($("dimer-neck").value.trim() !== "") shape.neck_diameter_nm = num("dimer-neck");
  }
  if (GRID_SHAPES.includes(kind) && $("resolution").value.trim() !== "") {
    shape.resolution_nm = num("resolution");
  }
  return { material, shape, temperature: num("temperature"), include_profiles: true };
}

function fmtInt(n) { return Number(n).toLocaleString("en-US"); }

// the grid spacing input holds one value per shape: switching shape swaps it
function swapResolution() {
  const kind = $("kind").value;
  if (shapeState.kind && GRID_SHAPES.includes(shapeState.kind)) {
    shapeState.resolution[shapeState.kind] = $("resolution").value;
  }
  if (GRID_SHAPES.includes(kind)) $("resolution").value = shapeState.resolution[kind];
  shapeState.kind = kind;
}

let budgetTimer = null;
function scheduleBudget() {
  clearTimeout(budgetTimer);
  shapeState.budgetSeq += 1;
  shapeState.suggested = null;
  $("use-suggested").hidden = true;
  const kind = $("kind").value;
  const el = $("grid-estimate");
  el.classList.remove("error");
  if (!GRID_SHAPES.includes(kind)) {
    el.textContent = kind === "platelet" ? "platelets: thickness-quantisation model (no 3D levels grid)" : "";
    return;
  }
  el.textContent = "grid: estimating…";
  budgetTimer = setTimeout(updateBudget, 150);
}

async function updateBudget() {
  const seq = shapeState.budgetSeq;
  const el = $("grid-estimate");
  try {
    const b = await postJSON("budget", "/api/levels/budget", shapeRequest());
    if (seq !== shapeState.budgetSeq || !b.grid) return;
    const dflt = b.spacing_nm > b.default_spacing_nm * (1 + 1e-9)
      ? ` (library default ${fmt(b.default_spacing_nm, 3)} nm would need ~${fmtInt(b.default_cells)})` : "";
    if (b.fits) {
      el.textContent = `grid: ~${fmtInt(b.cells)} cells at h = ${fmt(b.spacing_nm, 3)} nm${dflt}; allowed ${fmtInt(b.allowed_cells)}`;
    } else {
      el.textContent = `grid: needs ~${fmtInt(b.cells)} cells at h = ${fmt(b.spacing_nm, 3)} nm; allowed ${fmtInt(b.allowed_cells)}; `
        + (b.suggested_resolution_nm !== null ? `try a spacing ≥ ${fmt(b.suggested_resolution_nm, 2)} nm`
          : "no spacing up to 1 nm fits: choose a smaller shape");
      el.classList.add("error");
      if (b.suggested_resolution_nm !== null) {
        shapeState.suggested = b.suggested_resolution_nm;
        $("use-suggested").textContent = `use h = ${fmt(b.suggested_resolution_nm, 2)} nm`;
        $("use-suggested").hidden = false;
      }
    }
    el.dataset.cells = String(b.cells);
    el.dataset.fits = b.fits ? "1" : "0";
  } catch (e) {
    if (e.name === "AbortError" || seq !== shapeState.budgetSeq) return;
    el.textContent = `grid: ${String(e.message || e).split("\n")[0]}`;
    el.classList.add("error");
    el.dataset.cells = "";
    el.dataset.fits = "";
  } finally {
    if (seq === shapeState.budgetSeq) {
      document.body.dataset.budgetUpdates = String((Number(document.body.dataset.budgetUpdates) || 0) + 1);
    }
  }
}

function useSuggested() {
  if (shapeState.suggested === null) return;
  $("resolution").value = Number(shapeState.suggested).toFixed(2);
  shapeInputsChanged();
}

function shapeMessage(text, isError) {
  const el = $("shape-message");
  el.textContent = text || "";
  el.title = text || "";
  el.hidden = !text;
  el.classList.toggle("error", !!isError);
}

function clearSummary() {
  const sw = $("swatch");
  sw.style.background = "#777777";
  sw.dataset.colour = "none";
  for (const id of ["exciton", "abs-peak", "pl-peak", "overlap", "alignment"]) $(id).textContent = "–";
  $("warnings").textContent = "";
}

function shapeInputsChanged() {
  // new inputs: the results on show are for other inputs, and an answer still on its way
  // will be dropped (it is not aborted: the server would go on solving anyway, and the
  // page sends no second request while one runs)
  shapeState.seq += 1;
  shapeState.last = null;
  $("shape-results").hidden = true;
  clearSummary();
  shapeMessage(shapeState.busy ? "inputs changed: the solve still running will be ignored; "
    + "press Compute when it ends" : "set the dimensions and press Compute", false);
  scheduleBudget();
}

function setBusy(on) {
  shapeState.busy = on;
  $("compute").disabled = on;
  $("busy").hidden = !on;
  $("shape-panel").setAttribute("aria-busy", on ? "true" : "false");
}

async function computeShape() {
  if (shapeState.busy || !isShape()) return;
  const seq = ++shapeState.seq;
  const req = shapeRequest();
  setBusy(true);
  shapeMessage(`solving the ${req.shape.kind}…`, false);
  try {
    const lv = await postJSON("shape", "/api/levels", req);
    if (seq !== shapeState.seq || !isShape()) return;   // stale: inputs changed meanwhile
    shapeState.last = lv;
    showShape(lv);
    shapeMessage("", false);
    document.body.dataset.shapeUpdates = String((Number(document.body.dataset.shapeUpdates) || 0) + 1);
  } catch (e) {
    if (e.name === "AbortError" || seq !== shapeState.seq || !isShape()) return;
    $("shape-results").hidden = true;
    clearSummary();
    const text = String(e.message || e).split("\n")[0];
    shapeMessage(e.status ? `error ${e.status}: ${text}` : text, true);
    document.body.dataset.shapeErrors = String((Number(document.body.dataset.shapeErrors) || 0) + 1);
  } finally {
    setBusy(false);   // one request at a time: the one that ended was the one in flight
    if (seq !== shapeState.seq && isShape()) shapeMessage("set the dimensions and press Compute", false);
  }
}

function meV(x) { return x === null || x === undefined ? "–" : `${(1000 * x).toFixed(1)} meV`; }

function showDimer(d) {
  document.querySelectorAll(".dimer-fact").forEach((el) => { el.hidden = !d; });
  if (!d) return;
  const part = (c, name) => (c
    ? `${name} splitting ${meV(c.splitting_eV)} (hopping t = ${meV(c.hopping_eV)}, bonding level ${meV(c.bonding_shift_eV)} from the single sphere)`
    : `${name}: not computed`);
  $("dimer-coupling").textContent = `${part(d.electron, "electron")}; ${part(d.hole, "hole")}; grid h = ${fmt(d.resolution_nm, 3)} nm`;
  $("dimer-shift").textContent = `${meV(d.shift_single_particle_eV)} (both carriers delocalised), `
    + `${meV(d.shift_localised_hole_eV)} (hole localised in one sphere)`;
}

function fmtAnisotropy(pa) {
  if (!pa || typeof pa !== "object") return "not given for this shape";
  const parts = [];
  if (pa.absorption !== undefined && pa.absorption !== null) parts.push(`absorption r = ${fmt(pa.absorption, 3)}`);
  if (pa.emission !== undefined && pa.emission !== null) parts.push(`emission r = ${fmt(pa.emission, 3)}`);
  return parts.length ? `${parts.join(", ")} (r > 0: polarised along the rod axis / platelet normal)` : "–";
}

function parityText(p) {
  if (!Array.isArray(p)) return "";
  return p.map((v) => (v > 0 ? "+" : v < 0 ? "−" : "·")).join("");
}

function levelRows(table, levels, extra) {
  if (Array.isArray(levels) && levels.length) {
    table.innerHTML = "<thead><tr><th>#</th><th>energy (eV)</th><th>parity x y z</th></tr></thead><tbody>"
      + levels.map((l) => `<tr><td>${escapeHtml(l.index)}</td><td>${fmt(l.energy_eV, 3)}</td>`
        + `<td>${escapeHtml(parityText(l.parity))}</td></tr>`).join("") + "</tbody>";
  } else {
    table.innerHTML = `<tbody>${extra.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join("")}</tbody>`;
  }
}

function showShape(lv) {
  const sw = $("swatch");
  sw.style.background = lv.colour_hex || "#777777";
  sw.dataset.colour = lv.colour_hex || "none";
  sw.title = lv.colour_hex ? `first exciton colour ${lv.colour_hex}` : "outside the visible range";
  $("exciton").textContent = `${fmt(lv.first_exciton_nm, 1)} nm (${fmt(lv.first_exciton_eV, 3)} eV)`;
  $("abs-peak").textContent = "– (ensemble spectra: spheres only)";
  $("pl-peak").textContent = "–";
  $("overlap").textContent = fmt(lv.overlap, 3);
  const label = String(lv.structure || "");
  $("alignment").textContent = label.includes("/") ? `${label} (two materials)` : "single material";
  $("warnings").textContent = [...new Set(lv.warnings || [])].join(" · ");
  $("anisotropy").textContent = fmtAnisotropy(lv.polarisation_anisotropy);
  $("shape-solver").textContent = lv.solver || "–";
  const res = lv.resolution;
  $("shape-grid").textContent = res
    ? `h = ${fmt(res.spacing_nm, 3)} nm, ${fmtInt(res.cells)} cells per symmetry sector (allowed ${fmtInt(res.allowed_cells)})`
    : (lv.grid_spacing_nm ? `h = ${fmt(lv.grid_spacing_nm, 3)} nm` : "no 3D grid (thickness-quantisation model)");
  $("resolution-note").textContent = res ? res.note : "";
  $("resolution-note").hidden = !res;
  $("resolution-note").classList.toggle("coarse", !!res && res.spacing_nm > res.default_spacing_nm * (1 + 1e-9));
  showDimer(lv.dimer);
  levelRows($("electron-levels"), lv.electron_levels, [
    ["confinement (eV)", fmt(lv.electron_confinement_eV, 3)], ["thickness (nm)", fmt(lv.thickness_nm, 3)]]);
  levelRows($("hole-levels"), lv.hole_levels, [
    ["confinement (eV)", fmt(lv.hole_confinement_eV, 3)], ["exciton binding (eV)", fmt(lv.binding_energy_eV, 3)]]);
  const sl = lv.wavefunction_slice;
  $("heatmaps").hidden = !sl;
  if (sl) {
    drawHeatmap($("heat-electron"), sl, sl.electron_density);
    drawHeatmap($("heat-hole"), sl, sl.hole_density);
    document.querySelectorAll(".heat-plane").forEach((el) => { el.textContent = sl.plane; });
    const z = sl.z_nm, x = sl.x_nm;
    const rowsLabel = sl.rows || "x";
    $("heat-axes").textContent = `horizontal: z from ${fmt(z[0], 2)} to ${fmt(z[z.length - 1], 2)} nm (the rod / dimer axis); `
      + `vertical: ${rowsLabel} from ${fmt(x[0], 2)} to ${fmt(x[x.length - 1], 2)} nm; colour: |ψ|² / max; white line: particle surface`;
  }
  $("shape-results").hidden = false;
}

// perceptual colour map (viridis, 5 stops, linear in between)
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
function viridis(t) {
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + f * (VIRIDIS[i + 1][k] - c)));
}

function drawHeatmap(canvas, sl, grid) {
  const rows = grid.length, cols = grid[0].length;   // rows: x, columns: z
  const spanZ = Math.abs(sl.z_nm[cols - 1] - sl.z_nm[0]) || 1;
  const spanX = Math.abs(sl.x_nm[rows - 1] - sl.x_nm[0]) || 1;
  const width = 320;
  const height = Math.max(60, Math.min(320, Math.round((width * spanX) / spanZ)));
  canvas.width = width;
  canvas.height = height;
  const img = document.createElement("canvas");
  img.width = cols;
  img.height = rows;
  const ictx = img.getContext("2d");
  const data = ictx.createImageData(cols, rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const [R, G, B] = viridis(grid[rows - 1 - r][c] || 0);   // x increases upwards
      const o = 4 * (r * cols + c);
      data.data[o] = R; data.data[o + 1] = G; data.data[o + 2] = B; data.data[o + 3] = 255;
    }
  }
  ictx.putImageData(data, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(img, 0, 0, width, height);
  // particle surface: edges between inside and outside cells
  const inside = sl.inside;
  if (inside) {
    const sx = width / cols, sy = height / rows;
    ctx.strokeStyle = "rgba(255,255,255,0.85)";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = inside[rows - 1 - r][c];
        if (c + 1 < cols && inside[rows - 1 - r][c + 1] !== v) { ctx.moveTo((c + 1) * sx, r * sy); ctx.lineTo((c + 1) * sx, (r + 1) * sy); }
        if (r + 1 < rows && inside[rows - 2 - r][c] !== v) { ctx.moveTo(c * sx, (r + 1) * sy); ctx.lineTo((c + 1) * sx, (r + 1) * sy); }
      }
    }
    ctx.stroke();
  }
  canvas.dataset.updates = String((Number(canvas.dataset.updates) || 0) + 1);
}

function kindChanged() {
  swapResolution();
  showLabels();
  clearTimeout(timer);
  if (isShape()) {
    if (controllers.levels) controllers.levels.abort();
    if (controllers.spectrum) controllers.spectrum.abort();
    setStatus("");
    shapeInputsChanged();
  } else {
    shapeState.seq += 1;                       // drop a shape answer still on its way
    update();
  }
}

// ------------------------------------------------------------------ fit panel
function drawFit(r) {
  const p = r.plot;
  makePlot("fit", $("plot-fit"), {
    series: [{}, { label: "measured", stroke: "#5b6475", width: 1, points: { show: false } },
      { label: `model d = ${fmt(r.diameter_nm, 2)} nm`, stroke: "#b00020", width: 2 }],
    scales: { x: { time: false } },
    axes: [{ label: "wavelength (nm)" }, { label: "absorbance", size: 50 }],
  }, [p.wavelength_nm, p.absorbance, p.model_absorbance]);
}

// the fit's verdict as a coloured badge (good / uncertain / no feature), reasons as its title
function qualityBadge(r) {
  const q = r.quality || "uncertain";
  const cls = q === "good" ? "badge-good" : q === "no feature" ? "badge-none" : "badge-uncertain";
  const why = (r.reasons || []).join("; ");
  return `<span class="badge ${cls}" data-quality="${escapeHtml(q)}" title="${escapeHtml(why)}">${escapeHtml(q)}</span>`;
}

async function submitFit(ev) {
  ev.preventDefault();
  const file = $("fit-file").files[0];
  const out = $("fit-result");
  if (!file) { out.innerHTML = '<span class="error">choose a file first</span>'; return; }
  const form = new FormData();
  form.append("file", file);
  form.append("material", $("fit-material").value);
  form.append("path_cm", $("fit-path").value);
  if ($("fit-column").value.trim()) form.append("column", $("fit-column").value.trim());
  out.textContent = "fitting…";
  $("fit-button").disabled = true;
  try {
    const res = await api("fit", "/api/fit", { method: "POST", body: form });
    state.fits = res.results;
    const rows = res.results.map((r, i) => r.error
      ? `<tr><td>${escapeHtml(r.label)}</td><td><span class="badge badge-error" data-quality="error">error</span></td>`
        + `<td colspan="4" class="error">${escapeHtml(r.error)}</td></tr>`
      : `<tr data-i="${i}"><td>${escapeHtml(r.label)}</td><td>${qualityBadge(r)}</td>`
        + `<td>${fmt(r.peak_nm, 1)}</td><td>${fmt(r.diameter_nm, 2)}</td>`
        + `<td>${fmt(r.dispersion_pct, 1)}</td><td>${fmtSci(r.concentration_M)}</td></tr>`
        + (r.reasons && r.reasons.length
          ? `<tr class="fit-reasons"><td></td><td colspan="5"><ul>${r.reasons.map((t) =>
            `<li>${escapeHtml(t)}</li>`).join("")}</ul></td></tr>` : ""));
    out.innerHTML = `<table id="fit-table"><thead><tr><th>spectrum</th><th>quality</th><th>peak (nm)</th>`
      + `<th>diameter (nm)</th><th>dispersion (%)</th><th>conc. (M)</th></tr></thead>`
      + `<tbody>${rows.join("")}</tbody></table>`;
    out.querySelectorAll("tr[data-i]").forEach((tr) => tr.addEventListener("click",
      () => drawFit(state.fits[Number(tr.dataset.i)])));
    const ok = res.results.filter((r) => !r.error);
    if (ok.length) drawFit(ok[ok.length - 1]);
    document.body.dataset.fits = String((Number(document.body.dataset.fits) || 0) + 1);
  } catch (e) {
    if (e.name !== "AbortError") out.innerHTML = `<span class="error">${escapeHtml(e.message)}</span>`;
  } finally {
    $("fit-button").disabled = false;
  }
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// ------------------------------------------------------------------ synthesis panel
async function runSynth() {
  const out = $("synth-result");
  $("synth-button").disabled = true;
  $("synth-progress").value = 0;
  out.textContent = "starting…";
  try {
    const job = await postJSON("synth", "/api/synth",
      { example: $("recipe").value, duration_s: Number($("duration").value) });
    const final = await followJob(job.id);
    if (final.status !== "done") throw new Error(final.message || final.status);
    showSynth(final.result);
  } catch (e) {
    if (e.name !== "AbortError") out.innerHTML = `<span class="error">${escapeHtml(e.message)}</span>`;
  } finally {
    $("synth-button").disabled = false;
  }
}

function followJob(id) {
  return new Promise((resolve, reject) => {
    const es = new EventSource(`/api/synth/${id}/events`);
    es.addEventListener("progress", (ev) => {
      const s = JSON.parse(ev.data);
      $("synth-progress").value = s.progress;
      $("synth-result").textContent = `${s.status} ${(100 * s.progress).toFixed(0)} %`;
    });
    es.addEventListener("end", (ev) => { es.close(); resolve(JSON.parse(ev.data)); });
    es.onerror = () => {   // fall back to polling
      es.close();
      const poll = async () => {
        try {
          const s = await api("synth-poll", `/api/synth/${id}`);
          $("synth-progress").value = s.progress;
          if (s.status === "queued" || s.status === "running") setTimeout(poll, 300);
          else resolve(s);
        } catch (e) { reject(e); }
      };
      poll();
    };
  });
}

function showSynth(res) {
  state.synth = res;
  const s = res.summary;
  $("synth-progress").value = 1;
  $("synth-result").textContent = `${res.recipe_name}: mean diameter ${fmt(s.mean_diameter_nm, 2)} nm, `
    + `dispersion ${fmt(s.rsd_pct, 1)} %, yield ${fmt(s.yield_pct, 1)} %, ${s.n_steps} steps`;
  const ser = res.series;
  makePlot("growth", $("plot-growth"), {
    series: [{}, { label: "mean diameter (nm)", stroke: "#2b5fd9", width: 2, scale: "nm" },
      { label: "dispersion (%)", stroke: "#c2410c", width: 2, scale: "pct" }],
    scales: { x: { time: false } },
    axes: [{ label: "time (s)" }, { scale: "nm", label: "diameter (nm)", size: 50 },
      { scale: "pct", side: 1, label: "dispersion (%)", grid: { show: false }, size: 50 }],
  }, [ser.time_s, ser.mean_diameter_nm, ser.rsd_pct]);
  const snap = $("snapshot");
  snap.max = String(res.snapshots.time_s.length - 1);
  snap.value = snap.max;
  snap.disabled = false;
  $("synth-swatches").innerHTML = res.snapshots.colour_hex.map((c, i) =>
    `<span style="background:${c || "#ddd"}" title="t = ${fmt(res.snapshots.time_s[i], 0)} s"></span>`).join("");
  drawHistogram();
  document.body.dataset.synth = "done";
}

function drawHistogram() {
  const res = state.synth;
  if (!res) return;
  const i = Number($("snapshot").value);
  const sn = res.snapshots;
  $("snapshot-time").textContent = `at t = ${fmt(sn.time_s[i], 0)} s, `
    + `first exciton ${fmt(sn.first_exciton_nm[i], 0)} nm`;
  makePlot("histogram", $("plot-histogram"), {
    series: [{}, { label: "particles (mol/L per bin)", stroke: sn.colour_hex[i] || "#5b6475",
      fill: (sn.colour_hex[i] || "#5b6475") + "88", paths: uPlot.paths.bars({ size: [0.95, 100] }) }],
    scales: { x: { time: false } },
    axes: [{ label: "diameter (nm)" },
      { label: "mol/L", size: 60, values: (u, vals) => vals.map((v) => (v === 0 ? "0" : v.toExponential(0))) }],
  }, [sn.diameter_nm, sn.number_mol_L[i]]);
}

// ------------------------------------------------------------------ photons panel
function pm(v, e, digits, unit) {
  if (v === null || v === undefined) return null;
  return `${fmt(v, digits)}${e === null || e === undefined ? "" : ` ± ${fmt(e, digits)}`}${unit || ""}`;
}

function photonRows(d) {
  const cell = (key, text) => text === null
    ? `<td class="reason" data-key="${key}">– <span class="hint">(${escapeHtml(d[`${key}_reason`] || "not available")})</span></td>`
    : `<td data-key="${key}">${escapeHtml(text)}</td>`;
  const rows = [
    ["photons", `${fmtInt(d.n_photons)} in ${fmt(d.duration_s, 3)} s (${d.mode}, channels ${d.channels.join(", ")})`, "n_photons"],
    ["change points", `${d.change_points} (α ${d.change_point_alpha}), ${d.n_levels} level(s)`, "change_points"],
    ["g2(0)", pm(d.g2_zero, d.g2_zero_err, 3, d.g2_method ? ` (${d.g2_method})` : ""), "g2_zero"],
    ["lifetime", pm(d.lifetime_ns, d.lifetime_err_ns, 3, d.irf === "measured" ? " ns (measured IRF)" : " ns"), "lifetime_ns"],
    ["on exponent", pm(d.on_exponent, d.on_exponent_err, 3), "on_exponent"],
    ["off exponent", pm(d.off_exponent, d.off_exponent_err, 3), "off_exponent"],
  ];
  return rows.map(([name, text, key]) => `<tr><td>${name}</td>${cell(key, text)}</tr>`).join("");
}

function photonBadge(d) {
  const q = d.quality;
  const cls = q === "good" ? "badge-good" : q === "poor" ? "badge-error" : "badge-uncertain";
  return `<span class="badge ${cls}" data-quality="${escapeHtml(q)}">${escapeHtml(q)}</span>`;
}

function plotEmpty(key, el, text) {
  if (state.plots[key]) { state.plots[key].destroy(); delete state.plots[key]; }
  el.innerHTML = `<div class="plot-empty">${escapeHtml(text)}</div>`;
  el.dataset.updates = String((Number(el.dataset.updates) || 0) + 1);
}

function levelAt(times, rates, t) {
  // the step function through the change-point boundaries, at time t (binary search)
  let lo = 0, hi = times.length - 1;
  if (t < times[0] || t > times[hi]) return null;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (times[mid] <= t) lo = mid; else hi = mid; }
  return rates[lo];
}

function drawPhotons(d) {
  const p = d.plots;
  const tr = p.trace;
  const series = [{}, { label: `trace (${fmt(tr.bin_width_s * 1e3, 3)} ms bins)`, stroke: "#5b6475", width: 1, points: { show: false } }];
  const data = [tr.t_s, tr.rate_cps.map((r) => r / 1e3)];
  if (tr.levels_t_s) {
    series.push({ label: "levels", stroke: "#b00020", width: 1.5, points: { show: false } });
    data.push(tr.t_s.map((t) => {
      const r = levelAt(tr.levels_t_s, tr.levels_rate_cps, t + tr.bin_width_s / 2);
      return r === null ? null : r / 1e3;
    }));
  }
  makePlot("trace", $("plot-trace"), { series, scales: { x: { time: false } },
    axes: [{ label: "time (s)" }, { label: "counts/s × 1000", size: 55 }] }, data);
  if (p.g2) {
    makePlot("g2", $("plot-g2"), {
      series: [{}, { label: "g2", stroke: "#2b5fd9", width: 1, points: { show: false } }],
      scales: { x: { time: false } }, axes: [{ label: "delay τ (ns)" }, { label: "g2", size: 50 }],
    }, [p.g2.lag_ns, p.g2.g2]);
  } else {
    plotEmpty("g2", $("plot-g2"), `no g2: ${d.g2_zero_reason || "not available"}`);
  }
  if (p.decay) {
    const pos = (a) => a.map((v) => (v > 0 ? v : null));
    makePlot("decay", $("plot-decay"), {
      series: [{}, { label: "data", stroke: "#5b6475", width: 0, points: { show: true, size: 3 } },
        { label: `fit ${(d.lifetimes_ns || []).map((x) => fmt(x, 3)).join(", ")} ns`, stroke: "#b00020", width: 1.5, points: { show: false } }],
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [{ label: "delay (ns)" }, { label: "counts per bin", size: 60 }],
    }, [p.decay.t_ns, pos(p.decay.counts), pos(p.decay.model)]);
  } else {
    plotEmpty("decay", $("plot-decay"), `no decay: ${d.lifetime_ns_reason || "not available"}`);
  }
  drawFlid(p.flid, d);
}

function drawFlid(f, d) {
  // 2-D histogram of (counts per bin, mean delay) over the trace bins, viridis on a log scale
  const canvas = $("flid-canvas");
  const ctx = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height, L = 48, B = 30, nx = 60, ny = 40;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, W, H);
  canvas.dataset.updates = String((Number(canvas.dataset.updates) || 0) + 1);
  if (!f || !f.counts.length) {
    const why = d.lifetime_ns_reason || (d.quality_notes || []).find((n) => n.startsWith("no FLID")) || "no FLID";
    $("flid-caption").textContent = why.startsWith("no FLID") ? why : `no FLID: ${why}`;
    canvas.dataset.cells = "0";
    return;
  }
  const cmax = Math.max(...f.counts) || 1;
  const dmin = Math.min(...f.delay_ns), dmax = Math.max(...f.delay_ns);
  const dspan = dmax > dmin ? dmax - dmin : 1;
  const hist = new Array(nx * ny).fill(0);
  for (let i = 0; i < f.counts.length; i++) {
    const ix = Math.min(nx - 1, Math.floor((f.counts[i] / cmax) * nx));
    const iy = Math.min(ny - 1, Math.floor(((f.delay_ns[i] - dmin) / dspan) * ny));
    hist[iy * nx + ix] += 1;
  }
  const hmax = Math.max(...hist);
  const cw = (W - L - 4) / nx, ch = (H - B - 4) / ny;
  let cells = 0;
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const v = hist[iy * nx + ix];
      if (!v) continue;
      cells += 1;
      const [r, g, b] = viridis(Math.log(1 + v) / Math.log(1 + Math.max(hmax, 1)));
      ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
      ctx.fillRect(L + ix * cw, H - B - (iy + 1) * ch, Math.ceil(cw), Math.ceil(ch));
    }
  }
  ctx.fillStyle = "#1d2330";
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillText("0", L, H - B + 14);
  ctx.fillText(`${cmax}`, W - 30, H - B + 14);
  ctx.fillText(`counts per ${fmt(f.bin_width_s * 1e3, 3)} ms bin`, L + 60, H - 4);
  ctx.fillText(`${fmt(dmax, 2)}`, 4, 12);
  ctx.fillText(`${fmt(dmin, 2)}`, 4, H - B);
  ctx.save();
  ctx.translate(12, H / 2 + 30);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText("mean delay (ns)", 0, 0);
  ctx.restore();
  canvas.dataset.cells = String(cells);
  $("flid-caption").textContent = `${fmtInt(f.counts.length)} time bins; colour: log(1 + bins per cell)`;
}

function shortJSON(d) {
  // the answer without the plot arrays, long lists shortened
  const { plots, ...rest } = d;
  return JSON.stringify(rest, (k, v) => (Array.isArray(v) && v.length > 12
    ? [...v.slice(0, 12), `… ${v.length - 12} more`] : v), 1);
}

async function submitPhotons(ev) {
  ev.preventDefault();
  const file = $("photons-file").files[0];
  const out = $("photons-result");
  if (!file) { out.innerHTML = '<span class="error">choose a time-tag file first</span>'; return; }
  const form = new FormData();
  form.append("file", file);
  const irf = $("photons-irf").files[0];
  if (irf) form.append("irf", irf);
  if ($("photons-bin").value.trim()) form.append("bin_ms", $("photons-bin").value.trim());
  form.append("alpha", $("photons-alpha").value);
  form.append("plots", "true");
  out.textContent = "";
  $("photons-plots").hidden = true;
  $("photons-details").hidden = true;
  $("photons-button").disabled = true;
  $("photons-busy").hidden = false;
  try {
    const d = await api("photons", "/api/photons/analyse", { method: "POST", body: form });
    state.photons = d;
    const notes = (d.quality_notes || []).map((n) => `<li>${escapeHtml(n)}</li>`).join("");
    out.innerHTML = `<table id="photons-table"><tbody>${photonRows(d)}`
      + `<tr><td>quality</td><td data-key="quality">${photonBadge(d)}</td></tr></tbody></table>`
      + (notes ? `<ul class="photon-notes">${notes}</ul>` : "");
    $("photons-json").textContent = shortJSON(d);
    $("photons-plots").hidden = false;
    $("photons-details").hidden = false;
    drawPhotons(d);
    document.body.dataset.photons = String((Number(document.body.dataset.photons) || 0) + 1);
  } catch (e) {
    if (e.name !== "AbortError") {
      out.innerHTML = `<span class="error" id="photons-error">${escapeHtml(e.message)}</span>`;
      document.body.dataset.photonErrors = String((Number(document.body.dataset.photonErrors) || 0) + 1);
    }
  } finally {
    $("photons-button").disabled = false;
    $("photons-busy").hidden = true;
  }
}

// ------------------------------------------------------------------ start
function fillSelect(sel, items, preferred) {
  sel.innerHTML = items.map((k) => `<option value="${escapeHtml(k)}">${escapeHtml(k)}</option>`).join("");
  if (preferred && items.includes(preferred)) sel.value = preferred;
}

async function start() {
  try {
    const health = await api("health", "/api/health");
    state.features = health.features;
    state.materials = await api("materials", "/api/materials");
    const names = [...new Set(state.materials.map((m) => m.name))];
    fillSelect($("material"), names, "CdSe");
    fillSelect($("shell-material"), names, "ZnS");
    fillSelect($("fit-material"), names, "CdSe");
    fillSelect($("dir-rod-material"), names, "CdS");
    fillSelect($("tet-arm-material"), names, "CdSe");
    $("tet-arm-material").insertAdjacentHTML("afterbegin", '<option value="">same as the core</option>');
    $("tet-arm-material").value = "";
    if (state.features.synthesis) {
      const recipes = await api("recipes", "/api/recipes");
      fillSelect($("recipe"), Object.keys(recipes), "cdse-teaching");
    } else {
      $("synth-panel").hidden = true;
    }
    if (!state.features.fit) $("fit-panel").hidden = true;
  } catch (e) {
    setStatus(`cannot reach the API: ${e.message}`, true);
    return;
  }
  for (const id of ["diameter", "shell", "dispersion", "temperature"]) $(id).addEventListener("input", scheduleUpdate);
  for (const id of ["material", "shell-material"]) $(id).addEventListener("change", scheduleUpdate);
  $("kind").addEventListener("change", kindChanged);
  for (const id of ["rod-length", "rod-diameter", "platelet-monolayers", "platelet-lateral", "cube-edge",
    "tet-core", "tet-arm-length", "tet-arm-diameter", "dir-core", "dir-length", "dir-diameter",
    "dir-position", "dimer-da", "dimer-db", "dimer-gap", "dimer-neck", "resolution"]) {
    $(id).addEventListener("input", shapeInputsChanged);
    $(id).addEventListener("keydown", (ev) => { if (ev.key === "Enter") computeShape(); });
  }
  for (const id of ["tet-arm-material", "dir-rod-material"]) $(id).addEventListener("change", shapeInputsChanged);
  $("use-suggested").addEventListener("click", useSuggested);
  $("compute").addEventListener("click", computeShape);
  if (!state.features.shapes) {
    document.querySelectorAll("#kind .shape-option").forEach((o) => o.remove());
  }
  $("fit-form").addEventListener("submit", submitFit);
  $("photons-form").addEventListener("submit", submitPhotons);
  $("synth-button").addEventListener("click", runSynth);
  $("duration").addEventListener("input", () => { $("duration-value").textContent = `${$("duration").value} s`; });
  $("snapshot").addEventListener("input", drawHistogram);
  showLabels();
  await update();
  document.body.dataset.ready = "1";
}

start();
