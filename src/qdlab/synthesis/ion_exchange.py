"""Halide anion exchange in CsPbX3 perovskite nanocrystals: composition and emission vs time.

CsPbBr3 nanocrystals exchange their halide with halide ions in solution within
seconds to minutes at room temperature, keeping shape and size, so their
emission can be tuned over the whole visible range (Nedelcu et al. 2015;
Akkerman et al. 2015).  This module gives a simple, documented kinetic model:

1. Composition: x(t), the fraction of lattice halide sites occupied by the
   incoming halide (I or Cl), relaxes first order toward an equilibrium value
   x_eq set by the halide ratio in solution:
   dx/dt = k(T) (x_eq - x), k(T) = A exp(-E_a / k_B T), so at constant T
   x(t) = x_eq + (x_0 - x_eq) exp(-k t).
   With equal affinity of the lattice for both halides (partition constant
   K = 1, the default) the equilibrium is the statistical share of the
   incoming halide in the whole halide pool (lattice + solution):
   x_eq = r / (1 + r), r = n_X(solution) / n_Br(lattice) (mol/mol); see
   :func:`equilibrium_fraction` for K != 1.
2. Band gap: :func:`qdlab.materials.alloy` of the end members with the
   bowing stored in ``alloys.toml`` (or ``bowing_eV``):
   E_g(x) = (1-x) E_g(CsPbBr3) + x E_g(CsPbX3) - b x (1-x).
3. Emission: the first exciton of a sphere of the alloy with the volume of the
   cube (d = edge (6/pi)^(1/3)), from the exact radial solver
   (:func:`qdlab.electronic.first_exciton_batch`), i.e. the bulk gap plus the
   (small, for 8-12 nm cubes) confinement, minus the exciton binding; the Stokes
   shift (tens of meV) is neglected.

The rate constants are ESTIMATES: the defaults (E_a = 0.5 eV, A chosen so that
1/k ~ 10 s at 298 K) reproduce the "seconds" time scale reported for exchange
with oleylammonium / PbX2 halide sources (Nedelcu et al. 2015), not a fit.
Miscibility gaps, halide segregation under light and size changes are not
modelled.

References
----------
.. [1] G. Nedelcu, L. Protesescu, S. Yakunin, M. I. Bodnarchuk, M. J. Grotevent,
   M. V. Kovalenko, "Fast anion-exchange in highly luminescent nanocrystals of
   cesium lead halide perovskites (CsPbX3, X = Cl, Br, I)", Nano Lett. 15,
   5635-5640 (2015), doi:10.1021/acs.nanolett.5b02404.
.. [2] Q. A. Akkerman, V. D'Innocenzo, S. Accornero, A. Scarpellini, A. Petrozza,
   M. Prato, L. Manna, "Tuning the optical properties of cesium lead halide
   perovskite nanocrystals by anion exchange reactions", J. Am. Chem. Soc. 137,
   10276-10281 (2015), doi:10.1021/jacs.5b05602.
.. [3] L. Protesescu et al., Nano Lett. 15, 3692 (2015) (CsPbX3 nanocubes, 4-15 nm).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qdlab.constants import HC_EV_NM, KB_EV
from qdlab.errors import QdlabInputError, check_positive, check_range

__all__ = [
    "DEFAULT_EXCHANGE_ACTIVATION_EV",
    "DEFAULT_EXCHANGE_PREFACTOR_PER_S",
    "ExchangeResult",
    "equilibrium_fraction",
    "exchange_composition",
    "exchange_rate_per_s",
    "halide_exchange",
]

_TARGETS = {"I": "CsPbI3", "Cl": "CsPbCl3"}
_HOST = "CsPbBr3"

#: Activation energy of the exchange, eV (ESTIMATE, see module docstring).
DEFAULT_EXCHANGE_ACTIVATION_EV = 0.5
#: Arrhenius prefactor, 1/s (ESTIMATE: k(298.15 K) = 0.1 1/s with E_a = 0.5 eV).
DEFAULT_EXCHANGE_PREFACTOR_PER_S = 0.1 * math.exp(0.5 / (KB_EV * 298.15))


def exchange_rate_per_s(temperature_K, prefactor_per_s: float = DEFAULT_EXCHANGE_PREFACTOR_PER_S,
                        activation_energy_eV: float = DEFAULT_EXCHANGE_ACTIVATION_EV):
    """Arrhenius rate constant of the halide exchange, 1/s.

    Parameters
    ----------
    temperature_K : float or array_like
        Temperature, K (> 0).
    prefactor_per_s : float
        Prefactor A, 1/s.
    activation_energy_eV : float
        Activation energy E_a, eV (>= 0).

    Returns
    -------
    float or ndarray
        k = A exp(-E_a / (k_B T)) in 1/s.

    See Also
    --------
    exchange_composition, halide_exchange

    References
    ----------
    .. [1] S. Arrhenius, Z. Phys. Chem. 4, 226 (1889).
    .. [2] G. Nedelcu et al., Nano Lett. 15, 5635 (2015). Bibliography ``nedelcu2015``.

    Examples
    --------
    >>> round(float(exchange_rate_per_s(298.15)), 6)
    0.1
    >>> bool(exchange_rate_per_s(320.0) > exchange_rate_per_s(298.15))
    True
    """
    check_positive(temperature_K, "temperature_K", "K")
    check_positive(prefactor_per_s, "prefactor_per_s", "1/s")
    check_range(activation_energy_eV, "activation_energy_eV", 0.0, 5.0)
    return prefactor_per_s * np.exp(-activation_energy_eV / (KB_EV * np.asarray(temperature_K)))


def equilibrium_fraction(halide_ratio, partition_constant: float = 1.0):
    """Equilibrium fraction x_eq of lattice halide sites taken by the incoming halide.

    Parameters
    ----------
    halide_ratio : float or array_like
        r = mol incoming halide in solution / mol Br in the nanocrystals (>= 0).
    partition_constant : float
        K, preference of the lattice for the incoming halide over Br (1 = none).

    Returns
    -------
    float or ndarray
        x_eq in [0, 1) (r / (1 + r) for K = 1).

    See Also
    --------
    exchange_composition, halide_exchange

    Notes
    -----
    Exchange equilibrium Br(lattice) + X(solution) = X(lattice) + Br(solution)
    with mass balance (lattice halide n_L, solution X n_X = r n_L; the Br
    released stays in solution):
    K = [x / (1 - x)] / [(r - x) / x], i.e. (K - 1) x^2 - K (1 + r) x + K r = 0,
    solved for the root in [0, min(1, r)]. For K = 1 this is the statistical
    share of X in all the halide, x_eq = r / (1 + r).

    References
    ----------
    .. [1] G. Nedelcu et al., Nano Lett. 15, 5635 (2015). Bibliography ``nedelcu2015``.
    .. [2] Q. A. Akkerman et al., J. Am. Chem. Soc. 137, 10276 (2015).
       Bibliography ``akkerman2015``.

    Examples
    --------
    >>> equilibrium_fraction(1.0)
    0.5
    >>> round(float(equilibrium_fraction(9.0)), 3)
    0.9
    >>> bool(equilibrium_fraction(1.0, partition_constant=4.0) > 0.5)
    True
    """
    r = np.asarray(halide_ratio, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(r < 0):
        raise QdlabInputError(f"halide_ratio must be >= 0 (mol X / mol Br), got {halide_ratio!r}")
    check_positive(partition_constant, "partition_constant", "(dimensionless)")
    k = float(partition_constant)
    if abs(k - 1.0) < 1e-12:
        x = r / (1.0 + r)
    else:
        b = k * (1.0 + r)
        # numerically stable smaller root of (k-1) x^2 - b x + k r = 0
        x = 2.0 * k * r / (b + np.sqrt(b * b - 4.0 * (k - 1.0) * k * r))
    return float(x) if x.ndim == 0 else x


def exchange_composition(time_s, *, x_eq: float, rate_per_s: float, x0: float = 0.0):
    """Composition x(t) of first-order exchange toward x_eq (constant temperature).

    Parameters
    ----------
    time_s : array_like
        Times, s (>= 0).
    x_eq : float
        Equilibrium fraction, in [0, 1].
    rate_per_s : float
        First-order rate constant k, 1/s.
    x0 : float
        Fraction at t = 0, in [0, 1].

    Returns
    -------
    ndarray
        x(t) = x_eq + (x0 - x_eq) exp(-k t).

    See Also
    --------
    exchange_rate_per_s, equilibrium_fraction, halide_exchange

    References
    ----------
    .. [1] G. Nedelcu et al., Nano Lett. 15, 5635 (2015). Bibliography ``nedelcu2015``.
    .. [2] Q. A. Akkerman et al., J. Am. Chem. Soc. 137, 10276 (2015).
       Bibliography ``akkerman2015``.

    Examples
    --------
    >>> x = exchange_composition([0.0, 10.0, 1e4], x_eq=0.8, rate_per_s=0.1)
    >>> [round(float(v), 4) for v in x]
    [0.0, 0.5057, 0.8]
    """
    t = np.asarray(time_s, dtype=float)
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise QdlabInputError(f"time_s must be >= 0 s, got {time_s!r}")
    check_range(x_eq, "x_eq", 0.0, 1.0)
    check_range(x0, "x0", 0.0, 1.0)
    check_positive(rate_per_s, "rate_per_s", "1/s")
    return x_eq + (x0 - x_eq) * np.exp(-rate_per_s * t)


@dataclass(frozen=True)
class ExchangeResult:
    """Composition, band gap and emission of exchanging CsPbBr3 nanocrystals over time.

    Attributes (units in names): ``time_s``, ``x`` (fraction of incoming halide),
    ``band_gap_eV`` (bulk alloy gap at the temperature), ``emission_eV``,
    ``emission_nm``; ``target`` ("I" or "Cl"), ``x_eq``, ``rate_per_s``,
    ``edge_nm`` (cube edge), ``temperature_K``.
    """

    time_s: np.ndarray
    x: np.ndarray
    band_gap_eV: np.ndarray
    emission_eV: np.ndarray
    emission_nm: np.ndarray
    target: str
    x_eq: float
    rate_per_s: float
    edge_nm: float
    temperature_K: float


def _emission_eV(target_material, x, edge_nm, temperature_K, bowing_eV):
    from qdlab.electronic import first_exciton_batch
    from qdlab.materials import alloy

    r_nm = 0.5 * edge_nm * (6.0 / math.pi) ** (1.0 / 3.0)  # sphere of the cube's volume
    xs = np.asarray(x, dtype=float)
    uniq, inv = np.unique(np.round(xs, 6), return_inverse=True)
    gap = np.empty(uniq.shape)
    em = np.empty(uniq.shape)
    for i, xv in enumerate(uniq):
        mat = alloy(_HOST, target_material, float(min(max(xv, 0.0), 1.0)), bowing_eV=bowing_eV)
        gap[i] = mat.band_gap(temperature_K)
        em[i] = first_exciton_batch([mat], np.array([[r_nm]]),
                                    temperature=temperature_K)["first_exciton_eV"][0]
    return gap[inv].reshape(xs.shape), em[inv].reshape(xs.shape)


def halide_exchange(time_s, target: str = "I", *, halide_ratio: float = 10.0,
                    partition_constant: float = 1.0, temperature_K: float = 298.15,
                    prefactor_per_s: float = DEFAULT_EXCHANGE_PREFACTOR_PER_S,
                    activation_energy_eV: float = DEFAULT_EXCHANGE_ACTIVATION_EV,
                    edge_nm: float = 10.0, x0: float = 0.0,
                    bowing_eV: float | None = None) -> ExchangeResult:
    """Anion exchange CsPbBr3 -> CsPb(Br1-xXx)3 (X = I or Cl): x(t) and emission(t).

    Parameters
    ----------
    time_s : array_like
        Times after adding the halide source, s (>= 0).
    target : {"I", "Cl"}
        Incoming halide.
    halide_ratio : float
        mol X in solution / mol Br in the nanocrystals (sets x_eq).
    partition_constant : float
        Lattice preference K for X over Br (1 = none).
    temperature_K : float
        Temperature, K.
    prefactor_per_s, activation_energy_eV : float
        Arrhenius parameters of the exchange rate (defaults: estimates).
    edge_nm : float
        Cube edge length, nm (Protesescu et al.: 4-15 nm).
    x0 : float
        Initial fraction of X.
    bowing_eV : float, optional
        Band-gap bowing, eV (default: ``alloys.toml``).

    Returns
    -------
    ExchangeResult

    Notes
    -----
    x(t) = x_eq + (x0 - x_eq) exp(-k t), k = A exp(-E_a/k_B T),
    x_eq from :func:`equilibrium_fraction`; E_g(x) = (1-x) E_g^Br + x E_g^X - b x (1-x);
    emission = first exciton of an alloy sphere with the cube's volume
    (exact radial solver, Stokes shift neglected).

    References
    ----------
    Nedelcu et al., Nano Lett. 15, 5635 (2015); Akkerman et al., J. Am. Chem.
    Soc. 137, 10276 (2015). Bibliography ``nedelcu2015``, ``akkerman2015``.

    Examples
    --------
    >>> res = halide_exchange([0.0, 5.0, 60.0], "I", halide_ratio=20.0)
    >>> bool(res.emission_nm[0] < res.emission_nm[1] < res.emission_nm[2])   # red shift
    True
    >>> res = halide_exchange([0.0, 60.0], "Cl")
    >>> bool(res.emission_nm[1] < res.emission_nm[0])                          # blue shift
    True
    """
    if target not in _TARGETS:
        from qdlab.errors import unknown_name_error

        raise unknown_name_error("target halide", target, _TARGETS)
    check_positive(edge_nm, "edge_nm", "nm")
    if edge_nm < 4.0:
        from qdlab.errors import warn_validity

        warn_validity(f"edge_nm = {edge_nm:g} nm is below the 4-15 nm range of CsPbX3 "
                      "nanocubes (Protesescu et al. 2015)")
    t = np.atleast_1d(np.asarray(time_s, dtype=float))
    k = float(exchange_rate_per_s(temperature_K, prefactor_per_s, activation_energy_eV))
    xe = float(equilibrium_fraction(halide_ratio, partition_constant))
    x = exchange_composition(t, x_eq=xe, rate_per_s=k, x0=x0)
    gap, em = _emission_eV(_TARGETS[target], x, edge_nm, temperature_K, bowing_eV)
    return ExchangeResult(time_s=t, x=x, band_gap_eV=gap, emission_eV=em,
                          emission_nm=HC_EV_NM / em, target=target, x_eq=xe, rate_per_s=k,
                          edge_nm=float(edge_nm), temperature_K=float(temperature_K))
