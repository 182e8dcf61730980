"""Hit rates of `fit_spectra` on synthetic instrument exports and the real CdSe series.

Writes 13 Ocean-Optics-like SpectraSuite exports (346-1047 nm, 3648 px, -0.4 UV baseline,
930 nm lamp artefact in every file) and 8 JASCO-like CSV exports of concentrated aliquots
(A > 3 below ~420 nm, stray light, noise growing as 10^A, some clipped; first exciton a
shoulder) from the forward model (tests/_instruments.py) into a temporary folder, fits
them one file at a time and as one series, and prints per family: right (|d - d_true| <
10 %), wrong, no number, by quality.  Then the qualities on the measured reference runs
2, 3, 6 (tests/data, and the shared folder when present).

Run: PYTHONPATH=src python scripts/fit_quality_hit_rates.py
"""
from __future__ import annotations

import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from _instruments import jasco_like, ocean_like, write_jasco, write_ocean  # noqa: E402

from qdlab.sizing.fit import fit_spectra, model_table  # noqa: E402


def _classify(res, truth):
    c = Counter()
    for r in res:
        if isinstance(r, dict):
            c[("refused", "-")] += 1
            continue
        d = truth[Path(r.label.split(":")[0]).name]
        if r.diameter_nm is None:
            k = "no number"
        else:
            k = "right" if abs(r.diameter_nm - d) / d < 0.10 else "WRONG"
        c[(k, r.quality)] += 1
    return dict(c)


def main():
    warnings.simplefilter("ignore")
    table = model_table("CdSe")
    tmp = Path(tempfile.mkdtemp())
    truth, fams = {}, {"ocean": [], "jasco": []}
    for k, d in enumerate(np.linspace(2.35, 3.25, 13)):
        p = write_ocean(tmp / f"abs{k + 1:02d}.txt", *ocean_like(d, 100 + k), k)
        truth[p.name] = d
        fams["ocean"].append(p)
    for k, d in enumerate(np.linspace(2.9, 3.4, 8)):
        p = write_jasco(tmp / f"aliquot{k + 1}.csv",
                        *jasco_like(d, 200 + k, clip=(3.0 if k % 3 == 2 else None)))
        truth[p.name] = d
        fams["jasco"].append(p)
    for fam, files in fams.items():
        single = [fit_spectra(p, "CdSe", table=table)[0] for p in files]
        series = fit_spectra(files, "CdSe", table=table)
        print(f"{fam:6s} one by one: {_classify(single, truth)}")
        print(f"{fam:6s} as a series: {_classify(series, truth)}")
    for folder in (ROOT / "tests" / "data",
                   ROOT.parents[1] / "shared" / "reference" / "spectra" /
                   "cdse_hot_injection_series"):
        for run in (2, 3, 6):
            f = folder / f"run{run}_absorbance.csv"
            if f.exists():
                q = Counter(r.quality for r in fit_spectra(f, "CdSe", table=table))
                print(f"real run {run} ({f.parent.name}): {dict(q)}")


if __name__ == "__main__":
    main()
