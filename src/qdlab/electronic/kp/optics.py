r"""k.p transitions in the layout of :func:`qdlab.optics.transitions.transitions_batch`.

The optics layer calls :func:`uses_kp` and, for a bare lead-salt or perovskite core,
:func:`kp_transitions_batch` instead of the single-band radial solver (the
single-band Bloch factor 4/3 of :mod:`qdlab.optics.transitions` belongs to zinc-blende
/ wurtzite band edges).  Spheres of lead salts use the Kang-Wise model; a perovskite
sphere of radius R is treated as the cube of equal volume,
:math:`L = R\,(4\pi/3)^{1/3}` (the CLI's ``--shape cube --edge L`` is the inverse
mapping), with the R-point model.  CuCl spheres use the weak-confinement exciton
(:mod:`qdlab.electronic.kp.weak`).  Indirect-gap cores raise a
:class:`~qdlab.errors.QdlabInputError` naming the missing physics.

Examples
--------
>>> import numpy as np
>>> from qdlab.materials import get_material
>>> out = kp_transitions_batch([get_material("PbS")], np.array([[1.5], [2.5]]), None, 300.0)
>>> out["energy_eV"].shape, int(out["degeneracy"][0, 0])
((2, 10), 16)
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.electronic.kp.kang_wise import LEAD_SALT_PARAMETERS, lead_salt_levels
from qdlab.electronic.kp.perovskite import PEROVSKITES, perovskite_cube_levels
from qdlab.electronic.kp.weak import WEAK_CONFINEMENT_MATERIALS, weak_confinement_sphere_levels
from qdlab.errors import QdlabInputError

__all__ = ["cube_edge_of_sphere", "check_direct_gap", "kp_transitions_batch", "uses_kp"]

_CUBE = (4.0 * math.pi / 3.0) ** (1.0 / 3.0)


def cube_edge_of_sphere(radius_nm):
    """Edge (nm) of the cube with the volume of a sphere of ``radius_nm``.

    Examples
    --------
    >>> round(float(cube_edge_of_sphere(1.0)), 4)
    1.612
    """
    return np.asarray(radius_nm, dtype=float) * _CUBE


def check_direct_gap(materials) -> None:
    """Raise QdlabInputError for an indirect-gap core (absorption not modelled)."""
    m = materials[0]
    if getattr(m, "gap_type", "direct") == "indirect":
        raise QdlabInputError(
            f"material {m.name} has an indirect gap: phonon-assisted absorption is not "
            "modelled, so no spectrum is computed (choose a direct-gap material)")


_KP_NAMES = tuple(LEAD_SALT_PARAMETERS) + PEROVSKITES + WEAK_CONFINEMENT_MATERIALS


def uses_kp(materials) -> bool:
    """True for a single-layer lead-salt, perovskite or CuCl core (k.p / exciton optics).

    Raises
    ------
    QdlabInputError
        For such a core with shells: the single-band optics (Bloch factor 4/3) does
        not apply to it and the k.p models are for bare cores only.
    """
    if materials[0].name not in _KP_NAMES:
        return False
    if len(materials) > 1:
        raise QdlabInputError(
            f"core/shell structures with a {materials[0].name} core are not modelled: the "
            "lead-salt / perovskite / CuCl optics (qdlab.electronic.kp) is for bare cores")
    return True


def kp_transitions_batch(materials, radii_nm, medium, temperature: float, *,
                         n_transitions: int = 10, **unknown) -> dict:
    """Lowest transitions of bare lead-salt spheres / perovskite cubes (see module notes).

    Parameters
    ----------
    materials : sequence of Material
        One material.
    radii_nm : array_like, shape (N, 1)
        Radii, nm.
    medium : Medium or None
        Surroundings (its dielectric constant enters the lead-salt self-polarisation).
    temperature : float
        K.
    n_transitions : int
        Transitions kept per structure.
    **unknown
        Refused: the options of the single-band solver (``l_max``, ``n_radial``,
        ``nonparabolic``, ``screening``, ``coulomb``) do not apply to these models.

    Returns
    -------
    dict of ndarray, shape (N, n_transitions)
        ``energy_eV``, ``oscillator_strength``, ``overlap``, ``coulomb_eV``, ``n_e``,
        ``n_h``, ``l``, ``degeneracy`` (missing transitions: ``inf`` energy, 0 strength).

    Raises
    ------
    QdlabInputError
        Any option other than ``n_transitions`` (named), or a material without these
        models.

    See Also
    --------
    qdlab.electronic.kp.kang_wise.lead_salt_levels : lead-salt spheres.
    qdlab.electronic.kp.perovskite.perovskite_cube_levels : CsPbX3 cubes.
    qdlab.electronic.kp.weak.weak_confinement_sphere_levels : CuCl spheres.

    References
    ----------
    .. [1] I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997). Bibliography ``kang1997``.
    .. [2] M. A. Becker et al., Nature 553, 189 (2018). Bibliography ``becker2018``.
    .. [3] P. C. Sercel, J. L. Lyons, D. Wickramaratne, R. Vaxenburg, N. Bernstein,
       Al. L. Efros, Nano Lett. 19, 4068 (2019). Bibliography ``sercel2019``.
    .. [4] Y. Kayanuma, Phys. Rev. B 38, 9797 (1988). Bibliography ``kayanuma1988``.
    .. [5] A. I. Ekimov, Al. L. Efros and A. A. Onushchenko, Solid State Commun. 56, 921
       (1985). Bibliography ``ekimov1985``.
    """
    if unknown:
        raise QdlabInputError(
            f"kp_transitions_batch does not take {', '.join(sorted(unknown))}: the lead-salt, "
            "perovskite and CuCl k.p optics take only n_transitions (the other options "
            "belong to the single-band solver)")
    if not uses_kp(materials):
        raise QdlabInputError("k.p optics need one lead-salt or perovskite layer, got "
                              f"{'/'.join(m.name for m in materials)}")
    R = np.atleast_2d(np.asarray(radii_nm, dtype=float))[:, 0]
    n = R.size
    K = int(n_transitions)
    out = {k: np.zeros((n, K)) for k in ("energy_eV", "oscillator_strength", "overlap",
                                         "coulomb_eV")}
    out["energy_eV"][:] = np.inf
    for k in ("n_e", "n_h", "l", "degeneracy"):
        out[k] = np.zeros((n, K), dtype=int)
    m = materials[0]
    if m.name in PEROVSKITES or m.name in WEAK_CONFINEMENT_MATERIALS:
        c = (perovskite_cube_levels(m, cube_edge_of_sphere(R), temperature)
             if m.name in PEROVSKITES else weak_confinement_sphere_levels(m, R, temperature))
        out["energy_eV"][:, 0] = c["energy_eV"]
        out["oscillator_strength"][:, 0] = c["oscillator_strength"]
        out["overlap"][:, 0] = 1.0
        out["n_e"][:, 0] = out["n_h"][:, 0] = 1
        out["degeneracy"][:, 0] = 4
        out["degeneracy"][:, 1:] = 4
        return out
    eps_m = 2.25 if medium is None else medium.dielectric_constant
    lv = lead_salt_levels(m, R, temperature, eps_medium=eps_m)
    k = min(K, lv.energy_eV.shape[1])
    out["energy_eV"][:, :k] = lv.energy_eV[:, :k]
    out["oscillator_strength"][:, :k] = lv.oscillator_strength[:, :k]
    out["overlap"][:, :k] = lv.overlap[:, :k]
    out["coulomb_eV"][:, :k] = -lv.coulomb_eV[:, :k]
    out["n_e"][:, :k] = lv.n_e[:, :k]
    out["n_h"][:, :k] = lv.n_h[:, :k]
    kap = lv.kappa[:, :k]
    out["l"][:, :k] = np.where(kap < 0, -kap - 1, kap)
    out["degeneracy"][:, :k] = lv.degeneracy[:, :k]
    out["degeneracy"][:, k:] = 16
    return out
