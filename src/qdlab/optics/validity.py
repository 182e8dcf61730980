"""Validity range of the strong-confinement sphere model (light to import).

:func:`warn_size_validity` is re-exported by :mod:`qdlab.optics.ensemble`; it lives
here so that ``qdlab levels`` can check a size without importing the ensemble
machinery (scipy.interpolate, Stokes-shift tables).
"""

from __future__ import annotations

from qdlab.errors import warn_validity

__all__ = ["WEAK_CONFINEMENT_FACTOR", "warn_size_validity"]

#: ``R / a_B`` at and above which confinement is weak (Kayanuma 1988, as in
#: :func:`qdlab.electronic.analytic.confinement_regime`).
WEAK_CONFINEMENT_FACTOR: float = 4.0


def warn_size_validity(material, diameter_nm: float, *, stacklevel: int = 3) -> list[str]:
    r"""Warn when a sphere of ``diameter_nm`` is outside the strong-confinement model.

    The spectra and levels of qdlab's spheres come from the strong/intermediate
    confinement model: single-particle levels of each carrier plus the
    electron-hole Coulomb energy as a first-order correction (Brus 1984).  Two
    limits:

    * below :data:`qdlab.structures.spheres.MIN_EMA_DIAMETER_NM` (1 nm), effective-mass
      theory does not hold (clusters of a few tens of atoms);
    * at ``R >= 4 a_B`` (weak confinement, Kayanuma 1988) the exciton is confined as a
      whole: the first-order Coulomb term ``J ~ 1.8 e^2/(eps R)`` goes to 0 as R grows, so
      the model misses the exciton binding energy ``Ry*`` and its first exciton turns
      *bluer* again towards ``E_g`` (CdSe: minimum near 50 nm, 200 nm bluer than 50 nm),
      while the real exciton tends to ``E_g - Ry*`` from above; and the dense level
      ladder leaves no resolved first-exciton absorption maximum.

    Parameters
    ----------
    material : str or Material
        Core material.
    diameter_nm : float
        (Mean) core diameter, nm.
    stacklevel : int
        Passed to :func:`warnings.warn`.

    Returns
    -------
    list of str
        The warning messages issued (empty inside the model's range).

    References
    ----------
    Y. Kayanuma, Phys. Rev. B 38, 9797 (1988); L. E. Brus, J. Chem. Phys. 80, 4403
    (1984). Bibliography ``kayanuma1988``, ``brus1984``.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     [m.split(":")[0] for m in warn_size_validity("CdSe", 200.0)]
    ['diameter 200 nm is 21 exciton Bohr diameters (a_B = 4.66 nm)']
    >>> warn_size_validity("CdSe", 4.0)
    []
    """
    from qdlab.structures.spheres import MIN_EMA_DIAMETER_NM, _resolve

    mat = _resolve(material)
    d = float(diameter_nm)
    out = []
    if d < MIN_EMA_DIAMETER_NM:
        out.append(f"diameter {d:g} nm is below {MIN_EMA_DIAMETER_NM:g} nm: effective-mass "
                   "theory is not valid for clusters this small")
    a_B = float(mat.exciton_bohr_radius_nm)
    if d / 2.0 >= WEAK_CONFINEMENT_FACTOR * a_B:
        out.append(f"diameter {d:g} nm is {d / (2 * a_B):.0f} exciton Bohr diameters "
                   f"(a_B = {a_B:.3g} nm): weak confinement, outside the strong-confinement "
                   f"model (perturbative Coulomb term): it misses the exciton binding "
                   f"energy ({1000 * float(mat.exciton_rydberg_eV):.0f} meV), so its first "
                   "exciton turns bluer again with size and has no resolved absorption "
                   f"peak; trust sizes below {2 * WEAK_CONFINEMENT_FACTOR * a_B:.0f} nm only")
    for msg in out:
        warn_validity(msg, stacklevel=stacklevel)
    return out
