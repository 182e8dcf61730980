r"""Luminescent solar concentrators (LSCs): a vectorised photon Monte Carlo.

A luminescent solar concentrator is a transparent slab (or a stack of slabs) doped
with emitters: sunlight absorbed by the dots is re-emitted isotropically and the
part emitted outside the escape cone is guided by total internal reflection to the
edges, where photovoltaic (PV) cells collect it (Weber & Lambe 1976; Debije &
Verbunt 2012).  Quantum dots with a large Stokes shift (giant-shell CdSe/CdS,
CuInS2/ZnS) keep the reabsorption losses small (Meinardi et al. 2014, 2015).

Model
-----
*Slabs.*  :class:`LSCSlab`: a box of L x W x T (cm) of a host of refractive index
:math:`n`, holding one :class:`Luminophore` (absorption coefficient
:math:`\alpha(\lambda)`, cm^-1, PL spectrum, quantum yield), a host absorption
:math:`\alpha_h` and an isotropic scattering coefficient :math:`\sigma_s` (cm^-1,
wavelength independent); each of its four edges is ``"pv"`` (an index-matched
absorber: every photon reaching it is collected), ``"mirror"`` (specular, reflectivity
:math:`R_m`) or ``"air"`` (Fresnel / total internal reflection into air).  A stack
(tandem) is a list of slabs of the same footprint, top first, separated by thin air
gaps (zero thickness: a photon keeps its x, y across a gap); an optional specular
back reflector sits below the last slab across an air gap.

*From the dots.*  :meth:`Luminophore.from_ensemble` takes a qdlab
:class:`~qdlab.optics.ensemble.Ensemble` and a particle concentration :math:`c`
(mol/L): :math:`\alpha(\lambda) = \ln(10)\,\varepsilon(\lambda)\,c` with the molar
extinction :math:`\varepsilon` (M^-1 cm^-1) of the ensemble, and its PL spectrum and
quantum yield.

*Photon histories* (:mod:`qdlab.devices._lsc_transport`).  Photons arrive at normal
incidence, uniformly over the top face, with a wavelength drawn from the illumination
spectrum.  At every face between a slab and air the unpolarised Fresnel reflectance
:math:`R(\theta)` decides reflection or transmission; beyond the critical angle
:math:`\sin\theta_c = 1/n` the photon is totally reflected.  In the bulk the free path
is exponential in the total extinction :math:`\mu = \alpha(\lambda) + \alpha_h +
\sigma_s`; the event is a QD absorption (re-emitted with probability QY, isotropically,
at a wavelength drawn from the PL spectrum: the reabsorption cascade), a host
absorption (lost) or a scattering (new isotropic direction).

*Outputs.*  :class:`LSCResult`: the optical efficiency
:math:`\eta_{opt} = N_{PV}/N_{in}` (photons) and its power analogue weighted by
:math:`hc/\lambda`, the concentration factor :math:`C = \eta_{opt} G` with the
geometric gain :math:`G = LW/A_{PV}`, the edge photons per absorbed photon, the edge
spectrum and the fate of every photon (they sum to 1 exactly), each fraction with its
Monte Carlo standard error :math:`\sqrt{p(1-p)/N}`.

Notes
-----
*Trapping efficiency* (the limit checked by the tests).  An isotropic emitter inside
a slab with both faces on air puts the fraction

.. math::

    2\int_0^{\theta_c}\tfrac12\sin\theta\,d\theta = 1 - \cos\theta_c

of its photons into the two escape cones (top and bottom), so the fraction guided
towards the edges is

.. math::

    \eta_{trap} = \cos\theta_c = \sqrt{1 - 1/n^2}

(0.745 at :math:`n = 1.5`; Weber & Lambe 1976).  Guided photons meet only totally
reflecting faces until an edge; photons inside a cone keep their angle at every
specular reflection, so they escape (after a few Fresnel reflections, a lateral walk
of a few T) unless they reach an edge first: a correction of order
:math:`\bar R\,T/L`, negligible for a thin wide slab.  With QY = 1, no host loss and
no reabsorption the edge photons per absorbed photon therefore equal
:math:`\eta_{trap}`.

*Limitations.*  Normal incidence only; no polarisation memory (each Fresnel event is
unpolarised); the PV edge is an ideal index-matched absorber (the PV quantum
efficiency is not applied); the re-emitted wavelength is independent of the
absorbed one (no excitation-wavelength dependence of the PL); air gaps of zero
thickness; scattering isotropic and grey.

References
----------
.. [1] J. S. Batchelder, A. H. Zewail, T. Cole, "Luminescent solar concentrators. 1:
   Theory of operation and techniques for performance evaluation", Appl. Opt. 18,
   3090 (1979).
.. [2] W. H. Weber and J. Lambe, "Luminescent greenhouse collector for solar
   radiation", Appl. Opt. 15, 2299 (1976).
.. [3] M. G. Debije and P. P. C. Verbunt, "Thirty years of luminescent solar
   concentrator research: solar energy for the built environment", Adv. Energy
   Mater. 2, 12 (2012).
.. [4] F. Meinardi, A. Colombo, K. A. Velizhanin, R. Simonutti, M. Lorenzon, L. Beverina,
   R. Viswanatha, V. I. Klimov, S. Brovelli, "Large-area luminescent solar
   concentrators based on 'Stokes-shift-engineered' nanocrystals in a
   mass-polymerized PMMA matrix", Nature Photon. 8, 392 (2014).
.. [5] F. Meinardi, H. McDaniel, F. Carulli, A. Colombo, K. A. Velizhanin,
   N. S. Makarov, R. Simonutti, V. I. Klimov, S. Brovelli, "Highly efficient
   large-area colourless luminescent solar concentrators using heavy-metal-free
   colloidal quantum dots", Nature Nanotech. 10, 878 (2015).
.. [6] F. Meinardi, S. Ehrenberg, L. Dhamo, F. Carulli, M. Mauri, F. Bruni,
   R. Simonutti, U. Kortshagen, S. Brovelli, "Highly efficient luminescent solar
   concentrators based on earth-abundant indirect-bandgap silicon quantum dots",
   Nature Photon. 11, 177 (2017).
.. [7] M. Born and E. Wolf, *Principles of Optics*, 7th ed. (1999), section 1.5
   (Fresnel equations).

Examples
--------
>>> lum = Luminophore.gaussian(absorption_peak_nm=450.0, absorption_per_cm=20.0,
...                            emission_peak_nm=650.0, fwhm_nm=40.0)
>>> slab = LSCSlab(10.0, 10.0, 0.3, 1.5, lum)
>>> res = simulate_lsc(slab, n_photons=20_000, excitation_nm=450.0, seed=1)
>>> 0.6 < res.edge_per_absorbed < 0.8
True
>>> round(sum(res.losses.values()) + res.optical_efficiency, 12)
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.devices._lsc_transport import (
    EDGE_AIR,
    EDGE_MIRROR,
    EDGE_PV,
    OUTCOMES,
    fresnel_unpolarised,
    transport,
)
from qdlab.devices.luminophore import Luminophore
from qdlab.errors import QdlabInputError, check_nonnegative, check_positive, check_range

__all__ = [
    "EDGE_KINDS",
    "LIMITS",
    "LSCResult",
    "LSCSlab",
    "Luminophore",
    "fresnel_unpolarised",
    "simulate_lsc",
    "trapping_efficiency",
]

#: Edge kinds of a slab.
EDGE_KINDS = {"pv": EDGE_PV, "mirror": EDGE_MIRROR, "air": EDGE_AIR}

#: Bounds of the inputs (physical ranges and the memory budget).
LIMITS = {
    "refractive_index": (1.0, 4.0),          # air .. silicon-like hosts
    "dimension_cm": (1e-4, 1e4),             # 1 um .. 100 m
    "coefficient_per_cm": (0.0, 1e6),        # absorption / scattering
    "max_photons": 50_000_000,               # traced in chunks: memory is set by the chunk
    "chunk_photons": 131_072,                # photons traced at once (~15 MB: fits the
                                             # caches better than 10^6; 1.4x faster)
    "max_events": 1_000_000,
}


def trapping_efficiency(refractive_index):
    r"""Fraction of isotropic emission guided by total internal reflection.

    Parameters
    ----------
    refractive_index : float or array_like
        Refractive index of the slab, > 1 (air on both faces).

    Returns
    -------
    float or ndarray
        :math:`\eta_{trap} = \sqrt{1 - 1/n^2}`.

    Notes
    -----
    The two escape cones of half-angle :math:`\theta_c = \arcsin(1/n)` hold the
    fraction :math:`1 - \cos\theta_c` of the isotropic emission (see the module notes).

    References
    ----------
    .. [1] W. H. Weber and J. Lambe, Appl. Opt. 15, 2299 (1976).

    Examples
    --------
    >>> round(float(trapping_efficiency(1.5)), 3)
    0.745
    """
    n = np.asarray(check_range(refractive_index, "refractive_index", 1.0, math.inf), float)
    out = np.sqrt(1.0 - 1.0 / n**2)
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class LSCSlab:
    """One slab of an LSC (cm; see the module notes).

    Parameters
    ----------
    length_cm, width_cm, thickness_cm : float
        Footprint L x W and thickness T, cm.
    refractive_index : float
        Host index n (1-4).
    luminophore : Luminophore
        The dots in the host.
    host_absorption_per_cm : float
        Grey host absorption, cm^-1 (>= 0).
    scattering_per_cm : float
        Grey isotropic scattering, cm^-1 (>= 0).
    edges : tuple of 4 str
        Kinds of the edges x=0, x=L, y=0, y=W: ``"pv"``, ``"mirror"`` or ``"air"``.
    """

    length_cm: float
    width_cm: float
    thickness_cm: float
    refractive_index: float
    luminophore: Luminophore
    host_absorption_per_cm: float = 0.0
    scattering_per_cm: float = 0.0
    edges: tuple = ("pv", "pv", "pv", "pv")

    def __post_init__(self):
        for name in ("length_cm", "width_cm", "thickness_cm"):
            check_range(getattr(self, name), name, *LIMITS["dimension_cm"], "cm")
        check_range(self.refractive_index, "refractive_index", *LIMITS["refractive_index"])
        check_range(self.host_absorption_per_cm, "host_absorption_per_cm",
                    *LIMITS["coefficient_per_cm"], "cm^-1")
        check_range(self.scattering_per_cm, "scattering_per_cm",
                    *LIMITS["coefficient_per_cm"], "cm^-1")
        if not isinstance(self.luminophore, Luminophore):
            raise QdlabInputError("luminophore must be a Luminophore")
        edges = tuple(self.edges)
        if len(edges) != 4 or any(e not in EDGE_KINDS for e in edges):
            raise QdlabInputError(f"edges must be 4 of {', '.join(EDGE_KINDS)} (x=0, x=L, y=0, "
                                  f"y=W), got {self.edges!r}")
        object.__setattr__(self, "edges", edges)

    @property
    def pv_area_cm2(self) -> float:
        """Area of the PV edges, cm^2."""
        side = (self.width_cm, self.width_cm, self.length_cm, self.length_cm)
        return float(sum(s * self.thickness_cm for s, e in zip(side, self.edges, strict=True)
                         if e == "pv"))


@dataclass(frozen=True)
class LSCResult:
    """Outcome of :func:`simulate_lsc` (fractions of the incident photons).

    Attributes
    ----------
    n_photons : int
        Incident photon histories.
    optical_efficiency, optical_efficiency_se : float
        Photons out of the PV edges per incident photon, and its MC standard error.
    power_efficiency, power_efficiency_se : float
        The same weighted by photon energy :math:`hc/\\lambda`.
    geometric_gain : float
        G = top area / PV edge area (inf without PV edges).
    concentration_factor, concentration_factor_se : float
        :math:`\\eta_{opt} G`.
    absorbed_fraction, absorbed_fraction_se : float
        Incident photons absorbed by the dots at least once.
    edge_per_absorbed, edge_per_absorbed_se : float
        PV-edge photons (absorbed at least once) per absorbed photon.
    absorptions_per_absorbed : float
        Mean number of QD absorption events of an absorbed photon (1 + reabsorptions).
    losses, losses_se : dict
        Fraction of incident photons per loss channel (with ``optical_efficiency`` they
        sum to 1) and their standard errors.
    per_slab_efficiency : tuple of float
        Optical efficiency of the PV edges of each slab.
    per_edge_efficiency : tuple of 4 float
        Photons out of each PV edge (x=0, x=L, y=0, y=W; all slabs) per incident photon
        (0 for edges that are not PV).
    edge_wavelength_nm, edge_spectrum : ndarray
        Grid (nm) and PV-edge photons per incident photon per nm.
    """

    n_photons: int
    optical_efficiency: float
    optical_efficiency_se: float
    power_efficiency: float
    power_efficiency_se: float
    geometric_gain: float
    concentration_factor: float
    concentration_factor_se: float
    absorbed_fraction: float
    absorbed_fraction_se: float
    edge_per_absorbed: float
    edge_per_absorbed_se: float
    absorptions_per_absorbed: float
    losses: dict
    losses_se: dict
    per_slab_efficiency: tuple
    per_edge_efficiency: tuple
    edge_wavelength_nm: np.ndarray = field(repr=False)
    edge_spectrum: np.ndarray = field(repr=False)
    seed: int | None = None

    def to_dict(self, spectrum: bool = True) -> dict:
        """Plain dict (lists for arrays; the edge spectrum only if ``spectrum``)."""
        out = {k: getattr(self, k) for k in (
            "n_photons", "optical_efficiency", "optical_efficiency_se", "power_efficiency",
            "power_efficiency_se", "geometric_gain", "concentration_factor",
            "concentration_factor_se", "absorbed_fraction", "absorbed_fraction_se",
            "edge_per_absorbed", "edge_per_absorbed_se", "absorptions_per_absorbed", "seed")}
        out["losses"] = dict(self.losses)
        out["losses_se"] = dict(self.losses_se)
        out["per_slab_efficiency"] = list(self.per_slab_efficiency)
        out["per_edge_efficiency"] = list(self.per_edge_efficiency)
        if spectrum:
            out["edge_spectrum"] = {"wavelength_nm": self.edge_wavelength_nm.tolist(),
                                    "photons_per_incident_per_nm": self.edge_spectrum.tolist()}
        return out


#: Loss channels reported (the outcome codes other than ``pv_edge``).
LOSS_NAMES = tuple(o for o in OUTCOMES if o not in ("active", "pv_edge"))


def _se(p: float, n: int) -> float:
    return math.sqrt(max(p * (1.0 - p), 0.0) / n) if n > 0 else math.nan


def simulate_lsc(slabs, *, n_photons: int = 100_000, excitation_nm=None,
                 illumination: tuple | None = None, back_reflector: bool = False,
                 mirror_reflectivity: float = 1.0, seed: int | None = None,
                 max_events: int = 10_000, spot_cm: tuple | None = None) -> LSCResult:
    r"""Monte Carlo of photon histories in an LSC slab or stack.

    Parameters
    ----------
    slabs : LSCSlab or sequence of LSCSlab
        One slab, or a stack top first (same footprint, air gaps between).  All
        luminophores must share one wavelength grid.
    n_photons : int
        Incident photons (1 to ``LIMITS["max_photons"]``).
    excitation_nm : float, optional
        Monochromatic illumination, nm.
    illumination : (wavelength_nm, photon_flux), optional
        Or a spectrum: photons are drawn with probability proportional to
        ``photon_flux`` (photons per nm, any scale) interpolated on the grid.
    back_reflector : bool
        A specular mirror below the last slab, across an air gap.
    mirror_reflectivity : float
        Reflectivity (0-1) of the mirror edges and of the back reflector.
    seed : int, optional
        Seed of :func:`numpy.random.default_rng` (reproducible results).
    max_events : int
        Steps after which a photon still inside is counted as ``trapped`` (only
        reachable with mirror edges and no losses).
    spot_cm : (float, float), optional
        Illuminate one point (x, y) of the top face (cm, inside the footprint) instead of
        the whole face: the edge output against the distance of the spot from an edge.

    Returns
    -------
    LSCResult

    Notes
    -----
    See the module notes for the physics.  Standard errors: a fraction :math:`p` of
    :math:`N` independent histories has :math:`\sqrt{p(1-p)/N}`;
    ``edge_per_absorbed`` uses the number of absorbed photons as :math:`N`; the power
    efficiency uses the sample standard deviation of the energy carried out per
    history.
    """
    slabs = [slabs] if isinstance(slabs, LSCSlab) else list(slabs)
    if not slabs or not all(isinstance(s, LSCSlab) for s in slabs):
        raise QdlabInputError("slabs must be an LSCSlab or a non-empty sequence of LSCSlab")
    s0 = slabs[0]
    for s in slabs[1:]:
        if (s.length_cm, s.width_cm) != (s0.length_cm, s0.width_cm):
            raise QdlabInputError("the slabs of a stack must have the same footprint L x W, "
                                  f"got {s.length_cm:g} x {s.width_cm:g} cm against "
                                  f"{s0.length_cm:g} x {s0.width_cm:g} cm")
        if not np.array_equal(s.luminophore.wavelength_nm, s0.luminophore.wavelength_nm):
            raise QdlabInputError("the luminophores of a stack must share one wavelength grid")
    if isinstance(n_photons, bool) or int(n_photons) != n_photons:
        raise QdlabInputError(f"n_photons must be an integer, got {n_photons!r}")
    n_photons = int(check_range(n_photons, "n_photons", 1, LIMITS["max_photons"]))
    max_events = int(check_range(max_events, "max_events", 1, LIMITS["max_events"]))
    check_range(mirror_reflectivity, "mirror_reflectivity", 0.0, 1.0)
    if spot_cm is not None:
        if len(tuple(spot_cm)) != 2:
            raise QdlabInputError(f"spot_cm must be (x, y) in cm, got {spot_cm!r}")
        check_range(spot_cm[0], "spot_cm x", 0.0, s0.length_cm, "cm")
        check_range(spot_cm[1], "spot_cm y", 0.0, s0.width_cm, "cm")
        spot_cm = (float(spot_cm[0]), float(spot_cm[1]))
    lum0 = s0.luminophore
    lam = lum0.wavelength_nm
    if (excitation_nm is None) == (illumination is None):
        raise QdlabInputError("give exactly one of excitation_nm (nm) or illumination "
                              "(wavelength_nm, photon_flux)")
    if excitation_nm is not None:
        check_positive(excitation_nm, "excitation_nm", "nm")
        p_in = None
        bin_in = int(lum0.bin_of(float(excitation_nm)))
    else:
        wl, flux = (np.asarray(v, dtype=float) for v in illumination)
        check_nonnegative(flux, "illumination photon_flux")
        p_in = np.interp(lam, wl, flux, left=0.0, right=0.0)
        if not p_in.sum() > 0:
            raise QdlabInputError("the illumination has no photons on the luminophore grid "
                                  f"{lam[0]:g}-{lam[-1]:g} nm")
        p_in = p_in / p_in.sum()
    rng = np.random.default_rng(seed)
    spec = [{"L": s.length_cm, "W": s.width_cm, "T": s.thickness_cm, "n": s.refractive_index,
             "alpha": np.asarray(s.luminophore.absorption_per_cm),
             "host": s.host_absorption_per_cm, "scat": s.scattering_per_cm,
             "qy": s.luminophore.quantum_yield, "cdf": s.luminophore.emission_cdf,
             "edges": [EDGE_KINDS[e] for e in s.edges]} for s in slabs]
    nb = lam.size
    counts = np.zeros(len(OUTCOMES), dtype=np.int64)
    edge_hist = np.zeros(nb, dtype=np.int64)
    slab_counts = np.zeros(len(slabs), dtype=np.int64)
    face_counts = np.zeros(4, dtype=np.int64)
    n_absorbed = n_edge_absorbed = n_abs_events = 0
    e_in = e_out = e_out2 = 0.0
    energy = HC_EV_NM / lam
    chunk = LIMITS["chunk_photons"]
    done = 0
    while done < n_photons:
        m = min(chunk, n_photons - done)
        li = (np.full(m, bin_in, dtype=np.int32) if p_in is None
              else rng.choice(nb, size=m, p=p_in).astype(np.int32))
        e_in += float(energy[li].sum())
        res = transport(slabs=spec, n_photons=m, wavelength_index=li, rng=rng,
                        back_reflector=bool(back_reflector),
                        mirror_reflectivity=float(mirror_reflectivity), max_events=max_events,
                        spot=spot_cm)
        oc = res["outcome"]
        counts += np.bincount(oc, minlength=len(OUTCOMES))
        pv = oc == OUTCOMES.index("pv_edge")
        edge_hist += np.bincount(res["final_index"][pv], minlength=nb)
        slab_counts += np.bincount(res["edge_slab"][pv], minlength=len(slabs))
        face_counts += np.bincount(res["edge_face"][pv], minlength=4)
        n_absorbed += int(res["absorbed"].sum())
        n_edge_absorbed += int((pv & res["absorbed"]).sum())
        n_abs_events += int(res["absorptions"])
        eo = energy[res["final_index"][pv]]
        e_out += float(eo.sum())
        e_out2 += float((eo * eo).sum())
        done += m
    if counts[0] != 0 or counts.sum() != n_photons:   # every history ends in one outcome
        raise RuntimeError("LSC Monte Carlo lost track of photons (a bug)")
    N = n_photons
    frac = counts / N
    eta = float(frac[OUTCOMES.index("pv_edge")])
    pv_area = sum(s.pv_area_cm2 for s in slabs)
    gain = s0.length_cm * s0.width_cm / pv_area if pv_area > 0 else math.inf
    mean_e_in = e_in / N
    pe = e_out / e_in
    var_x = max(e_out2 / N - (e_out / N) ** 2, 0.0) / mean_e_in**2   # per-history energy out
    pe_se = math.sqrt(var_x / N)
    eta_se = _se(eta, N)
    h = lam[1] - lam[0]
    losses = {name: float(frac[OUTCOMES.index(name)]) for name in LOSS_NAMES}
    epa = n_edge_absorbed / n_absorbed if n_absorbed else math.nan
    return LSCResult(
        n_photons=N, optical_efficiency=eta, optical_efficiency_se=eta_se,
        power_efficiency=float(pe), power_efficiency_se=float(pe_se),
        geometric_gain=float(gain),
        concentration_factor=float(eta * gain) if pv_area > 0 else 0.0,
        concentration_factor_se=float(eta_se * gain) if pv_area > 0 else 0.0,
        absorbed_fraction=n_absorbed / N, absorbed_fraction_se=_se(n_absorbed / N, N),
        edge_per_absorbed=float(epa), edge_per_absorbed_se=_se(epa, n_absorbed),
        absorptions_per_absorbed=(n_abs_events / n_absorbed if n_absorbed else math.nan),
        losses=losses, losses_se={k: _se(v, N) for k, v in losses.items()},
        per_slab_efficiency=tuple(float(c / N) for c in slab_counts),
        per_edge_efficiency=tuple(float(c / N) for c in face_counts),
        edge_wavelength_nm=lam.copy(), edge_spectrum=edge_hist / (N * h), seed=seed)
