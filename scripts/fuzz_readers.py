"""Fuzz the spectrum readers and the fit with malformed files (issue 10).

Generates N malformed spectrum files from a seed (random bytes, wrong delimiters,
NaN/inf tokens, huge/tiny numbers, empty columns, duplicated wavelengths, descending
order, single rows, text in numeric columns, BOM, CR/CRLF/LF, decimal commas, %T, ...),
runs ``read_spectra`` and ``fit_spectra`` on each and checks the contract:

* the only exception allowed (reading, and fitting up to 3 spectra per file) is
  :class:`qdlab.errors.QdlabInputError`;
* every fitted result has a finite, positive peak, diameter and dispersion (or, with
  the quality verdict ``"no feature"`` and its reasons, no numbers: None), and a
  concentration that is either None or finite and > 0;
* every spectrum read has finite values, wavelengths in 150-5000 nm ascending without
  duplicates, and |A| <= 10 for absorbance;
* every ``--cli-every``-th file also goes through ``qdlab fit`` (in process): exit 0 or
  exit 2 with one ``error:`` line.

Prints a summary (files, ok, refused, contract breaks), then one line ``SUMMARY
fuzz_readers: runs N files; contract breaks M (class: count, ...)``, and exits with status 1 if any
contract break was found (the offending files are kept with ``--keep DIR``).

Usage::

    PYTHONPATH=src python scripts/fuzz_readers.py            # N = 120, seed 0
    PYTHONPATH=src python scripts/fuzz_readers.py -n 500 --seed 3 --keep /tmp/breaks
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.optics.spectrum_io import MAX_ABS_ABSORBANCE, WAVELENGTH_RANGE_NM, read_spectra
from qdlab.sizing.fit import FitResult, fit_spectra, model_table

HEADERS = ["Wavelength (nm),Abs", "nm,A", "Wavelength,%T", "x,y", "lambda;Absorbance",
           "Energy (eV)\tAbs", "", "Wavelength nm.\tAbs.", "# comment\nnm,Abs"]
JUNK_TOKENS = ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e999", "", "n/a", "--",
               "abc", "1.2.3", "0x1F", "1e300", "-1e300", "1e-300", "+", "e5", "١٢", "∞",
               '"0.5"', "'0.5'", "0,5", "1_000", "NULL", "#N/A", "TRUE"]


def base_spectrum(rng: np.random.Generator):
    """A plausible QD absorbance: exciton peak, shoulder, continuum rising to the blue."""
    n = int(rng.choice([5, 30, 200, 400, 1500]))
    lo = float(rng.uniform(300, 420))
    hi = lo + float(rng.uniform(150, 450))
    x = np.linspace(lo, hi, n)
    pk = float(rng.uniform(lo + 60, hi - 30)) if hi - lo > 100 else (lo + hi) / 2
    w = float(rng.uniform(8, 25))
    amp = float(10 ** rng.uniform(-2.5, 0.3))
    y = (amp * np.exp(-0.5 * ((x - pk) / w) ** 2)
         + amp * 0.6 * np.exp(-0.5 * ((x - pk + 50) / (1.5 * w)) ** 2)
         + amp * 2.0 / (1 + np.exp((x - pk + 70) / 25)) + rng.normal(0, amp * 0.01, n))
    return x, y


def render(x, Y, *, header, delim, decimal, eol, fmt="{:.6g}"):
    rows = []
    for i in range(len(x)):
        cells = [fmt.format(x[i])] + [fmt.format(v) for v in Y[:, i]]
        if decimal == ",":
            cells = [c.replace(".", ",") for c in cells]
        rows.append(delim.join(cells))
    head = [header] if header else []
    return eol.join(head + rows) + eol


def malformed(rng: np.random.Generator) -> bytes:
    """One malformed spectrum file (bytes), from 1-3 random mutations."""
    if rng.random() < 0.07:                        # pure random bytes
        return rng.bytes(int(rng.integers(0, 4000)))
    x, y = base_spectrum(rng)
    ncol = int(rng.choice([1, 1, 1, 2, 3, 12, 60]))
    Y = np.vstack([y * (1 + 0.1 * k) for k in range(ncol)])
    header = str(rng.choice(HEADERS))
    delim = str(rng.choice([",", "\t", ";", " ", "  ", "|", ", "]))
    decimal = "," if (delim in (";", "\t") and rng.random() < 0.4) else "."
    eol = str(rng.choice(["\n", "\r\n", "\r"]))
    muts = rng.choice(["nan", "huge", "tiny", "dup", "desc", "single", "text", "emptycol",
                       "pct", "ev", "negative", "shuffle", "ragged", "truncate", "splice",
                       "hugex", "const", "allnan", "wrongdec", "unicode"],
                      size=int(rng.integers(1, 4)), replace=False)
    x = x.copy()
    for m in muts:
        n = x.size
        if m == "huge":
            Y[:, rng.integers(0, n, max(1, n // int(rng.choice([2, 10, 100]))))] = 1e300
        elif m == "tiny":
            Y = Y * 1e-300
        elif m == "hugex":
            x[rng.integers(0, n, max(1, n // 20))] = float(rng.choice([1e300, -5.0, 0.0,
                                                                         1e-300]))
        elif m == "dup":
            idx = rng.integers(0, n, max(1, n // 5))
            x[idx] = x[np.maximum(idx - 1, 0)]
        elif m == "desc":
            x, Y = x[::-1].copy(), Y[:, ::-1].copy()
        elif m == "single":
            x, Y = x[:1], Y[:, :1]
        elif m == "shuffle":
            p = rng.permutation(n)
            x, Y = x[p], Y[:, p]
        elif m == "pct":
            with np.errstate(over="ignore"):
                Y = 100 * 10 ** (-np.clip(Y, -300, 300))
        elif m == "ev":
            with np.errstate(divide="ignore"):
                x = 1239.84 / x
        elif m == "negative":
            Y = Y - float(rng.uniform(0, 2))
        elif m == "const":
            Y[:] = float(rng.choice([0.0, 1.0, 7.0]))
        elif m == "allnan":
            Y[:] = np.nan
    text = render(x, Y, header=header, delim=delim if delim != "  " else "  ",
                  decimal=decimal, eol=eol)
    lines = text.split(eol)
    for m in muts:
        if m == "nan" and len(lines) > 2:
            for i in rng.integers(0, len(lines), max(1, len(lines) // 8)):
                cells = lines[i].split(delim)
                cells[int(rng.integers(0, len(cells)))] = str(rng.choice(JUNK_TOKENS))
                lines[i] = delim.join(cells)
        elif m == "text" and len(lines) > 2:
            i = int(rng.integers(0, len(lines)))
            lines[i] = lines[i] + delim + "sample" + str(rng.integers(0, 99))
        elif m == "emptycol":
            lines = [ln + delim + delim if ln else ln for ln in lines]
        elif m == "ragged":
            lines = [ln + delim + "0.1" * int(rng.integers(0, 2)) for ln in lines]
        elif m == "truncate":
            lines = lines[: int(rng.integers(0, max(len(lines), 1)))]
        elif m == "wrongdec":
            lines = [ln.replace(".", ",") for ln in lines]
        elif m == "unicode":
            lines.insert(int(rng.integers(0, len(lines) + 1)), "Ünïcødé — µ ° ±")
    text = eol.join(lines)
    raw = text.encode("utf-8")
    if rng.random() < 0.15:
        raw = b"\xef\xbb\xbf" + raw
    if "splice" in muts and raw:
        at = int(rng.integers(0, len(raw)))
        raw = raw[:at] + rng.bytes(int(rng.integers(1, 40))) + raw[at:]
    return raw


def check_spectra(specs) -> list[str]:
    """Contract checks on what read_spectra returned."""
    bad = []
    lo, hi = WAVELENGTH_RANGE_NM
    for s in specs:
        x, y = s.wavelength_nm, s.y
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            bad.append(f"{s.label}: non-finite values returned")
        elif x.size < 3 or np.any(np.diff(x) <= 0):
            bad.append(f"{s.label}: fewer than 3 points or not strictly ascending")
        elif x.min() < lo or x.max() > hi:
            bad.append(f"{s.label}: wavelength {x.min():g}-{x.max():g} nm out of range")
        elif s.kind == "absorbance" and np.max(np.abs(y)) > MAX_ABS_ABSORBANCE:
            bad.append(f"{s.label}: |A| up to {np.max(np.abs(y)):g}")
    return bad


def check_results(results) -> tuple[int, int, list[str]]:
    """(n fitted, n refused, contract breaks) for fit_spectra output."""
    ok = refused = 0
    bad = []
    for r in results:
        if isinstance(r, dict):
            refused += 1
            if not isinstance(r.get("error"), str) or not r["error"]:
                bad.append(f"{r.get('label')}: error entry without a message")
            continue
        if not isinstance(r, FitResult):
            bad.append(f"unexpected result type {type(r).__name__}")
            continue
        no_feature = getattr(r, "quality", None) == "no feature"
        if no_feature and not getattr(r, "reasons", ()):
            bad.append(f"{r.label}: quality 'no feature' without reasons")
        for name in ("peak_nm", "diameter_nm", "dispersion_pct"):
            v = getattr(r, name)
            if v is None and no_feature:    # no number by design, with the reasons
                continue
            if not (isinstance(v, float) and math.isfinite(v) and v > 0):
                bad.append(f"{r.label}: {name} = {v!r}")
        c = r.concentration_M
        if c is not None and not (math.isfinite(c) and c > 0):
            bad.append(f"{r.label}: concentration_M = {c!r}")
        ok += 1
    return ok, refused, bad


def run_cli(path: Path, material: str) -> list[str]:
    from typer.testing import CliRunner

    from qdlab.cli.main import app

    res = CliRunner().invoke(app, ["fit", str(path), "--material", material, "--json"])
    if res.exit_code == 0:
        return []
    if res.exit_code == 2:
        errs = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
        return [] if len(errs) == 1 else [f"CLI exit 2 with {len(errs)} error lines"]
    exc = res.exception
    return [f"CLI exit {res.exit_code}: {type(exc).__name__}: {exc}"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=120, help="number of files (default 120)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--material", default="CdSe")
    ap.add_argument("--cli-every", type=int, default=10,
                    help="also run `qdlab fit` on every k-th file (0: never)")
    ap.add_argument("--keep", type=Path, help="copy contract-breaking files here")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    table = model_table(args.material)
    tmp = Path(tempfile.mkdtemp(prefix="qdlab_fuzz_"))
    n_ok = n_refused = 0
    breaks: list[tuple[str, str]] = []
    t0 = time.perf_counter()
    try:
        for i in range(args.n):
            raw = malformed(rng)
            f = tmp / f"fuzz_{args.seed}_{i:04d}.csv"
            f.write_bytes(raw)
            problems: list[str] = []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    specs = read_spectra(f, kind="absorption")
                    problems += check_spectra(specs)
                    # fit at most 3 spectra per file (the fit is the slow part)
                    ok, refused, bad = check_results(fit_spectra(specs[:3], args.material,
                                                                 table=table))
                    problems += bad
                    n_ok += ok > 0
                    n_refused += ok == 0
                except QdlabInputError as exc:
                    n_refused += 1
                    if not str(exc).strip():
                        problems.append("QdlabInputError without a message")
                except Exception as exc:  # noqa: BLE001 - any other exception is a break
                    tb = traceback.extract_tb(exc.__traceback__)[-1]
                    problems.append(f"{type(exc).__name__}: {exc} ({tb.filename}:{tb.lineno})")
                if args.cli_every and i % args.cli_every == 0:
                    problems += run_cli(f, args.material)
            for p in problems:
                breaks.append((f.name, p))
            if problems and args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(f, args.keep / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    dt = time.perf_counter() - t0
    print(f"files: {args.n}  ok: {n_ok}  refused: {n_refused}  "
          f"contract breaks: {len(breaks)}  ({dt:.1f} s, seed {args.seed})")
    for name, p in breaks[:40]:
        print(f"  BREAK {name}: {p}")
    by_kind: dict[str, int] = {}
    for _, p in breaks:
        head = p.split(":", 1)[0]
        kind = ("cli" if p.startswith("CLI") else head if head.isidentifier()
                else "result")   # an exception name, a CLI break, or a bad result
        by_kind[kind] = by_kind.get(kind, 0) + 1
    classes = ", ".join(f"{k}: {v}" for k, v in sorted(by_kind.items())) or "none"
    print(f"SUMMARY fuzz_readers: runs {args.n} files (seed {args.seed}); contract breaks "
          f"{len(breaks)} ({classes})")
    return 1 if breaks else 0


if __name__ == "__main__":
    sys.exit(main())
