"""Named, cited registries of alternative models (as colour-science's ``*_METHODS``).

Each registry is a dict ``{name: Model}``; the code dispatches through it with
:func:`select`, so an unknown name gets the standard error that lists the allowed
names (:func:`qdlab.errors.unknown_name_error`).

Examples
--------
>>> from qdlab.electronic.anisotropy.platelets import BARRIER_MASS_METHODS
>>> sorted(BARRIER_MASS_METHODS)
['free_electron', 'well']
>>> select(BARRIER_MASS_METHODS, "barrier-mass convention", "wel")
Traceback (most recent call last):
...
qdlab.errors.QdlabInputError: unknown barrier-mass convention 'wel'; did you mean well? (free_electron, well)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from qdlab.errors import unknown_name_error

__all__ = ["Model", "select"]


@dataclass(frozen=True)
class Model:
    """One entry of a model registry.

    Attributes
    ----------
    function : callable or object
        What the code calls (or the value it uses) for this model.
    reference : str
        The source (paper, book) of the model; a bibliography key where one exists.
    description : str
        One line: what the model assumes.
    citations : tuple of str
        Keys of the model's sources in the qdlab bibliography
        (``src/qdlab/materials/data/bibliography.toml``); see :meth:`full_citations`.
        Empty only for user-registered models.
    """

    function: Callable[..., Any] | Any
    reference: str
    description: str
    citations: tuple[str, ...] = ()

    def full_citations(self) -> list[str]:
        """The full citations (with DOI where known) of :attr:`citations`.

        Raises
        ------
        QdlabInputError
            A key that is not in the bibliography (the message lists the known keys).

        Examples
        --------
        >>> from qdlab.synthesis.population import NUCLEATION_METHODS
        >>> NUCLEATION_METHODS["cnt"].full_citations()[1][:30]
        'V. K. LaMer and R. H. Dinegar,'
        """
        from qdlab.materials import bibliography

        return [bibliography(key) for key in self.citations]


def select(registry: Mapping[str, Model], kind: str, name: str) -> Model:
    """The entry ``name`` of ``registry``.

    Parameters
    ----------
    registry : mapping of str to Model
    kind : str
        What the registry holds (for the error message), e.g. ``"Stokes model"``.
    name : str
        The model's name.

    Returns
    -------
    Model

    Raises
    ------
    QdlabInputError
        Unknown name; the message lists the allowed names.
    """
    try:
        return registry[name]
    except (KeyError, TypeError):
        raise unknown_name_error(kind, str(name), registry) from None
