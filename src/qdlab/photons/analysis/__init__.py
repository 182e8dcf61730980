"""Analysis of measured or simulated single-dot photon streams.

One module per method, each working on a :class:`~qdlab.io.timetags.PhotonStream`
(or on arrays derived from it):

- :mod:`~qdlab.photons.analysis.traces`: intensity traces, bin-width choice.
- :mod:`~qdlab.photons.analysis.changepoints`: Watkins & Yang change points.
- :mod:`~qdlab.photons.analysis.levels`: EM + BIC clustering of intensity levels.
- :mod:`~qdlab.photons.analysis.dwell`: on/off durations.
- :mod:`~qdlab.photons.analysis.powerlaw`: Clauset maximum-likelihood power laws.
- :mod:`~qdlab.photons.analysis.lifetime_intensity`: FLID, the fluorescence lifetime-intensity distribution.
- :mod:`~qdlab.photons.analysis.lifetime`: IRF-reconvolution lifetime fits.
- :mod:`~qdlab.photons.analysis.correlate`, :mod:`~qdlab.photons.analysis.g2`: HBT g2.
- :mod:`~qdlab.photons.analysis.report`: everything at once (:func:`analyse_stream`).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "IntensityTrace": "traces", "intensity_trace": "traces", "suggest_bin_width_s": "traces",
    "ChangePoints": "changepoints", "find_change_points": "changepoints",
    "critical_value": "changepoints", "glr_statistic": "changepoints",
    "Levels": "levels", "cluster_levels": "levels", "em_poisson_mixture": "levels",
    "OnOff": "dwell", "on_off_durations": "dwell", "on_off_from_levels": "dwell",
    "on_off_from_trace": "dwell",
    "PowerLawFit": "powerlaw", "TruncatedPowerLawFit": "powerlaw",
    "fit_power_law": "powerlaw", "fit_truncated_power_law": "powerlaw",
    "FLID": "lifetime_intensity", "flid": "lifetime_intensity",
    "DecayFit": "lifetime", "decay_histogram": "lifetime", "fit_decay": "lifetime",
    "gaussian_irf": "lifetime", "irf_on_bins": "lifetime", "read_irf": "lifetime",
    "Correlation": "correlate", "cross_correlation_histogram": "correlate",
    "PulsedG2": "g2", "CWG2": "g2", "correlate_stream": "g2", "pulsed_g2": "g2",
    "cw_g2": "g2",
    "PhotonAnalysis": "report", "analyse_stream": "report",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
