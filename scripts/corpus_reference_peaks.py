"""Independent first-exciton reference positions for the real-spectrum corpus.

Standalone on purpose: uses only numpy and scipy (never qdlab's readers or fitter), so the
reference values in ``tests/data/spectra/index.csv`` cannot inherit a bug of the code they
are meant to test.

Method (per absorbance spectrum)
--------------------------------
1. Read the column exactly as the instrument wrote it (tiny format-specific parsers below)
   and linearly interpolate it onto a uniform grid of ``STEP_NM`` (the exports have 1 nm or
   irregular ~1 nm steps).
2. Smooth with a Savitzky-Golay filter (cubic, window ``SG_WINDOW_NM``) and take its second
   derivative d2A/dlambda2 from the same filter.
3. Inside the physically plausible window of the material (``WINDOWS_NM``), list the local
   minima of d2A/dlambda2 whose depth exceeds ``NOISE_FACTOR`` times the noise of the
   second derivative (robust MAD of the raw-minus-smoothed residual, propagated through the
   same filter), is at least ``REL_DEPTH`` of the deepest minimum in the window, and whose
   smoothed absorbance stands above the red baseline by more than ``MIN_HEIGHT_FRACTION`` of
   the absorbance span of the window (rejects detector glitches on the flat red tail).
   The first excitonic transition is the lowest-energy (longest-wavelength) such minimum:
   that is the reference (method ``sg_d2_min``).
4. Cross-check: the local maximum of the smoothed absorbance near that minimum (SG windows
   ``PEAK_WINDOWS_NM``). Real first-exciton bands overlap the next transitions on their blue
   side, so the maximum of the sum sits 5-13 nm to the blue of the d2 minimum in these CdSe
   data (a synthetic single Gaussian on a scattering background gives < 3 nm).
5. Uncertainty: the largest of half the distance between the d2 minimum and the local
   maximum (when a maximum exists), the half-width of the d2 trough (points within two
   noise units or 10 % of the minimum: weak shoulders have flat-bottomed troughs), half
   the spread of the d2 minimum over the SG windows ``PEAK_WINDOWS_NM``,
   ``MIN_UNCERTAINTY_NM`` and half the export's step.
   Published values of the authors are listed in the notes, never averaged in.

No feature: if no second-derivative minimum passes the noise test in the window, the
spectrum is recorded with an empty reference and the note ``no feature``.

Photoluminescence spectra get the maximum of the smoothed emission (method ``pl_max``);
that is the emission peak, not the absorption feature (10-25 nm to the red for CdSe).

Run ``python scripts/corpus_reference_peaks.py`` to print the table, ``--write`` to
regenerate ``tests/data/spectra/index.csv``, ``--plot DIR`` to draw every spectrum with its
reference into PNG files for visual checking.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.signal import argrelextrema, savgol_filter

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "spectra"
INDEX = CORPUS / "index.csv"

STEP_NM = 0.5
SG_WINDOW_NM = 15.0
PEAK_WINDOWS_NM = (7.0, 11.0, 15.0)
PEAK_SEARCH_NM = 15.0
NOISE_FACTOR = 6.0
REL_DEPTH = 0.15
MIN_HEIGHT_FRACTION = 0.2
MIN_UNCERTAINTY_NM = 2.0

#: Physically plausible first-exciton windows (nm), by material.
WINDOWS_NM = {
    "CdSe": (440.0, 680.0),
    "CdMnSe": (440.0, 680.0),
    "PbSe": (900.0, 2400.0),
    "carbon-dots": (440.0, 680.0),
}

#: Wider SG windows for the NIR (broad features, 1 nm sampling over 1000+ nm).
SG_WINDOW_BY_MATERIAL_NM = {"PbSe": 41.0}
PEAK_WINDOWS_BY_MATERIAL_NM = {"PbSe": (21.0, 31.0, 41.0)}

#: Uncertainty floors set on visual inspection, with the reason (file, label) -> (nm, why).
INSPECTION_FLOORS = {
    ("Run 7 UV-Vis.csv", "60 s"): (6.0, "weak shoulder: the d2 trough is flat from 470 to "
                                        "482 nm on inspection"),
}

COLUMNS = [
    "file", "label", "material", "instrument", "kind", "source_repo", "source_path",
    "source_commit", "licence", "reference_peak_nm", "reference_method",
    "reference_uncertainty_nm", "notes",
]


@dataclass(frozen=True)
class Source:
    """One source repository and what is known about its instrument."""

    slug: str
    repo: str
    commit: str
    licence: str
    instrument: str


SOURCES = {
    "wrighttools_jasco_pbse": Source(
        "wrighttools_jasco_pbse", "wright-group/WrightTools",
        "ed26904775a99fea609d70a3e6997d7cf0ecb573", "MIT",
        "JASCO V-570 UV/Vis/NIR (JASCO text export with XYDATA block)"),
    "imperial_ms302_cdse": Source(
        "imperial_ms302_cdse", "angzeli/Imperial-MS-3.02-CdSe-quantum-dots",
        "12ea2e53fb0c913eeda22315f3b495815c3bce81", "MIT",
        "unknown UV-Vis spectrophotometer and fluorimeter (Imperial College teaching lab; "
        "irregular ~1 nm grid, many-column CSV)"),
    "karpushkin_oceanoptics_carbon_dots": Source(
        "karpushkin_oceanoptics_carbon_dots", "eukarr/urea_physchem",
        "c633d0ae8a04abb817a9452e209d7c2c57836178", "MIT",
        "Ocean Optics Maya spectrometer MAYP114033, OceanView text export (decimal commas, "
        "199-1108 nm, 2068 pixels)"),
    "chenjialin_thesis_cdse_cdmnse": Source(
        "chenjialin_thesis_cdse_cdmnse", "Chen-Jialin/Undergraduate-Thesis",
        "d72aa0c6b4ea2bbf38ce5dddaba512e7159614a4", "MIT",
        "unknown UV-Vis-NIR spectrophotometer (paired-column CSV with Chinese headers)"),
    "wrighttools_labram_perovskite_pl": Source(
        "wrighttools_labram_perovskite_pl", "wright-group/WrightTools",
        "bb5c120368ccf2211b7e7ab1087232f3d0d22ad9", "MIT",
        "Horiba LabRAM HR Evolution (LabSpec 6 text export, latin-1 '#Key=' header; "
        "405 nm laser)"),
}


@dataclass(frozen=True)
class Entry:
    """One spectrum of the corpus: a file, a column label and its metadata."""

    slug: str
    filename: str
    source_path: str
    label: str
    material: str
    kind: str
    authors_peak_nm: float | None = None
    note: str = ""
    #: expert override, with its reason, when the spectrum has no excitonic feature although
    #: the numerical criterion finds a curvature minimum (e.g. a molecular band)
    no_feature_reason: str = ""
    #: PL only: where the emission is searched (keeps the excitation line out)
    pl_window_nm: tuple[float, float] | None = None


def _imperial(filename: str, labels: list[str], authors: dict[str, float], kind: str,
              run: str) -> list[Entry]:
    out = []
    for lab in labels:
        out.append(Entry("imperial_ms302_cdse", filename, f"Data/{filename}", lab, "CdSe",
                         kind, authors.get(lab.strip()),
                         f"hot-injection aliquot {lab.strip()}, {run}"))
    return out


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    return raw.decode("utf-8-sig", errors="replace")


def read_jasco(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Read a JASCO text export (header lines, then ``XYDATA`` and x<TAB>y rows)."""
    lines = _read_text(path).splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "XYDATA") + 1
    data = np.array([[float(v) for v in ln.split("\t")[:2]] for ln in lines[start:]
                     if ln.strip()])
    return {"absorbance": (data[:, 0], data[:, 1])}


def read_wide_csv(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Read a CSV with one wavelength column and one column per spectrum (any newline)."""
    rows = list(csv.reader(io.StringIO(_read_text(path), newline=None)))
    header = rows[0]
    body = [r for r in rows[1:] if r and r[0].strip()]
    x = np.array([float(r[0]) for r in body])
    out = {}
    for j, name in enumerate(header[1:], start=1):
        y = np.array([float(r[j]) if j < len(r) and r[j].strip() else np.nan for r in body])
        out[name] = (x, y)
    return out


def read_paired_csv(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Read a CSV with a sample-name row, a units row and (x, y) column pairs."""
    rows = list(csv.reader(io.StringIO(_read_text(path), newline=None)))
    names, body = rows[0], [r for r in rows[2:] if r and r[0].strip()]
    out = {}
    for j in range(0, len(names) - 1, 2):
        x = np.array([float(r[j]) for r in body if r[j].strip()])
        y = np.array([float(r[j + 1]) for r in body if r[j].strip()])
        out[names[j]] = (x, y)
    return out


def read_oceanview(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Read an OceanView text export (header, ``>>>>>Begin Spectral Data<<<<<``, x<TAB>y).

    The locale of the acquisition PC may write decimal commas (``199,4<TAB>-0,003``).
    """
    lines = _read_text(path).splitlines()
    start = next(i for i, ln in enumerate(lines) if "Begin Spectral Data" in ln) + 1
    data = np.array([[float(v.replace(",", ".")) for v in ln.split("\t")[:2]]
                     for ln in lines[start:] if ln.strip() and "End" not in ln])
    return {"intensity": (data[:, 0], data[:, 1])}


def read_labspec(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Read a Horiba LabSpec export: ``#Key=<TAB>value`` header, then either x<TAB>y rows
    (label: the ``#Title=``) or a first row of x values after an empty cell and one row per
    spectrum (labels ``"<Title> #1"``, ``"<Title> #2"``...)."""
    text = path.read_bytes().decode("latin-1").splitlines()
    head = [ln for ln in text if ln.startswith("#")]
    lines = [ln for ln in text if ln.strip() and not ln.startswith("#")]
    if lines[0].startswith("\t"):
        x = np.array([float(v) for v in lines[0].split("\t")[1:]])
        title = next((ln.split("=", 1)[1].strip() for ln in head if ln.startswith("#Title=")),
                     "")
        return {f"{title} #{ln.split(chr(9))[0]}": (x, np.array([float(v) for v in
                                                        ln.split("\t")[1:]]))
                for ln in lines[1:]}
    data = np.array([[float(v) for v in ln.split("\t")[:2]] for ln in lines])
    title = next((ln.split("=", 1)[1].strip() for ln in head if ln.startswith("#Title=")), "")
    return {title: (data[:, 0], data[:, 1])}


READERS = {
    "wrighttools_labram_perovskite_pl": read_labspec,
    "karpushkin_oceanoptics_carbon_dots": read_oceanview,
    "wrighttools_jasco_pbse": read_jasco,
    "imperial_ms302_cdse": read_wide_csv,
    "chenjialin_thesis_cdse_cdmnse": read_paired_csv,
}


def _authors_imperial() -> dict[str, dict[str, float]]:
    """Authors' first-exciton peaks (``UV-Vis Peak Values.csv``), per run and time label."""
    rows = list(csv.reader(open(CORPUS / "imperial_ms302_cdse" / "UV-Vis Peak Values.csv",
                                encoding="utf-8-sig", newline="")))
    header = rows[0]
    out: dict[str, dict[str, float]] = {h: {} for h in header if h.startswith("Run")}
    for r in rows[1:]:
        if r[0].strip() and r[1].strip():
            out["Run 1"][f"{int(float(r[0]))} s"] = float(r[1])
        for j in range(3, len(header)):
            if r[2].strip() and j < len(r) and r[j].strip():
                out[header[j]][f"{int(float(r[2]))} s"] = float(r[j])
    return out


def build_entries() -> list[Entry]:
    """The corpus: every spectrum with its metadata (labels exactly as in the files)."""
    entries: list[Entry] = []
    auth = _authors_imperial()
    imp = CORPUS / "imperial_ms302_cdse"
    for fname, run in [("Run 1 UV-Vis.csv", "Run 1"), ("Run 3 UV-Vis.csv", "Run 3"),
                       ("Run 7 UV-Vis.csv", "Run 7"), ("run 8 uv-vis.csv", "Run 8"),
                       ("run 9 uv-vis.csv", "Run 9")]:
        labels = list(read_wide_csv(imp / fname))
        a = {}
        for lab in labels:
            key = lab.replace(" reaction", "").strip()
            if key in auth[run]:
                a[lab.strip()] = auth[run][key]
        entries += _imperial(fname, labels, a, "absorbance", run)
    labels = list(read_wide_csv(imp / "Run 7 FL emission.csv"))
    entries += _imperial("Run 7 FL emission.csv", labels, {}, "pl", "Run 7")
    w = "WrightTools/datasets/JASCO/"
    for fname, note in [
        ("PbSe batch 1.txt", "PbSe nanocrystals, batch 1, 700-2500 nm; solvent overtones "
         "(C-H near 1700 nm) and a strong rise below 900 nm"),
        ("PbSe batch 4 2012-02-21.txt", "PbSe nanocrystals, batch 4, first scan"),
        ("PbSe batch 4 2012-03-15.txt", "PbSe nanocrystals, batch 4, same sample 3 weeks "
         "later (WrightTools example compares the two)"),
    ]:
        entries.append(Entry("wrighttools_jasco_pbse", fname, w + fname, "absorbance",
                             "PbSe", "absorbance", None, note))
    c = "Quantum-Dot-CdSe-and-Cd_{1-x}Mn_xSe-Absorption-Spectrum.csv"
    entries.append(Entry("chenjialin_thesis_cdse_cdmnse", c, "Data/Absorption-Spectrum/" + c,
                         "1-CdSe", "CdSe", "absorbance", None,
                         "CdSe QDs (undergraduate thesis); label = sample-name cell of the "
                         "column pair"))
    entries.append(Entry("chenjialin_thesis_cdse_cdmnse", c, "Data/Absorption-Spectrum/" + c,
                         "2-CdMnSe", "CdMnSe", "absorbance", None,
                         "Mn-doped CdSe QDs (Cd1-xMnxSe, x unknown); fit it as CdSe"))
    k = "karpushkin_oceanoptics_carbon_dots"
    for fname, what, why in [
        ("u_ca_1_1_d.txt", "urea:citric acid 1:1, dialysate",
         "bands at 340 nm only, flat above 450 nm"),
        ("u_ca_3_1_p.txt", "urea:citric acid 3:1, purified colloid",
         "one broad molecular band near 540 nm (FWHM ~200 nm)"),
        ("t_ca_1_1_p.txt", "thiourea:citric acid 1:1, purified colloid",
         "bands at 280/340 nm and a weak broad band near 560 nm"),
        ("t_ca_7_1_d.txt", "thiourea:citric acid 7:1, dialysate",
         "bands at 260/350 nm only"),
    ]:
        entries.append(Entry(k, fname, f"data/QY_oct22/abs/{fname}", "intensity",
                             "carbon-dots", "absorbance", None,
                             f"carbon nanodots ({what}), absorbance with noisy UV detector "
                             "edge below 250 nm and NIR edge above 1050 nm; not a "
                             "quantum-confined semiconductor",
                             no_feature_reason=f"no excitonic transition ({why})"))
    for fname, what in [("fluoro/u_ca_3_1_p.txt", "urea:citric acid 3:1"),
                        ("fluoro/t_ca_1_1_p.txt", "thiourea:citric acid 1:1")]:
        entries.append(Entry(k, fname, f"data/QY_oct22/{fname}", "intensity",
                             "carbon-dots", "pl", None,
                             f"carbon nanodot emission ({what}), raw counts; the sharp line "
                             "at 370 nm is scattered excitation light (excluded: emission "
                             "searched in 400-900 nm)", pl_window_nm=(400.0, 900.0)))
    lab = "wrighttools_labram_perovskite_pl"
    labram = "WrightTools/datasets/LabRAM/"
    entries.append(Entry(lab, "spectrum_nm.txt", labram + "spectrum_nm.txt.gz (decompressed)",
                         "xBr85_1", "perovskite", "pl", None,
                         "lead-halide perovskite sample titled xBr85_1 (composition not "
                         "stated beyond the title; fitted as CsPbBr3 for the peak); the 405 "
                         "nm laser tail makes the first point the data maximum: emission "
                         "searched in 450-620 nm", pl_window_nm=(450.0, 620.0)))
    for i in (1, 2, 3, 4):
        entries.append(Entry(lab, "survey_nm.txt", labram + "survey_nm.txt.gz (decompressed)",
                             f"xBr75_2 #{i}", "perovskite", "pl", None,
                             f"lead-halide perovskite sample titled xBr75_2, spectrum {i} of "
                             "a 4-spectrum series (one row per spectrum); fitted as CsPbBr3 "
                             "for the peak; emission searched in 450-600 nm",
                             pl_window_nm=(450.0, 600.0)))
    return entries


@dataclass
class Result:
    peak: float | None
    method: str
    uncertainty: float | None
    d2_min: float | None
    local_max: float | None
    note: str


def _uniform(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    order = np.argsort(x)
    x, y = x[order], y[order]
    native = float(np.median(np.diff(x)))
    grid = np.arange(np.ceil(x[0]), np.floor(x[-1]) + STEP_NM / 2, STEP_NM)
    return grid, np.interp(grid, x, y), native


def reference_absorbance(x: np.ndarray, y: np.ndarray, material: str) -> Result:
    """First-exciton position by the second-derivative method (see module docstring)."""
    g, a, native = _uniform(x, y)
    win_nm = SG_WINDOW_BY_MATERIAL_NM.get(material, SG_WINDOW_NM)
    n = int(round(win_nm / STEP_NM)) | 1
    sm = savgol_filter(a, n, 3)
    d2 = savgol_filter(a, n, 3, deriv=2, delta=STEP_NM)
    resid = a - sm
    sigma = 1.4826 * np.median(np.abs(resid - np.median(resid)))
    # noise of the SG second derivative for white noise of std sigma
    coeffs = savgol_filter(np.eye(n)[n // 2], n, 3, deriv=2, delta=STEP_NM)
    d2_noise = sigma * float(np.sqrt(np.sum(coeffs ** 2))) + 1e-12
    lo, hi = WINDOWS_NM[material]
    lo, hi = max(lo, g[0] + win_nm), min(hi, g[-1] - win_nm)
    if hi <= lo:
        return Result(None, "", None, None, None, "no feature (window outside data)")
    mins = argrelextrema(d2, np.less_equal, order=max(1, int(8 / STEP_NM)))[0]
    inwin = [i for i in mins if lo <= g[i] <= hi and d2[i] < 0]
    deepest = max((-d2[i] for i in inwin), default=0.0)
    iwin = (g >= lo) & (g <= hi)
    span = float(np.ptp(sm[iwin]))

    def stands_out(i: int) -> bool:
        above = sm[i] - float(np.min(sm[i:][g[i:] <= hi + win_nm]))
        return above > max(3.0 * sigma, MIN_HEIGHT_FRACTION * span)

    cand = [i for i in inwin
            if -d2[i] > NOISE_FACTOR * d2_noise and -d2[i] >= REL_DEPTH * deepest
            and stands_out(i)]
    if not cand:
        return Result(None, "", None, None, None, "no feature")
    i = max(cand)  # lowest energy
    d2_min = float(g[i])
    k = int(PEAK_SEARCH_NM / STEP_NM)
    maxima_by_window = []
    for w in PEAK_WINDOWS_BY_MATERIAL_NM.get(material, PEAK_WINDOWS_NM):
        sm_w = savgol_filter(a, int(round(w / STEP_NM)) | 1, 3)
        lo_j, hi_j = max(i - k, 1), min(i + k, len(g) - 2)
        mx = [j for j in range(lo_j, hi_j + 1) if sm_w[j] >= sm_w[j - 1] and sm_w[j] > sm_w[j + 1]]
        if mx:
            maxima_by_window.append(float(g[max(mx, key=lambda m: sm_w[m])]))
    peak, method = d2_min, "sg_d2_min"
    # flat-bottomed troughs: every point whose curvature is within 2 noise units (or 10 %)
    # of the minimum is an equally good position
    level = d2[i] + max(2.0 * d2_noise, 0.1 * abs(d2[i]))
    lo_i, hi_i = i, i
    while lo_i > 0 and d2[lo_i - 1] <= level:
        lo_i -= 1
    while hi_i < len(g) - 1 and d2[hi_i + 1] <= level:
        hi_i += 1
    trough_half_width = 0.5 * (g[hi_i] - g[lo_i])
    # sensitivity to the smoothing: the d2 minimum found with the other SG windows
    k2 = int(8.0 / STEP_NM)
    d2_positions = [d2_min]
    for w in PEAK_WINDOWS_BY_MATERIAL_NM.get(material, PEAK_WINDOWS_NM):
        d2_w = savgol_filter(a, int(round(w / STEP_NM)) | 1, 3, deriv=2, delta=STEP_NM)
        seg = slice(max(i - k2, 0), min(i + k2, len(g) - 1) + 1)
        d2_positions.append(float(g[seg][int(np.argmin(d2_w[seg]))]))
    smoothing_spread = 0.5 * (max(d2_positions) - min(d2_positions))
    trough_half_width = max(trough_half_width, smoothing_spread)
    if len(maxima_by_window) >= 2:
        local_max = float(np.median(maxima_by_window))
        unc = max(MIN_UNCERTAINTY_NM, 0.5 * native, 0.5 * abs(local_max - d2_min),
                  trough_half_width)
        note = f"resolved maximum at {local_max:.1f} nm"
    else:
        local_max = None
        unc = max(MIN_UNCERTAINTY_NM, 0.5 * native, trough_half_width)
        note = "shoulder (no local maximum)"
    return Result(peak, method, round(unc, 1), d2_min, local_max, note)


def reference_pl(x: np.ndarray, y: np.ndarray,
                 window_nm: tuple[float, float] | None = None) -> Result:
    """Emission maximum of the smoothed PL spectrum (inside ``window_nm`` if given)."""
    g, a, native = _uniform(x, y)
    n = int(round(SG_WINDOW_NM / STEP_NM)) | 1
    sm = savgol_filter(a, n, 3)
    if window_nm is not None:
        sm = np.where((g >= window_nm[0]) & (g <= window_nm[1]), sm, -np.inf)
    i = int(np.argmax(sm))
    if i in (0, len(g) - 1):
        return Result(None, "", None, None, None, "no feature (maximum at the range edge)")
    return Result(float(g[i]), "pl_max", max(MIN_UNCERTAINTY_NM, native), None, None,
                  "PL emission maximum, not the absorption feature")


def evaluate(entry: Entry) -> tuple[Result, tuple[np.ndarray, np.ndarray]]:
    spectra = READERS[entry.slug](CORPUS / entry.slug / entry.filename)
    x, y = spectra[entry.label]
    if entry.kind == "pl":
        return reference_pl(x, y, entry.pl_window_nm), (x, y)
    res = reference_absorbance(x, y, entry.material)
    if entry.no_feature_reason:
        found = "" if res.peak is None else (
            f"; the d2 criterion alone gives {res.peak:.1f} nm, rejected on inspection")
        return Result(None, "", None, res.d2_min, res.local_max,
                      f"no feature: {entry.no_feature_reason}{found}"), (x, y)
    floor = INSPECTION_FLOORS.get((entry.filename, entry.label))
    if floor is not None and res.peak is not None and res.uncertainty < floor[0]:
        res.uncertainty = floor[0]
        res.note += f"; uncertainty raised to {floor[0]:.1f} nm: {floor[1]}"
    if entry.authors_peak_nm is not None and res.peak is not None:
        diff = entry.authors_peak_nm - res.peak
        res.note += f"; authors' table {entry.authors_peak_nm:.1f} nm ({diff:+.1f} nm)"
    elif entry.authors_peak_nm is not None:
        res.note = (f"no feature; authors' table lists {entry.authors_peak_nm:.1f} nm "
                    "(not supported by this spectrum)")
    return res, (x, y)


def _row(entry: Entry, res: Result) -> dict[str, str]:
    src = SOURCES[entry.slug]
    notes = "; ".join(s for s in (res.note, entry.note) if s)
    return {
        "file": f"{entry.slug}/{entry.filename}",
        "label": entry.label,
        "material": entry.material,
        "instrument": src.instrument,
        "kind": entry.kind,
        "source_repo": src.repo,
        "source_path": entry.source_path,
        "source_commit": src.commit,
        "licence": src.licence,
        "reference_peak_nm": "" if res.peak is None else f"{res.peak:.1f}",
        "reference_method": res.method,
        "reference_uncertainty_nm": "" if res.uncertainty is None else f"{res.uncertainty:.1f}",
        "notes": notes,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--write", action="store_true", help="rewrite tests/data/spectra/index.csv")
    p.add_argument("--plot", type=Path, help="folder for one PNG per source file")
    args = p.parse_args(argv)
    rows, plots = [], {}
    for e in build_entries():
        res, xy = evaluate(e)
        rows.append(_row(e, res))
        plots.setdefault((e.slug, e.filename), []).append((e.label, xy, res))
        pk = "-" if res.peak is None else f"{res.peak:7.1f}"
        d2 = "-" if res.d2_min is None else f"{res.d2_min:7.1f}"
        print(f"{e.slug[:24]:24s} {e.filename[:28]:28s} {e.label[:16]:16s} {pk:>8s} "
              f"{d2:>8s} {res.method:13s} {res.note}")
    if args.write:
        with open(INDEX, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        print(f"wrote {INDEX.relative_to(ROOT)} ({len(rows)} spectra)", file=sys.stderr)
    if args.plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        args.plot.mkdir(parents=True, exist_ok=True)
        for (slug, fname), items in plots.items():
            n = len(items)
            cols = min(n, 6)
            rws = (n + cols - 1) // cols
            fig, axs = plt.subplots(rws, cols, figsize=(3.2 * cols, 2.4 * rws), squeeze=False)
            for ax, (lab, (x, y), res) in zip(axs.flat, items, strict=False):
                ax.plot(x, y, lw=0.7)
                if res.peak is not None:
                    ax.axvline(res.peak, color="r", lw=0.8)
                ax.set_title(f"{lab[:18]} {'' if res.peak is None else f'{res.peak:.0f}'}",
                             fontsize=8)
                ax.tick_params(labelsize=6)
            for ax in list(axs.flat)[n:]:
                ax.axis("off")
            fig.suptitle(f"{slug}/{fname}", fontsize=9)
            fig.tight_layout()
            fig.savefig(args.plot / f"{slug}__{fname.replace(' ', '_').replace('/', '_')}.png", dpi=80)
            plt.close(fig)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
