"""CdS first exciton: X-ray-sized samples against the Yu 2003 CdS relation and the model.

The model is 0.34 eV too red against the Yu 2003 CdS relation while it is within
0.04-0.08 eV of Yu's CdSe and CdTe relations (issue 13, "find the cause of the CdS miss").
The data in ``qdlab/_data/first_exciton_independent.csv`` (sources in its README) size
CdS by X-ray diffraction: at the same peak Yu's relation gives ~1.5x their diameter, and
the model (bulk parameters, no fit) meets them.
"""

import json

import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app
from qdlab.validation import cds_size_check, load_reference_points, validate_first_exciton

#: The project's first-exciton goal (issue 13), eV.
GOAL_EV = 0.05


@pytest.fixture(scope="module")
def rows():
    return {r["source"]: r for r in cds_size_check()}


def test_yu2003_cds_diameters_exceed_the_xray_sizes(rows):
    # data against data, no model: at the measured peak, Yu's relation gives a diameter
    # above the largest X-ray size of each sample (3.38 nm at 400 nm against 2.0-2.6 nm;
    # 2.24 nm at 358 nm against the 1.2-1.5 nm cluster)
    assert set(rows) == {"Vogel1997", "Herron1993"}
    for r in rows.values():
        assert r["yu2003_diameter_nm"] > r["diameter_max_nm"] + 0.5
        assert r["yu2003_over_xray"] > 1.3


def test_model_meets_the_xray_sized_cds(rows):
    r = rows["Vogel1997"]
    # the sample's two phase components (2.0 and 2.6 nm) bracket the measured peak ...
    lo, hi = sorted(r["model_eV_range"])
    assert lo <= r["measured_eV"] <= hi
    # ... and at the mass-averaged size the model is within the goal
    assert abs(r["model_error_eV"]) <= GOAL_EV
    assert r["diameter_min_nm"] <= r["model_diameter_nm"] <= r["diameter_max_nm"]


def test_cluster_is_a_size_check_only(rows):
    # a 1.2-1.5 nm molecular cluster: not a model test (the model overshoots there)
    assert rows["Herron1993"]["role"] == "size_check"
    assert rows["Herron1993"]["model_error_eV"] > 0
    pts = load_reference_points()
    assert [p.source for p in pts if p.material == "CdS"].count("Vogel1997") == 1
    assert all(p.source != "Herron1993" for p in pts)
    assert all(p.source != "Vogel1997" for p in load_reference_points(independent=False))


@pytest.mark.xfail(strict=False, reason="CdS vs Yu 2003: single band 0.341 eV RMS, too red "
                   "(measured); cause: Yu's CdS diameters are ~1.5x the X-ray sizes "
                   "(test_yu2003_cds_diameters_exceed_the_xray_sizes), see qdlab.validation")
def test_single_band_cds_yu2003():
    (row,) = [r for r in validate_first_exciton()
              if r["material"] == "CdS" and r["source"] == "Yu2003"]
    assert row["rms_eV"] <= GOAL_EV


def test_validate_prints_the_cds_size_table():
    res = CliRunner().invoke(app, ["validate", "--model", "single-band"])
    assert res.exit_code == 0, res.output
    assert "CdS sized by X-ray diffraction" in res.output and "Vogel1997" in res.output
    res = CliRunner().invoke(app, ["validate", "--model", "single-band", "--json"])
    checks = [r for r in json.loads(res.stdout) if r["quantity"] == "size_check"]
    assert {r["source"] for r in checks} == {"Vogel1997", "Herron1993"}
