"""Shell growth: continuous injection and SILAR -> CoreShell populations (issue 5, section 6)."""

import numpy as np
import pytest

from qdlab.structures import CoreShell
from qdlab.synthesis.shells import (
    band_edge_vs_shell,
    cores_from_trajectory,
    critical_supersaturation,
    grow_shell_continuous,
    grow_shell_silar,
    monolayer_thickness_nm,
)

CORES_D = np.array([2.8, 2.9, 3.0])
CORES_N = np.array([2e-8, 5e-8, 2e-8])


def test_monolayer_thickness_from_the_lattice():
    # CdS wurtzite c = 0.67163 nm (Madelung): c/2; Li et al. 2003 use 0.35 nm
    assert monolayer_thickness_nm("CdS") == pytest.approx(0.67163 / 2, rel=1e-12)
    assert 0.3 < monolayer_thickness_nm("CdS") < 0.36
    # zinc-blende ZnS: d111 = a / sqrt(3)
    assert monolayer_thickness_nm("ZnS") == pytest.approx(0.5409 / np.sqrt(3), rel=2e-3)


def test_silar_thickness_and_amounts():
    pop = grow_shell_silar(CORES_D, CORES_N, "CdS", 4, efficiency=0.8)
    ml = monolayer_thickness_nm("CdS")
    assert pop.shell_thickness_nm == pytest.approx(np.full(3, 4 * 0.8 * ml), rel=1e-14)
    assert pop.history["mean_shell_nm"] == pytest.approx(np.arange(5) * 0.8 * ml)
    amt = pop.history["precursor_mol"]
    assert amt[0] == 0 and np.all(np.diff(amt[1:]) > 0)       # outer layers need more
    # total amount = shell volume / molar volume (CdS: 144.48 g/mol, 4.82 g/cm^3)
    from qdlab.materials import get_material
    m = get_material("CdS")
    r = CORES_D / 2
    vol_nm3 = 4 / 3 * np.pi * ((r + 4 * 0.8 * ml) ** 3 - r**3) @ CORES_N * 6.02214076e23
    assert amt.sum() == pytest.approx(vol_nm3 * 1e-21 * m.density_g_cm3 / m.molar_mass_g_mol,
                                      rel=1e-12)
    s = pop.structures()
    assert all(isinstance(x, CoreShell) for x in s)
    assert s[1].core_diameter_nm == pytest.approx(2.9)
    assert s[1].shell_thicknesses_nm[0] == pytest.approx(4 * 0.8 * ml)


def test_cdse_cds_band_edge_red_shifts_with_shell():
    # Li et al., JACS 125, 12567 (2003): the first absorption peak of CdSe/CdS
    # moves to the red with each SILAR monolayer, by tens of nm over ~5 ML, and
    # the shift per layer decreases as the shell thickens.
    ml = monolayer_thickness_nm("CdS")
    lam = band_edge_vs_shell("CdSe", 3.5, "CdS", np.arange(6) * ml)
    step = np.diff(lam)
    assert np.all(step > 0)
    assert np.all(np.diff(step) < 0)
    assert 20.0 < lam[-1] - lam[0] < 120.0
    # and the solver the population uses gives the same numbers
    pop = grow_shell_silar([3.5], [1e-8], "CdS", 5)
    assert pop.first_exciton()["first_exciton_nm"][0] == pytest.approx(lam[-1], rel=1e-9)


def test_continuous_injection_grows_shells_without_nucleation():
    pop = grow_shell_continuous(CORES_D, CORES_N, "CdS", feed_mol_s=1e-7, duration_s=300.0)
    assert pop.dissolved_cores_mol == 0
    assert np.all(pop.shell_thickness_nm > 0.1)
    assert pop.nucleation_suppressed
    assert pop.max_supersaturation < pop.critical_supersaturation
    # mass: shell volume = material fed that reached the particles
    from qdlab.materials import get_material
    m = get_material("CdS")
    vm_nm3 = m.molar_mass_g_mol / m.density_g_cm3 * 1e21 / 6.02214076e23
    r0 = CORES_D / 2
    shell_mol = 4 / 3 * np.pi * ((r0 + pop.shell_thickness_nm) ** 3 - r0**3) @ CORES_N / vm_nm3
    assert shell_mol <= 1e-7 * 300.0 * (1 + 1e-9)
    assert shell_mol > 0.5 * 1e-7 * 300.0
    assert pop.history["mean_shell_nm"][-1] == pytest.approx(pop.mean_shell_thickness_nm,
                                                           rel=0.05)
    lam = pop.first_exciton()
    bare = band_edge_vs_shell("CdSe", 2.9, "CdS", 0.0)
    assert lam["mean_first_exciton_nm"] > bare


def test_faster_feed_raises_supersaturation_toward_critical():
    slow = grow_shell_continuous(CORES_D, CORES_N, "CdS", feed_mol_s=5e-8, duration_s=100.0)
    fast = grow_shell_continuous(CORES_D, CORES_N, "CdS", feed_mol_s=2e-7, duration_s=100.0)
    assert fast.max_supersaturation > slow.max_supersaturation
    assert fast.mean_shell_thickness_nm > slow.mean_shell_thickness_nm
    assert fast.nucleated_mol >= slow.nucleated_mol


def test_critical_supersaturation_formula():
    kw = dict(surface_energy_J_m2=0.2, temperature_K=513.15, prefactor_per_m3_s=1e32,
              volume_L=0.01, duration_s=600.0, reference_number_mol=1e-7)
    s_c = critical_supersaturation("CdS", **kw)
    from qdlab.materials import get_material
    from qdlab.synthesis.kinetics import cnt_exponent, cnt_nucleation_rate
    m = get_material("CdS")
    b = cnt_exponent(0.2, m.molar_mass_g_mol / m.density_g_cm3, 513.15)
    n = cnt_nucleation_rate(1e32, b, s_c) * 1e-5 * 600.0 / 6.02214076e23
    assert n == pytest.approx(0.01 * 1e-7, rel=1e-9)


def test_cores_from_trajectory_conserve_number_and_volume():
    from qdlab.synthesis import example_recipe, run_recipe
    tr = run_recipe(example_recipe("cdse").with_updates(duration_s=30.0,
                                                        numerics__n_snapshots=0))
    d, n = cores_from_trajectory(tr, max_classes=8)
    assert len(d) <= 8 and np.all(np.diff(d) > 0)
    keep = tr.final_number_mol > 0
    assert n.sum() == pytest.approx(tr.final_number_mol[keep].sum(), rel=1e-12)
    assert n @ d**3 == pytest.approx(tr.final_number_mol[keep] @ (2 * tr.final_radii_nm[keep])
                                     ** 3, rel=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match="core_diameter_nm"):
        grow_shell_silar([-1.0], [1e-8], "CdS", 2)
    with pytest.raises(ValueError, match="cycles"):
        grow_shell_silar([3.0], [1e-8], "CdS", -1)
    with pytest.raises(ValueError, match="efficiency"):
        grow_shell_silar([3.0], [1e-8], "CdS", 2, efficiency=1.5)
    with pytest.raises(ValueError, match="feed_mol_s"):
        grow_shell_continuous([3.0], [1e-8], "CdS", feed_mol_s=0.0, duration_s=10.0)
    with pytest.raises(ValueError, match="shell_thickness_nm"):
        band_edge_vs_shell("CdSe", 3.0, "CdS", [-0.1])
