"""Spectral diffusion: a random walk of a single dot's emission energy (ground truth only).

The emission line of a single dot wanders by meV as charges move on its surface
(Empedocles & Bawendi 1997).  Time-tag files hold no photon energies, so the simulator
records the walk in the ground truth of the stream (``spectral_diffusion``) for analyses
that combine the time tags with a spectrometer, and for FLID-like checks.

Examples
--------
>>> import numpy as np
>>> m = SpectralDiffusion(rms_meV=2.0, correlation_time_s=0.1, step_s=0.01)
>>> spectral_walk(m, 1.0, np.random.default_rng(0)).shape
(100,)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError

#: Most steps of a walk (it is stored in the ground truth as JSON, ~20 bytes a step).
MAX_STEPS = 20_000


@dataclass(frozen=True)
class SpectralDiffusion:
    """Ornstein-Uhlenbeck walk of the emission energy.

    Parameters
    ----------
    rms_meV : float
        Stationary standard deviation of the energy shift, meV (> 0; 0.1-10 meV at
        room temperature for CdSe dots).
    correlation_time_s : float
        Correlation time of the walk, s (> 0).
    step_s : float
        Sampling step of the stored walk, s (> 0).

    Notes
    -----
    Exact discretisation of the Ornstein-Uhlenbeck process on steps :math:`\\Delta`:

    .. math::

        \\delta E_{k+1} = \\delta E_k\\,e^{-\\Delta/\\tau}
        + \\sigma\\sqrt{1-e^{-2\\Delta/\\tau}}\\;\\xi_k,\\qquad \\xi_k \\sim N(0, 1),

    started in the stationary state :math:`\\delta E_0 \\sim N(0, \\sigma^2)`, so that
    :math:`\\langle \\delta E_k\\,\\delta E_{k+j}\\rangle = \\sigma^2 e^{-j\\Delta/\\tau}`.

    References
    ----------
    .. [1] S. A. Empedocles, M. G. Bawendi, "Quantum-confined Stark effect in single CdSe
       nanocrystallite quantum dots", Science 278, 2114 (1997).
    .. [2] D. T. Gillespie, "Exact numerical simulation of the Ornstein-Uhlenbeck process
       and its integral", Phys. Rev. E 54, 2084 (1996).
    """

    rms_meV: float = 2.0
    correlation_time_s: float = 0.1
    step_s: float = 0.01

    def __post_init__(self) -> None:
        for name, unit in (("rms_meV", "meV"), ("correlation_time_s", "s"), ("step_s", "s")):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise QdlabInputError(f"{name} must be a finite number > 0 {unit}, got {v!r}")
        if self.rms_meV > 1000:
            raise QdlabInputError(f"rms_meV must be <= 1000 meV, got {self.rms_meV!r}")

    def as_dict(self) -> dict:
        """The parameters as a JSON-ready dict."""
        return {"rms_meV": float(self.rms_meV),
                "correlation_time_s": float(self.correlation_time_s),
                "step_s": float(self.step_s)}


def spectral_walk(model: SpectralDiffusion, duration_s: float, rng: np.random.Generator
                  ) -> np.ndarray:
    """Energy shifts (meV) at times ``k * step_s`` for ``k < duration_s / step_s``.

    Parameters
    ----------
    model : SpectralDiffusion
    duration_s : float
        s.
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray
        meV; the recursion of :class:`SpectralDiffusion` run as one AR(1) filter.
    """
    n = max(1, math.ceil(duration_s / model.step_s))
    if n > MAX_STEPS:
        raise QdlabInputError(f"the spectral-diffusion walk would have {n:,} steps, more than "
                              f"{MAX_STEPS:,}: raise step_s ({model.step_s:g} s)")
    from scipy.signal import lfilter  # (scipy.signal is slow to import: only when used)

    a = math.exp(-model.step_s / model.correlation_time_s)
    xi = rng.standard_normal(n)
    drive = model.rms_meV * math.sqrt(-math.expm1(-2 * model.step_s / model.correlation_time_s)) * xi
    drive[0] = model.rms_meV * xi[0]          # stationary start
    return lfilter([1.0], [1.0, -a], drive)
