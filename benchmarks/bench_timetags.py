"""Time-tag file reading: qdlab's vectorised PTU/SPC decoders vs a record-by-record loop.

Workload: a HydraHarp V2 T3 PTU file of 10^7 records (photons on 2 channels, 10^7 syncs per
second of 80 MHz laser, overflow records wherever the sync count wraps), written by
``qdlab.io.timetags.write_timetags``; and a Becker & Hickl SPC-130 file of 10^7 records.

* qdlab: ``read_timetags`` (file read + header + numpy decode + PhotonStream), best of 3.
* Baseline, "the straightforward implementation": the record loop of PicoQuant's demo code
  (Read_PTU.py) in pure Python, timed on the first 2 x 10^5 records and extrapolated.
* phconvert 0.10.2 (``pqreader.load_ptu``) if it is installed (it is not a qdlab dependency).

Prints records per second and the ratio to the loop. Run: ``python benchmarks/bench_timetags.py``
(add a number of records as argument to change 10^7).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def _loop_hh_t3(records) -> int:
    ofl = 0
    n = 0
    out = []
    for r in records:
        special = r >> 31
        ch = (r >> 25) & 0x3F
        nsync = r & 0x3FF
        if special:
            if ch == 0x3F:
                ofl += 1024 if nsync == 0 else 1024 * nsync
            continue
        out.append((ofl + nsync, ch, (r >> 10) & 0x7FFF))
        n += 1
    return n


def _best(f, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def main(n_records: int = 10_000_000) -> dict:
    from qdlab.io.timetags import PhotonStream, read_timetags, write_timetags

    rng = np.random.default_rng(0)
    n = int(n_records / 1.1)  # + ~10 % overflow records (a wrap every 1024 syncs, ~100 syncs apart)
    syncs = np.cumsum(rng.geometric(1 / 100, n)).astype(np.int64)
    s = PhotonStream(macrotime=syncs, channel=rng.integers(0, 2, n), macrotime_resolution_s=12.5e-9,
                     nanotime=rng.integers(0, 1000, n), nanotime_resolution_s=16e-12, mode="T3",
                     sync_period_s=12.5e-9)
    out = {}
    with tempfile.TemporaryDirectory() as d:
        ptu = Path(d) / "bench.ptu"
        write_timetags(s, ptu)
        back = read_timetags(ptu)
        n_rec = back.metadata["n_records"]
        t_q = _best(lambda: read_timetags(ptu))
        recs = np.fromfile(ptu, dtype="<u4")[-n_rec:][:200_000].tolist()
        t0 = time.perf_counter()
        _loop_hh_t3(recs)
        t_loop = (time.perf_counter() - t0) * n_rec / len(recs)
        out["ptu_records"] = n_rec
        out["ptu_qdlab_s"] = t_q
        out["ptu_records_per_s"] = n_rec / t_q
        out["ptu_loop_s_extrapolated"] = t_loop
        out["ptu_ratio_vs_loop"] = t_loop / t_q
        print(f"PTU HydraHarp V2 T3, {n_rec:.3g} records: qdlab {t_q:.2f} s "
              f"({n_rec / t_q:.3g} records/s); record loop {t_loop:.1f} s (extrapolated from 2e5); "
              f"ratio {t_loop / t_q:.0f}x")
        try:
            import phconvert  # noqa: F401
            from phconvert.pqreader import load_ptu
        except ImportError:
            print("phconvert: not installed (not a qdlab dependency), skipped")
        else:
            t_p = _best(lambda: load_ptu(str(ptu)), repeat=1)
            out["ptu_phconvert_s"] = t_p
            print(f"phconvert load_ptu: {t_p:.2f} s (qdlab / phconvert time {t_q / t_p:.2f})")
        spc = Path(d) / "bench.spc"
        mt = rng.integers(0, 4096, n_records - 1).astype(np.uint32)
        rec = mt | (rng.integers(0, 4, mt.size).astype(np.uint32) << 12) \
            | (rng.integers(0, 4096, mt.size).astype(np.uint32) << 16) | (np.uint32(1) << 30)
        np.concatenate([[np.uint32(125)], rec]).astype("<u4").tofile(spc)
        t_s = _best(lambda: read_timetags(spc, card="SPC-130"))
        out["spc_records_per_s"] = n_records / t_s
        print(f"SPC-130, {n_records:.3g} records: qdlab {t_s:.2f} s ({n_records / t_s:.3g} records/s)")
    return out


if __name__ == "__main__":
    main(int(float(sys.argv[1])) if len(sys.argv) > 1 else 10_000_000)
