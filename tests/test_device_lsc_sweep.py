"""LSC efficiency against dot size: qdlab.devices.lsc_sweep and POST /api/device/lsc/sweep."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qdlab.devices.lsc import trapping_efficiency
from qdlab.devices.lsc_report import lsc_report
from qdlab.devices.lsc_sweep import LSC_SWEEP_LIMITS, lsc_size_sweep
from qdlab.errors import QdlabInputError

pytestmark = pytest.mark.filterwarnings("ignore::qdlab.errors.QdlabValidityWarning")

SIZES = [2.5, 3.5, 4.5]


@pytest.fixture(scope="module")
def sweep():
    """CdSe/CdS, fixed absorbance 0.5 at 400 nm, QY 1, no host loss, 20 x 20 x 0.3 cm."""
    return lsc_size_sweep("CdSe/CdS", core_diameters_nm=SIZES, shells_nm=[2.0],
                          absorbance_at_excitation=0.5, size_cm=(20.0, 20.0, 0.3),
                          n_photons=40_000, seed=4)


def test_arrays_and_confinement(sweep):
    """One entry per size; the PL peak moves to the red with the core (confinement)."""
    for name in ("optical_efficiency", "optical_efficiency_se", "pl_peak_nm",
                 "edge_per_absorbed", "absorptions_per_absorbed", "reabsorption_loss"):
        assert getattr(sweep, name).shape == (len(SIZES),), name
    np.testing.assert_array_equal(sweep.core_diameter_nm, SIZES)
    assert np.all(np.diff(sweep.pl_peak_nm) > 0)
    assert np.all(np.diff(sweep.first_peak_nm) > 0)
    assert np.all(sweep.pl_peak_nm > sweep.first_peak_nm)      # the Stokes shift


def test_absorbance_rule_gives_beer_lambert_absorption(sweep):
    """Fixed decadic absorbance A at the excitation wavelength: the concentration of each
    size is A/(eps T), so every size absorbs (1-R)(1-tau)/(1-R tau) of the incident
    photons at least once (tau = 10^-A, incoherent reflections between the two faces)."""
    np.testing.assert_allclose(sweep.absorbance_at_excitation, 0.5, rtol=1e-12)
    assert np.all(np.diff(sweep.concentration_M) < 0)     # bigger dots absorb more each
    R = ((1.5 - 1.0) / 2.5) ** 2
    tau = 10.0**-0.5
    expected = (1 - R) * (1 - tau) / (1 - R * tau)
    se = math.sqrt(expected * (1 - expected) / sweep.n_photons_per_size)
    assert np.all(np.abs(sweep.absorbed_fraction - expected) < 3.0 * se)


def test_reabsorption_never_beats_the_trapping_limit(sweep):
    """QY = 1, no host loss: every reabsorption re-randomises the direction, so the edge
    photons per absorbed photon stay at or below sqrt(1 - 1/n^2); the indicator is >= 0."""
    eta = trapping_efficiency(1.5)
    assert np.all(sweep.edge_per_absorbed < eta + 3.0 * sweep.edge_per_absorbed_se)
    assert np.all(sweep.absorptions_per_absorbed >= 1.0)
    assert np.all(sweep.reabsorption_loss >= 0.0)
    assert sweep.settings["trapping_efficiency"] == pytest.approx(eta)


def test_one_size_agrees_with_the_single_report():
    """A one-size sweep at a fixed concentration and the single-slab report (its own
    transition table) agree within the MC errors (the shared table interpolates the same
    electronic states)."""
    kw = dict(shells_nm=[2.0], concentration_M=3e-6, size_cm=(10.0, 10.0, 0.3),
              quantum_yield=0.8, excitation_nm=400.0)
    sw = lsc_size_sweep("CdSe/CdS", core_diameters_nm=[3.0], n_photons=50_000, seed=8, **kw)
    rep, _ = lsc_report("CdSe/CdS", core_diameter_nm=3.0, n_photons=50_000, seed=9, **kw)
    combined = math.hypot(sw.optical_efficiency_se[0], rep["optical_efficiency_se"])
    assert abs(sw.optical_efficiency[0] - rep["optical_efficiency"]) < 3.0 * combined
    assert sw.pl_peak_nm[0] == pytest.approx(rep["dots"]["pl_peak_nm"], abs=0.5)


def test_reproducible_with_seed():
    kw = dict(core_diameters_nm=[3.0, 4.0], absorbance_at_excitation=0.3,
              size_cm=(5.0, 5.0, 0.3), n_photons=3000)
    a = lsc_size_sweep("CdSe", seed=5, **kw)
    b = lsc_size_sweep("CdSe", seed=5, **kw)
    np.testing.assert_array_equal(a.optical_efficiency, b.optical_efficiency)
    d = a.to_dict()
    assert d["optical_efficiency"] == a.optical_efficiency.tolist()
    assert d["settings"]["loading"] == "absorbance_at_excitation"


@pytest.mark.parametrize("kwargs, match", [
    (dict(), "exactly one"),
    (dict(concentration_M=1e-6, absorbance_at_excitation=0.5), "exactly one"),
    (dict(concentration_M=1.0), "concentration_M"),
    (dict(absorbance_at_excitation=50.0), "absorbance_at_excitation"),
    (dict(concentration_M=1e-6, core_diameters_nm=[]), "core_diameters_nm"),
    (dict(concentration_M=1e-6, core_diameters_nm=[100.0]), "core_diameters_nm"),
    (dict(concentration_M=1e-6,
          core_diameters_nm=[3.0] * (LSC_SWEEP_LIMITS["max_sizes"] + 1)), "core_diameters_nm"),
    (dict(concentration_M=1e-6, n_photons=0), "n_photons"),
    (dict(concentration_M=1e-6, n_photons=LSC_SWEEP_LIMITS["max_photons_per_size"],
          core_diameters_nm=[3.0] * 11), "n_photons x sizes"),
    (dict(concentration_M=1e-6, edges=("pv", "pv", "pv")), "edges"),
    (dict(concentration_M=1e-6, shells_nm=[1.0]), "shell"),
    (dict(concentration_M=1e-6, size_cm=(5, 5, -1)), "thickness"),
])
def test_refusals(kwargs, match):
    args = dict(core_diameters_nm=[3.0], n_photons=10)
    args.update(kwargs)
    with pytest.raises(QdlabInputError, match=match):
        lsc_size_sweep("CdSe", **args)


# ------------------------------------------------------------------ REST API
@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from qdlab.web.app import create_app

    with TestClient(create_app()) as c:
        yield c


API = {"structure": "CdSe/CdS", "core_diameters_nm": [2.5, 3.5], "shells_nm": [2.0],
       "absorbance_at_excitation": 0.5, "size_cm": [10, 10, 0.3], "photons_per_size": 5000,
       "seed": 2}


def test_api_sweep_same_numbers_as_python(client):
    r = client.post("/api/device/lsc/sweep", json=API)
    assert r.status_code == 200, r.text
    out = r.json()
    py = lsc_size_sweep("CdSe/CdS", core_diameters_nm=[2.5, 3.5], shells_nm=[2.0],
                        absorbance_at_excitation=0.5, size_cm=(10, 10, 0.3), n_photons=5000,
                        seed=2)
    assert out["optical_efficiency"] == py.optical_efficiency.tolist()
    assert out["core_diameter_nm"] == [2.5, 3.5]
    assert len(out["pl_peak_nm"]) == 2


@pytest.mark.parametrize("patch", [
    {"core_diameters_nm": [3.0] * 13}, {"core_diameters_nm": []},
    {"core_diameters_nm": [0.1]}, {"photons_per_size": 10**6}, {"photons_per_size": 0},
    {"concentration_M": 1e-6}, {"absorbance_at_excitation": None},
    {"shells_nm": []}, {"size_cm": [5, 5, 0]}, {"bogus": 1},
])
def test_api_sweep_refusals(client, patch):
    r = client.post("/api/device/lsc/sweep", json={**API, **patch})
    assert r.status_code == 422, r.text
    assert "detail" in r.json()
