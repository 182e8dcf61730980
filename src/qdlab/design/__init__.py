"""Inverse design and screening at scale: from a target colour to ranked core/shell dots.

Modules
-------
space
    :class:`ParameterSpace`: materials x shell stacks x sizes, expanded lazily in
    content-hashed chunks (``candidate_id``, ``chunk_id``).
evaluate
    :func:`evaluate`: first exciton (with Coulomb), PL peak, FWHM, overlap, alignment,
    lattice mismatch and flags of many candidates at once.
rank
    :class:`Target`, constraints, scores and :func:`pareto_front`.
inverse
    :func:`design`: target and constraints -> ranked structures (refined exactly).
screen
    :func:`screen`: a space into a Parquet dataset with Dask, resumable after a kill.
query
    :func:`query`: DuckDB SQL over a screen's dataset.

The Dask and DuckDB imports happen only inside :func:`screen` and :func:`query`.
"""

from __future__ import annotations

import importlib

__all__ = ["ParameterSpace", "Target", "design", "evaluate", "pareto_front", "query", "screen"]

_WHERE = {"ParameterSpace": "space", "Target": "rank", "pareto_front": "rank",
          "evaluate": "evaluate", "design": "inverse", "screen": "screen", "query": "query"}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"qdlab.design.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'qdlab.design' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
