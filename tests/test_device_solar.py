"""Solar cells (qdlab.devices.solar): detailed-balance limits against published values.

Prints (run with -s): the SQ check at 1.34 eV, the MEG staircase maximum, the tandem
optimum, and the PbS dot-film limit against a measured PbS quantum-dot cell.
"""

import json
import math
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app
from qdlab.devices.solar import (
    PUBLISHED_PBS_DEVICE,
    am15g,
    detailed_balance,
    dot_cell,
    meg_quantum_yield,
    step_absorptance,
    step_cell,
    tandem_limit,
)
from qdlab.errors import QdlabInputError

runner = CliRunner()
K_EV = 8.617333262e-5


def test_am15g_is_normalised_to_1000_w_m2():
    from qdlab.devices.solar.spectrum import _native_am15g

    lam, irr = _native_am15g()
    raw = np.trapezoid(irr, lam)
    assert 999.0 < raw < 1001.0            # the ASTM G173 global table (1000.37 W/m^2)
    # the binned photon flux carries the normalised power (bins of 1 meV)
    assert am15g().irradiance_W_m2() == pytest.approx(1000.0, rel=1e-4)


def test_shockley_queisser_at_1_34_eV_matches_ruhle():
    r = step_cell(1.34)
    print(f"\nSQ 1.34 eV, 300 K, AM1.5G: eff {100 * r['efficiency_limit']:.2f} % (Rühle 2016: "
          f"33.7 %), Voc {r['voc_V']:.4f} V, Jsc {r['jsc_mA_cm2']:.3f} mA/cm^2, FF "
          f"{r['ff']:.4f}")
    assert round(100 * r["efficiency_limit"], 1) == 33.7
    # Jsc: the photons above 1.34 eV of AM1.5G (independent: the cumulative table)
    assert r["jsc_mA_cm2"] == pytest.approx(35.0, abs=0.3)
    assert r["voc_V"] == pytest.approx(1.08, abs=0.01)


def test_voc_and_ff_obey_the_ideal_diode_relations():
    """Voc = kT ln(Jsc/J0 + 1); FF against Green's empirical formula (ideal diode)."""
    sun = am15g()
    A = step_absorptance(sun.energy_eV, 1.34, step_eV=sun.step_eV)
    from qdlab.devices.solar.balance import CellDiode

    d = CellDiode(A, sun)
    r = d.result()
    j0 = float(d.recombination(K_EV * 300.0 * math.log(2.0))[0])   # J0 (e^1ln2 - 1 = 1)
    assert r.voc_V == pytest.approx(K_EV * 300 * math.log(r.jsc_mA_cm2 / j0 + 1), rel=1e-6)
    voc = r.voc_V / (K_EV * 300.0)
    ff_green = (voc - math.log(voc + 0.72)) / (voc + 1)
    assert r.ff == pytest.approx(ff_green, abs=0.003)


def test_sq_maximum_lies_near_1_34_eV():
    effs = {g: step_cell(g)["efficiency_limit"] for g in (1.0, 1.34, 1.6)}
    assert effs[1.34] > effs[1.0] and effs[1.34] > effs[1.6]


def test_meg_staircase_reaches_hanna_nozik_44_percent():
    best = max((step_cell(g, meg="staircase")["efficiency_limit"], g)
               for g in np.arange(0.62, 0.80, 0.02))
    print(f"\nMEG ideal staircase, step absorber: {100 * best[0]:.2f} % at {best[1]:.2f} eV "
          "(Hanna & Nozik 2006: 44.4 %)")
    assert round(100 * best[0], 1) == pytest.approx(44.4, abs=0.15)
    assert 0.66 <= best[1] <= 0.76


def test_meg_models():
    E = np.array([1.0, 2.0, 2.5, 3.0, 3.4])
    assert meg_quantum_yield(E, 1.0, "none").tolist() == [1, 1, 1, 1, 1]
    assert meg_quantum_yield(E, 1.0, "staircase").tolist() == [1, 2, 2, 3, 3]
    lin = meg_quantum_yield(E, 1.0, "linear", efficiency=0.5)    # threshold 3 Eg, eps 2 Eg
    assert lin.tolist() == pytest.approx([1, 1, 1, 1, 1.2])
    assert np.all(lin <= E / 1.0)                                  # energy conservation
    # realistic MEG (eta = 0.4) adds little at the SQ gap; the ideal staircase adds nothing
    base = step_cell(1.34)["efficiency_limit"]
    assert step_cell(1.34, meg="linear")["efficiency_limit"] >= base
    with pytest.raises(QdlabInputError, match="meg efficiency"):
        meg_quantum_yield(E, 1.0, "linear", efficiency=1.5)
    with pytest.raises(QdlabInputError, match="MEG model"):
        meg_quantum_yield(E, 1.0, "stairs")


def test_tandem_near_the_two_junction_limit():
    sun = am15g()

    def eff(gt, gb):
        return tandem_limit(step_absorptance(sun.energy_eV, gt, step_eV=sun.step_eV),
                            step_absorptance(sun.energy_eV, gb, step_eV=sun.step_eV),
                            sun=sun)

    r = eff(1.63, 0.96)
    print(f"\nseries tandem 1.63/0.96 eV: {100 * r.efficiency:.2f} %, Voc {r.voc_V:.3f} V, "
          f"Jsc {r.jsc_mA_cm2:.2f} mA/cm^2, FF {r.ff:.3f}")
    assert 0.45 < r.efficiency < 0.465
    assert r.efficiency > eff(1.5, 0.96).efficiency and r.efficiency > eff(1.63, 1.1).efficiency
    # above both single junctions, and Voc is the sum of the sub-cells' at J = 0
    assert r.efficiency > step_cell(1.34)["efficiency_limit"] + 0.1
    assert r.voc_V == pytest.approx(r.top.voc_V + r.bottom.voc_V, rel=1e-6)


def test_urbach_tail_ere_and_stokes_lower_voc():
    ref = step_cell(1.34)
    tail = step_cell(1.34, urbach_eV=0.02)
    assert tail["voc_V"] < ref["voc_V"] and tail["jsc_mA_cm2"] > ref["jsc_mA_cm2"]
    low = step_cell(1.34, ere=1e-4)
    assert ref["voc_V"] - low["voc_V"] == pytest.approx(K_EV * 300 * math.log(1e4), rel=1e-3)
    st = step_cell(1.34, stokes_shift_eV=0.1)
    assert 0.08 < ref["voc_V"] - st["voc_V"] < 0.11


def test_bad_input_names_the_parameter():
    with pytest.raises(QdlabInputError, match="gap_eV"):
        step_cell(0.05)
    with pytest.raises(QdlabInputError, match="temperature"):
        step_cell(1.3, temperature_K=20.0)
    with pytest.raises(QdlabInputError, match="ere"):
        step_cell(1.3, ere=0.0)
    with pytest.raises(QdlabInputError, match="absorptance"):
        detailed_balance(np.ones(5))


@pytest.fixture(scope="module")
def pbs_cell():
    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    ens = Ensemble("PbS", SizeDistribution.normal(3.0, 5.0))
    with warnings.catch_warnings():
        # the ensemble's "no bulk optical constants" warning is answered by the
        # lead-salt continuum: it must not reach the user
        warnings.simplefilter("error", UserWarning)
        return dot_cell(ens)


def test_pbs_dot_film_absorptance_and_limit(pbs_cell):
    r = pbs_cell
    assert 900 < r["first_peak_nm"] < 1030          # a ~1.3 eV PbS absorber
    A = r["absorptance"]["absorptance"]
    E = r["absorptance"]["energy_eV"]
    assert A[np.argmin(abs(E - r["gap_eV"]))] > 0.3   # the band edge absorbs
    assert A[E < r["gap_eV"] - 0.3].max() < 1e-3      # transparent well below it
    # a film can never beat the step absorber at its own gap
    assert r["efficiency_limit"] < step_cell(round(r["gap_eV"], 3))["efficiency_limit"]


def test_pbs_dot_limit_lies_above_the_published_device(pbs_cell):
    dev = PUBLISHED_PBS_DEVICE
    ratio = pbs_cell["efficiency_limit"] / dev["efficiency"]
    print(f"\nPbS 3 nm film (500 nm, phi 0.35, mirror) limit "
          f"{100 * pbs_cell['efficiency_limit']:.2f} %, Voc {pbs_cell['voc_V']:.3f} V, Jsc "
          f"{pbs_cell['jsc_mA_cm2']:.2f} mA/cm^2, FF {pbs_cell['ff']:.3f} vs measured "
          f"{100 * dev['efficiency']:.2f} %, Jsc {dev['jsc_mA_cm2']} ({dev['reference']}): "
          f"ratio {ratio:.2f}")
    assert ratio > 1.0
    assert pbs_cell["jsc_mA_cm2"] > dev["jsc_mA_cm2"]


def test_lead_salt_continuum_carries_the_photocurrent():
    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    ens = Ensemble("PbS", SizeDistribution.normal(3.0, 5.0))
    with pytest.warns(UserWarning, match="optical constants"):
        edge_only = dot_cell(ens, continuum=False)
    full = dot_cell(ens)
    print(f"\nPbS 3 nm band-edge transitions only: {100 * edge_only['efficiency_limit']:.2f} %"
          f", Jsc {edge_only['jsc_mA_cm2']:.2f} mA/cm^2")
    assert edge_only["jsc_mA_cm2"] < 0.5 * full["jsc_mA_cm2"]
    # the continuum is cut below the first exciton: Voc is not set by a spurious tail
    assert full["voc_V"] > edge_only["voc_V"] - 0.02


def test_step_limit_lies_above_the_published_device():
    """The step limit at the dots' ~1.3 eV gap is above the measured PbS cell."""
    r = step_cell(1.3)
    ratio = r["efficiency_limit"] / PUBLISHED_PBS_DEVICE["efficiency"]
    print(f"\nstep 1.3 eV limit {100 * r['efficiency_limit']:.2f} % / measured PbS cell "
          f"{100 * PUBLISHED_PBS_DEVICE['efficiency']:.2f} % = {ratio:.2f}")
    assert ratio > 1.0 and r["jsc_mA_cm2"] > PUBLISHED_PBS_DEVICE["jsc_mA_cm2"]


# ------------------------------------------------------------------ CLI
def run(*args):
    return runner.invoke(app, ["device", "solar", *args])


def test_cli_step_gap_json_contract():
    res = run("--step-gap", "1.34", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for key in ("efficiency_limit", "voc_V", "jsc_mA_cm2", "ff"):
        assert isinstance(out[key], float)
    assert round(100 * out["efficiency_limit"], 1) == 33.7
    jv = out["jv_curve"]
    assert len(jv["voltage_V"]) == len(jv["current_mA_cm2"]) == 101
    assert jv["current_mA_cm2"][0] == pytest.approx(out["jsc_mA_cm2"])


@pytest.mark.parametrize("args, word", [
    (("--step-gap", "1.34", "--diameter", "3"), "--diameter"),
    (("--step-gap", "1.34", "--thickness-nm", "300"), "--thickness-nm"),
    (("--step-gap", "9"), "gap_eV"),
    (("--step-gap", "1.3", "--meg-efficiency", "0.5"), "--meg-efficiency"),
    (("--step-gap", "1.3", "--meg", "stairs"), "MEG model"),
    (("PbS",), "--diameter"),
    (("--step-gap", "1.3", "--temperature", "-3"), "temperature"),
    (("--step-gap", "1.3", "--plot", "x.pdf"), "--plot"),
])
def test_cli_refuses_in_one_line(args, word):
    res = run(*args)
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and word in lines[0]


def test_cli_plot_and_tandem(tmp_path):
    png = tmp_path / "jv.png"
    res = run("--step-gap", "0.96", "--top-gap", "1.63", "--json", "--plot", str(png))
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert 0.45 < out["efficiency_limit"] < 0.465
    assert png.stat().st_size > 1000


# ------------------------------------------------------------------ API
@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from qdlab.web import create_app

    with TestClient(create_app()) as c:
        yield c


def test_api_solar_step(client):
    r = client.post("/api/device/solar", json={"step_gap_eV": 1.34, "meg": "staircase",
                                                "n_curve": 21})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["efficiency_limit"] > 0.337
    assert len(out["jv_curve"]["voltage_V"]) == 21


@pytest.mark.parametrize("body", [
    {"step_gap_eV": 9.0},
    {"step_gap_eV": 1.3, "material": "PbS", "mean_diameter_nm": 3.0},
    {"material": "PbS"},
    {"step_gap_eV": 1.3, "temperature_K": 20},
    {"step_gap_eV": 1.3, "ere": 0},
    {"step_gap_eV": 1.3, "bogus": 1},
    {"step_gap_eV": 1.3, "top_gap_eV": 1.7, "meg": "linear"},
])
def test_api_solar_422(client, body):
    r = client.post("/api/device/solar", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"]


def test_meg_methods_are_cited_in_the_bibliography():
    from qdlab.devices.solar import MEG_METHODS

    for name, model in MEG_METHODS.items():
        assert model.citations, name
        assert all(c for c in model.full_citations()), name
