"""Named, cited model registries: dispatch, the unknown-name error, unchanged defaults."""

from __future__ import annotations

import pytest

from qdlab.electronic.anisotropy import platelets as P
from qdlab.errors import QdlabInputError
from qdlab.optics.stokes import STOKES_METHODS
from qdlab.registry import Model, select
from qdlab.structures.shapes import Platelet
from qdlab.synthesis.population import NUCLEATION_METHODS, NUCLEATION_MODELS


@pytest.mark.parametrize("registry", [P.BARRIER_MASS_METHODS, P.THICKNESS_METHODS,
                                      NUCLEATION_METHODS, STOKES_METHODS])
def test_every_entry_is_a_cited_model(registry):
    for name, model in registry.items():
        assert isinstance(model, Model) and model.reference and model.description, name


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
