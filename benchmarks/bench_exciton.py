"""Benchmark: ground-state excitons of 1e5 random CdSe/CdS core/shell dots.

Two figures, each against a baseline measured in the same run:

1. Electron + hole ground levels (the e-h pair energy, no Coulomb) of 1e5
   CdSe/CdS core/shells with database parameters, through the vectorised radial
   solver, against the straightforward implementation: a per-structure
   ``scipy.optimize.brentq`` loop on the BenDaniel-Duke matching function
   (from ``bench_radial.py``), timed on a subset and extrapolated.
2. The full first-order exciton (levels + wavefunctions + Coulomb + dielectric
   self-polarisation) of the same structures, against the same qdlab model
   called one structure at a time in a Python loop.

Run: ``python benchmarks/bench_exciton.py`` (or ``make bench``).
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import numpy as np

from qdlab.electronic.sphere.exciton import band_profiles, first_exciton_batch, pair_energy_batch
from qdlab.materials import get_material
from qdlab.structures import Medium

N_VECTOR = 100_000
N_LOOP_SCIPY = 200
N_LOOP_MODEL = 200
SEED = 7


def _bench_radial():
    path = Path(__file__).with_name("bench_radial.py")
    spec = importlib.util.spec_from_file_location("bench_radial", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def random_cdse_cds(n: int, seed: int = SEED) -> np.ndarray:
    """Core radius 1-3 nm, CdS shell 0.3-2.5 nm: radii array (n, 2) in nm."""
    rng = np.random.default_rng(seed)
    core = rng.uniform(1.0, 3.0, n)
    return np.column_stack([core, core + rng.uniform(0.3, 2.5, n)])


def main() -> dict:
    mats = [get_material("CdSe"), get_material("CdS")]
    radii = random_cdse_cds(N_VECTOR)
    res = {"n_structures": N_VECTOR}

    # 1. pair energies (levels only), parabolic masses so the scipy baseline is the same physics
    t0 = time.perf_counter()
    pair = pair_energy_batch(mats, radii, nonparabolic=False)
    t_pair = time.perf_counter() - t0
    br = _bench_radial()
    v_e, m_e, _, v_h, m_h, _ = band_profiles(mats, Medium(), 300.0, False)
    sub = radii[:N_LOOP_SCIPY]
    t0 = time.perf_counter()
    ee = br.loop_ground_state(sub, np.tile(v_e - v_e[0], (len(sub), 1)), np.tile(m_e, (len(sub), 1)))
    eh = br.loop_ground_state(sub, np.tile(v_h - v_h[0], (len(sub), 1)), np.tile(m_h, (len(sub), 1)))
    t_loop = (time.perf_counter() - t0) / len(sub)
    loop_gap = (ee + v_e[0]) + (eh + v_h[0])
    res["pair_structures_per_s"] = N_VECTOR / t_pair
    res["scipy_loop_structures_per_s"] = 1.0 / t_loop
    res["pair_ratio_vs_scipy_loop"] = res["pair_structures_per_s"] / res["scipy_loop_structures_per_s"]
    diff = loop_gap - pair["single_particle_gap_eV"][:N_LOOP_SCIPY]
    res["pair_max_abs_diff_eV"] = float(np.max(np.abs(diff)))

    # 2. full first-order exciton
    t0 = time.perf_counter()
    full = first_exciton_batch(mats, radii)
    t_full = time.perf_counter() - t0
    t0 = time.perf_counter()
    one = [first_exciton_batch(mats, radii[i:i + 1])["first_exciton_eV"][0]
           for i in range(N_LOOP_MODEL)]
    t_one = (time.perf_counter() - t0) / N_LOOP_MODEL
    res["exciton_structures_per_s"] = N_VECTOR / t_full
    res["exciton_loop_structures_per_s"] = 1.0 / t_one
    res["exciton_ratio_vs_loop"] = res["exciton_structures_per_s"] / res["exciton_loop_structures_per_s"]
    diff = np.array(one) - full["first_exciton_eV"][:N_LOOP_MODEL]
    res["exciton_max_abs_diff_eV"] = float(np.max(np.abs(diff)))

    print(f"{N_VECTOR} random CdSe/CdS core/shells (core r 1-3 nm, shell 0.3-2.5 nm), one core")
    print(f"1. e-h pair ground state (levels, no Coulomb): {t_pair:.2f} s -> "
          f"{res['pair_structures_per_s']:,.0f} structures/s")
    print(f"   baseline scipy brentq loop ({N_LOOP_SCIPY} structures): "
          f"{res['scipy_loop_structures_per_s']:,.0f} structures/s -> ratio "
          f"{res['pair_ratio_vs_scipy_loop']:,.0f}x (max |diff| {res['pair_max_abs_diff_eV']:.1e} eV)")
    print(f"2. first-order exciton (levels + Coulomb + self-polarisation): {t_full:.2f} s -> "
          f"{res['exciton_structures_per_s']:,.0f} structures/s")
    print(f"   baseline: same model one structure per call ({N_LOOP_MODEL} structures): "
          f"{res['exciton_loop_structures_per_s']:,.0f} structures/s -> ratio "
          f"{res['exciton_ratio_vs_loop']:,.0f}x (max |diff| {res['exciton_max_abs_diff_eV']:.1e} eV)")
    return res


if __name__ == "__main__":
    main()
