"""Dimers ("nanocrystal molecules"): two nanocrystals along z, a gap or a fused neck."""

from __future__ import annotations

from dataclasses import dataclass

from qdlab.errors import check_nonnegative, check_positive
from qdlab.structures.medium import Medium
from qdlab.structures.shapes.base import Region, Shape, _init, as_shape
from qdlab.structures.shapes.sdf import (
    sdf_cylinder,
    sdf_translate,
)
from qdlab.structures.spheres import SphericalStructure


def _shifted(shape: Shape, dz: float) -> list[Region]:
    return [Region(r.material, sdf_translate(r.sdf, (0.0, 0.0, dz)), r.name)
            for r in shape.regions]


@dataclass(frozen=True, init=False)
class Dimer(Shape):
    """Two nanocrystals along z ("nanocrystal molecule"), optionally fused by a neck.

    Parameters
    ----------
    a, b : Sphere, CoreShell or Shape
        The two partners; ``a`` is placed at negative z, ``b`` at positive z,
        each centred on the z axis.
    gap_nm : float, optional
        Surface-to-surface distance along z in nm (>= 0; default 0 = touching).
        The gap is filled with the medium of ``a``.
    neck_diameter_nm : float, optional
        Diameter (nm) of a cylindrical neck of ``a``'s outer material joining the
        two centres (fused dimers); default none.
    medium, temperature : optional
        Default those of ``a``.

    Notes
    -----
    The splitting of the lowest bonding (even) and antibonding (odd) states
    measures the coupling; see Cui et al., "Colloidal quantum dot molecules
    manifesting quantum coupling at room temperature", Nat. Commun. 10, 5401 (2019).
    """

    def __init__(self, a, b, gap_nm: float = 0.0, neck_diameter_nm: float | None = None,
                 medium: Medium | None = None, temperature: float | None = None):
        check_nonnegative(gap_nm, "gap_nm", "nm")
        sa, sb = as_shape(a), as_shape(b)
        (alo, ahi), (blo, bhi) = sa.bounding_box_nm, sb.bounding_box_nm
        # Centre each partner's box in z on the axis, then put the gap between them.
        ca = (alo[2] + ahi[2]) / 2
        cb = (blo[2] + bhi[2]) / 2
        za = -(ahi[2] - ca) - float(gap_nm) / 2 - ca  # shift of a
        zb = (cb - blo[2]) + float(gap_nm) / 2 - cb  # shift of b
        regions = _shifted(sa, za) + _shifted(sb, zb)
        min_feature = min(sa.min_feature_nm, sb.min_feature_nm)
        if gap_nm > 0:
            min_feature = min(min_feature, float(gap_nm))
        if neck_diameter_nm is not None:
            check_positive(neck_diameter_nm, "neck_diameter_nm", "nm")
            za_c, zb_c = ca + za, cb + zb
            neck = sdf_cylinder((0, 0, za_c), (0, 0, zb_c), float(neck_diameter_nm) / 2)
            regions.append(Region(sa.regions[-1].material, neck, "neck"))
            min_feature = min(min_feature, float(neck_diameter_nm))
        lo = (min(alo[0], blo[0]), min(alo[1], blo[1]), alo[2] + za)
        hi = (max(ahi[0], bhi[0]), max(ahi[1], bhi[1]), bhi[2] + zb)
        try:
            same = bool(sa.regions == sb.regions) if sa is not sb else True
        except Exception:  # noqa: BLE001 - materials that cannot be compared
            same = False
        if isinstance(a, SphericalStructure) and isinstance(b, SphericalStructure):
            same = a.radii_nm == b.radii_nm and all(
                x is y or x == y for x, y in zip(a.materials, b.materials, strict=False)) \
                and len(a.layers) == len(b.layers)
        sym = (sa.symmetry[0] and sb.symmetry[0], sa.symmetry[1] and sb.symmetry[1],
               same and sa.symmetry[2] and abs(lo[2] + hi[2]) < 1e-12)
        _init(self, regions, medium if medium is not None else sa.medium,
              temperature if temperature is not None else sa.temperature, (lo, hi), sym,
              min_feature)
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "gap_nm", float(gap_nm))
        object.__setattr__(self, "neck_diameter_nm",
                           None if neck_diameter_nm is None else float(neck_diameter_nm))

    def __repr__(self) -> str:
        return (f"Dimer({self.a!r}, {self.b!r}, gap_nm={self.gap_nm:g}, "
                f"neck_diameter_nm={self.neck_diameter_nm})")
