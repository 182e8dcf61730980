"""Tests of qdlab.optics.ensemble and optical_constants: distributions, sum rules,
volume law of the high-energy extinction (Leatherdale 2002), band-edge extinction vs the
Jasieniak 2009 calibration, emission, Beer-Lambert."""

import math
import warnings

import numpy as np
import pytest

from qdlab.constants import AVOGADRO, HC_EV_NM
from qdlab.errors import QdlabInputError, QdlabValidityWarning
from qdlab.optics.ensemble import (
    Ensemble,
    HomogeneousWidth,
    SizeDistribution,
    molar_extinction_from_cross_section,
)
from qdlab.optics.optical_constants import (
    bulk_absorption_coefficient,
    refractive_index,
)
from qdlab.optics.transitions import absorption_prefactor_cm2_eV, local_field_factor
from qdlab.sizing import get_curve
from qdlab.structures import Medium

HEXANE = Medium(dielectric_constant=1.375**2, name="hexane")


@pytest.fixture(scope="module")
def ens4():
    return Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0))


def test_distributions_moments():
    for kind in ("normal", "lognormal"):
        d = getattr(SizeDistribution, kind)(4.0, 10.0)
        x, w = d.nodes(401)
        assert w.sum() == pytest.approx(1.0)
        assert np.sum(w * x) == pytest.approx(4.0, rel=1e-3)
        assert np.sqrt(np.sum(w * (x - np.sum(w * x)) ** 2)) == pytest.approx(0.4, rel=1e-2)
    h = SizeDistribution.histogram([3.0, 4.0, 5.0], [1.0, 2.0, 1.0])
    assert h.mean_nm == 4.0 and h.dispersion_pct == pytest.approx(100 * math.sqrt(0.5) / 4)
    with pytest.raises(QdlabInputError, match="dispersion_pct"):
        SizeDistribution.normal(4.0, -1.0)
    with pytest.raises(QdlabInputError, match="weights"):
        SizeDistribution.histogram([3.0, 4.0], [1.0])
    with pytest.raises(QdlabInputError, match="mean diameter"):
        SizeDistribution.lognormal(0.0, 5.0)
    with pytest.raises(QdlabInputError, match="SizeDistribution"):
        Ensemble("CdSe", (4.0, 5.0))


def test_optical_constants_table_and_mu():
    n, k = refractive_index("CdSe", 400.0)
    assert (float(n), float(k)) == pytest.approx((2.5519, 0.5592), abs=2e-3)   # Ninomiya 1995
    # mu_i = (n/n_s)(4 pi k/lambda)|f_LF|^2 with complex eps
    lam, ns = 400.0, 1.5
    eps = (n + 1j * k) ** 2
    ref = n / ns * 4 * np.pi * k / lam * abs(local_field_factor(eps, ns**2)) ** 2
    assert bulk_absorption_coefficient("CdSe", lam, ns) == pytest.approx(ref, rel=1e-12)
    with pytest.warns(QdlabValidityWarning):
        refractive_index("CdSe", 200.0)
    with pytest.raises(QdlabInputError):
        refractive_index("Unobtainium", 400.0)


def test_high_energy_extinction_volume_law_and_leatherdale():
    # Leatherdale et al. 2002 (hexane): C_abs(350 nm) = 5.501e5 cm^-1 * a^3 (a: radius, cm)
    rows = []
    for d in (3.0, 4.0, 5.0, 6.0):
        ens = Ensemble("CdSe", SizeDistribution.normal(d, 5.0), medium=HEXANE)
        sig = float(ens.absorption_cross_section([350.0])[0])
        vol_mean = np.sum((lambda x, w: w * (x / 2 * 1e-7) ** 3)(*ens.distribution.nodes(401)))
        leath = 5.501e5 * vol_mean
        rows.append((d, sig, sig / leath))
    for d, sig, r in rows:
        print(f"d={d} nm sigma350={sig:.3e} cm^2  model/Leatherdale={r:.3f}")
        assert 0.85 < r < 1.15
    # volume law: sigma/V constant to 3 %
    r = np.array([x[2] for x in rows])
    assert np.ptp(r) / r.mean() < 0.03


def test_band_edge_extinction_vs_jasieniak():
    # Published: eps_1S (Jasieniak 2009, for a 1S HWHM of 0.06 eV; scaled by 0.06/HWHM).
    # The single-band oscillator strength neglects valence-band mixing (|K|^2 ~ 0.5) and is a
    # documented upper bound: the model must lie above the calibration by a factor 1-3.5.
    jas = get_curve("Jasieniak2009-CdSe")
    for d in (3.0, 4.0, 5.0):
        ens = Ensemble("CdSe", SizeDistribution.normal(d, 5.0))
        pk = ens.first_peak_nm()
        eps = ens.first_peak_extinction()
        # HWHM (red side) of the model band edge
        lam = np.linspace(pk, pk + 80, 801)
        a = ens.molar_extinction(lam)
        half = lam[np.argmax(a < 0.5 * eps)]
        hwhm = HC_EV_NM / pk - HC_EV_NM / half
        ref = jas.extinction_M1cm1(d, hwhm_eV=hwhm)
        print(f"d={d} nm peak {pk:.1f} nm (Jasieniak {float(jas.peak_nm(d)):.1f}) "
              f"eps={eps:.3g} Jasieniak={ref:.3g} ratio={eps / ref:.2f} HWHM={hwhm:.3f} eV")
        assert abs(pk - float(jas.peak_nm(d))) < 15.0
        assert 1.0 < eps / ref < 3.5


def test_discrete_sum_rule_monodisperse():
    # integral of the band-edge cross-section over energy = pref |f_LF|^2 / n_s * sum f_k
    ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 0.0), n_transitions=3,
                   continuum_onset_eV=5.0)
    E = np.linspace(0.2, 8.0, 200001)
    _, disc, _ = ens.absorption_cross_section(HC_EV_NM / E, components=True)
    integral = np.trapezoid(disc, E)
    f = ens.table.strengths(np.array([4.0]))[0]
    flf2 = abs(local_field_factor(6.2, 2.25)) ** 2
    expect = absorption_prefactor_cm2_eV() * flf2 / 1.5 * f.sum()
    assert integral == pytest.approx(expect, rel=0.01)


def test_molar_extinction_and_beer_lambert(ens4):
    assert molar_extinction_from_cross_section(1.0) == pytest.approx(AVOGADRO / (1000 * math.log(10)))
    a = float(ens4.absorbance([350.0], 2.5e-6, path_cm=0.5)[0])
    assert ens4.concentration_from_absorbance(a, 350.0, path_cm=0.5) == pytest.approx(2.5e-6)
    pk = ens4.first_peak_nm()
    a_pk = float(ens4.absorbance([pk], 1e-6)[0])
    assert ens4.concentration_from_absorbance(a_pk, "peak") == pytest.approx(1e-6, rel=1e-6)
    # transparent below the gap
    assert ens4.molar_extinction([750.0])[0] < 0.01 * ens4.first_peak_extinction()
    with pytest.raises(QdlabInputError, match="absorbance"):
        ens4.concentration_from_absorbance(-0.1)
    with pytest.raises(QdlabInputError, match="wavelength_nm"):
        ens4.concentration_from_absorbance(0.1, "blue")


def test_inhomogeneous_and_homogeneous_broadening():
    narrow = Ensemble("CdSe", SizeDistribution.normal(4.0, 3.0))
    wide = Ensemble("CdSe", SizeDistribution.normal(4.0, 10.0))
    cold = Ensemble("CdSe", SizeDistribution.normal(4.0, 3.0), temperature=150.0)
    assert wide.first_peak_extinction() < narrow.first_peak_extinction()
    assert cold.first_peak_extinction() > narrow.first_peak_extinction()
    assert wide.emission_fwhm_nm() > narrow.emission_fwhm_nm()
    g = HomogeneousWidth()
    kt = 8.617333262e-5 * 300
    assert g(300.0) == pytest.approx(0.005 + 71e-6 * 300 + 0.021 / math.expm1(0.026 / kt),
                                     rel=1e-6)
    assert g(10.0) < g(300.0)


def test_emission_integral_and_stokes_shift():
    ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 0.0), quantum_yield=0.6,
                   stokes_shift_eV=0.03)
    lam = np.linspace(450.0, 900.0, 20001)
    assert np.trapezoid(ens.emission(lam), lam) == pytest.approx(0.6, rel=0.02)
    e1 = float(ens.table.energies_eV(np.array([4.0]))[0, 0])
    assert HC_EV_NM / ens.emission_peak_nm() == pytest.approx(e1 - 0.03, abs=2e-3)


def test_histogram_equals_normal_nodes_and_core_shell():
    dn = SizeDistribution.normal(4.0, 6.0)
    x, w = dn.nodes(121)
    h = SizeDistribution.histogram(x, w)
    a = Ensemble("CdSe", dn, n_nodes=121)
    b = Ensemble("CdSe", h, table=a.table)
    lam = np.array([400.0, 550.0, 590.0, 620.0])
    assert np.allclose(a.molar_extinction(lam), b.molar_extinction(lam), rtol=1e-9)
    cs = Ensemble("CdSe", dn, shells=[("CdS", 1.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QdlabValidityWarning)   # no optical constants for CdS
        assert cs.first_peak_nm() > a.first_peak_nm()        # shell: red shift
    with pytest.raises(QdlabInputError, match="shell 1"):
        Ensemble("CdSe", dn, shells=[("CdS",)])
    from qdlab.structures import CoreShell

    fac = Ensemble("CdSe", dn, structure_factory=lambda d: CoreShell("CdSe", d, [("CdS", 1.0)]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QdlabValidityWarning)
        assert fac.first_peak_nm() == pytest.approx(cs.first_peak_nm(), abs=1e-6)
    # CdS has no measured Kane energy: its optics use the lower-bound estimate, and say so
    with pytest.warns(QdlabValidityWarning, match="no measured Kane energy"):
        Ensemble("CdS", dn).first_peak_nm()


def test_override_reproduces_the_constant_shift_exactly():
    # stokes_shift_eV=<float>: every size shifted by the constant, weights as before
    ens = Ensemble("CdSe", SizeDistribution.normal(3.0, 8.0), stokes_shift_eV=0.085)
    d, w = ens._nodes()
    assert ens.stokes_model is None and ens.stokes_shift_eV == 0.085
    assert np.all(ens.stokes_shifts_eV(d) == 0.085)
    lam = np.linspace(450.0, 700.0, 501)
    e1 = ens.table.energies_eV(d)[:, 0]
    vol = ens.table.layer_volumes_nm3(d).sum(axis=1)
    absw = vol if np.all(HC_EV_NM / 400.0 > e1 + ens.continuum_onset_eV) else np.ones_like(vol)
    pw = w * absw / np.sum(w * absw)
    E = HC_EV_NM / lam
    ref = np.maximum(ens._broaden(E, e1 - 0.085, pw, ens.homogeneous(300.0)) * E**2 / HC_EV_NM,
                     0.0)
    assert np.array_equal(ens.emission(lam), ref)


def test_default_stokes_shift_is_the_documented_constant():
    ens = Ensemble("CdSe", SizeDistribution.normal(3.0, 8.0))
    assert ens.stokes_model is None and ens.stokes_shift_eV == 0.085
    with pytest.raises(QdlabInputError, match="stokes_shift_eV"):
        Ensemble("CdSe", SizeDistribution.normal(3.0, 8.0), stokes_shift_eV="physical")


def test_per_size_stokes_shift_model_for_cdse():
    from qdlab.optics.stokes import StokesModel

    ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 0.0), stokes_shift_eV="model")
    assert ens.stokes_model is not None
    model = StokesModel.for_material("CdSe")
    assert ens.stokes_shift_eV == pytest.approx(float(model(4.0, 300.0)), rel=1e-12)
    e1 = float(ens.table.energies_eV(np.array([4.0]))[0, 0])
    assert HC_EV_NM / ens.emission_peak_nm() == pytest.approx(e1 - ens.stokes_shift_eV, abs=1e-3)
    # temperature enters: at 10 K the dot emits from the dark ground state
    cold = Ensemble("CdSe", SizeDistribution.normal(4.0, 0.0), temperature=10.0,
                    stokes_shift_eV="model")
    assert cold.stokes_shift_eV == pytest.approx(float(model(4.0, 10.0)), rel=1e-12)
    # smaller dots, larger shift
    s = ens.stokes_shifts_eV([2.5, 3.5])
    assert s[0] > s[1] > ens.stokes_shift_eV


def test_ensemble_part_from_excitation_weighting_not_double_counted():
    # monodisperse: the global shift is the intrinsic one; dispersion adds a positive part
    mono = Ensemble("CdSe", SizeDistribution.normal(3.0, 0.0), stokes_shift_eV="model")
    g0 = HC_EV_NM / mono.first_peak_nm() - HC_EV_NM / mono.emission_peak_nm()
    assert g0 == pytest.approx(mono.stokes_shift_eV, abs=1.5e-3)
    wide = Ensemble("CdSe", SizeDistribution.normal(3.0, 10.0), stokes_shift_eV="model")
    g = HC_EV_NM / wide.first_peak_nm() - HC_EV_NM / wide.emission_peak_nm()
    print(f"3 nm: intrinsic {1e3 * g0:.1f} meV, 10 % dispersion global {1e3 * g:.1f} meV")
    assert g > g0 + 0.005


def test_model_stokes_shift_needs_constants():
    with pytest.raises(QdlabInputError, match="stokes_shift_eV='model'"):
        Ensemble("CdSe", SizeDistribution.normal(3.0, 5.0), shells=[("CdS", 1.0)],
                 stokes_shift_eV="model")
    with warnings.catch_warnings():
        warnings.simplefilter("error", QdlabValidityWarning)
        Ensemble("CdSe", SizeDistribution.normal(3.0, 5.0), stokes_shift_eV="model").emission(
            [560.0])
    with pytest.raises(QdlabInputError, match="stokes_shift_eV"):
        Ensemble("CdSe", SizeDistribution.normal(3.0, 5.0), stokes_shift_eV=-0.01)


# --- issue 10: sizes outside the strong-confinement model warn ---------------------------------

@pytest.mark.parametrize(("diameter", "fragment"), [(0.5, "below 1 nm"),
                                                    (200.0, "weak confinement")])
def test_ensemble_warns_outside_the_model(diameter, fragment):
    import warnings

    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ens = Ensemble("CdSe", SizeDistribution.normal(diameter, 5.0))
    assert any(fragment in str(w.message) for w in caught)
    assert any(fragment in m for m in ens.validity_warnings)


def test_ensemble_in_range_is_silent():
    import warnings

    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0)).validity_warnings == []


def test_weak_confinement_explains_the_blue_turn():
    """The model's first exciton turns bluer above ~50 nm (CdSe): the warning covers it."""
    import warnings

    from qdlab.electronic import solve
    from qdlab.optics.ensemble import WEAK_CONFINEMENT_FACTOR, warn_size_validity
    from qdlab.structures import Sphere

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e50, e200 = (solve(Sphere("CdSe", d)).first_exciton_eV for d in (50.0, 200.0))
        assert e200 > e50                       # the known miss of the perturbative Coulomb term
        assert warn_size_validity("CdSe", 50.0) and warn_size_validity("CdSe", 200.0)
    from qdlab.materials import get_material

    a_B = get_material("CdSe").exciton_bohr_radius_nm
    assert 2 * WEAK_CONFINEMENT_FACTOR * a_B < 50.0


def test_cross_sections_are_never_negative_far_from_the_lines():
    # 4 nm PbS has no line in 350-800 nm (no bulk optical constants): the FFT broadening
    # used to leave -5e-32 cm^2 of round-off there, a negative cross section in the CSV
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QdlabValidityWarning)
        sig = Ensemble("PbS", SizeDistribution.normal(4.0, 5.0)).absorption_cross_section(
            np.arange(350.0, 1700.0))
    assert np.all(sig >= 0.0)
    assert sig.max() > 1e-16          # the band edge is still there
