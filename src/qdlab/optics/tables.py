"""Transition tables: the electron-hole transitions of a size range, solved once.

:class:`TransitionTable` solves the lowest transitions
(:func:`qdlab.optics.transitions.transitions_batch`) on a grid of core diameters and
interpolates them (cubic splines) to any diameter of a size distribution;
:func:`warn_size_validity` flags sizes outside the strong-confinement model.  Used by
:class:`qdlab.optics.ensemble.Ensemble` (and importable from there).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.interpolate import CubicSpline

from qdlab.errors import QdlabInputError, check_positive
from qdlab.optics.transitions import transitions_batch
from qdlab.structures import Medium

__all__ = [
    "TransitionTable",
    "WEAK_CONFINEMENT_FACTOR",
    "adaptive_node_count",
    "layer_recipe",
    "warn_size_validity",
]

#: ``R / a_B`` at and above which confinement is weak (Kayanuma 1988, as in
#: :func:`qdlab.electronic.analytic.confinement_regime`).
# warn_size_validity and WEAK_CONFINEMENT_FACTOR are defined in qdlab.optics.validity (light
# to import: the command line checks sizes without loading the ensemble machinery).
from qdlab.optics.validity import WEAK_CONFINEMENT_FACTOR, warn_size_validity  # noqa: E402


class TransitionTable:
    """Transitions solved once on a diameter grid, interpolated to any diameter.

    Parameters
    ----------
    materials : sequence
        Layer materials (core first).
    shells_nm : sequence of float
        Shell thicknesses, nm (fixed; the grid varies the core diameter).
    d_min_nm, d_max_nm : float
        Range of (core) diameters, nm.
    medium : Medium
    temperature : float
        K.
    n_grid : int
        Grid points (uniform in 1/d^2, denser for small dots).
    n_transitions : int
    radii_factory : callable, optional
        ``core_diameter -> radii tuple`` for a structure factory (overrides shells).

    Examples
    --------
    >>> t = TransitionTable(["CdSe"], (), 3.0, 6.0, Medium(), 300.0, n_grid=12)
    >>> e = t.energies_eV(np.array([4.0]))
    >>> round(float(e[0, 0]), 2)
    2.12
    """

    def __init__(self, materials: Sequence, shells_nm: Sequence[float], d_min_nm: float,
                 d_max_nm: float, medium: Medium, temperature: float, *, n_grid: int = 40,
                 n_transitions: int = 8, radii_factory: Callable | None = None,
                 transition_kwargs: dict | None = None):
        check_positive(d_min_nm, "d_min_nm", "nm")
        if not d_max_nm > d_min_nm:
            raise QdlabInputError(f"d_max_nm must be > d_min_nm, got {d_min_nm}, {d_max_nm}")
        from qdlab.structures.spheres import resolve_material as _resolve

        self.materials = tuple(_resolve(m) for m in materials)
        self.shells_nm = tuple(float(s) for s in shells_nm)
        self.medium = medium
        self.temperature = float(temperature)
        self.d_min_nm, self.d_max_nm = float(d_min_nm), float(d_max_nm)
        u = np.linspace(d_min_nm ** -1.0, d_max_nm ** -1.0, int(n_grid))
        d = np.sort(1.0 / u)
        self.grid_nm = d
        if radii_factory is not None:
            radii = np.array([radii_factory(x) for x in d], dtype=float)
        else:
            radii = np.column_stack([d / 2] + [d / 2 + c for c in np.cumsum(self.shells_nm)])
        self.radii_nm = radii
        kw = dict(transition_kwargs or {})
        out = transitions_batch(self.materials, radii, medium, temperature,
                                n_transitions=n_transitions, **kw)
        self.data = out
        e = out["energy_eV"]
        if not np.all(np.isfinite(e)):
            bad = ~np.isfinite(e)
            e = np.where(bad, np.nanmax(np.where(bad, np.nan, e)) + 5.0, e)
        self.energies_filled_eV = e
        self._e = CubicSpline(d, e, axis=0)
        self._f = CubicSpline(d, out["oscillator_strength"], axis=0)
        self._v = CubicSpline(d, (4.0 / 3.0) * np.pi * radii**3, axis=0)
        self.n_transitions = e.shape[1]

    def _check(self, d):
        d = np.asarray(d, dtype=float)
        if np.any(d < self.d_min_nm * (1 - 1e-9)) or np.any(d > self.d_max_nm * (1 + 1e-9)):
            raise QdlabInputError(f"diameters must lie in the table range "
                                  f"[{self.d_min_nm:g}, {self.d_max_nm:g}] nm, got "
                                  f"[{d.min():g}, {d.max():g}]")
        return d

    def energies_eV(self, d):
        """Transition energies (eV), shape (len(d), n_transitions)."""
        return self._e(self._check(d))

    def strengths(self, d):
        """Absorption oscillator strengths, shape (len(d), n_transitions)."""
        return np.maximum(self._f(self._check(d)), 0.0)

    def layer_volumes_nm3(self, d):
        """Volume of each layer (nm^3), shape (len(d), L)."""
        v = self._v(self._check(d))
        return np.diff(np.concatenate([np.zeros((v.shape[0], 1)), v], axis=1), axis=1)

    def diameter_for_energy(self, e1_eV: float) -> float:
        """Core diameter (nm) whose first transition is at ``e1_eV`` (clipped to the grid)."""
        e1 = self.data["energy_eV"][:, 0]
        # e1 decreases with d
        return float(np.interp(-e1_eV, -e1, self.grid_nm))


def layer_recipe(material, shells: Sequence = (), structure_factory: Callable | None = None,
                 mean_nm: float = 4.0):
    """Layer materials, shell thicknesses (nm) and radii factory of an ensemble recipe.

    Parameters
    ----------
    material : str or Material
        Core material (ignored with ``structure_factory``).
    shells : sequence of (material, thickness_nm)
        Shells, core outwards; thicknesses in nm (> 0).
    structure_factory : callable, optional
        ``core_diameter_nm -> SphericalStructure``; it must return the same materials for
        every diameter.
    mean_nm : float
        Diameter (nm) at which ``structure_factory`` is first called.

    Returns
    -------
    (list of Material, list or tuple of float, callable or None)
        Materials (core first), shell thicknesses in nm, and ``core_diameter -> radii``
        (None without a factory).
    """
    radii_factory = None
    if structure_factory is not None:
        s0 = structure_factory(mean_nm)
        mats = s0.materials
        shells_nm = ()

        def radii_factory(d):
            s = structure_factory(d)
            if tuple(m.key for m in s.materials) != tuple(m.key for m in mats):
                raise QdlabInputError("structure_factory must return the same materials "
                                      "for every diameter")
            return s.radii_nm
    else:
        from qdlab.structures.spheres import resolve_material as _resolve

        mats = [_resolve(material)]
        shells_nm = []
        for i, sh in enumerate(shells, start=1):
            try:
                m, t = sh
            except (TypeError, ValueError):
                raise QdlabInputError(f"shell {i} must be (material, thickness_nm), got "
                                      f"{sh!r}") from None
            check_positive(t, f"shell {i} thickness", "nm")
            mats.append(_resolve(m))
            shells_nm.append(float(t))
    return mats, shells_nm, radii_factory


def adaptive_node_count(table: TransitionTable, distribution, continuum_onset_eV: float,
                        gamma_eV: float) -> int:
    """Quadrature nodes (41-801) needed over a size distribution for a smooth spectrum.

    Parameters
    ----------
    table : TransitionTable
    distribution : SizeDistribution
    continuum_onset_eV : float
        Lines above ``E_1`` + this (eV, + 0.2 eV) are tapered out and not resolved.
    gamma_eV : float
        Homogeneous FWHM, eV.

    Returns
    -------
    int
        ``(d_max - d_min) max|dE_k/dd| / (gamma / 3)``, clipped to 41-801.

    Notes
    -----
    Adjacent nodes must shift every line by less than a third of the homogeneous FWHM,
    otherwise the sum over sizes ripples.
    """
    # adaptive: adjacent nodes must shift every line by less than a third of the
    # homogeneous FWHM, otherwise the sum over sizes ripples
    lo, hi = distribution.support_nm()
    lo, hi = max(lo, table.d_min_nm), min(hi, table.d_max_nm)
    g = table.grid_nm
    ef = table.energies_filled_eV
    slope = np.abs(np.gradient(ef, g, axis=0))
    # lines tapered out by the continuum switch do not need resolving
    slope = np.where(ef <= ef[:, :1] + continuum_onset_eV + 0.2, slope, 0.0)
    sel = (g >= lo - 0.5) & (g <= hi + 0.5)
    smax = float(np.max(np.where(np.isfinite(slope[sel]), slope[sel], 0.0))) if sel.any() \
        else 1.0
    gam = gamma_eV
    return int(np.clip((hi - lo) * smax / (gam / 3.0), 41, 801))
