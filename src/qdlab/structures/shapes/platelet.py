"""Atomically flat zinc-blende nanoplatelets, thickness set by the number of monolayers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError, check_positive
from qdlab.registry import Model, select
from qdlab.structures.medium import Medium
from qdlab.structures.shapes.base import Region, Shape, _init, _name
from qdlab.structures.shapes.sdf import (
    sdf_box,
)
from qdlab.structures.spheres import resolve_material


def platelet_thickness_nm(monolayers: int, lattice_constant_nm: float) -> float:
    """Thickness (nm) of an n-monolayer zinc-blende [001] platelet.

    Parameters
    ----------
    monolayers : int
        Number n of anion planes (the platelet has n + 1 cation planes and is
        often called an "n.5 ML" platelet).
    lattice_constant_nm : float
        Cubic lattice constant a in nm.

    Returns
    -------
    float
        ``(n + 1/2) * a / 2`` in nm.

    Notes
    -----
    Along [001] consecutive atomic planes (alternately cation and anion) are
    a/4 apart.  A Cd-terminated n-ML platelet has 2n + 1 atomic planes
    (n Se, n + 1 Cd) [1]_; giving each plane a slab of a/4 yields
    ``L = (2n + 1) a / 4 = (n + 1/2) a / 2`` -- the "n.5 ML" naming of [2]_.
    The centre-to-centre distance of the outer Cd planes is ``n a / 2``.

    References
    ----------
    .. [1] S. Ithurria, M. D. Tessier, B. Mahler, R. P. S. M. Lobo, B. Dubertret,
       Al. L. Efros, "Colloidal nanoplatelets with two-dimensional electronic
       structure", Nat. Mater. 10, 936 (2011).
    .. [2] S. Christodoulou et al., "Chloride-induced thickness control in CdSe
       nanoplatelets", Nano Lett. 18, 6248 (2018).

    Examples
    --------
    >>> round(platelet_thickness_nm(4, 0.608), 4)   # CdSe "4.5 ML"
    1.368

    See Also
    --------
    platelet_thickness : the same with every thickness convention, for arrays.
    """
    return float(platelet_thickness(monolayers, lattice_constant_nm, "n+1/2"))


def platelet_material(material):
    """The material record of a platelet: a bare name means its zinc-blende phase.

    Colloidal II-VI nanoplatelets grow in the zinc-blende phase (Ithurria &
    Dubertret, J. Am. Chem. Soc. 130, 16504 (2008)), so ``"CdSe"`` resolves to
    ``"CdSe-zb"`` when the database has that record, and to the default phase
    otherwise.  A record key (``"CdSe-wz"``) or a Material is used as given.

    Examples
    --------
    >>> platelet_material("CdSe").key, platelet_material("CdSe-wz").key
    ('CdSe-zb', 'CdSe-wz')
    """
    if isinstance(material, str):
        from qdlab.materials import get_material, list_materials

        name = material.strip()
        if name.lower() not in {k.lower() for k in list_materials()}:
            try:
                return get_material(name, phase="zincblende")
            except QdlabInputError:
                pass
    return resolve_material(material)


#: Thickness conventions of an "n.5 ML" zinc-blende platelet, ``d = (n + extra) a / 2``;
#: ``function`` is ``extra`` (see the notes of :mod:`qdlab.electronic.anisotropy.platelets`).
THICKNESS_METHODS = {
    "n+1/2": Model(0.5, "S. Ithurria, B. Dubertret, J. Am. Chem. Soc. 130, 16504 (2008); "
                        "as qdlab.structures.shapes.Platelet",
                   "2n + 1 atomic planes, each owning a slab a/4 thick (default)"),
    "n": Model(0.0, "distance between the outer cation-plane centres",
               "n a / 2: the outer Cd planes without their own a/4"),
    "n+1": Model(1.0, "outer cation planes counted with a full a/4 on each side",
                 "(n + 1) a / 2"),
}
#: Thickness conventions understood by :func:`platelet_thickness` (names of
#: :data:`THICKNESS_METHODS`).
THICKNESS_CONVENTIONS = tuple(THICKNESS_METHODS)


def platelet_thickness(monolayers, lattice_constant_nm, convention: str = "n+1/2"):
    """Thickness (nm) of an n-monolayer zinc-blende [001] platelet.

    Parameters
    ----------
    monolayers : int or array_like
        Number n of anion planes (an "n.5 ML" platelet), >= 1.
    lattice_constant_nm : float
        Cubic lattice constant a, nm.
    convention : {"n+1/2", "n", "n+1"}
        ``(n + 1/2) a/2`` (default, as :class:`~qdlab.structures.shapes.Platelet`),
        ``n a/2`` or ``(n + 1) a/2`` (see the notes of
        :mod:`qdlab.electronic.anisotropy.platelets`).

    Returns
    -------
    float or ndarray
        Thickness in nm.

    See Also
    --------
    qdlab.electronic.anisotropy.platelets.platelet_band_edge

    References
    ----------
    .. [1] S. Ithurria, B. Dubertret, J. Am. Chem. Soc. 130, 16504 (2008).
       Bibliography ``ithurria2008``.

    Examples
    --------
    >>> [round(float(platelet_thickness(3, 0.6077, c)), 4) for c in THICKNESS_CONVENTIONS]
    [1.0635, 0.9116, 1.2154]
    """
    extra = select(THICKNESS_METHODS, "thickness convention", convention).function
    n = np.asarray(monolayers, dtype=float)
    if np.any(n < 1) or np.any(n != np.round(n)):
        raise QdlabInputError(f"monolayers must be integers >= 1, got {monolayers!r}")
    check_positive(lattice_constant_nm, "lattice_constant_nm", "nm")
    out = (n + extra) * float(lattice_constant_nm) / 2.0
    return out[()] if out.ndim == 0 else out


def check_cubic_lattice(material, lattice_constant_nm) -> None:
    """Refuse a non-zinc-blende record without an explicit cubic lattice constant.

    The thickness ``(n + 1/2) a / 2`` of an "n.5 ML" platelet is that of a zinc-blende
    [001] stack; a wurtzite record's ``lattice_constant_nm`` is its hexagonal a, which
    gives a wrong thickness (0.97 nm instead of 1.37 nm for 4.5 ML CdSe).

    Raises
    ------
    QdlabInputError
        ``material`` is not zinc blende and ``lattice_constant_nm`` is None; the message
        names the zinc-blende record when the database has one.

    Examples
    --------
    >>> from qdlab.materials import get_material
    >>> check_cubic_lattice(get_material("CdSe-wz"), 0.6077)       # explicit cubic a
    >>> try:
    ...     check_cubic_lattice(get_material("CdSe-wz"), None)
    ... except QdlabInputError as e:
    ...     print(str(e)[:60])
    a platelet is a zinc-blende [001] well, and 'CdSe-wz' is wur
    """
    cs = getattr(material, "crystal_structure", "zincblende")
    if lattice_constant_nm is not None or cs in (None, "zincblende"):
        return
    key = str(getattr(material, "key", _name(material)))
    hint = "a zinc-blende record (the database has none for this material)"
    try:
        from qdlab.materials import get_material

        zb = get_material(str(getattr(material, "name", key)), phase="zincblende")
        hint = repr(zb.key)
    except QdlabInputError:
        pass
    a = getattr(material, "lattice_constant_nm", None)
    have = f"lattice_constant_nm {a:.2f} nm is not the cubic a" if a else "no cubic a"
    raise QdlabInputError(f"a platelet is a zinc-blende [001] well, and {key!r} is {cs} "
                          f"({have}): use {hint}, or pass lattice_constant_nm (the cubic a; "
                          "Python API)")


@dataclass(frozen=True, init=False)
class Platelet(Shape):
    """An atomically flat zinc-blende nanoplatelet, thickness along z.

    Parameters
    ----------
    material : str or Material
        Needs ``lattice_constant_nm`` (cubic a) unless ``lattice_constant_nm`` is given.
        A bare name is read as its zinc-blende phase (:func:`platelet_material`).
    monolayers : int
        Number of anion planes n (1..20); see :func:`platelet_thickness_nm`.
    lateral_size : float
        Edge length in x in nm (> 0).
    lateral_width : float, optional
        Edge length in y in nm; default ``lateral_size`` (square).
    lattice_constant_nm : float, optional
        Override of the material's lattice constant, nm.
    medium, temperature : optional

    Notes
    -----
    A rectangular box ``lateral_size x lateral_width x thickness`` with
    ``thickness = (n + 1/2) a / 2``.
    """

    def __init__(self, material, monolayers: int, lateral_size: float,
                 lateral_width: float | None = None, lattice_constant_nm: float | None = None,
                 medium: Medium | None = None, temperature: float = 300.0):
        if isinstance(monolayers, bool) or not isinstance(monolayers, (int, np.integer)) \
                or not 1 <= monolayers <= 20:
            raise QdlabInputError(f"monolayers must be an integer in [1, 20], got {monolayers!r}")
        check_positive(lateral_size, "lateral_size", "nm")
        width = float(lateral_size if lateral_width is None else
                      check_positive(lateral_width, "lateral_width", "nm"))
        mat = platelet_material(material)
        check_cubic_lattice(mat, lattice_constant_nm)
        a = lattice_constant_nm if lattice_constant_nm is not None else \
            getattr(mat, "lattice_constant_nm", None)
        if a is None:
            raise QdlabInputError("lattice_constant_nm must be given: material "
                                  f"{_name(mat)!r} has no lattice_constant_nm")
        check_positive(a, "lattice_constant_nm", "nm")
        t = platelet_thickness_nm(int(monolayers), float(a))
        sx, sy = float(lateral_size), width
        reg = Region(mat, sdf_box((sx / 2, sy / 2, t / 2)), "platelet")
        _init(self, [reg], medium, temperature, ((-sx / 2, -sy / 2, -t / 2),
                                                 (sx / 2, sy / 2, t / 2)),
              (True, True, True), t)
        object.__setattr__(self, "monolayers", int(monolayers))
        object.__setattr__(self, "thickness_nm", t)
        object.__setattr__(self, "lateral_size_nm", sx)
        object.__setattr__(self, "lateral_width_nm", sy)

    @property
    def material(self):
        return self.regions[0].material

    def __repr__(self) -> str:
        return (f"Platelet({_name(self.material)!r}, monolayers={self.monolayers}, "
                f"lateral_size={self.lateral_size_nm:g}, lateral_width={self.lateral_width_nm:g},"
                f" medium={self.medium.name!r}, temperature={self.temperature:g})")
