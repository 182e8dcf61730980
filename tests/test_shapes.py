"""Tests of the non-spherical structure descriptions (signed-distance functions)."""

import math

import numpy as np
import pytest

from qdlab.errors import QdlabInputError
from qdlab.structures import Sphere
from qdlab.structures.shapes import (
    Cube,
    Dimer,
    DotInRod,
    Platelet,
    Rod,
    SDFShape,
    Tetrapod,
    VoxelShape,
    as_shape,
    platelet_thickness_nm,
)


class Mat:
    def __init__(self, name="X", a=0.608):
        self.name, self.electron_mass, self.hole_mass = name, 0.13, 0.45
        self.lattice_constant_nm = a


def test_rod_geometry_and_validation():
    r = Rod(Mat(), 20.0, 4.0)
    assert r.aspect_ratio == 5.0
    assert float(r.sdf(0, 0, 10.0)) == pytest.approx(0.0)
    assert float(r.sdf(2.0, 0, 8.0)) == pytest.approx(0.0)   # where the cap begins
    assert float(r.sdf(0, 3.0, 0)) == pytest.approx(1.0)
    with pytest.raises(QdlabInputError, match="length must be >= diameter"):
        Rod(Mat(), 3.0, 4.0)
    with pytest.raises(QdlabInputError, match="diameter must be > 0 nm"):
        Rod(Mat(), 3.0, -1)
    with pytest.raises(Exception):  # noqa: B017 - frozen dataclass
        r.medium = None


def test_platelet_thickness_from_zinc_blende_planes():
    # 4 ML CdSe ("4.5 ML"): 4 Se + 5 Cd planes, (2n+1) a/4
    assert platelet_thickness_nm(4, 0.608) == pytest.approx(9 * 0.608 / 4)
    p = Platelet(Mat(), 4, 20.0, lateral_width=10.0)
    assert p.thickness_nm == pytest.approx(1.368)
    assert p.bounding_box_nm[1] == pytest.approx((10.0, 5.0, 0.684))
    assert float(p.sdf(0, 0, 0)) == pytest.approx(-0.684)
    with pytest.raises(QdlabInputError, match="monolayers"):
        Platelet(Mat(), 0, 20.0)
    with pytest.raises(QdlabInputError, match="lattice_constant_nm"):
        Platelet(Mat(a=None), 3, 20.0)


def test_cube_and_tetrapod():
    c = Cube(Mat(), 8.0)
    assert float(c.sdf(4.0, 4.0, 4.0)) == pytest.approx(0.0)
    assert float(c.sdf(5.0, 5.0, 4.0)) == pytest.approx(math.sqrt(2))
    core, arm = Mat("zb"), Mat("wz")
    t = Tetrapod(core, 4.0, 10.0, 3.0, arm_material=arm)
    d = np.array([1.0, 1.0, 1.0]) / math.sqrt(3)
    tip = 2.0 + 10.0
    assert int(t.region_index(*(0.0, 0.0, 0.0))) == 0
    assert int(t.region_index(*(d * (tip - 0.1)))) == 1
    assert int(t.region_index(*(d * (tip + 0.1)))) == 2   # medium beyond the tip
    assert int(t.region_index(*(-d * 8.0))) == 2          # no arm along -[111]
    assert t.label == "zb/wz" and t.symmetry == (False, False, False)
    lo, hi = t.bounding_box_nm
    pts = np.random.default_rng(0).uniform(-15, 15, (20000, 3))
    inside = t.sdf(pts[:, 0], pts[:, 1], pts[:, 2]) < 0
    assert np.all((pts[inside] >= lo) & (pts[inside] <= hi))


def test_dot_in_rod():
    s = DotInRod(Mat("CdSe"), 3.0, Mat("CdS"), 30.0, 5.0, core_position=-5.0)
    assert int(s.region_index(0, 0, -5.0)) == 0
    assert int(s.region_index(0, 0, 5.0)) == 1
    assert s.symmetry == (True, True, False)
    with pytest.raises(QdlabInputError, match="core_position"):
        DotInRod(Mat(), 3.0, Mat(), 30.0, 5.0, core_position=14.0)


def test_dimer_placement_neck_and_symmetry():
    m = Mat()
    a = Sphere(m, 4.0)
    d = Dimer(a, a, gap_nm=1.0)
    assert d.symmetry == (True, True, True)
    assert d.bounding_box_nm[1][2] == pytest.approx(4.5)
    assert int(d.region_index(0, 0, 2.5)) == 1 and int(d.region_index(0, 0, -2.5)) == 0
    assert int(d.region_index(0, 0, 0)) == len(d.regions)     # gap = medium
    dn = Dimer(a, a, gap_nm=1.0, neck_diameter_nm=2.0)
    assert int(dn.region_index(0, 0, 0)) == 2                  # neck
    assert int(dn.region_index(1.5, 0, 0)) == 3
    db = Dimer(a, Sphere(m, 3.0), gap_nm=0.5)
    assert db.symmetry[2] is False


def test_sdf_and_voxel_shapes():
    m = Mat()
    s = SDFShape(lambda x, y, z: np.sqrt(x ** 2 + y ** 2 + z ** 2) - 2.0, ((-2, -2, -2), (2, 2, 2)),
                 m, layers=[(m, lambda x, y, z: np.sqrt(x ** 2 + y ** 2 + z ** 2) - 1.0)])
    assert [int(s.region_index(0, 0, z)) for z in (0.5, 1.5, 2.5)] == [0, 1, 2]
    with pytest.raises(QdlabInputError, match="bounding_box"):
        SDFShape(lambda x, y, z: x, ((0, 0, 0), (0, 1, 1)), m)
    g = (np.arange(21) - 10) * 0.2
    X, Y, Z = np.meshgrid(g, g, g, indexing="ij")
    v = VoxelShape(X ** 2 + Y ** 2 + Z ** 2 < 1.5 ** 2, 0.2, m)
    assert float(v.sdf(0.0, 0.0, 0.0)) < -1.2
    assert float(v.sdf(0.0, 0.0, 1.5)) == pytest.approx(0.0, abs=0.15)
    assert float(v.sdf(0.0, 0.0, 3.0)) > 1.0


def test_as_shape_of_spheres():
    s = as_shape(Sphere(Mat(), 5.0))
    assert s.symmetry == (True, True, True)
    assert float(s.sdf(0, 0, 2.5)) == pytest.approx(0.0)
    with pytest.raises(QdlabInputError):
        as_shape("CdSe")
