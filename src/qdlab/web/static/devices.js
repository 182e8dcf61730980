/* qdlab explorer, Devices panel: LSC, display, solar cell and laser gain over the REST API
   (POST /api/device/{lsc,lsc/sweep,display,solar,gain}). No physics here: the numbers and
   curves are the API's. Loaded after app.js and reuses its globals ($, postJSON, makePlot,
   escapeHtml, state). */
"use strict";

// CIE 1931 2-degree spectral locus (x, y) at 5 nm steps, 380-700 nm: chromaticities of the
// CIE 1931 2-degree colour-matching functions (CIE 015:2018, as shipped in
// src/qdlab/optics/data/cie1931_2deg_cmfs.csv), x = xbar / (xbar + ybar + zbar), y likewise.
const CIE1931_LOCUS = [
  [380, 0.1741, 0.0050], [385, 0.1740, 0.0050], [390, 0.1738, 0.0049], [395, 0.1736, 0.0049],
  [400, 0.1733, 0.0048], [405, 0.1730, 0.0048], [410, 0.1726, 0.0048], [415, 0.1721, 0.0048],
  [420, 0.1714, 0.0051], [425, 0.1703, 0.0058], [430, 0.1689, 0.0069], [435, 0.1669, 0.0086],
  [440, 0.1644, 0.0109], [445, 0.1611, 0.0138], [450, 0.1566, 0.0177], [455, 0.1510, 0.0227],
  [460, 0.1440, 0.0297], [465, 0.1355, 0.0399], [470, 0.1241, 0.0578], [475, 0.1096, 0.0868],
  [480, 0.0913, 0.1327], [485, 0.0687, 0.2007], [490, 0.0454, 0.2950], [495, 0.0235, 0.4127],
  [500, 0.0082, 0.5384], [505, 0.0039, 0.6548], [510, 0.0139, 0.7502], [515, 0.0389, 0.8120],
  [520, 0.0743, 0.8338], [525, 0.1142, 0.8262], [530, 0.1547, 0.8059], [535, 0.1929, 0.7816],
  [540, 0.2296, 0.7543], [545, 0.2658, 0.7243], [550, 0.3016, 0.6923], [555, 0.3374, 0.6588],
  [560, 0.3731, 0.6245], [565, 0.4087, 0.5896], [570, 0.4441, 0.5547], [575, 0.4788, 0.5202],
  [580, 0.5125, 0.4866], [585, 0.5448, 0.4544], [590, 0.5752, 0.4242], [595, 0.6029, 0.3965],
  [600, 0.6270, 0.3725], [605, 0.6482, 0.3514], [610, 0.6658, 0.3340], [615, 0.6801, 0.3197],
  [620, 0.6915, 0.3083], [625, 0.7006, 0.2993], [630, 0.7079, 0.2920], [635, 0.7140, 0.2859],
  [640, 0.7190, 0.2809], [645, 0.7230, 0.2769], [650, 0.7260, 0.2740], [655, 0.7283, 0.2717],
  [660, 0.7300, 0.2700], [665, 0.7311, 0.2689], [670, 0.7320, 0.2680], [675, 0.7327, 0.2673],
  [680, 0.7334, 0.2666], [685, 0.7340, 0.2660], [690, 0.7344, 0.2656], [695, 0.7346, 0.2654],
  [700, 0.7347, 0.2653]];

// Display standards, CIE 1931 xy of R, G, B: IEC 61966-2-1 (sRGB), SMPTE RP 431-2 (DCI-P3),
// ITU-R BT.2020 (Rec.2020); the same as qdlab.optics.colour.GAMUTS.
const DISPLAY_GAMUTS = [
  ["sRGB", [[0.640, 0.330], [0.300, 0.600], [0.150, 0.060]], "#2b5fd9"],
  ["DCI-P3", [[0.680, 0.320], [0.265, 0.690], [0.150, 0.060]], "#1b7f3b"],
  ["Rec.2020", [[0.708, 0.292], [0.170, 0.797], [0.131, 0.046]], "#b86e00"]];

// Form fields per device: [id, label, kind, default, min, max, step]. Bounds follow the
// pydantic request models of src/qdlab/web/routers/device_*.py; the API checks them again.
const DEVICE_FORMS = {
  lsc: [
    ["structure", "Structure (core/shell)", "text", "CdSe/ZnS"],
    ["core_diameter_nm", "Core diameter (nm)", "number", 4.0, 0.5, 30, 0.1],
    ["shells_nm", "Shells (nm, comma-separated)", "list", "1.0"],
    ["concentration_M", "Concentration (mol/L)", "number", 1e-5, 1e-9, 1e-2, "any"],
    ["length_cm", "Slab length (cm)", "number", 5, 1e-4, 1e4, "any"],
    ["width_cm", "Slab width (cm)", "number", 5, 1e-4, 1e4, "any"],
    ["thickness_cm", "Slab thickness (cm)", "number", 0.5, 1e-4, 1e4, "any"],
    ["quantum_yield", "Quantum yield", "number", 1.0, 0, 1, 0.01],
    ["photons", "Photons", "number", 20000, 1, 2000000, 1000],
    ["sweep_sizes", "Sweep: core diameters (nm)", "list", "3, 3.5, 4, 4.5, 5, 5.5"],
    ["sweep_absorbance", "Sweep: absorbance at 400 nm", "number", 1.0, 1e-4, 10, "any"],
    ["photons_per_size", "Sweep: photons per size", "number", 5000, 1, 20000, 1000]],
  display: [
    ["red", "Red dot (peak nm or spec)", "text", "630"],
    ["green", "Green dot (peak nm or spec)", "text", "530"],
    ["blue_led_nm", "Blue LED peak (nm)", "number", 450, 380, 500, 1],
    ["fwhm_nm", "Dot FWHM (nm; empty: model)", "optional", "", 5, 150, 1],
    ["quantum_yield", "Quantum yield", "number", 0.9, 0, 1, 0.01],
    ["thickness_um", "Layer thickness (µm)", "number", 50, 1, 1000, 1],
    ["layout", "Layout", "select", "sequential", ["sequential", "mixed"]],
    ["rohs", "Cd-free (InP) dots", "checkbox", false]],
  solar: [
    ["material", "Dot material", "text", "PbS"],
    ["mean_diameter_nm", "Mean diameter (nm)", "number", 3.5, 1, 30, 0.1],
    ["step_gap_eV", "Step gap (eV; replaces the dots)", "optional", "", 0.2, 4, 0.01],
    ["thickness_nm", "Film thickness (nm)", "number", 500, 1, 1e5, 10],
    ["passes", "Light passes", "select", "2", ["1", "2"]],
    ["meg", "MEG", "select", "none", ["none", "linear", "staircase"]],
    ["temperature_K", "Cell temperature (K)", "number", 300, 150, 500, 1]],
  gain: [
    ["material", "Material (core/shell)", "text", "CdSe/ZnS"],
    ["core_diameter_nm", "Core diameter (nm)", "number", 4.0, 1, 20, 0.1],
    ["shells_nm", "Shells (nm, comma-separated)", "list", "1.0"],
    ["dispersion_pct", "Size dispersion (%)", "number", 5, 0, 30, 0.5],
    ["pump_nm", "Pump (nm)", "number", 400, 200, 3000, 1],
    ["populations", "Populations", "select", "poisson", ["poisson", "single"]],
    ["n_points", "Spectrum points", "number", 201, 11, 2001, 10]]};

// Key numbers shown per device: [label, key path in the response, digits, unit, se key path].
const DEVICE_ROWS = {
  lsc: [
    ["optical efficiency", "optical_efficiency", 4, "", "optical_efficiency_se"],
    ["power efficiency", "power_efficiency", 4, "", "power_efficiency_se"],
    ["concentration factor", "concentration_factor", 3, "", "concentration_factor_se"],
    ["absorbed fraction", "absorbed_fraction", 4, "", "absorbed_fraction_se"],
    ["edge photons per absorbed", "edge_per_absorbed", 4, "", "edge_per_absorbed_se"],
    ["trapping efficiency", "trapping_efficiency", 4, ""],
    ["geometric gain", "geometric_gain", 3, ""],
    ["PL peak", "dots.pl_peak_nm", 1, "nm"],
    ["absorbance at excitation", "dots.absorbance_at_excitation", 3, ""]],
  display: [
    ["sRGB coverage (xy)", "gamut_coverage.sRGB.xy.coverage", 4, ""],
    ["DCI-P3 coverage (xy)", "gamut_coverage.DCI-P3.xy.coverage", 4, ""],
    ["Rec.2020 coverage (xy)", "gamut_coverage.Rec2020.xy.coverage", 4, ""],
    ["Rec.2020 area ratio (xy)", "gamut_coverage.Rec2020.xy.area_ratio", 4, ""],
    ["white point x", "white_point.x", 4, ""],
    ["white point y", "white_point.y", 4, ""],
    ["CCT", "white_point.cct_K", 0, "K"],
    ["blue leakage", "film.blue_leakage", 4, ""],
    ["conversion efficiency", "film.conversion_efficiency", 4, ""]],
  solar: [
    ["efficiency limit", "efficiency_limit", 4, ""],
    ["Voc", "voc_V", 4, "V"],
    ["Jsc", "jsc_mA_cm2", 3, "mA/cm²"],
    ["fill factor", "ff", 4, ""],
    ["Vmpp", "vmpp_V", 4, "V"],
    ["Jmpp", "jmpp_mA_cm2", 3, "mA/cm²"],
    ["gap", "gap_eV", 4, "eV"]],
  gain: [
    ["threshold (excitons per dot)", "threshold_excitons_per_dot", 4, ""],
    ["threshold, single size", "threshold_single_size", 4, ""],
    ["ASE threshold", "ase_threshold_uJ_cm2", 2, "µJ/cm²"],
    ["gain lifetime", "gain_lifetime_ps", 2, "ps"],
    ["biexciton binding", "biexciton_binding_meV", 2, "meV"],
    ["first exciton", "first_exciton_nm", 1, "nm"],
    ["peak gain", "peak_gain_nm", 1, "nm"]]};

const devices = { device: null, request: null, result: null, sweepRequest: null, sweep: null };
state.devices = devices;   // for the end-to-end tests

function devGet(obj, path) {
  return path.split(".").reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), obj);
}

function devNumbers(text) {
  return String(text).split(/[,\s]+/).filter((s) => s !== "").map(Number);
}

function buildDeviceForm() {
  const dev = $("device-select").value;
  const box = $("device-form");
  box.innerHTML = "";
  for (const [id, label, kind, value, a, b, step] of DEVICE_FORMS[dev]) {
    const lab = document.createElement("label");
    lab.textContent = label + " ";
    let input;
    if (kind === "select") {
      input = document.createElement("select");
      for (const o of a) input.add(new Option(o, o, false, o === value));
    } else {
      input = document.createElement("input");
      if (kind === "checkbox") { input.type = "checkbox"; input.checked = value; } else if (kind === "number" || kind === "optional") {
        input.type = "number"; input.min = a; input.max = b; input.step = step; input.value = value;
        if (kind === "optional") input.placeholder = "none";
      } else { input.type = "text"; input.value = value; input.maxLength = 80; }
    }
    input.id = `dev-${id}`;
    input.dataset.kind = kind;
    lab.appendChild(input);
    box.appendChild(lab);
  }
}

function deviceInputs(dev) {
  const v = {};
  for (const [id, , kind] of DEVICE_FORMS[dev]) {
    const el = $(`dev-${id}`);
    if (kind === "checkbox") v[id] = el.checked;
    else if (kind === "number") v[id] = el.value.trim() === "" ? null : Number(el.value);
    else if (kind === "optional") { if (el.value.trim() !== "") v[id] = Number(el.value); }
    else if (kind === "list") v[id] = devNumbers(el.value);
    else v[id] = el.value.trim();
  }
  return v;
}

function deviceRequests(dev) {
  const v = deviceInputs(dev);
  if (dev === "lsc") {
    const size = [v.length_cm, v.width_cm, v.thickness_cm];
    const common = { structure: v.structure, shells_nm: v.shells_nm, size_cm: size,
      quantum_yield: v.quantum_yield };
    return [
      ["/api/device/lsc", { ...common, core_diameter_nm: v.core_diameter_nm,
        concentration_M: v.concentration_M, photons: v.photons, seed: 1, include_spectrum: true }],
      ["/api/device/lsc/sweep", { ...common, core_diameters_nm: v.sweep_sizes,
        absorbance_at_excitation: v.sweep_absorbance, photons_per_size: v.photons_per_size,
        seed: 0 }]];
  }
  if (dev === "solar") {
    const req = { ...v, passes: Number(v.passes), n_curve: 101 };
    if (req.step_gap_eV !== undefined) { delete req.material; delete req.mean_diameter_nm; }
    return [["/api/device/solar", req]];
  }
  if (dev === "gain") return [["/api/device/gain", v]];
  return [["/api/device/display", v]];
}

function deviceTable(dev, d) {
  const mc = DEVICE_ROWS[dev].some((r) => r[4]);   // a Monte Carlo device: show the errors
  const rows = DEVICE_ROWS[dev].map(([label, key, digits, unit, seKey]) => {
    const x = devGet(d, key);
    const se = seKey ? devGet(d, seKey) : undefined;
    const shown = x === null || x === undefined ? "–" : Number(x).toFixed(digits);
    const err = se === undefined || se === null ? "" : ` ± ${Number(se).toFixed(digits)}`;
    return `<tr><td>${escapeHtml(label)}</td><td data-key="${escapeHtml(key)}" data-value="${escapeHtml(String(x))}">`
      + `${shown}</td>${mc ? `<td>${err ? escapeHtml(err.trim()) : ""}</td>` : ""}<td>${escapeHtml(unit)}</td></tr>`;
  });
  const warn = (d.warnings || []).map((w) => `<li>${escapeHtml(w)}</li>`).join("");
  return `<table id="devices-table"><thead><tr><th>quantity</th><th>value</th>${mc ? "<th>MC error</th>" : ""}<th>unit</th></tr></thead>`
    + `<tbody>${rows.join("")}</tbody></table>` + (warn ? `<ul class="warnings">${warn}</ul>` : "");
}

function devicePlot(key, title, opts, data) {
  const wrap = document.createElement("div");
  wrap.innerHTML = `<h3>${escapeHtml(title)}</h3>`;
  const el = document.createElement("div");
  el.className = "plot";
  el.id = `plot-${key}`;
  wrap.appendChild(el);
  $("devices-plots").appendChild(wrap);
  return makePlot(key, el, opts, data);
}

const devAxes = (x, y) => [{ label: x }, { label: y, size: 72 }];

function drawLSC(d, sw) {
  const s = d.edge_spectrum;
  if (s && s.wavelength_nm) {
    devicePlot("dev-lsc-edge", "Edge spectrum (photons per incident photon per nm)", {
      scales: { x: { time: false } }, axes: devAxes("wavelength (nm)", "per nm"),
      series: [{}, { label: "edge", stroke: "#b00020" }] },
    [s.wavelength_nm, s.photons_per_incident_per_nm]);
  }
  if (sw) {
    const e = sw.optical_efficiency, se = sw.optical_efficiency_se;
    devicePlot("dev-lsc-sweep", "Optical efficiency against core diameter (± 1 MC standard error)", {
      scales: { x: { time: false } }, axes: devAxes("core diameter (nm)", "efficiency"),
      series: [{}, { label: "η_opt", stroke: "#2b5fd9", points: { show: true } },
        { label: "+1 se", stroke: "#8fa8e8", dash: [4, 4] },
        { label: "−1 se", stroke: "#8fa8e8", dash: [4, 4] }],
      bands: [{ series: [2, 3], fill: "rgba(43, 95, 217, 0.12)" }] },
    [sw.core_diameter_nm, e, e.map((v, i) => v + se[i]), e.map((v, i) => v - se[i])]);
  }
}

function drawChromaticity(d) {
  const wrap = document.createElement("div");
  wrap.innerHTML = "<h3>CIE 1931 xy: spectral locus, standard gamuts and the device primaries</h3>";
  const canvas = document.createElement("canvas");
  canvas.id = "dev-cie";
  canvas.width = 420; canvas.height = 420;
  wrap.appendChild(canvas);
  $("devices-plots").appendChild(wrap);
  const ctx = canvas.getContext("2d");
  const pad = 36, w = canvas.width - 2 * pad, h = canvas.height - 2 * pad;
  const X = (x) => pad + (x / 0.8) * w, Y = (y) => pad + h - (y / 0.9) * h;
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = "#d9dde5"; ctx.fillStyle = "#5b6475"; ctx.font = "11px sans-serif";
  for (let t = 0; t <= 0.8001; t += 0.1) {
    ctx.beginPath(); ctx.moveTo(X(t), Y(0)); ctx.lineTo(X(t), Y(0.9)); ctx.stroke();
    ctx.fillText(t.toFixed(1), X(t) - 8, Y(0) + 14);
  }
  for (let t = 0; t <= 0.9001; t += 0.1) {
    ctx.beginPath(); ctx.moveTo(X(0), Y(t)); ctx.lineTo(X(0.8), Y(t)); ctx.stroke();
    ctx.fillText(t.toFixed(1), 6, Y(t) + 4);
  }
  ctx.fillText("x", X(0.8) - 6, Y(0) + 28); ctx.fillText("y", 6, Y(0.9) - 8);
  const poly = (pts, stroke, width, dash, close) => {
    ctx.beginPath(); ctx.setLineDash(dash || []); ctx.strokeStyle = stroke; ctx.lineWidth = width;
    pts.forEach(([x, y], i) => (i ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y))));
    if (close) ctx.closePath();
    ctx.stroke(); ctx.setLineDash([]); ctx.lineWidth = 1;
  };
  poly(CIE1931_LOCUS.map((r) => [r[1], r[2]]), "#1d2330", 1.5, null, true);
  ctx.fillStyle = "#1d2330";
  for (const [nm, x, y] of CIE1931_LOCUS) {
    if ([460, 480, 500, 520, 540, 560, 580, 600, 620].includes(nm)) ctx.fillText(String(nm), X(x) + 4, Y(y));
  }
  let ly = 14;
  const legend = (name, colour, dash) => {
    ctx.setLineDash(dash || []); ctx.strokeStyle = colour; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(X(0.5), ly); ctx.lineTo(X(0.5) + 22, ly); ctx.stroke();
    ctx.setLineDash([]); ctx.lineWidth = 1; ctx.fillStyle = "#1d2330";
    ctx.fillText(name, X(0.5) + 28, ly + 4); ly += 15;
  };
  for (const [name, pts, colour] of DISPLAY_GAMUTS) { poly(pts, colour, 1.2, [5, 3], true); legend(name, colour, [5, 3]); }
  const prim = (d.primaries || []).map((p) => [p.x, p.y]);
  if (prim.length === 3) {
    poly(prim, "#b00020", 2.2, null, true); legend("device", "#b00020");
    ctx.fillStyle = "#b00020";
    for (const [x, y] of prim) { ctx.beginPath(); ctx.arc(X(x), Y(y), 3.5, 0, 2 * Math.PI); ctx.fill(); }
  }
  const wp = d.white_point;
  if (wp) { ctx.fillStyle = "#5b6475"; ctx.beginPath(); ctx.arc(X(wp.x), Y(wp.y), 3, 0, 2 * Math.PI); ctx.fill(); }
  canvas.dataset.primaries = String(prim.length);
  canvas.dataset.updates = String((Number(canvas.dataset.updates) || 0) + 1);
}

function drawSolar(d) {
  const jv = d.jv_curve;
  if (!jv) return;
  devicePlot("dev-solar-jv", "J–V curve (detailed-balance limit, AM1.5G)", {
    scales: { x: { time: false } }, axes: devAxes("voltage (V)", "J (mA/cm²)"),
    series: [{}, { label: "J", stroke: "#2b5fd9" }] }, [jv.voltage_V, jv.current_mA_cm2]);
}

function drawGain(d) {
  const g = d.gain_spectrum;
  if (!g) return;
  // the API lists the spectrum on an energy grid (wavelength falling): plot against rising nm
  const idx = g.wavelength_nm.map((_, i) => i).sort((a, b) => g.wavelength_nm[a] - g.wavelength_nm[b]);
  devicePlot("dev-gain", `Gain spectrum at ⟨N⟩ = ${Number(g.mean_excitons_per_dot).toFixed(2)} excitons per dot`, {
    scales: { x: { time: false } }, axes: devAxes("wavelength (nm)", "gain (1/cm)"),
    series: [{}, { label: "gain", stroke: "#b00020" }] },
  [idx.map((i) => g.wavelength_nm[i]), idx.map((i) => g.gain_per_cm[i])]);
}

function clearDevicePlots() {
  for (const k of Object.keys(state.plots)) {
    if (k.startsWith("dev-")) { state.plots[k].destroy(); delete state.plots[k]; }
  }
  $("devices-plots").innerHTML = "";
}

function bumpBody(key) {
  document.body.dataset[key] = String((Number(document.body.dataset[key]) || 0) + 1);
}

async function runDevice() {
  const dev = $("device-select").value;
  const out = $("devices-result");
  const reqs = deviceRequests(dev);
  $("device-run").disabled = true;
  $("devices-busy").hidden = false;
  out.innerHTML = "";
  clearDevicePlots();
  try {
    const [path, req] = reqs[0];
    const d = await postJSON("devices", path, req);
    let sw = null;
    if (reqs.length > 1) sw = await postJSON("devices-sweep", reqs[1][0], reqs[1][1]);
    Object.assign(devices, { device: dev, request: req, result: d,
      sweepRequest: reqs.length > 1 ? reqs[1][1] : null, sweep: sw });
    out.innerHTML = deviceTable(dev, d);
    if (dev === "lsc") drawLSC(d, sw);
    else if (dev === "display") drawChromaticity(d);
    else if (dev === "solar") drawSolar(d);
    else drawGain(d);
    bumpBody("devices");
  } catch (e) {
    if (e.name === "AbortError") return;
    const msg = typeof e.message === "string" ? e.message : JSON.stringify(e.message);
    out.innerHTML = `<span class="error" id="devices-error">${escapeHtml(msg)}</span>`;
    bumpBody("deviceErrors");
  } finally {
    $("device-run").disabled = false;
    $("devices-busy").hidden = true;
  }
}

function startDevices() {
  if (!$("devices-panel")) return;
  $("device-select").addEventListener("change", () => {
    buildDeviceForm(); $("devices-result").innerHTML = ""; clearDevicePlots();
  });
  $("device-run").addEventListener("click", runDevice);
  buildDeviceForm();
}

startDevices();
