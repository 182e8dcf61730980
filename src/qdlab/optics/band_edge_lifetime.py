r"""Radiative lifetime of the band-edge exciton: one model per core, one number per structure.

:func:`radiative_lifetime` is the lifetime of ``qdlab spectrum --json``; it chooses the
band-edge model with :func:`radiative_lifetime_model`:

* ``kp-thermal``: the thermally averaged Luttinger-Kane k.p band edge
  (:func:`qdlab.electronic.kp.lifetimes.structure_radiative_lifetime_ns`) for II-VI and
  III-V cores with Luttinger parameters, a measured Kane energy and a gap of at least
  :data:`~qdlab.electronic.kp.lifetimes.KP_LIFETIME_MIN_GAP_EV`;
* ``kp``: the lead-salt, perovskite and CuCl k.p optics;
* ``single-band``: the lowest single-band transition with eight equally populated states,
  :math:`1/\tau = n|f_{LF}|^2 e^2E^2 f_{em}/(6\pi\varepsilon_0 m_0c^3\hbar^2)`,
  :math:`f_{em} = 3f/g` (:func:`qdlab.optics.transitions.radiative_rate`).

:func:`multiexciton_radiative_lifetime_ns` hands the same number to the multiexciton
model for the single-band cores, so that every surface gives one lifetime per structure.

References
----------
.. [1] Al. L. Efros, M. Rosen, M. Kuno, M. Nirmal, D. J. Norris, M. Bawendi,
   Phys. Rev. B 54, 4843 (1996).
.. [2] R. Leistikow, J. Johansen, A. J. Kettelarij, P. Lodahl, W. L. Vos, Phys. Rev. B
   79, 045301 (2009).
.. [3] Al. L. Efros and M. Rosen, Phys. Rev. B 58, 7120 (1998).
"""

from __future__ import annotations

import math

from qdlab.errors import QdlabInputError, check_positive
from qdlab.optics.transitions import radiative_rate, transitions
from qdlab.structures import SphericalStructure
from qdlab.structures.spheres import resolve_materials

__all__ = ["multiexciton_radiative_lifetime_ns", "radiative_lifetime",
           "radiative_lifetime_model"]


def radiative_lifetime_model(structure: SphericalStructure) -> str:
    """Name of the band-edge model :func:`radiative_lifetime` uses for ``structure``.

    ``"kp-thermal"``: the Luttinger-Kane k.p band edge with the thermal average over
    the fine structure and the band-edge manifold
    (:func:`qdlab.electronic.kp.lifetimes.structure_radiative_lifetime_ns`; II-VI and
    III-V cores with Luttinger parameters, a measured Kane energy and a gap of at least
    :data:`~qdlab.electronic.kp.lifetimes.KP_LIFETIME_MIN_GAP_EV`).  ``"kp"``: the
    lead-salt, perovskite or CuCl k.p optics (:mod:`qdlab.electronic.kp.optics`).
    ``"single-band"``: the single-band lowest transition with eight equally populated
    states (every other direct-gap core: an upper bound of the rate).

    References
    ----------
    .. [1] Al. L. Efros et al., Phys. Rev. B 54, 4843 (1996). Bibliography ``efros1996``.
    .. [2] Al. L. Efros and M. Rosen, Phys. Rev. B 58, 7120 (1998). Bibliography
       ``efros1998``.

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> [radiative_lifetime_model(Sphere(m, 4.0)) for m in ("CdSe", "PbS", "ZnS")]
    ['kp-thermal', 'kp', 'single-band']
    """
    from qdlab.electronic.kp.lifetimes import luttinger_kp_applies
    from qdlab.electronic.kp.optics import uses_kp

    mats = resolve_materials(structure.materials)
    if luttinger_kp_applies(mats[0]):
        return "kp-thermal"
    return "kp" if uses_kp(mats) else "single-band"


def multiexciton_radiative_lifetime_ns(structure: SphericalStructure) -> float | None:
    """The ``exciton_radiative_lifetime_ns`` to pass to the multiexciton model, or None.

    :func:`radiative_lifetime` in ns for the cores whose band edge is the single band's
    (CdS, ZnS, ZnO, and InAs and InSb below
    :data:`~qdlab.electronic.kp.lifetimes.KP_LIFETIME_MIN_GAP_EV`), so that ``qdlab
    levels --multiexcitons``, the photon simulator, the gain model and ``qdlab spectrum``
    give one radiative lifetime per structure.  None otherwise: for ``kp-thermal`` cores
    the multiexciton model computes the same lifetime itself (with its fine-structure
    flag), and lead-salt, perovskite and CuCl cores stay refused by it (their multiexciton
    degeneracies are not those of its S-like / J = 3/2 band edge).

    References
    ----------
    .. [1] Al. L. Efros et al., Phys. Rev. B 54, 4843 (1996). Bibliography ``efros1996``.
    .. [2] P. Yu et al., J. Phys. Chem. B 109, 7084 (2005). Bibliography ``yu2005inas``.

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> multiexciton_radiative_lifetime_ns(Sphere("CdSe", 4.0)) is None
    True
    >>> round(multiexciton_radiative_lifetime_ns(Sphere("InAs", 5.0)), 1)
    29.8
    """
    if radiative_lifetime_model(structure) != "single-band":
        return None
    return 1e9 * radiative_lifetime(structure)


def radiative_lifetime(structure: SphericalStructure, *, n_medium: float | None = None,
                       eps_dot: float | None = None, model: str = "auto", **kwargs) -> float:
    r"""Room-temperature radiative lifetime of the band-edge exciton, in s.

    Parameters
    ----------
    structure : SphericalStructure
        The nanocrystal (its medium sets the default refractive index, its
        temperature the thermal populations).
    n_medium : float, optional
        Refractive index of the medium; default ``sqrt(medium.dielectric_constant)``.
    eps_dot : float, optional
        Optical permittivity of the dot; default the core material's ``eps_inf``.
    model : {"auto", "single-band"}
        ``"auto"`` (default): the model of :func:`radiative_lifetime_model`, the same
        lifetime as ``qdlab levels --multiexcitons`` for the Luttinger-Kane cores.
        ``"single-band"``: the single-band equal-population estimate below (not for
        lead-salt, perovskite or CuCl cores).
    **kwargs
        Options of :func:`transitions_batch` (single-band model only; refused otherwise).

    Returns
    -------
    float
        Radiative lifetime :math:`\tau` in s.

    Notes
    -----
    ``kp-thermal``: :func:`qdlab.electronic.kp.lifetimes.kp_radiative_lifetime`
    (Boltzmann average over the Efros fine structure and the higher pair levels).
    Single band and ``kp``:
    :math:`1/\tau = n|f_{LF}|^2 e^2E^2 f_{em}/(6\pi\varepsilon_0 m_0c^3\hbar^2)` with
    :math:`f_{em} = 3f/g` for the lowest transition (``g = 8`` equally populated
    states, high-temperature limit; a lower bound of :math:`\tau`: measured CdSe
    values are ~20 ns, the single band gives 6-7 ns and ``kp-thermal`` 10-17 ns for
    2.5-7 nm, see ``qdlab validate``).

    References
    ----------
    R. Leistikow et al., Phys. Rev. B 79, 045301 (2009); Al. L. Efros and M. Rosen,
    Annu. Rev. Mater. Sci. 30, 475 (2000); Al. L. Efros et al., Phys. Rev. B 54, 4843
    (1996). Bibliography ``leistikow2009``, ``efros2000``, ``efros1996``.

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> round(radiative_lifetime(Sphere("CdSe", 4.0)) * 1e9, 1)
    10.7
    >>> round(radiative_lifetime(Sphere("CdSe", 4.0), model="single-band") * 1e9, 1)
    6.7
    """
    if model not in ("auto", "single-band"):
        raise QdlabInputError(f"model must be 'auto' or 'single-band', got {model!r}")
    kind = radiative_lifetime_model(structure)
    if model == "single-band" and kind == "kp":
        raise QdlabInputError(f"model='single-band' does not apply to {structure.label}: "
                              "its band edge is modelled by the k.p optics only")
    if model == "auto" and kind == "kp-thermal":
        if kwargs:
            raise QdlabInputError(f"{', '.join(sorted(kwargs))}: options of the single-band "
                                  "transitions, not of the k.p lifetime (use model='single-band')")
        from qdlab.electronic.kp.lifetimes import structure_radiative_lifetime_ns

        tau_ns, _ = structure_radiative_lifetime_ns(structure, n_medium=n_medium,
                                                    eps_dot=eps_dot)
        return tau_ns * 1e-9
    from qdlab.electronic.kp.optics import uses_kp

    fast = {} if uses_kp(resolve_materials(structure.materials)) else {"l_max": 0,
                                                                        "n_radial": 1}
    tr = transitions(structure, 1, **{**fast, **kwargs})[0]
    n = math.sqrt(structure.medium.dielectric_constant) if n_medium is None else n_medium
    check_positive(n, "n_medium")
    e_dot = structure.materials[0].eps_inf if eps_dot is None else eps_dot
    f_em = 3.0 * tr.oscillator_strength / tr.degeneracy
    return 1.0 / radiative_rate(tr.energy_eV, f_em, n, e_dot)
