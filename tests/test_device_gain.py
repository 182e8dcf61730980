"""Lasers (qdlab.devices.gain) and safety flags (qdlab.devices.safety): limits and data."""

from __future__ import annotations

import csv
import json
import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import poisson

from qdlab.devices import gain as G
from qdlab.devices import safety as S
from qdlab.errors import QdlabInputError
from qdlab.structures import parse_layers

DATA = Path(__file__).resolve().parents[1] / "src" / "qdlab" / "_data" / "gain_literature.csv"
FWHM = 0.04   # eV


def _rows():
    with DATA.open(encoding="utf-8") as fh:
        return {r["key"]: r for r in csv.DictReader(line for line in fh
                                                      if not line.startswith("#"))}


# ------------------------------------------------------------------ threshold limits
@pytest.mark.parametrize("g", [2, 8])
def test_linear_threshold_is_half_the_degeneracy(g):
    assert G.threshold_excitons_per_dot(g, 0.0, FWHM, occupancy="linear") == \
        pytest.approx(g / 2, abs=1e-6)


def test_saturated_threshold_g2_without_binding():
    exact = brentq(lambda N: math.exp(-N) * (2 + N) - 1, 0.5, 3)     # e^-N (2 + N) = 1
    assert exact == pytest.approx(1.1462, abs=1e-4)
    assert G.threshold_excitons_per_dot(2, 0.0, FWHM) == pytest.approx(exact, abs=1e-6)


def test_saturated_threshold_g8_without_binding():
    def mean_filled(N):                     # sum_n P_n min(n, 8) = 4
        n = np.arange(200)
        return float(np.sum(poisson.pmf(n, N) * np.minimum(n, 8))) - 4.0

    exact = brentq(mean_filled, 3.0, 8.0)
    assert G.threshold_excitons_per_dot(8, 0.0, FWHM) == pytest.approx(exact, abs=1e-6)
    assert exact > 4.0


@pytest.mark.parametrize("binding", [0.5, -0.5])
def test_large_binding_either_sign_g2(binding):
    exact = brentq(lambda N: math.exp(-N) * (1 + 1.5 * N) - 1, 0.3, 2)   # P1/2 = P>=2
    assert G.threshold_excitons_per_dot(2, binding, FWHM) == pytest.approx(exact, abs=1e-6)
    assert exact < 1.0


def test_binding_lowers_threshold_monotonically():
    vals = [G.threshold_excitons_per_dot(2, d, FWHM) for d in (0.0, 0.005, 0.02, 0.05)]
    assert all(a > b for a, b in zip(vals, vals[1:], strict=False))


def test_single_exciton_gain_needs_a_shift():
    assert G.threshold_excitons_per_dot(2, 0.0, FWHM, populations="single") == math.inf
    assert G.threshold_excitons_per_dot(2, -0.3, FWHM, populations="single") == \
        pytest.approx(math.log(3.0), abs=1e-6)                            # P0 = P1/2


# ------------------------------------------------------------------ Poisson identities
@pytest.mark.parametrize("N", [0.0, 0.3, 1.0, 2.5, 7.0])
def test_poisson_populations(N):
    n, p = G.exciton_populations(N, 2)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert p[0] == pytest.approx(math.exp(-N)) and p[1] == pytest.approx(N * math.exp(-N))
    n, p = G.exciton_populations(N, 8, occupancy="linear")
    assert np.sum(n * p) == pytest.approx(N, abs=1e-9)                  # mean
    assert np.sum((n - N) ** 2 * p) == pytest.approx(N, abs=1e-9)       # variance = mean


def test_net_absorption_unexcited_and_full():
    x = np.linspace(-0.1, 0.1, 11)
    a0 = G.net_absorption(x, 0.0, 2, 0.01, FWHM)
    assert np.allclose(a0, np.exp(-4 * math.log(2) * (x / FWHM) ** 2))
    aN = G.net_absorption(x, 60.0, 2, 0.0, FWHM)           # every dot full: -1 x line
    assert np.allclose(aN, -a0)


@pytest.mark.parametrize("bad", [{"g": 0}, {"g": 2.5}, {"fwhm_eV": -1.0},
                                 {"biexciton_binding_eV": float("nan")}])
def test_bad_input(bad):
    kw = {"g": 2, "biexciton_binding_eV": 0.0, "fwhm_eV": FWHM, **bad}
    with pytest.raises(QdlabInputError):
        G.threshold_excitons_per_dot(**kw)


# ------------------------------------------------------------------ units
def test_cross_section_unit_conversion():
    from qdlab.constants import AVOGADRO
    from qdlab.optics.extinction import molar_extinction_from_cross_section

    eps = 1.0e5
    sigma = G.cross_section_from_molar_extinction(eps)
    assert sigma == pytest.approx(1000 * math.log(10) * eps / AVOGADRO, rel=1e-12)
    assert float(molar_extinction_from_cross_section(sigma)) == pytest.approx(eps, rel=1e-4)


def test_fluence_conversion_and_long_pulse():
    # 1e14 photons/cm^2 of 400 nm: 1e14 * 3.0996 eV * 1.602e-19 J = 49.66 uJ/cm^2
    assert G.photons_to_uJ_cm2(1e14, 400.0) == pytest.approx(49.661, abs=1e-3)
    short = G.ase_threshold_fluence(1.0, 1e-15, 400.0)
    assert short["photons_cm2"] == pytest.approx(1e15)
    longp = G.ase_threshold_fluence(1.0, 1e-15, 400.0, pulse_s=1e-9, gain_lifetime_s=1e-11)
    assert longp["long_pulse_factor"] == pytest.approx(100.0, rel=1e-6)   # tau_p/tau_g >> 1
    tiny = G.ase_threshold_fluence(1.0, 1e-15, 400.0, pulse_s=1e-16, gain_lifetime_s=1e-11)
    assert tiny["long_pulse_factor"] == pytest.approx(1.0, abs=1e-4)


def test_degeneracy_table():
    assert G.band_edge_degeneracy("CdSe") == 2 and G.band_edge_degeneracy("PbSe") == 8
    with pytest.raises(QdlabInputError):
        G.band_edge_degeneracy("Si")


# ------------------------------------------------------------------ published thresholds
@cache
def _gain(spec, core, shell):
    return G.laser_gain(spec, core, [shell])


def test_bisschop_large_core_thin_shell():
    """Bisschop 2018: large-core / thin-shell CdSe/CdS reach transparency at 1.0 excitons
    per dot (representative 5 nm core, 1 nm shell; the abstract gives no dimensions)."""
    ref = float(_rows()["bisschop2018_thin"]["low"])
    r = _gain("CdSe/CdS", 5.0, 1.0)
    print(f"CdSe/CdS 5 nm + 1 nm: <N>_th = {r.threshold_excitons_per_dot:.2f} "
          f"(Bisschop 2018: {ref}); Delta_XX = {r.biexciton_binding_meV:.1f} meV")
    # the band-edge model spans 0.76-1.15 for g = 2; the measured 1.0 must lie in it
    assert abs(r.threshold_excitons_per_dot - ref) <= 0.2


@pytest.mark.xfail(strict=False, reason="known miss: the three-line model has no higher "
                   "transitions absorbing on the blue side of a repulsive biexciton line, so "
                   "repulsion lowers the threshold instead of raising it (Bisschop 2018)")
def test_bisschop_small_core_thick_shell():
    ref = float(_rows()["bisschop2018_thick"]["low"])
    r = _gain("CdSe/CdS", 2.5, 3.0)
    print(f"CdSe/CdS 2.5 nm + 3 nm: <N>_th = {r.threshold_excitons_per_dot:.2f} "
          f"(Bisschop 2018: up to {ref})")
    assert r.threshold_excitons_per_dot > 2.0


def test_dang_ase_threshold_against_transparency():
    """Model transparency fluence of a representative CdSe/ZnS dot against the measured ASE
    threshold of CdSe/ZnCdS films (Dang 2012, 90 uJ/cm^2).  Dot size, shell and pump
    wavelength are not in the abstract, so the check is an order of magnitude: within a
    factor 3 (the 400 nm cross-section of 4-6 nm CdSe dots changes by ~3x over that range,
    as the volume)."""
    ref = float(_rows()["dang2012_ase"]["low"])
    r = _gain("CdSe/ZnS", 4.0, 1.0)
    print(f"CdSe/ZnS 4 nm + 1 nm, 400 nm fs pump: transparency {r.ase_threshold_uJ_cm2:.0f} "
          f"uJ/cm^2 at <N> = {r.threshold_excitons_per_dot:.2f} (Dang 2012 ASE: {ref:.0f})")
    assert 0.1 * ref < r.ase_threshold_uJ_cm2 < 3.0 * ref
    assert r.gain_lifetime_ps > 0 and r.ase_threshold_photons_cm2 == pytest.approx(
        r.threshold_excitons_per_dot / r.absorption_cross_section_pump_cm2, rel=1e-9)


def test_dang_sub_single_exciton():
    """Dang 2012: gain with less than one exciton per dot on average."""
    assert _gain("CdSe/ZnS", 4.0, 1.0).threshold_excitons_per_dot < \
        float(_rows()["dang2012_sub1"]["high"])


def test_gain_spectrum_sign_and_units():
    r = _gain("CdSe/ZnS", 4.0, 1.0)
    s = r.gain_spectrum
    assert s["mean_excitons_per_dot"] > r.threshold_excitons_per_dot
    assert max(s["gain_per_cm"]) > 0                 # above threshold: gain somewhere
    assert abs(r.peak_gain_nm - r.first_exciton_nm) < 30.0
    json.dumps(r.to_dict(), default=lambda a: np.asarray(a).tolist())


def test_laser_gain_refuses_pump_below_gap():
    with pytest.raises(QdlabInputError, match="pump_nm"):
        G.laser_gain("CdSe", 4.0, pump_nm=700.0)


# ------------------------------------------------------------------ safety
def test_rohs_mass_fraction_by_hand():
    # CdSe core 4 nm, ZnS shell 1 nm: m = rho V; w_Cd = m_CdSe * A_Cd / M_CdSe / m_total
    v_core = 4 / 3 * math.pi * 2.0**3 * 1e-21
    v_shell = 4 / 3 * math.pi * (3.0**3 - 2.0**3) * 1e-21
    m_core, m_shell = 5.66 * v_core, 4.088 * v_shell            # database densities
    w_cd = m_core * 112.41 / (112.41 + 78.971) / (m_core + m_shell)
    w_zn = m_shell * 65.38 / (65.38 + 32.06) / (m_core + m_shell)
    f = S.mass_fractions(parse_layers("CdSe/ZnS", 4.0, [1.0]))
    assert f["Cd"] == pytest.approx(w_cd, rel=1e-9)
    assert f["Zn"] == pytest.approx(w_zn, rel=1e-9)
    assert sum(f.values()) == pytest.approx(1.0, abs=1e-12)
    flags = S.rohs_flags(f)
    assert [x["element"] for x in flags] == ["Cd"] and flags[0]["exceeds"]
    # diluted to 100 ppm Cd exactly: not above the limit; a little more: above
    diluted = S.rohs_flags(S.mass_fractions(parse_layers("CdSe/ZnS", 4.0, [1.0]), 1e-4 / w_cd))
    assert not diluted[0]["exceeds"]


def test_formula_weights_match_database_molar_masses():
    from qdlab.materials import get_material, list_materials

    for key in list_materials():
        m = get_material(key)
        M = sum(n * S.ATOMIC_WEIGHTS[e] for e, n in S._formula_counts(m.name).items())
        assert M == pytest.approx(m.molar_mass_g_mol, rel=2e-4), key


def test_toxicity_and_clean_composition():
    rep = S.safety_report(parse_layers("InP/ZnS", 3.0, [1.0]), 620.0)
    assert rep["rohs_compliant"] and rep["toxicity"] == [] and rep["rohs"] == []
    rep = S.safety_report(parse_layers("PbS", 4.0))
    assert not rep["rohs_compliant"] and rep["toxicity"][0]["element"] == "Pb"
    assert S.composition_flags(["Ga", "As"])[0]["element"] == "As"


@pytest.mark.parametrize("peak, inside", [
    (649.9, []), (650.0, ["NIR-I"]), (950.0, ["NIR-I"]), (975.0, []),
    (1000.0, ["NIR-II"]), (1300.0, ["NIR-II", "NIR-IIa"]), (1400.0, ["NIR-II", "NIR-IIa"]),
    (1450.0, ["NIR-II"]), (1500.0, ["NIR-II", "NIR-IIb"]), (1700.0, ["NIR-II", "NIR-IIb"]),
    (1700.1, [])])
def test_window_edges(peak, inside):
    assert [w["name"] for w in S.nir_windows(peak) if w["inside"]] == inside


def test_window_bad_peak():
    with pytest.raises(QdlabInputError):
        S.nir_windows(-5.0)


# ------------------------------------------------------------------ CLI and API
def test_cli_safety_json_and_errors():
    from typer.testing import CliRunner

    from qdlab.cli.main import app

    run = CliRunner().invoke(app, ["device", "safety", "CdSe/ZnS", "--core-diameter", "4",
                                   "--shell", "1", "--emission-nm", "1350", "--json"])
    assert run.exit_code == 0, run.output
    out = json.loads(run.stdout)
    assert out["in_windows"] == ["NIR-II", "NIR-IIa"] and not out["rohs_compliant"]
    bad = CliRunner().invoke(app, ["device", "safety", "CdSe", "--diameter", "4",
                                   "--shell", "1"])
    assert bad.exit_code == 2 and "error:" in bad.output
    bad = CliRunner().invoke(app, ["device", "gain", "CdSe", "--diameter", "4",
                                   "--populations", "bogus"])
    assert bad.exit_code == 2 and "populations" in bad.output


def test_api_safety_and_422():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from qdlab.web.app import create_app

    c = TestClient(create_app())
    r = c.post("/api/device/safety", json={"material": "PbS", "core_diameter_nm": 4.0,
                                           "emission_nm": 1550.0})
    assert r.status_code == 200 and r.json()["in_windows"] == ["NIR-II", "NIR-IIb"]
    assert c.post("/api/device/safety", json={"material": "PbS",
                                              "core_diameter_nm": -1}).status_code == 422
    assert c.post("/api/device/gain", json={"material": "CdSe", "core_diameter_nm": 4.0,
                                            "pump_nm": 10.0}).status_code == 422
