"""The spherical exciton pipeline: structure -> radial solver -> Coulomb -> first exciton."""

import math

import numpy as np
import pytest

import qdlab
from qdlab.constants import RYDBERG_EV
from qdlab.electronic import brus_energy, first_exciton_batch, solve_sphere
from qdlab.electronic.sphere.holes import band_edge_hole_mass
from qdlab.errors import QdlabInputError
from qdlab.structures import CoreShell, Medium, Sphere


def test_exact_solver_reduces_to_brus_in_its_limit():
    """Infinite barriers, parabolic masses, no dielectric mismatch: first-order theory.

    In that limit the exact solver gives Eg + hbar^2 pi^2/(2 mu R^2) - 1.786 e^2/(eps R)
    (Brus 1984); Brus' formula as usually quoted adds Kayanuma's second-order
    correlation -0.248 Ry*, which first-order perturbation theory does not contain.
    """
    m = qdlab.get_material("CdSe")
    eps = m.eps_static
    med = Medium(dielectric_constant=eps, electron_barrier_eV=math.inf,
                 hole_barrier_eV=math.inf, name="matched hard wall")
    mh = band_edge_hole_mass(m)
    mu = m.electron_mass * mh / (m.electron_mass + mh)
    for d in (3.0, 5.0, 8.0):
        st = solve_sphere(Sphere(m, d, medium=med), nonparabolic=False, screening="static")
        brus = brus_energy(m.band_gap(300.0), m.electron_mass, mh, eps, d)
        correlation = 0.248 * RYDBERG_EV * mu / eps**2
        assert st.polarisation_electron_eV == pytest.approx(0.0, abs=1e-9)
        assert st.first_exciton_eV == pytest.approx(brus + correlation, abs=2e-4)


def test_shell_of_the_same_material_is_a_bigger_sphere():
    a = solve_sphere(CoreShell("CdSe", 3.0, [("CdSe", 1.0)]))
    b = solve_sphere(Sphere("CdSe", 5.0))
    assert a.first_exciton_eV == pytest.approx(b.first_exciton_eV, rel=1e-6)
    assert a.electron_levels[0].energy_eV == pytest.approx(b.electron_levels[0].energy_eV,
                                                           abs=1e-9)


def test_batch_equals_single():
    radii = np.array([[1.5, 2.5], [2.0, 3.5]])
    out = first_exciton_batch(["CdSe", "CdS"], radii)
    for row, e in zip(radii, out["first_exciton_eV"], strict=True):
        st = solve_sphere(CoreShell("CdSe", 2 * row[0], [("CdS", row[1] - row[0])]))
        assert st.first_exciton_eV == pytest.approx(e, abs=1e-9)


def test_first_exciton_decreases_with_size_and_temperature():
    e = first_exciton_batch(["CdSe"], np.linspace(1.0, 5.0, 9)[:, None])["first_exciton_eV"]
    assert np.all(np.diff(e) < 0)
    cold = solve_sphere(Sphere("CdSe", 4.0, temperature=10.0)).first_exciton_eV
    hot = solve_sphere(Sphere("CdSe", 4.0, temperature=300.0)).first_exciton_eV
    assert cold > hot + 0.05   # the Varshni shift of the gap, ~0.1 eV


@pytest.mark.parametrize(("structure", "alignment"), [
    (Sphere("CdSe", 4.0), "none"),
    (CoreShell("CdSe", 3.0, [("ZnS", 1.0)]), "type I"),
    (CoreShell("CdSe", 3.0, [("CdS", 2.0)]), "quasi-type II"),
    (CoreShell("ZnSe", 3.0, [("CdS", 1.5)]), "type II"),
])
def test_alignment(structure, alignment):
    assert solve_sphere(structure).alignment == alignment


def test_type_two_has_small_overlap_and_red_shift():
    t1 = solve_sphere(CoreShell("CdSe", 3.0, [("ZnS", 1.0)]))
    t2 = solve_sphere(CoreShell("CdTe", 3.0, [("CdSe", 1.5)]))
    assert t1.overlap > 0.9
    assert t2.overlap < 0.7
    # type II: the transition lies below both materials' bulk gaps' confined values
    assert t2.first_exciton_eV < qdlab.get_material("CdTe").band_gap(300.0)


def test_levels_ordering_and_labels():
    st = solve_sphere(Sphere("CdSe", 5.0), l_max=2, n_states=2)
    labels = [lv.label for lv in st.electron_levels]
    assert labels[:3] == ["1S", "1P", "1D"]
    conf = [lv.confinement_eV for lv in st.electron_levels]
    assert conf == sorted(conf)
    # 2S and 1P: infinite-well ratio of x_{nl}^2 is (2 pi / 4.4934)^2 = 1.955 > 1
    e = {lv.label: lv.confinement_eV for lv in st.electron_levels}
    assert e["2S"] > e["1P"]


def test_wavefunctions_are_normalised():
    st = solve_sphere(CoreShell("CdSe", 3.0, [("CdS", 1.0)]))
    r = st.r_nm
    for wf in (st.electron_wavefunction, st.hole_wavefunction):
        assert np.trapezoid(wf**2 * r**2, r) == pytest.approx(1.0, abs=2e-3)


def test_to_dict_contract():
    d = solve_sphere(Sphere("CdSe", 4.0)).to_dict()
    for key in ("first_exciton_eV", "first_exciton_nm", "electron_levels", "hole_levels",
                "alignment", "overlap", "coulomb_eV", "polarisation_eV"):
        assert key in d
    assert d["first_exciton_nm"] == pytest.approx(1239.84198 / d["first_exciton_eV"], rel=1e-6)


def test_unbound_carrier_is_an_error():
    shallow = Medium(electron_barrier_eV=0.02, hole_barrier_eV=4.0)
    with pytest.raises(QdlabInputError, match="no bound electron"):
        solve_sphere(Sphere("CdSe", 1.2, medium=shallow))


def test_bad_options():
    with pytest.raises(QdlabInputError, match="screening"):
        solve_sphere(Sphere("CdSe", 4.0), screening="dynamic")
    with pytest.raises(QdlabInputError, match="l_max"):
        solve_sphere(Sphere("CdSe", 4.0), l_max=-1)
    with pytest.raises(QdlabInputError, match="radii_nm must increase"):
        first_exciton_batch(["CdSe", "CdS"], [[2.0, 1.0]])


def test_solve_dispatch_rejects_unknown_structure():
    with pytest.raises(QdlabInputError, match="no solver"):
        qdlab.solve("CdSe")


# --- issue 10: thick barriers are refused, not solved into a wrong wavefunction ---------------

def test_thick_barrier_shell_refused_with_clear_message():
    """CdSe/CdS/ZnS 3 nm + 20 nm + 20 nm: the radial wavefunction is lost in the barriers.

    Before: an internal check ("rho_e must be normalised ... 0.875"), and for 8-15 nm
    shells a silently wrong density piled at the outer surface (hole_in_core ~ 0).
    """
    from qdlab.electronic import solve
    from qdlab.errors import QdlabInputError
    from qdlab.structures import parse_layers

    for shells in ([8.0, 8.0], [20.0, 20.0]):
        with pytest.raises(QdlabInputError, match="barrier"):
            solve(parse_layers("CdSe/CdS/ZnS", 3.0, shells))
    st = solve(parse_layers("CdSe/CdS/ZnS", 3.0, [2.0, 2.0]))   # thin shells still solve
    assert st.hole_in_core > 0.8
