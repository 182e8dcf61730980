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

*Photoluminescence.*  Each size emits from its lowest transition, red-shifted by the
Stokes shift (a constant, :data:`DEFAULT_STOKES_SHIFT_EV` = 0.085 eV by default, or
the per-size ``"model"``), with the homogeneous line: see
:mod:`qdlab.optics.photoluminescence`.  The size distributions (normal, log-normal,
histogram) and their quadrature are in :mod:`qdlab.optics.size_distribution`.

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
from collections.abc import Callable, Sequence

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import (
    QdlabInputError,
    check_nonnegative,
    check_positive,
    check_range,
    warn_validity,
)
from qdlab.optics import optical_constants as _oc
from qdlab.optics.broadening import LINESHAPES, HomogeneousWidth, broaden_sticks, line_profile
from qdlab.optics.extinction import (
    ensemble_cross_section,
    molar_extinction_from_cross_section,
    node_cross_sections,
)
from qdlab.optics.photoluminescence import EnsembleEmission
from qdlab.optics.size_distribution import MAX_MEAN_DIAMETER_NM, SizeDistribution  # noqa: F401
from qdlab.optics.stokes import DEFAULT_STOKES_SHIFT_EV, STOKES_METHODS, StokesModel
from qdlab.optics.tables import (
    WEAK_CONFINEMENT_FACTOR,
    TransitionTable,
    adaptive_node_count,
    layer_recipe,
    warn_size_validity,
)
from qdlab.registry import select
from qdlab.structures import Medium

__all__ = [
    "FIT_D_MAX_NM",
    "FIT_D_MIN_NM",
    "DEFAULT_STOKES_SHIFT_EV",
    "Ensemble",
    "HomogeneousWidth",
    "SizeDistribution",
    "TransitionTable",
    "model_table",
    "WEAK_CONFINEMENT_FACTOR",
    "molar_extinction_from_cross_section",
    "warn_size_validity",
]


# ----------------------------------------------------------------- ensemble
class Ensemble(EnsembleEmission):
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
    stokes_shift_eV : float or str, optional
        One Stokes shift (eV, >= 0) for every size; default (None)
        :data:`DEFAULT_STOKES_SHIFT_EV`.  Or the name of a model of
        :data:`qdlab.optics.stokes.STOKES_METHODS`: ``"constant"`` (the default
        shift) or ``"model"``, the per-size :class:`qdlab.optics.stokes.StokesModel`
        at ``temperature`` (bare CdSe cores only; see the module notes for its
        accuracy).
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

    Notes
    -----
    The photoluminescence methods (:meth:`emission`, :meth:`emission_peak_nm`,
    :meth:`emission_fwhm_nm`, :meth:`stokes_shifts_eV`, :attr:`stokes_shift_eV`) come
    from :class:`qdlab.optics.photoluminescence.EnsembleEmission`.

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
        if lineshape not in LINESHAPES:
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
            #: the :data:`~qdlab.optics.stokes.STOKES_METHODS` entry in use
            self.stokes_method = select(STOKES_METHODS, "stokes_shift_eV model",
                                        stokes_shift_eV)
            self._stokes_override = (DEFAULT_STOKES_SHIFT_EV if stokes_shift_eV == "constant"
                                     else None)
        else:
            self.stokes_method = STOKES_METHODS["constant"]
            self._stokes_override = float(check_nonnegative(
                DEFAULT_STOKES_SHIFT_EV if stokes_shift_eV is None else stokes_shift_eV,
                "stokes_shift_eV", "eV"))
        self.quantum_yield = float(quantum_yield)
        self.n_nodes = None if n_nodes is None else int(n_nodes)
        mats, shells_nm, radii_factory = layer_recipe(material, shells, structure_factory,
                                                      distribution.mean_nm)
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

    # ------------------------------------------------------------- internals
    def _broaden(self, E, centres, weights, fwhm):
        """sum_i weights_i L(E - centres_i), L the homogeneous line (1/eV)
        (:func:`qdlab.optics.broadening.broaden_sticks`)."""
        return broaden_sticks(E, centres, weights, fwhm, self.lineshape)

    def _line(self, x, fwhm):
        """Area-normalised homogeneous line (1/eV) at detuning x (eV)."""
        return line_profile(x, fwhm, self.lineshape)

    def _n_nodes(self) -> int:
        if self.n_nodes is not None:
            return self.n_nodes
        return adaptive_node_count(self.table, self.distribution, self.continuum_onset_eV,
                                   self.homogeneous(self.temperature))

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
        return ensemble_cross_section(self, energy_eV, d, w)

    def _node_cross_sections(self, d, e_eV: float):
        """Absorption cross-section (cm^2) of each node diameter at one energy (eV)."""
        return node_cross_sections(self, d, e_eV)

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

    def spectral_window_nm(self, wl_min: float = 350.0, wl_max: float = 800.0,
                           step: float = 50.0) -> tuple[float, float]:
        """A wavelength range (nm) holding ``[wl_min, wl_max]``, the first-exciton peak and the PL band.

        ``wl_max`` is raised, if needed, to the PL peak plus two PL FWHM, rounded up to a
        multiple of ``step`` (e.g. 1600 nm for 4 nm PbS, whose first exciton is near
        1230 nm); ``wl_min`` is kept.

        Examples
        --------
        >>> Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0)).spectral_window_nm()
        (350.0, 800.0)
        """
        check_positive(step, "step", "nm")
        top = max(self.first_peak_nm(), self.emission_peak_nm() + 2.0 * self.emission_fwhm_nm())
        if top > wl_max:
            wl_max = step * math.ceil(top / step)
        return float(wl_min), float(wl_max)

    def first_peak_extinction(self) -> float:
        """Molar extinction (M^-1 cm^-1) at the first-exciton absorption maximum."""
        return float(self.molar_extinction(np.array([self.first_peak_nm()]))[0])

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


#: Diameter range of the tables used to fit measured spectra, nm.
FIT_D_MIN_NM, FIT_D_MAX_NM = 1.4, 13.0


def model_table(material, *, medium: Medium | None = None, temperature: float = 300.0,
                n_grid: int = 48) -> TransitionTable:
    """Transition table over 1.4-13 nm for fitting many spectra of one material.

    Build it once and pass it as ``table=`` to :func:`qdlab.sizing.fit.fit_spectrum`
    (:func:`qdlab.sizing.fit.fit_spectra` does this for you).
    """
    return TransitionTable([material], (), FIT_D_MIN_NM, FIT_D_MAX_NM,
                           medium if medium is not None else Medium(), temperature,
                           n_grid=n_grid, n_transitions=8)
