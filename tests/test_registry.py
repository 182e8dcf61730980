"""Named, cited model registries: dispatch, the unknown-name error, unchanged defaults."""

from __future__ import annotations

import pytest

from qdlab.electronic.anisotropy import platelets as P
from qdlab.errors import QdlabInputError
from qdlab.registry import Model, select
from qdlab.structures.shapes import Platelet
from qdlab.synthesis.population import NUCLEATION_METHODS, NUCLEATION_MODELS


@pytest.mark.parametrize("registry", [P.BARRIER_MASS_METHODS, P.THICKNESS_METHODS,
                                      NUCLEATION_METHODS])
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
    assert free.energy_eV == P.platelet_band_edge(pl).energy_eV
    assert free.barrier_mass == 1.0
    well = P.platelet_band_edge(pl, barrier_mass="well")
    assert well.barrier_mass == "well" and well.energy_eV > free.energy_eV


def test_nucleation_callables_are_the_registry_functions():
    assert {k: m.function for k, m in NUCLEATION_METHODS.items()} == NUCLEATION_MODELS
