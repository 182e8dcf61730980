"""Benchmark of the 3D grid solver (qdlab.electronic.grid).

(a) The 1S level of a sphere (R = 3 nm, m* = 0.13, hard wall and a 4 eV
    barrier): unknowns, time, error against the exact value, for the raw
    second-order scheme and with Richardson extrapolation.
(c) A problem of ~10^6 unknowns (hard-wall sphere, no symmetry used, 4 states):
    time and peak memory.

Baseline (issue 4, measured with kwant.continuum + scipy eigsh on the same
machine class): 33k sites, 2.6 s, 1S error 2.9 %.  The kwant run in the same
process is not included yet (it needs a separate numpy<2 virtual environment).

Run: ``.venv/bin/python benchmarks/bench_grid.py``; ``main()`` returns a dict.
"""

from __future__ import annotations

import math
import resource
import time

from scipy.optimize import brentq

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.grid import estimate_memory_GB, solve_grid
from qdlab.structures import VACUUM, Medium, Sphere

R, MASS, V_B = 3.0, 0.13, 4.0


class _Mat:
    name = "m*=0.13"
    electron_mass = MASS
    hole_mass = MASS

    def conduction_band_edge(self, T):
        return 0.0

    def valence_band_edge(self, T):
        return -1.0


def _exact_finite(m_out):
    def f(E):
        k = math.sqrt(E * MASS / HBAR2_2M0)
        q = math.sqrt((V_B - E) * m_out / HBAR2_2M0)
        return (k * R / math.tan(k * R) - 1) / MASS + (q * R + 1) / m_out

    return brentq(f, 1e-9, HBAR2_2M0 * math.pi ** 2 / (MASS * R * R) * (1 - 1e-12))


def _row(name, structure, h, exact, **kw):
    t = time.perf_counter()
    st = solve_grid(structure, "electron", 1, h, **kw)
    dt = time.perf_counter() - t
    e = st.energies_eV[0]
    raw = st.energies_unextrapolated_eV[0] if st.energies_unextrapolated_eV is not None else e
    row = {"case": name, "h_nm": h, "unknowns": st.n_unknowns, "time_s": dt,
           "error_pct": 100 * (e / exact - 1), "raw_error_pct": 100 * (raw / exact - 1)}
    print(f"{name:34s} h={h:5.3f} unknowns={st.n_unknowns:8d} t={dt:6.2f}s "
          f"err={row['error_pct']:+.4f}% (raw {row['raw_error_pct']:+.4f}%)")
    return row


def main() -> dict:
    m = _Mat()
    e_inf = HBAR2_2M0 * math.pi ** 2 / (MASS * R * R)
    rows = []
    print("(a) sphere R = 3 nm, m* = 0.13: 1S level (unknowns = one symmetry octant)")
    for h in (0.2, 0.15):
        rows.append(_row("hard wall, Richardson", Sphere(m, 2 * R, medium=VACUUM), h, e_inf))
    rows.append(_row("hard wall, raw", Sphere(m, 2 * R, medium=VACUUM), 0.15, e_inf,
                     richardson=False))
    fin = Sphere(m, 2 * R, medium=Medium(electron_barrier_eV=V_B))
    rows.append(_row("4 eV barrier, m_out = m*", fin, 0.15, _exact_finite(MASS),
                     barrier_mass=MASS, padding_nm=2.0))
    rows.append(_row("4 eV barrier, m_out = 1", fin, 0.12, _exact_finite(1.0)))
    print("\n(c) ~10^6 unknowns: hard-wall sphere, full grid (no symmetry), 4 states")
    h = (4 / 3 * math.pi * R ** 3 / 1.0e6) ** (1 / 3)
    t = time.perf_counter()
    st = solve_grid(Sphere(m, 2 * R, medium=VACUUM), "electron", 4, h, use_symmetry=False,
                    richardson=False)
    dt = time.perf_counter() - t
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    big = {"unknowns": st.n_unknowns, "h_nm": h, "time_s": dt, "peak_rss_GB": peak_gb,
           "estimated_GB": estimate_memory_GB(st.n_unknowns, 6, 1, st.wavefunctions[0].size),
           "error_1S_pct": 100 * (st.energies_eV[0] / e_inf - 1)}
    print(f"unknowns={big['unknowns']:,} h={h:.4f} nm time={dt:.1f} s peak RSS="
          f"{peak_gb:.2f} GB (estimate {big['estimated_GB']:.2f} GB) "
          f"1S error {big['error_1S_pct']:+.4f}%")
    print("\nbaseline (issue 4, kwant.continuum + eigsh): 33k sites, 2.6 s, 1S error 2.9 %")
    return {"sphere": rows, "large": big}


if __name__ == "__main__":
    main()
