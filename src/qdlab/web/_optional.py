"""Parts of the library that may be missing in a given qdlab version (their endpoints
answer 501 with a message), and :func:`features`, which says which are present."""

from __future__ import annotations

try:
    from qdlab.optics.ensemble import Ensemble, SizeDistribution
except ImportError:  # pragma: no cover - depends on the library version
    Ensemble = SizeDistribution = None
try:
    from qdlab.sizing.fit import fit_spectra
except ImportError:  # pragma: no cover
    fit_spectra = None
try:
    from qdlab.synthesis import Recipe, example_recipe, list_examples, run_recipe
except ImportError:  # pragma: no cover
    Recipe = example_recipe = list_examples = run_recipe = None
try:
    from qdlab.structures import shapes
except ImportError:  # pragma: no cover
    shapes = None
try:   # one levels report for the CLI and the API (shapes, platelets, dimers)
    from qdlab.electronic.report import levels_report
except ImportError:  # pragma: no cover
    levels_report = None
try:
    from qdlab.electronic.grid import GridConvergenceError
except ImportError:  # pragma: no cover
    class GridConvergenceError(Exception):   # never raised
        pass

__all__ = ["Ensemble", "GridConvergenceError", "Recipe", "SizeDistribution", "example_recipe",
           "features", "fit_spectra", "levels_report", "list_examples", "run_recipe", "shapes"]


def features() -> dict:
    """Which optional parts of the library this server can use."""
    return {"spectrum": Ensemble is not None, "fit": fit_spectra is not None,
            "synthesis": run_recipe is not None, "shapes": shapes is not None}
