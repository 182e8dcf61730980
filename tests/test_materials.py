"""Tests of the materials database (qdlab.materials)."""

from __future__ import annotations

import math
import re
import tomllib
import warnings

import numpy as np
import pytest

from qdlab.constants import AVOGADRO, BOHR_RADIUS_NM, RYDBERG_EV
from qdlab.errors import QdlabInputError
from qdlab.materials import (
    Material,
    RoHS_ELEMENTS,
    alloy,
    bibliography,
    get_material,
    list_materials,
    load_material_file,
)
from qdlab.materials._database import _data_dir

REQUIRED = ["CdSe-wz", "CdSe-zb", "CdS-wz", "CdTe-zb", "ZnS-zb", "ZnSe-zb", "ZnTe-zb",
            "InP-zb", "InAs-zb", "InSb-zb", "GaAs-zb", "GaP-zb", "PbS-rs", "PbSe-rs",
            "PbTe-rs", "Si-diamond", "Ge-diamond", "CsPbCl3-cubic", "CsPbBr3-cubic",
            "CsPbI3-cubic", "CuCl-zb", "ZnO-wz"]

# IUPAC 2021 standard atomic weights (abridged), g/mol
ATOMIC_WEIGHT = {"Cd": 112.414, "Se": 78.971, "S": 32.06, "Te": 127.60, "Zn": 65.38,
                 "In": 114.818, "P": 30.973762, "As": 74.921595, "Sb": 121.760,
                 "Ga": 69.723, "Pb": 207.2, "Si": 28.085, "Ge": 72.630, "Cs": 132.90545196,
                 "Cl": 35.45, "Br": 79.904, "I": 126.90447, "Cu": 63.546, "O": 15.999}


def _formula_mass(formula: str) -> float:
    return sum(ATOMIC_WEIGHT[el] * (int(n) if n else 1)
               for el, n in re.findall(r"([A-Z][a-z]?)(\d*)", formula))


def test_every_required_record_loads():
    keys = list_materials()
    for k in REQUIRED:
        assert k in keys
        assert isinstance(get_material(k), Material)


def test_every_source_is_in_bibliography():
    for path in sorted(_data_dir().glob("*.toml")):
        if path.name in ("bibliography.toml",):
            continue
        raw = tomllib.loads(path.read_text())
        n = 0
        for table in raw.get("record", []) + raw.get("bowing", []):
            for fld, val in table.items():
                if isinstance(val, dict):
                    assert val.get("source") in bibliography, (path.name, fld)
                    n += 1
                elif fld == "source":
                    assert val in bibliography, (path.name, fld)
                    n += 1
        assert n > 0, path.name
    for k in list_materials():
        for fld, key in get_material(k).sources.items():
            assert key in bibliography, (k, fld)


def test_every_numeric_field_has_a_source():
    numeric = {"band_gap": "band_gap_params", "electron_mass": "electron_mass",
               "hole_mass": "hole_mass", "eps_static": "eps_static", "eps_inf": "eps_inf",
               "electron_affinity": "electron_affinity_eV", "lattice_a": "lattice_constant_nm",
               "density": "density_g_cm3", "molar_mass": "molar_mass_g_mol",
               "kane_energy": "kane_energy_eV", "spin_orbit": "spin_orbit_eV",
               "lattice_c": "lattice_c_nm", "luttinger": "luttinger",
               "heavy_hole_mass": "heavy_hole_mass", "light_hole_mass": "light_hole_mass"}
    for k in list_materials():
        m = get_material(k)
        for src_field, attr in numeric.items():
            if getattr(m, attr) is not None:
                assert src_field in m.sources, (k, src_field)


def test_bibliography_entries_are_full_citations():
    for key in bibliography:
        cit = bibliography[key]
        assert len(cit) > 40 and re.search(r"\(?(19|20)\d\d\)?", cit), key
    assert "10.1063/1.1368156" in bibliography("vurgaftman2001")
    assert bibliography.short("kang1997") == "Kang & Wise (1997)"
    assert "2011/65/EU" in bibliography["rohs2011"]


@pytest.mark.parametrize("key", REQUIRED)
def test_molar_mass_is_sum_of_atomic_weights(key):
    m = get_material(key)
    assert m.molar_mass_g_mol == pytest.approx(_formula_mass(m.name), abs=0.01)


@pytest.mark.parametrize("key", REQUIRED)
def test_density_matches_lattice(key):
    """Density agrees with Z M / (N_A V_cell); 1.5 % allows measured vs X-ray density."""
    m = get_material(key)
    z = {"zincblende": 4, "rocksalt": 4, "diamond": 8, "wurtzite": 2,
         "cubic perovskite": 1}[m.crystal_structure]
    a_cm = m.lattice_constant_nm * 1e-7
    vol = a_cm**3 if m.lattice_c_nm is None else math.sqrt(3) / 2 * a_cm**2 * m.lattice_c_nm * 1e-7
    assert m.density_g_cm3 == pytest.approx(z * m.molar_mass_g_mol / AVOGADRO / vol, rel=0.015)


def test_spot_values():
    assert get_material("CdSe").band_gap(300.0) == pytest.approx(1.74, abs=1e-9)
    assert get_material("PbS").band_gap(300.0) == pytest.approx(0.41, abs=1e-9)
    # Vurgaftman 2001 Varshni: 1.4236 - 3.63e-4 * 300^2 / (300 + 162)
    assert get_material("InP").band_gap(300.0) == pytest.approx(
        1.4236 - 3.63e-4 * 300.0**2 / 462.0, abs=1e-12)
    assert get_material("InP").band_gap(300.0) == pytest.approx(1.344, abs=0.01)
    assert get_material("GaAs").band_gap(300.0) == pytest.approx(1.422, abs=0.001)
    assert get_material("CdSe-zb").band_gap(300.0) == pytest.approx(1.67, abs=1e-9)
    assert get_material("InP").electron_mass == 0.0795
    assert get_material("CdSe").lattice_c_nm == pytest.approx(0.70109)
    assert get_material("ZnS").lattice_c_nm is None


def test_band_gap_vectorised_and_temperature_checked():
    m = get_material("InP")
    t = np.array([10.0, 77.0, 300.0])
    eg = m.band_gap(t)
    assert isinstance(eg, np.ndarray) and eg.shape == (3,)
    assert np.all(np.diff(eg) < 0)
    assert isinstance(m.band_gap(300.0), float)
    with pytest.raises(QdlabInputError, match="temperature must be > 0 K"):
        m.band_gap(-5.0)
    with pytest.raises(QdlabInputError, match="temperature"):
        m.band_gap([300.0, 0.0])
    # lead salts: the gap grows with temperature
    pbs = get_material("PbS")
    assert pbs.band_gap(350.0) > pbs.band_gap(300.0)


def test_linear_gap_warns_outside_validity():
    from qdlab.errors import QdlabValidityWarning

    with pytest.warns(QdlabValidityWarning, match="valid for"):
        get_material("CdSe").band_gap(4.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        get_material("CdSe").band_gap(300.0)


def test_lookup_variants():
    assert get_material("CdSe").key == "CdSe-wz"
    assert get_material("cdse").key == "CdSe-wz"
    assert get_material("CdSe-zb").phase == "zincblende"
    assert get_material("CdSe", phase="zincblende").key == "CdSe-zb"
    assert get_material("CdSe", phase="zb").key == "CdSe-zb"
    assert get_material("CdSe-wz", phase="zb").key == "CdSe-zb"
    m = get_material("ZnS")
    assert get_material(m) is m
    with pytest.raises(QdlabInputError, match="phase of CdSe must be one of"):
        get_material("CdSe", phase="rocksalt")


def test_unknown_name_suggests_closest():
    with pytest.raises(QdlabInputError) as exc:
        get_material("CdSee")
    msg = str(exc.value)
    assert "unknown material 'CdSee'" in msg and "did you mean" in msg and "CdSe" in msg


def test_band_edges_and_offsets():
    cdse, cds, zns, znse, inp = (get_material(n) for n in ("CdSe", "CdS", "ZnS", "ZnSe", "InP"))
    for m in (cdse, cds, zns, znse, inp):
        assert m.conduction_band_edge() == -m.electron_affinity_eV
        assert m.valence_band_edge() == pytest.approx(-m.electron_affinity_eV - m.band_gap())
        assert m.ionisation_energy_eV() == pytest.approx(-m.valence_band_edge())
    # CdSe/CdS: small conduction-band offset (quasi-type II)
    assert 0.0 <= cdse.electron_affinity_eV - cds.electron_affinity_eV <= 0.3
    assert cds.valence_band_edge() < cdse.valence_band_edge()
    # CdSe/ZnS and InP/ZnSe, InP/ZnS: type I
    for core, shell in ((cdse, zns), (inp, znse), (inp, zns), (cdse, cds)):
        assert shell.valence_band_edge() < core.valence_band_edge()
    for core, shell in ((cdse, zns), (inp, znse), (inp, zns)):
        assert shell.conduction_band_edge() > core.conduction_band_edge()
    # ZnSe/CdS: type II (electron in CdS, hole in ZnSe)
    assert cds.conduction_band_edge() < znse.conduction_band_edge()
    assert cds.valence_band_edge() < znse.valence_band_edge()
    # CdSe VBM on the vacuum scale
    assert -6.9 <= cdse.valence_band_edge() <= -6.5


def test_derived_quantities():
    m = get_material("CdSe")
    mu = m.electron_mass * m.hole_mass / (m.electron_mass + m.hole_mass)
    assert m.reduced_mass == pytest.approx(mu)
    assert m.exciton_bohr_radius_nm == pytest.approx(BOHR_RADIUS_NM * m.eps_static / mu)
    assert m.exciton_rydberg_eV == pytest.approx(RYDBERG_EV * mu / m.eps_static**2)
    assert m.electron_bohr_radius_nm == pytest.approx(BOHR_RADIUS_NM * m.eps_static / 0.12)
    assert m.molar_volume_cm3_mol == pytest.approx(m.molar_mass_g_mol / m.density_g_cm3)
    # spherical heavy-hole mass from Luttinger parameters (Baldereschi-Lipari)
    inp = get_material("InP")
    g1, g2, g3 = inp.luttinger
    assert inp.hole_mass == pytest.approx(1.0 / (g1 - 2 * (2 * g2 + 3 * g3) / 5))
    assert inp.light_hole_mass == pytest.approx(1.0 / (g1 + 2 * (2 * g2 + 3 * g3) / 5))
    # perovskite: the Rydberg reproduces the measured binding energy (Yang 2017: 33 meV)
    assert get_material("CsPbBr3").exciton_rydberg_eV == pytest.approx(0.033, abs=0.002)


def test_rohs():
    assert set(RoHS_ELEMENTS) == {"Cd", "Pb", "Hg", "Cr"}
    assert get_material("CdSe").rohs_restricted_elements == ("Cd",)
    assert get_material("CsPbBr3").rohs_restricted_elements == ("Pb",)
    assert get_material("InP").rohs_restricted_elements == ()


def test_material_immutable_and_hashable():
    m = get_material("CdSe")
    with pytest.raises(AttributeError):
        m.electron_mass = 1.0
    with pytest.raises(TypeError):
        m.sources["band_gap"] = "x"
    assert hash(m) == hash(get_material("CdSe-wz"))
    assert m == get_material("CdSe-wz") and m != get_material("CdSe-zb")
    assert len({m, get_material("cdse")}) == 1


def test_describe_rows():
    rows = get_material("CdSe").describe()
    fields = [r[0] for r in rows]
    assert fields[0] == "band_gap_300K" and "electron_affinity_eV" in fields
    for field, _value, unit, citation in rows:
        assert isinstance(field, str) and isinstance(unit, str) and citation
    row = dict((r[0], r) for r in rows)
    assert row["electron_affinity_eV"][3] == "Swank (1967)"
    assert row["exciton_bohr_radius_nm"][3] == "computed"


def test_alloy_midpoint_with_bowing():
    a, b = get_material("CdSe"), get_material("CdS")
    m = alloy("CdSe", "CdS", 0.5)
    expected = 0.5 * a.band_gap(300) + 0.5 * b.band_gap(300) - 0.28 * 0.25
    assert m.band_gap(300) == pytest.approx(expected, abs=1e-12)
    assert m.electron_mass == pytest.approx(0.5 * (a.electron_mass + b.electron_mass))
    assert m.lattice_constant_nm == pytest.approx(0.5 * (a.lattice_constant_nm
                                                         + b.lattice_constant_nm))
    assert m.composition == (("CdSe-wz", 0.5), ("CdS-wz", 0.5))
    assert m.elements == ("Cd", "Se", "S")
    assert "wei2000" in m.sources["band_gap"]
    # end points reproduce the end members
    assert alloy("CdSe", "CdS", 0.0).band_gap(300) == pytest.approx(a.band_gap(300))
    assert alloy("CdSe", "CdS", 1.0).band_gap(300) == pytest.approx(b.band_gap(300))
    # vectorised in T
    assert alloy("CdSe", "CdS", 0.3).band_gap(np.array([250.0, 300.0])).shape == (2,)


def test_alloy_inp_gap_uses_direct_gaps():
    inp, gap = get_material("InP"), get_material("GaP")
    m = alloy("InP", "GaP", 0.5)
    expected = 0.5 * inp.band_gap(300) + 0.5 * gap.direct_band_gap(300) - 0.65 * 0.25
    assert m.band_gap(300) == pytest.approx(expected)
    # Ga0.5In0.5P (disordered) has Eg ~ 1.85-1.9 eV at 300 K
    assert 1.8 < m.band_gap(300) < 1.95


@pytest.mark.parametrize("pair", [("ZnSe", "ZnS"), ("CdSe", "ZnSe"), ("InP", "GaP"),
                                  ("CsPbBr3", "CsPbI3"), ("CsPbCl3", "CsPbBr3")])
def test_required_bowings_are_stored(pair):
    from qdlab.materials import bowing_parameter

    _b, src = bowing_parameter(*pair)
    assert src in bibliography


@pytest.mark.parametrize("x", [-0.1, 1.5, float("nan")])
def test_alloy_bad_x(x):
    with pytest.raises(QdlabInputError, match=r"x must be in \[0, 1\]"):
        alloy("CdSe", "CdS", x)


BROKEN = """
[[record]]
key = "Foo-zb"
name = "Foo"
phase = "zincblende"
crystal_structure = "zincblende"
elements = ["Zn", "S"]
band_gap = { model = "varshni", Eg0_eV = 2.0, alpha_eV_K = 4e-4, beta_K = 200.0, \
source = "madelung2004" }
electron_mass = { value = -0.1, source = "madelung2004" }
hole_mass = { value = 0.5, source = "madelung2004" }
hole_mass_definition = "test"
eps_static = { value = 9.0, source = "madelung2004" }
eps_inf = { value = 6.0, source = "madelung2004" }
electron_affinity = { value = 4.0, source = "madelung2004" }
lattice_a = { value = 0.55, source = "madelung2004" }
density = { value = 5.0, source = "madelung2004" }
molar_mass = { value = 100.0, source = "madelung2004" }
"""


def test_broken_file_error_names_file_material_field(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN)
    with pytest.raises(QdlabInputError) as exc:
        load_material_file(path)
    msg = str(exc.value)
    assert "broken.toml" in msg and "Foo-zb" in msg and "electron_mass" in msg
    assert "greater than 0" in msg


@pytest.mark.parametrize("edit, field", [
    ('eps_inf = { value = 6.0,', "eps_inf = { value = 0.5,"),
    ('Eg0_eV = 2.0,', 'Eg0_eV = -2.0,'),
    ('source = "madelung2004" }\nhole_mass', 'source = "nosuchkey" }\nhole_mass'),
])
def test_other_broken_records(tmp_path, edit, field):
    text = BROKEN.replace("value = -0.1", "value = 0.1").replace(edit, field)
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(QdlabInputError, match=r"bad\.toml: material 'Foo-zb'"):
        load_material_file(path)


def test_valid_user_file_loads(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(BROKEN.replace("value = -0.1", "value = 0.1"))
    (m,) = load_material_file(path)
    assert m.key == "Foo-zb" and m.electron_mass == 0.1


def test_invalid_toml(tmp_path):
    path = tmp_path / "syntax.toml"
    path.write_text("[[record]\nkey = ")
    with pytest.raises(QdlabInputError, match="syntax.toml: invalid TOML"):
        load_material_file(path)
