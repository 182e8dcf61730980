import math

import pytest

from qdlab.errors import QdlabInputError, QdlabValidityWarning
from qdlab.structures import VACUUM, CoreShell, Medium, Sphere, parse_layers


def test_sphere_radii_and_immutability():
    s = Sphere("CdSe", 4.0)
    assert s.radii_nm == (2.0,)
    assert s.material.name == "CdSe"
    with pytest.raises(AttributeError):
        s.temperature = 10


def test_coreshell_layers():
    cs = CoreShell("CdSe", 3.0, [("CdS", 1.0), ("ZnS", 0.5)])
    assert cs.radii_nm == (1.5, 2.5, 3.0)
    assert cs.shell_thicknesses_nm == pytest.approx((1.0, 0.5))
    assert cs.label == "CdSe/CdS/ZnS"
    assert [layer.inner_radius_nm for layer in cs.layers] == [0.0, 1.5, 2.5]


@pytest.mark.parametrize("d", [0, -1, float("nan"), float("inf")])
def test_bad_diameter(d):
    with pytest.raises(QdlabInputError, match="diameter must be > 0 nm"):
        Sphere("CdSe", d)


def test_zero_thickness_shell():
    with pytest.raises(QdlabInputError, match="shell 1 thickness must be > 0 nm"):
        CoreShell("CdSe", 3.0, [("ZnS", 0.0)])


@pytest.mark.parametrize("t", [0, -5, float("nan")])
def test_bad_temperature(t):
    with pytest.raises(QdlabInputError, match="temperature must be > 0 K"):
        Sphere("CdSe", 3.0, temperature=t)


def test_small_size_warns():
    with pytest.warns(QdlabValidityWarning, match="below 1 nm"):
        Sphere("CdSe", 0.8)


def test_unknown_material_suggests():
    with pytest.raises(QdlabInputError, match="CdSe"):
        Sphere("CdSee", 3.0)


def test_medium_checks():
    assert VACUUM.hard_wall
    assert not Medium().hard_wall
    with pytest.raises(QdlabInputError, match="electron_barrier_eV must be > 0"):
        Medium(electron_barrier_eV=-1)
    with pytest.raises(QdlabInputError, match="dielectric_constant must be >= 1"):
        Medium(dielectric_constant=math.nan)


def test_parse_layers():
    s = parse_layers("InP/ZnSe/ZnS", 3.0, [1.0, 0.5])
    assert s.radii_nm == (1.5, 2.5, 3.0)
    with pytest.raises(QdlabInputError, match="2 shell material"):
        parse_layers("InP/ZnSe/ZnS", 3.0, [1.0])
    with pytest.raises(QdlabInputError, match="names separated"):
        parse_layers("InP//ZnS", 3.0, [1.0, 1.0])
