"""qdlab.optics: the forward model from electronic states to spectra and colour.

Transitions and oscillator strengths (:mod:`~qdlab.optics.transitions`), transition
tables over a size range (:mod:`~qdlab.optics.tables`), homogeneous line shapes
(:mod:`~qdlab.optics.broadening`), the absorption cross-section assembly
(:mod:`~qdlab.optics.extinction`), ensemble spectra with a size distribution
(:mod:`~qdlab.optics.ensemble`), Stokes-shift models (:mod:`~qdlab.optics.stokes`,
registry :data:`~qdlab.optics.stokes.STOKES_METHODS`), bulk optical constants, colour
and gamut (:mod:`~qdlab.optics.colour`), first-exciton peak finding
(:mod:`~qdlab.optics.peaks`).  The fit of measured spectra (the inverse problem) is
:mod:`qdlab.sizing.fit`; the old path ``qdlab.optics.fit`` is an alias of it (see
:mod:`qdlab.optics._moved`).

The names below resolve on first use (PEP 562), so ``import qdlab.optics`` stays light.

Examples
--------
>>> from qdlab.optics import Ensemble, SizeDistribution, emission_colour
>>> ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0))
>>> 540 < ens.first_peak_nm() < 600
True
"""

from qdlab.optics import _moved

_moved.install()

_LAZY = {
    "Ensemble": "qdlab.optics.ensemble",
    "SizeDistribution": "qdlab.optics.ensemble",
    "DEFAULT_STOKES_SHIFT_EV": "qdlab.optics.ensemble",
    "TransitionTable": "qdlab.optics.tables",
    "warn_size_validity": "qdlab.optics.tables",
    "WEAK_CONFINEMENT_FACTOR": "qdlab.optics.tables",
    "HomogeneousWidth": "qdlab.optics.broadening",
    "broaden_sticks": "qdlab.optics.broadening",
    "line_profile": "qdlab.optics.broadening",
    "LINESHAPES": "qdlab.optics.broadening",
    "LINESHAPE_METHODS": "qdlab.optics.broadening",
    "molar_extinction_from_cross_section": "qdlab.optics.extinction",
    "STOKES_METHODS": "qdlab.optics.stokes",
    "STOKES_PARAMETERS": "qdlab.optics.stokes",
    "StokesModel": "qdlab.optics.stokes",
    "constant_stokes_shift_eV": "qdlab.optics.stokes",
    "intrinsic_stokes_shift_eV": "qdlab.optics.stokes",
    "BLOCH_FACTOR": "qdlab.optics.transitions",
    "Transition": "qdlab.optics.transitions",
    "absorption_prefactor_cm2_eV": "qdlab.optics.transitions",
    "local_field_factor": "qdlab.optics.transitions",
    "radiative_lifetime": "qdlab.optics.band_edge_lifetime",
    "radiative_rate": "qdlab.optics.transitions",
    "transitions": "qdlab.optics.transitions",
    "transitions_batch": "qdlab.optics.transitions",
    "GAMUTS": "qdlab.optics.colour",
    "ColourResult": "qdlab.optics.colour",
    "emission_colour": "qdlab.optics.colour",
    "emission_srgb_hex": "qdlab.optics.colour",
    "gamut_area": "qdlab.optics.colour",
    "gamut_coverage": "qdlab.optics.colour",
    "gaussian_line": "qdlab.optics.colour",
    "xy_to_upvp": "qdlab.optics.colour",
    "NoExcitonicPeakError": "qdlab.optics.peaks",
    "PeakBatchResult": "qdlab.optics.peaks",
    "PeakResult": "qdlab.optics.peaks",
    "first_exciton_peak": "qdlab.optics.peaks",
    "first_exciton_peaks": "qdlab.optics.peaks",
    "OPTICAL_CONSTANTS": "qdlab.optics.optical_constants",
    "OpticalConstants": "qdlab.optics.optical_constants",
    "bulk_absorption_coefficient": "qdlab.optics.optical_constants",
    "has_optical_constants": "qdlab.optics.optical_constants",
    "refractive_index": "qdlab.optics.optical_constants",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'qdlab.optics' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "BLOCH_FACTOR",
    "ColourResult",
    "DEFAULT_STOKES_SHIFT_EV",
    "Ensemble",
    "GAMUTS",
    "HomogeneousWidth",
    "LINESHAPES",
    "LINESHAPE_METHODS",
    "NoExcitonicPeakError",
    "OPTICAL_CONSTANTS",
    "OpticalConstants",
    "PeakBatchResult",
    "PeakResult",
    "STOKES_METHODS",
    "STOKES_PARAMETERS",
    "SizeDistribution",
    "StokesModel",
    "Transition",
    "TransitionTable",
    "WEAK_CONFINEMENT_FACTOR",
    "absorption_prefactor_cm2_eV",
    "broaden_sticks",
    "bulk_absorption_coefficient",
    "constant_stokes_shift_eV",
    "emission_colour",
    "emission_srgb_hex",
    "first_exciton_peak",
    "first_exciton_peaks",
    "gamut_area",
    "gamut_coverage",
    "gaussian_line",
    "has_optical_constants",
    "intrinsic_stokes_shift_eV",
    "line_profile",
    "local_field_factor",
    "molar_extinction_from_cross_section",
    "radiative_lifetime",
    "radiative_rate",
    "refractive_index",
    "transitions",
    "transitions_batch",
    "warn_size_validity",
    "xy_to_upvp",
]
