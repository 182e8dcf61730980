"""Named, cited model registries: dispatch, the unknown-name error, unchanged defaults."""

from __future__ import annotations

import pytest

from qdlab.electronic.anisotropy import platelets as P
from qdlab.errors import QdlabInputError
from qdlab.materials import bibliography
from qdlab.optics.broadening import LINESHAPE_METHODS, LINESHAPES, line_profile
from qdlab.optics.stokes import STOKES_METHODS
from qdlab.registry import Model, select
from qdlab.sizing import CURVES, SIZING_METHODS, curves_for, get_curve
from qdlab.structures.shapes import Platelet
from qdlab.synthesis import RIPENING_DISTRIBUTION_METHODS
from qdlab.synthesis.population import NUCLEATION_METHODS, NUCLEATION_MODELS

#: Registries whose entries carry bibliography keys (``Model.citations``).  The platelet
#: thickness conventions (THICKNESS_METHODS) are geometric conventions, cited in free text.
CITED = {"STOKES_METHODS": STOKES_METHODS, "NUCLEATION_METHODS": NUCLEATION_METHODS,
         "BARRIER_MASS_METHODS": P.BARRIER_MASS_METHODS, "KANE_MODELS": P.KANE_MODELS,
         "SIZING_METHODS": SIZING_METHODS,
         "RIPENING_DISTRIBUTION_METHODS": RIPENING_DISTRIBUTION_METHODS,
         "LINESHAPE_METHODS": LINESHAPE_METHODS}


@pytest.mark.parametrize("registry", [P.BARRIER_MASS_METHODS, P.THICKNESS_METHODS,
                                      *CITED.values()])
def test_every_entry_is_a_cited_model(registry):
    for name, model in registry.items():
        assert isinstance(model, Model) and model.reference and model.description, name


@pytest.mark.parametrize("name", sorted(CITED))
def test_every_citation_resolves_in_the_bibliography(name):
    shipped = {k: m for k, m in CITED[name].items()
               if m.reference != "user-registered"}   # register_nucleation_model's default
    assert shipped
    for key, model in shipped.items():
        assert model.citations, (name, key)
        for cite in model.citations:
            assert cite in bibliography, (name, key, cite)
        assert len(model.full_citations()) == len(model.citations)


def test_unknown_citation_key_is_an_input_error():
    with pytest.raises(QdlabInputError, match="unknown bibliography key 'nobody1900'"):
        Model(None, "x", "x", ("nobody1900",)).full_citations()


def test_sizing_methods_are_the_curves_in_order():
    assert tuple(m.function for m in SIZING_METHODS.values()) == CURVES
    assert list(SIZING_METHODS) == [c.name for c in CURVES]
    for name, model in SIZING_METHODS.items():
        assert get_curve(name.upper()) is model.function
        assert model.function in curves_for(model.function.material)
        # the curve's own DOI is the bibliography entry's DOI
        assert model.function.doi == bibliography.entry(model.citations[0]).doi, name
    assert [c.name for c in curves_for("cdse")] == ["Jasieniak2009-CdSe", "Yu2003-CdSe"]
    with pytest.raises(QdlabInputError, match=r"unknown sizing curve 'Yu2030-CdSe'.*Yu2003-CdSe"):
        get_curve("Yu2030-CdSe")


def test_ripening_distributions_dispatch_to_the_kinetics_functions():
    from qdlab.synthesis.kinetics import lsw_distribution, wagner_distribution

    assert select(RIPENING_DISTRIBUTION_METHODS, "ripening distribution", "lsw").function \
        is lsw_distribution
    assert RIPENING_DISTRIBUTION_METHODS["wagner"].function is wagner_distribution


def test_unknown_name_lists_the_allowed_names():
    with pytest.raises(QdlabInputError, match=r"unknown thickness convention 'n\+2'.*n\+1/2"):
        P.platelet_thickness(3, 0.6077, "n+2")
    with pytest.raises(QdlabInputError, match="free_electron, well"):
        P.platelet_band_edge(Platelet("CdSe-zb", 4, 20.0), barrier_mass="heavy")
    with pytest.raises(QdlabInputError, match="cnt, none"):
        select(NUCLEATION_METHODS, "nucleation model", "cnn")


def test_named_barrier_mass_equals_the_numeric_convention():
    pl = Platelet("CdSe-zb", 4, 20.0)
    free = P.platelet_band_edge(pl, barrier_mass="free_electron")
    assert free.energy_eV == P.platelet_band_edge(pl, barrier_mass=1.0).energy_eV
    assert free.barrier_mass == 1.0
    well = P.platelet_band_edge(pl, barrier_mass="well")
    assert well.energy_eV == P.platelet_band_edge(pl).energy_eV     # the default
    assert well.barrier_mass == "well" and well.energy_eV > free.energy_eV


def test_nucleation_callables_are_the_registry_functions():
    assert {k: m.function for k, m in NUCLEATION_METHODS.items()} == NUCLEATION_MODELS


def test_stokes_methods_dispatch_in_the_ensemble():
    import numpy as np

    from qdlab.optics.ensemble import DEFAULT_STOKES_SHIFT_EV, Ensemble, SizeDistribution

    dist = SizeDistribution.normal(4.0, 5.0)
    default = Ensemble("CdSe", dist)
    named = Ensemble("CdSe", dist, stokes_shift_eV="constant")
    assert named.stokes_method is STOKES_METHODS["constant"]
    assert named.stokes_shift_eV == default.stokes_shift_eV == DEFAULT_STOKES_SHIFT_EV
    lam = np.linspace(520.0, 680.0, 81)
    assert np.array_equal(named.emission(lam), default.emission(lam))
    model = Ensemble("CdSe", dist, stokes_shift_eV="model")
    assert model.stokes_method is STOKES_METHODS["model"]
    d = np.array([3.0, 5.0])
    assert np.allclose(model.stokes_shifts_eV(d),
                       STOKES_METHODS["model"].function("CdSe", d, 300.0), rtol=1e-12)
    with pytest.raises(QdlabInputError, match="unknown stokes_shift_eV model 'modle'.*model"):
        Ensemble("CdSe", dist, stokes_shift_eV="modle")


def test_lineshapes_dispatch_through_the_registry():
    import numpy as np

    assert LINESHAPES == ("gaussian", "lorentzian")
    x = np.linspace(-0.2, 0.2, 4001)
    for name, model in LINESHAPE_METHODS.items():
        y = line_profile(x, 0.03, name)
        assert np.array_equal(y, model.function(x, 0.03))
        assert abs(float(np.interp(0.015, x, y)) / float(y[2000]) - 0.5) < 1e-3   # FWHM
    with pytest.raises(QdlabInputError, match="unknown lineshape 'voigt'"):
        line_profile(x, 0.03, "voigt")
