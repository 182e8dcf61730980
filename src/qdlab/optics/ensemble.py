r"""Ensemble absorption and emission spectra of nanocrystals with a size distribution.

An :class:`Ensemble` is a material (or a core/shell recipe) plus a
:class:`SizeDistribution` of the (core) diameter.  It predicts, per particle and
per mole, the absorption cross-section and molar extinction spectrum, the
photoluminescence spectrum, and the concentration of a solution from its
absorbance.

Model
-----
*Discrete transitions.*  The lowest ``n_transitions`` electron-hole transitions
(:func:`qdlab.optics.transitions.transitions_batch`) are solved once on a
diameter grid spanning the distribution and interpolated (cubic spline) onto
``n_nodes`` quadrature nodes of the distribution.  Each transition
contributes a homogeneous line (see *Line shape*) of area

.. math::

    \int\sigma_k\,dE = \frac{\pi e^2\hbar}{2\varepsilon_0 m_0 c\,n_s}\,|f_{LF}|^2 f_k,
    \qquad f_{LF} = \frac{3\varepsilon_s}{\varepsilon_\infty + 2\varepsilon_s},

(Hens & Moreels 2012) multiplied by ``oscillator_scale`` (default 1; see the
limitations of :mod:`qdlab.optics.transitions`: the single-band :math:`f` of the
band edge is about twice the measured one).  Inhomogeneous broadening is the
number-weighted sum over the distribution nodes (not a fixed Gaussian).

*Homogeneous width* (FWHM, eV), exciton-phonon model of Valerini et al. (2005)

.. math::

    \Gamma(T) = \Gamma_0 + \sigma_{ac} T + \frac{\Gamma_{LO}}{\exp(E_{LO}/k_BT) - 1}

with, for CdSe, :math:`\sigma_{ac} = 71\ \mu eV/K` and :math:`\Gamma_{LO} = 21` meV
(CdSe/ZnS dots in polystyrene, Valerini et al. 2005), :math:`E_{LO} = 26` meV (bulk
CdSe LO phonon, 210 cm^-1) and :math:`\Gamma_0 = 5` meV (spectral diffusion / 0 K
width, an assumption): :math:`\Gamma(300\,K) = 38` meV.  Other materials use the
same defaults unless a :class:`HomogeneousWidth` is given.

*Line shape.*  Each transition of each size is a homogeneous line of FWHM
:math:`\Gamma(T)`, Gaussian by default: at room temperature the single-dot line of
CdSe is made of unresolved LO/acoustic phonon sidebands and spectral diffusion rather
than a Lorentzian (Empedocles, Norris & Bawendi, Phys. Rev. Lett. 77, 3873 (1996);
Valerini 2005), and a Lorentzian's long tails would put absorption far below the gap
that measured spectra do not show (the reference series has a sharp red edge).
``lineshape="lorentzian"`` is available (pure dephasing limit).

*Bulk-like continuum.*  Above the discrete transitions the absorption is that of the
bulk material with the local-field factor,
:math:`\sigma_{cont} = V\mu_i(\lambda)` (:mod:`qdlab.optics.optical_constants`),
switched on smoothly by :math:`S(E) = \tfrac12[1+\tanh((E - E_1 - \Delta_c)/w)]`
with :math:`\Delta_c` = ``continuum_onset_eV`` (0.45 eV) above the first transition
:math:`E_1` of each size and :math:`w` = 0.1 eV; discrete lines are weighted by
:math:`1 - S(E_k)` so that nothing is counted twice.  Far above the gap the
extinction therefore scales with the particle volume (Moreels 2009; Hens &
Moreels 2012).  For core/shell particles each layer with tabulated optical
constants contributes its own volume (local-field factor of that layer, an
approximation).

*Photoluminescence.*  Each size d emits from its lowest transition, red-shifted by
the Stokes shift, with the homogeneous line, weighted by the number of particles
times their absorption at ``excitation_nm`` (400 nm) and normalised so that the
spectrum integrates to the quantum yield.  Two choices of the shift:

* a constant for every size, ``stokes_shift_eV`` (default
  :data:`DEFAULT_STOKES_SHIFT_EV` = 0.085 eV: the median absorption-PL shift measured
  on the reference CdSe hot-injection series, run 6, 2.5-3 nm dots, peaks 493-529 nm;
  an empirical number, too large for big dots, where measured global shifts are
  ~20-30 meV).  The weights are the particle volume when every size absorbs in its
  continuum at ``excitation_nm``, else the number.
* ``stokes_shift_eV="model"``: the per-size intrinsic shift
  :math:`\Delta_S(d, T)` of :class:`qdlab.optics.stokes.StokesModel` (band-edge
  fine structure with Boltzmann populations plus LO-phonon reorganisation), with
  each size weighted by its own cross-section at the excitation energy (the whole
  ensemble part of the global shift; :math:`\Delta_S` holds no size-distribution
  term).  This physical model is NOT the default because it misses the measured
  room-temperature shifts of small CdSe dots: 26-33 meV against 43-103 meV on the
  reference series (``python -m qdlab.optics.stokes``), i.e. the large global Stokes
  shift of small dots is not explained by the fine structure and LO phonons alone.

*Molar extinction*: :math:`\epsilon = N_A\sigma/(1000\ln 10)` (M^-1 cm^-1, sigma in cm^2);
Beer-Lambert :math:`A = \epsilon c l`.

Validation and limitations
--------------------------
CdSe, 5 % dispersion, toluene-like medium (``tests/test_ensemble.py`` prints these):
the extinction at 350 nm is 0.946x the Leatherdale 2002 volume law (in hexane) for
3-6 nm, the same factor at every size; the first-peak extinction is 2.9x / 2.2x /
1.5x the Jasieniak 2009 calibration (scaled to the model's HWHM) at 3 / 4 / 5 nm
(the single-band oscillator strength is an upper bound, see
:mod:`qdlab.optics.transitions`; ``oscillator_scale`` corrects it, and fits to the
reference spectra find 0.3-0.5).  Peak positions are those of the single-band
model (532 / 586 / 621 nm against Jasieniak's 540 / 582 / 609 nm).  Bulk optical
constants are tabulated for CdSe only; other materials get no continuum (a warning).
The homogeneous-width parameters are those of CdSe for every material.

References
----------
.. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012).
.. [2] I. Moreels et al., ACS Nano 3, 3023 (2009).
.. [3] D. Valerini, A. Creti, M. Lomascolo, L. Manna, R. Cingolani, M. Anni,
   Phys. Rev. B 71, 235409 (2005).
.. [4] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
   J. Phys. Chem. C 113, 19468 (2009).
.. [5] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi,
   J. Phys. Chem. B 106, 7619 (2002).

Examples
--------
>>> ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0))
>>> 575 < ens.first_peak_nm() < 595
True
>>> eps = ens.molar_extinction([350.0])
>>> 5e5 < float(eps[0]) < 2e6
True
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.interpolate import CubicSpline

from qdlab.constants import AVOGADRO, HC_EV_NM, KB_EV
from qdlab.errors import (
    QdlabInputError,
    QdlabValidityWarning,
    check_nonnegative,
    check_positive,
    check_range,
    warn_validity,
)
from qdlab.optics import optical_constants as _oc
from qdlab.optics.stokes import StokesModel
from qdlab.optics.transitions import (
    absorption_prefactor_cm2_eV,
    local_field_factor,
    transitions_batch,
)
from qdlab.structures import Medium

__all__ = [
    "DEFAULT_STOKES_SHIFT_EV",
    "Ensemble",
    "HomogeneousWidth",
    "SizeDistribution",
    "TransitionTable",
    "WEAK_CONFINEMENT_FACTOR",
    "molar_extinction_from_cross_section",
    "warn_size_validity",
]

# warn_size_validity and WEAK_CONFINEMENT_FACTOR live in qdlab.optics.validity (light to
# import: the command line checks sizes without loading the ensemble machinery)
from qdlab.optics.validity import WEAK_CONFINEMENT_FACTOR, warn_size_validity  # noqa: E402

#: Fallback Stokes shift, eV, for materials without per-size constants (median of the
#: reference CdSe series, see module notes).
DEFAULT_STOKES_SHIFT_EV: float = 0.085
_LN10 = math.log(10.0)


def molar_extinction_from_cross_section(sigma_cm2):
    """Molar extinction coefficient (M^-1 cm^-1) from a cross-section in cm^2.

    :math:`\\epsilon = N_A\\sigma/(1000\\ln 10)`.

    Examples
    --------
    >>> round(float(molar_extinction_from_cross_section(1e-15)))
    261538
    """
    return AVOGADRO * np.asarray(sigma_cm2) / (1000.0 * _LN10)


# ----------------------------------------------------------------- distributions
#: Largest mean diameter (nm) of :meth:`SizeDistribution.normal` / ``lognormal``: 1 um,
#: far beyond colloidal nanocrystals (< ~100 nm) and beyond any confinement.
MAX_MEAN_DIAMETER_NM = 1000.0


@dataclass(frozen=True)
class SizeDistribution:
    """Number distribution of the (core) diameter, nm.

    Build with :meth:`normal`, :meth:`lognormal` or :meth:`histogram`.

    Attributes
    ----------
    kind : str
        ``"normal"``, ``"lognormal"`` or ``"histogram"``.
    mean_nm : float
        Number-mean diameter, nm.
    dispersion_pct : float
        Relative standard deviation of the diameter, percent.
    centres_nm, weights : tuple
        Histogram bins (``"histogram"`` only).

    Examples
    --------
    >>> d = SizeDistribution.lognormal(4.0, 10.0)
    >>> x, w = d.nodes(201)
    >>> round(float(np.sum(w * x)), 3), round(float(np.sqrt(np.sum(w * (x - 4.0)**2))), 2)
    (4.0, 0.4)
    >>> SizeDistribution.histogram([3.0, 4.0, 5.0], [1, 2, 1]).mean_nm
    4.0
    """

    kind: str
    mean_nm: float
    dispersion_pct: float
    centres_nm: tuple = field(default=(), repr=False)
    weights: tuple = field(default=(), repr=False)

    @classmethod
    def normal(cls, mean_nm: float, dispersion_pct: float) -> SizeDistribution:
        """Gaussian in diameter: mean (nm) and relative standard deviation (%, 0-40)."""
        check_positive(mean_nm, "mean diameter", "nm")
        check_range(mean_nm, "mean diameter", 0.0, MAX_MEAN_DIAMETER_NM, "nm")
        check_range(dispersion_pct, "dispersion_pct", 0.0, 40.0, "%")
        return cls("normal", float(mean_nm), float(dispersion_pct))

    @classmethod
    def lognormal(cls, mean_nm: float, dispersion_pct: float) -> SizeDistribution:
        """Log-normal in diameter with the given mean (nm) and relative std (%, 0-100)."""
        check_positive(mean_nm, "mean diameter", "nm")
        check_range(mean_nm, "mean diameter", 0.0, MAX_MEAN_DIAMETER_NM, "nm")
        check_range(dispersion_pct, "dispersion_pct", 0.0, 100.0, "%")
        return cls("lognormal", float(mean_nm), float(dispersion_pct))

    @classmethod
    def histogram(cls, centres_nm, weights) -> SizeDistribution:
        """Arbitrary histogram: bin centres (nm, > 0) and number weights (>= 0)."""
        c = np.asarray(centres_nm, dtype=float).ravel()
        w = np.asarray(weights, dtype=float).ravel()
        if c.size == 0 or c.size != w.size:
            raise QdlabInputError(f"histogram needs as many weights as centres, got "
                                  f"{c.size} centres and {w.size} weights")
        check_positive(c, "histogram centres", "nm")
        check_nonnegative(w, "histogram weights")
        if w.sum() <= 0:
            raise QdlabInputError("histogram weights must not all be 0")
        w = w / w.sum()
        m = float(np.sum(w * c))
        sd = float(np.sqrt(np.sum(w * (c - m) ** 2)))
        return cls("histogram", m, 100.0 * sd / m, tuple(c.tolist()), tuple(w.tolist()))

    @property
    def std_nm(self) -> float:
        """Standard deviation of the diameter, nm."""
        return self.mean_nm * self.dispersion_pct / 100.0

    def support_nm(self) -> tuple[float, float]:
        """Diameter range (nm) holding all but ~1e-5 of the particles."""
        if self.kind == "histogram":
            return min(self.centres_nm), max(self.centres_nm)
        s = self.std_nm
        if self.kind == "normal":
            return max(self.mean_nm - 4.5 * s, 0.05 * self.mean_nm), self.mean_nm + 4.5 * s
        sl, ml = self._ln_params()
        return math.exp(ml - 4.5 * sl), math.exp(ml + 4.5 * sl)

    def _ln_params(self):
        cv = self.dispersion_pct / 100.0
        sl = math.sqrt(math.log1p(cv * cv))
        return sl, math.log(self.mean_nm) - 0.5 * sl * sl

    def nodes(self, n: int = 121) -> tuple[np.ndarray, np.ndarray]:
        """Quadrature nodes (diameters, nm) and number weights summing to 1."""
        if self.kind == "histogram":
            return np.asarray(self.centres_nm), np.asarray(self.weights)
        if self.dispersion_pct == 0.0:
            return np.array([self.mean_nm]), np.array([1.0])
        lo, hi = self.support_nm()
        x = np.linspace(lo, hi, int(n))
        if self.kind == "normal":
            p = np.exp(-0.5 * ((x - self.mean_nm) / self.std_nm) ** 2)
        else:
            sl, ml = self._ln_params()
            p = np.exp(-0.5 * ((np.log(x) - ml) / sl) ** 2) / x
        return x, p / p.sum()


# ----------------------------------------------------------------- homogeneous width
@dataclass(frozen=True)
class HomogeneousWidth:
    """Temperature-dependent homogeneous FWHM (eV) of an excitonic line.

    :math:`\\Gamma(T) = \\Gamma_0 + \\sigma_{ac}T + \\Gamma_{LO}/(\\exp(E_{LO}/k_BT)-1)`.
    Defaults: CdSe (Valerini et al., Phys. Rev. B 71, 235409 (2005); see module notes).

    Examples
    --------
    >>> round(HomogeneousWidth()(300.0), 4)
    0.0383
    """

    gamma0_eV: float = 0.005
    sigma_ac_eV_K: float = 71e-6
    gamma_lo_eV: float = 0.021
    e_lo_eV: float = 0.026

    def __call__(self, temperature: float) -> float:
        check_positive(temperature, "temperature", "K")
        t = float(temperature)
        return (self.gamma0_eV + self.sigma_ac_eV_K * t
                + self.gamma_lo_eV / math.expm1(self.e_lo_eV / (KB_EV * t)))


# ----------------------------------------------------------------- transition table
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


# ----------------------------------------------------------------- ensemble
class Ensemble:
    r"""A dispersion of nanocrystals: structure recipe plus a size distribution.

    Parameters
    ----------
    material : str or Material
        Core material (``"CdSe"``).
    distribution : SizeDistribution
        Distribution of the core diameter (nm).
    shells : sequence of (material, thickness_nm), optional
        Shells of fixed thickness around every core.
    medium : Medium, optional
        Ligands/solvent (barriers, dielectric constant); default organic ligands.
    temperature : float
        K (default 300).
    n_medium : float, optional
        Solvent refractive index; default ``sqrt(medium.dielectric_constant)``.
    homogeneous : HomogeneousWidth, optional
        Homogeneous FWHM model.
    n_transitions : int
        Discrete transitions per size (default 8).
    oscillator_scale : float
        Multiplies all discrete oscillator strengths (default 1).
    continuum_onset_eV : float
        Onset of the bulk continuum above the first transition, eV (default 0.45).
    stokes_shift_eV : float or "model", optional
        One Stokes shift (eV, >= 0) for every size; default (None)
        :data:`DEFAULT_STOKES_SHIFT_EV`.  ``"model"``: the per-size
        :class:`qdlab.optics.stokes.StokesModel` at ``temperature`` (bare CdSe cores
        only; see the module notes for its accuracy).
    quantum_yield : float
        PL quantum yield, 0-1 (default 1).
    structure_factory : callable, optional
        ``core_diameter_nm -> SphericalStructure``; replaces ``material``/``shells``
        (all structures must have the same materials).
    lineshape : {"gaussian", "lorentzian"}
        Shape of the homogeneous line of FWHM :math:`\Gamma(T)` (see module notes).
    n_nodes : int, optional
        Quadrature nodes of the size distribution (default: adaptive, so that adjacent
        nodes shift every line by less than a third of the homogeneous width).
    table : TransitionTable, optional
        Precomputed table (used by the fitter); distribution tails outside its
        diameter range are truncated (an error if more than half is outside).

    Examples
    --------
    >>> ens = Ensemble("CdSe", SizeDistribution.normal(3.0, 8.0))
    >>> wl = np.array([400.0, 500.0, 540.0, 700.0])
    >>> eps = ens.molar_extinction(wl)
    >>> bool(eps[3] < 0.01 * eps[2])      # transparent below the gap
    True
    """

    def __init__(self, material, distribution: SizeDistribution, *, shells: Sequence = (),
                 medium: Medium | None = None, temperature: float = 300.0,
                 n_medium: float | None = None, homogeneous: HomogeneousWidth | None = None,
                 n_transitions: int = 8, oscillator_scale: float = 1.0,
                 continuum_onset_eV: float = 0.45, stokes_shift_eV: float | None = None,
                 quantum_yield: float = 1.0, structure_factory: Callable | None = None,
                 table: TransitionTable | None = None, n_nodes: int | None = None,
                 lineshape: str = "gaussian"):
        if not isinstance(distribution, SizeDistribution):
            raise QdlabInputError("distribution must be a SizeDistribution (use "
                                  "SizeDistribution.normal/lognormal/histogram)")
        check_positive(temperature, "temperature", "K")
        check_nonnegative(oscillator_scale, "oscillator_scale")
        check_positive(continuum_onset_eV, "continuum_onset_eV", "eV")
        check_range(quantum_yield, "quantum_yield", 0.0, 1.0)
        if lineshape not in ("gaussian", "lorentzian"):
            raise QdlabInputError(f"lineshape must be 'gaussian' or 'lorentzian', got "
                                  f"{lineshape!r}")
        self.lineshape = lineshape
        self.distribution = distribution
        self.medium = medium if medium is not None else Medium()
        self.temperature = float(temperature)
        self.n_medium = (math.sqrt(self.medium.dielectric_constant) if n_medium is None
                         else float(check_positive(n_medium, "n_medium")))
        self.homogeneous = homogeneous if homogeneous is not None else HomogeneousWidth()
        self.oscillator_scale = float(oscillator_scale)
        self.continuum_onset_eV = float(continuum_onset_eV)
        if isinstance(stokes_shift_eV, str):
            if stokes_shift_eV != "model":
                raise QdlabInputError(f"stokes_shift_eV must be a number >= 0 eV or 'model', "
                                      f"got {stokes_shift_eV!r}")
            self._stokes_override = None
        else:
            self._stokes_override = float(check_nonnegative(
                DEFAULT_STOKES_SHIFT_EV if stokes_shift_eV is None else stokes_shift_eV,
                "stokes_shift_eV", "eV"))
        self.quantum_yield = float(quantum_yield)
        self.n_nodes = None if n_nodes is None else int(n_nodes)
        radii_factory = None
        if structure_factory is not None:
            s0 = structure_factory(distribution.mean_nm)
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
        self.materials = tuple(mats)
        #: validity warnings of the mean core size (issue 10: no silent 182 nm PL); not
        #: repeated for every trial ensemble of a fit (those pass a precomputed ``table``)
        self.validity_warnings = (warn_size_validity(self.materials[0], distribution.mean_nm,
                                                     stacklevel=4) if table is None else [])
        lo, hi = distribution.support_nm()
        if table is None:
            table = TransitionTable(self.materials, shells_nm, lo * 0.98, hi * 1.02,
                                    self.medium, self.temperature, radii_factory=radii_factory,
                                    n_transitions=n_transitions,
                                    n_grid=int(np.clip(12 + 40 * (hi - lo) / hi, 12, 40)))
        self.table = table
        #: per-size Stokes-shift model (None: constant ``stokes_shift_eV`` is used)
        self.stokes_model = None
        if self._stokes_override is None:
            if not (len(self.materials) == 1 and StokesModel.available(self.materials[0])):
                raise QdlabInputError(
                    "stokes_shift_eV='model' needs per-size fine-structure constants, "
                    f"available for bare {', '.join(StokesModel.materials())} cores; got "
                    f"{'/'.join(m.name for m in self.materials)}: give a number in eV")
            self.stokes_model = StokesModel.for_material(self.materials[0])
        self._missing_oc = [m.name for m in self.materials if not _oc.has_optical_constants(m)]

    # ------------------------------------------------------------- Stokes shift
    @property
    def stokes_shift_eV(self) -> float:
        """Stokes shift, eV: the constant in use, or the number-weighted mean of the
        per-size shifts over the distribution (for reporting; the emission uses the
        per-size values, :meth:`stokes_shifts_eV`)."""
        if self._stokes_override is not None:
            return self._stokes_override
        if self.stokes_model is None:
            return DEFAULT_STOKES_SHIFT_EV
        d, w = self._nodes()
        return float(np.sum(w * self.stokes_shifts_eV(d)))

    def stokes_shifts_eV(self, diameter_nm):
        """Stokes shift (eV) of each (core) diameter in nm at the ensemble temperature.

        Examples
        --------
        >>> ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0), stokes_shift_eV="model")
        >>> s = ens.stokes_shifts_eV([3.0, 5.0])
        >>> bool(s[0] > s[1])
        True
        >>> Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0),
        ...          stokes_shift_eV=0.05).stokes_shifts_eV([3.0, 5.0]).tolist()
        [0.05, 0.05]
        """
        d = np.asarray(check_positive(diameter_nm, "diameter_nm", "nm"), dtype=float)
        if self.stokes_model is None:
            return np.full(d.shape, self.stokes_shift_eV)
        with warnings.catch_warnings():
            # the distribution tails may leave the model's diameter range
            warnings.simplefilter("ignore", QdlabValidityWarning)
            return np.asarray(self.stokes_model(d, self.temperature), dtype=float)

    # ------------------------------------------------------------- internals
    def _broaden(self, E, centres, weights, fwhm):
        """sum_i weights_i L(E - centres_i), L the homogeneous line (1/eV).

        The sticks are binned (linear, area-preserving) on a grid of fwhm/16 and
        convolved with the line; accurate to ~1e-3 of the peak and independent of
        the number of sticks.
        """
        E = np.asarray(E, dtype=float)
        ok = np.isfinite(centres) & (weights != 0)
        c, wt = centres[ok], weights[ok]
        if c.size == 0:
            return np.zeros(E.shape)
        h = fwhm / 16.0
        reach = (8.0 if self.lineshape == "gaussian" else 60.0) * fwhm
        lo = min(float(E.min()), float(c.min())) - reach
        hi = max(float(E.max()), float(c.max())) + reach
        n = int(math.ceil((hi - lo) / h)) + 2
        if n > 400_000:
            raise QdlabInputError("energy range too wide for the line broadening "
                                  f"({lo:.3g}-{hi:.3g} eV at {h:.2g} eV steps)")
        pos = (c - lo) / h
        i0 = np.floor(pos).astype(int)
        f = pos - i0
        stick = (np.bincount(i0, wt * (1 - f), minlength=n + 1)
                 + np.bincount(i0 + 1, wt * f, minlength=n + 1))[:n]
        k = int(math.ceil(reach / h))
        kern = self._line(h * np.arange(-k, k + 1), fwhm)
        from scipy.signal import fftconvolve

        spec = fftconvolve(stick, kern, mode="full")[k:k + n]
        return np.interp(E, lo + h * np.arange(n), spec)

    def _line(self, x, fwhm):
        """Area-normalised homogeneous line (1/eV) at detuning x (eV)."""
        if self.lineshape == "lorentzian":
            h = 0.5 * fwhm
            return (h / np.pi) / (x * x + h * h)
        s = fwhm / (2.0 * math.sqrt(2.0 * math.log(2.0)))
        return np.exp(-0.5 * (x / s) ** 2) / (s * math.sqrt(2.0 * math.pi))

    def _n_nodes(self) -> int:
        if self.n_nodes is not None:
            return self.n_nodes
        # adaptive: adjacent nodes must shift every line by less than a third of the
        # homogeneous FWHM, otherwise the sum over sizes ripples
        lo, hi = self.distribution.support_nm()
        lo, hi = max(lo, self.table.d_min_nm), min(hi, self.table.d_max_nm)
        g = self.table.grid_nm
        ef = self.table.energies_filled_eV
        slope = np.abs(np.gradient(ef, g, axis=0))
        # lines tapered out by the continuum switch do not need resolving
        slope = np.where(ef <= ef[:, :1] + self.continuum_onset_eV + 0.2, slope, 0.0)
        sel = (g >= lo - 0.5) & (g <= hi + 0.5)
        smax = float(np.max(np.where(np.isfinite(slope[sel]), slope[sel], 0.0))) if sel.any() \
            else 1.0
        gam = self.homogeneous(self.temperature)
        return int(np.clip((hi - lo) * smax / (gam / 3.0), 41, 801))

    def _nodes(self):
        d, w = self.distribution.nodes(self._n_nodes())
        inside = (d >= self.table.d_min_nm) & (d <= self.table.d_max_nm)
        if not inside.all():
            # a precomputed table narrower than the distribution: truncate its tails
            if not inside.any() or w[inside].sum() < 0.5:
                raise QdlabInputError(
                    f"the size distribution ({d.min():.3g}-{d.max():.3g} nm) lies outside "
                    f"the transition table ({self.table.d_min_nm:.3g}-"
                    f"{self.table.d_max_nm:.3g} nm)")
            d, w = d[inside], w[inside] / w[inside].sum()
        return d, w

    def _lines(self, energy_eV, d, w, tables=None):
        """Discrete + continuum cross-section (cm^2) per node, summed with weights."""
        E = np.asarray(energy_eV, dtype=float)
        ek = self.table.energies_eV(d)                    # (n, K)
        fk = self.table.strengths(d) * self.oscillator_scale
        gam = self.homogeneous(self.temperature)
        eps_s = self.n_medium**2
        flf2 = np.abs(local_field_factor(self.materials[0].eps_inf, eps_s)) ** 2
        pref = absorption_prefactor_cm2_eV() * flf2 / self.n_medium
        e1 = ek[:, :1]
        onset = e1 + self.continuum_onset_eV
        wsw = 0.1
        keep = 1.0 - 0.5 * (1.0 + np.tanh((ek - onset) / wsw))   # (n, K)
        amp = w[:, None] * pref * fk * keep                        # (n, K)
        out = self._broaden(E, ek.ravel(), amp.ravel(), gam)
        cont = self._continuum(E, d, w, onset[:, 0], wsw)
        return out, cont

    def _node_cross_sections(self, d, e_eV: float):
        """Absorption cross-section (cm^2) of each node diameter at one energy (eV)."""
        ek = self.table.energies_eV(d)
        fk = self.table.strengths(d) * self.oscillator_scale
        gam = self.homogeneous(self.temperature)
        flf2 = np.abs(local_field_factor(self.materials[0].eps_inf, self.n_medium**2)) ** 2
        pref = absorption_prefactor_cm2_eV() * flf2 / self.n_medium
        onset = ek[:, :1] + self.continuum_onset_eV
        wsw = 0.1
        keep = 1.0 - 0.5 * (1.0 + np.tanh((ek - onset) / wsw))
        line = self._line(np.where(np.isfinite(ek), e_eV - ek, np.inf), gam)
        disc = np.sum(pref * fk * keep * line, axis=1)
        cont = np.zeros(d.shape)
        if not (self._missing_oc and len(self._missing_oc) == len(self.materials)):
            vols = self.table.layer_volumes_nm3(d)
            mu = np.zeros(len(self.materials))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", QdlabValidityWarning)
                for j, m in enumerate(self.materials):
                    if _oc.has_optical_constants(m):
                        mu[j] = float(_oc.bulk_absorption_coefficient(m, HC_EV_NM / e_eV,
                                                                      self.n_medium))
            S = 0.5 * (1.0 + np.tanh((e_eV - onset[:, 0]) / wsw))
            cont = S * (vols @ mu) * 1e-14
        return disc + cont

    def _continuum(self, E, d, w, onset, wsw):
        if self._missing_oc and len(self._missing_oc) == len(self.materials):
            return np.zeros(E.shape)
        lam = HC_EV_NM / E
        vols = self.table.layer_volumes_nm3(d)            # (n, L)
        mu = np.zeros(E.shape + (len(self.materials),))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", QdlabValidityWarning)
            for j, m in enumerate(self.materials):
                if _oc.has_optical_constants(m):
                    mu[..., j] = _oc.bulk_absorption_coefficient(m, lam, self.n_medium)
        S = 0.5 * (1.0 + np.tanh((E[..., None] - onset) / wsw))   # (..., n)
        # sum_n w_n S_n(E) sum_j V_nj mu_j(E)
        return np.einsum("...n,n,nj,...j->...", S, w, vols, mu) * 1e-14

    # ------------------------------------------------------------- public API
    def absorption_cross_section(self, wavelength_nm, *, components: bool = False):
        """Mean absorption cross-section per particle, cm^2, at wavelengths in nm.

        Parameters
        ----------
        wavelength_nm : array_like
            Vacuum wavelengths, nm (> 0).
        components : bool
            Also return the discrete (band-edge) and continuum parts.

        Returns
        -------
        ndarray or (ndarray, ndarray, ndarray)
        """
        check_positive(wavelength_nm, "wavelength_nm", "nm")
        if self._missing_oc:
            warn_validity(f"no bulk optical constants for {', '.join(self._missing_oc)}: its "
                          "high-energy (bulk-like) absorption is left out")
        lam = np.asarray(wavelength_nm, dtype=float)
        d, w = self._nodes()
        disc, cont = self._lines(HC_EV_NM / lam, d, w)
        tot = disc + cont
        return (tot, disc, cont) if components else tot

    def molar_extinction(self, wavelength_nm):
        """Molar extinction coefficient, M^-1 cm^-1 (per mole of particles)."""
        return molar_extinction_from_cross_section(self.absorption_cross_section(wavelength_nm))

    def absorbance(self, wavelength_nm, concentration_M: float, path_cm: float = 1.0):
        """Absorbance (base 10) of a solution, Beer-Lambert :math:`A = \\epsilon c l`."""
        check_nonnegative(concentration_M, "concentration_M", "mol/L")
        check_positive(path_cm, "path_cm", "cm")
        return self.molar_extinction(wavelength_nm) * concentration_M * path_cm

    def first_peak_nm(self) -> float:
        """Wavelength (nm) of the first-exciton absorption maximum of the ensemble."""
        d, w = self._nodes()
        e1 = float(np.sum(w * self.table.energies_eV(d)[:, 0]))
        E = np.linspace(e1 - 0.25, e1 + 0.2, 451)
        disc, cont = self._lines(E, d, w)
        tot = disc + cont
        i = int(np.argmax(np.where(E < e1 + 0.12, tot, -np.inf)))
        if 0 < i < E.size - 1:  # parabolic refinement
            y0, y1, y2 = tot[i - 1:i + 2]
            den = y0 - 2 * y1 + y2
            de = 0.5 * (y0 - y2) / den if den != 0 else 0.0
            return float(HC_EV_NM / (E[i] + de * (E[1] - E[0])))
        return float(HC_EV_NM / E[i])

    def first_peak_extinction(self) -> float:
        """Molar extinction (M^-1 cm^-1) at the first-exciton absorption maximum."""
        return float(self.molar_extinction(np.array([self.first_peak_nm()]))[0])

    def emission(self, wavelength_nm, *, excitation_nm: float = 400.0):
        r"""Photoluminescence spectrum, photons per absorbed photon per nm.

        Parameters
        ----------
        wavelength_nm : array_like
            Emission wavelengths, nm.
        excitation_nm : float
            Excitation wavelength, nm (default 400).

        Returns
        -------
        ndarray
            Spectral photon yield per nm; integrates over wavelength to
            ``quantum_yield``.

        Notes
        -----
        :math:`I(E) = QY \sum_i p_i L(E - E_{1,i} + \Delta_{S,i}; \Gamma)` with
        :math:`p_i` the number weight times the absorption of size i at the
        excitation wavelength: with a constant ``stokes_shift_eV``, the particle volume
        when every size absorbs in its continuum at ``excitation_nm``, else 1; with
        ``"model"``, the cross-section of size i (its discrete lines plus its bulk-like
        continuum), :math:`p_i = w_i\sigma_i(\lambda_{exc})/\sum_j w_j\sigma_j(\lambda_{exc})`;
        :math:`L` the homogeneous line, :math:`\Delta_S` the Stokes shift of size i
        (:meth:`stokes_shifts_eV`); then
        :math:`I(\lambda) = I(E)\,E^2/hc`.

        Examples
        --------
        >>> ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0), quantum_yield=0.5)
        >>> lam = np.linspace(500.0, 800.0, 3001)
        >>> round(float(np.trapezoid(ens.emission(lam), lam)), 2)
        0.5
        """
        check_positive(wavelength_nm, "wavelength_nm", "nm")
        check_positive(excitation_nm, "excitation_nm", "nm")
        lam = np.asarray(wavelength_nm, dtype=float)
        d, w = self._nodes()
        # weight of each size: its absorption at the excitation wavelength (the
        # bulk-like continuum, ~ volume, when excited far above every band edge; number
        # weights for (near-)resonant excitation)
        e1 = self.table.energies_eV(d)[:, 0]
        e_exc = HC_EV_NM / excitation_nm
        if self._stokes_override is None:
            # each size's own absorption cross-section at the excitation energy
            absw = self._node_cross_sections(d, e_exc)
            if not np.any(absw > 0):
                raise QdlabInputError(f"excitation_nm = {excitation_nm:g} nm is not absorbed "
                                      "by any size of the distribution")
        else:
            # constant shift: volume weights far above every gap, else number weights
            vol = self.table.layer_volumes_nm3(d).sum(axis=1)
            absw = vol if np.all(e_exc > e1 + self.continuum_onset_eV) else np.ones_like(vol)
        pw = w * absw
        pw = pw / pw.sum()
        gam = self.homogeneous(self.temperature)
        E = HC_EV_NM / lam
        centre = e1 - self.stokes_shifts_eV(d)
        per_eV = self._broaden(E, centre, pw, gam)
        # rounding in the broadening can leave -1e-17 far from the line: clip to 0
        return np.maximum(self.quantum_yield * per_eV * E**2 / HC_EV_NM, 0.0)  # |dE/dlambda|

    def emission_peak_nm(self) -> float:
        """Wavelength (nm) of the PL maximum."""
        d, w = self._nodes()
        # mean emission energy (the constant-shift expression is kept bit for bit)
        e1 = float(np.sum(w * self.table.energies_eV(d)[:, 0])) - self.stokes_shift_eV
        lam = np.linspace(HC_EV_NM / (e1 + 0.3), HC_EV_NM / max(e1 - 0.3, 0.1), 1201)
        y = self.emission(lam)
        return float(lam[int(np.argmax(y))])

    def emission_fwhm_nm(self) -> float:
        """Full width at half maximum of the PL spectrum, nm."""
        p = self.emission_peak_nm()
        lam = np.linspace(p - 150, p + 150, 3001)
        lam = lam[lam > 1]
        y = self.emission(lam)
        above = lam[y >= 0.5 * y.max()]
        return float(above[-1] - above[0])

    def concentration_from_absorbance(self, absorbance: float, wavelength_nm: float | str = "peak",
                                      path_cm: float = 1.0) -> float:
        """Particle concentration (mol/L) from an absorbance (Beer-Lambert).

        Parameters
        ----------
        absorbance : float
            Measured absorbance (base 10, background subtracted), > 0.
        wavelength_nm : float or "peak"
            Where it was measured: the first-exciton peak or a wavelength in nm
            (a high-energy wavelength such as 350 nm is insensitive to the size
            dispersion and to the band-edge model).
        path_cm : float
            Optical path length, cm.

        Examples
        --------
        >>> ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0))
        >>> a = float(ens.absorbance([350.0], 1e-6)[0])
        >>> round(ens.concentration_from_absorbance(a, 350.0) * 1e6, 6)
        1.0
        """
        check_positive(absorbance, "absorbance")
        check_positive(path_cm, "path_cm", "cm")
        if isinstance(wavelength_nm, str):
            if wavelength_nm != "peak":
                raise QdlabInputError(f"wavelength_nm must be a number (nm) or 'peak', got "
                                      f"{wavelength_nm!r}")
            eps = self.first_peak_extinction()
        else:
            eps = float(self.molar_extinction(np.array([float(wavelength_nm)]))[0])
        return float(absorbance) / (eps * path_cm)

    def spectrum_table(self, wavelength_nm, concentration_M: float | None = None,
                       path_cm: float = 1.0) -> dict:
        """Columns for a CSV: wavelength, cross-section, extinction, (absorbance), PL."""
        lam = np.asarray(wavelength_nm, dtype=float)
        sig = self.absorption_cross_section(lam)
        out = {"wavelength_nm": lam, "cross_section_cm2": sig,
               "molar_extinction_M-1cm-1": molar_extinction_from_cross_section(sig),
               "emission_per_nm": self.emission(lam)}
        if concentration_M is not None:
            out["absorbance"] = out["molar_extinction_M-1cm-1"] * concentration_M * path_cm
        return out
