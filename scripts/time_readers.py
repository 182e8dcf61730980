"""Time the spectrum reader and the fit on large files (issue 10 targets).

Each case runs in a fresh Python process (after the imports) and prints wall time and
peak memory (max RSS, including the ~150 MB of numpy/scipy/qdlab imports):

* a 2e5-row single spectrum (~4 MB): read, and read + fit (binned to 1000 points);
* a 1000-column file (400 rows): read;
* a 9.9 MB file (~500 000 rows): read;
* a 14 MB file: refused by the size limit;
* a 9.9 MB file with more lines than ``max_rows``: refused by the line count.

Usage: ``PYTHONPATH=src python scripts/time_readers.py``
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

CASE = r"""
import resource, sys, time, warnings
warnings.simplefilter("ignore")
from qdlab.errors import QdlabInputError
from qdlab.io import read_spectra
from qdlab.sizing.fit import fit_spectra, model_table
path, what = sys.argv[1], sys.argv[2]
table = model_table("CdSe") if what == "fit" else None
t = time.perf_counter()
try:
    if what == "fit":
        r = fit_spectra(path, "CdSe", table=table)
        out = f"d = {r[0].diameter_nm:.3f} nm from {r[0].wavelength_nm.size} points"
    else:
        s = read_spectra(path, kind="absorbance")
        out = f"{len(s)} spectra x {len(s[0])} points"
except QdlabInputError as exc:
    out = f"refused: {exc}"
dt = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{dt:7.2f} s  {rss:6.0f} MB  {out[:90]}")
"""


def _spectrum(wl):
    return 0.3 * np.exp(-0.5 * ((wl - 585) / 12) ** 2) + 0.5 / (1 + np.exp((wl - 520) / 20))


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="qdlab_time_"))
    files = {}
    x = np.linspace(350.0, 750.0, 200_000)
    files["2e5 rows"] = tmp / "rows2e5.csv"
    np.savetxt(files["2e5 rows"], np.column_stack([x, _spectrum(x)]), delimiter=",",
               header="Wavelength (nm),Abs", comments="", fmt="%.6f")
    w = np.arange(350.0, 750.0)
    files["1000 columns"] = tmp / "cols1000.csv"
    np.savetxt(files["1000 columns"],
               np.column_stack([w] + [_spectrum(w) * (1 + 1e-3 * i) for i in range(1000)]),
               delimiter=",", fmt="%.6g", comments="",
               header="nm," + ",".join(f"s{i}" for i in range(1000)))
    x = np.linspace(350.0, 750.0, 700_000)
    big = tmp / "big14.csv"
    np.savetxt(big, np.column_stack([x, _spectrum(x)]), delimiter=",", fmt="%.6f",
               header="Wavelength (nm),Abs", comments="")
    files["14 MB"] = big
    files["9.9 MB"] = tmp / "big99.csv"
    files["9.9 MB"].write_bytes(big.read_bytes()[:9_900_000].rsplit(b"\n", 1)[0])
    files["9.9 MB, 1.2e6 lines"] = tmp / "lines.csv"
    files["9.9 MB, 1.2e6 lines"].write_bytes(b"nm,Abs\n" + b"400,0\n" * 1_200_000)
    cases = [("2e5 rows", "read"), ("2e5 rows", "fit"), ("1000 columns", "read"),
             ("9.9 MB", "read"), ("14 MB", "read"), ("9.9 MB, 1.2e6 lines", "read")]
    for name, what in cases:
        size = files[name].stat().st_size / 1e6
        res = subprocess.run([sys.executable, "-c", CASE, str(files[name]), what],
                             capture_output=True, text=True)
        line = res.stdout.strip() or res.stderr.strip().splitlines()[-1]
        print(f"{name:>20s} ({size:5.1f} MB) {what:4s}: {line}")
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
