"""Custom shapes: any shape given as signed-distance function(s) or as a labelled voxel mask."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError, check_positive
from qdlab.structures.medium import Medium
from qdlab.structures.shapes.base import Region, Shape, _init
from qdlab.structures.shapes.sdf import (
    SDF,
)
from qdlab.structures.spheres import resolve_material


def _check_bbox(bounding_box):
    try:
        lo, hi = (tuple(float(v) for v in c) for c in bounding_box)
        if len(lo) != 3 or len(hi) != 3:
            raise ValueError
    except (TypeError, ValueError):
        raise QdlabInputError("bounding_box must be ((xmin, ymin, zmin), (xmax, ymax, zmax)) in "
                              f"nm, got {bounding_box!r}") from None
    if not all(h > lo_ for lo_, h in zip(lo, hi, strict=True)):
        raise QdlabInputError("bounding_box must have max > min on every axis, got "
                              f"{bounding_box!r}")
    return lo, hi


@dataclass(frozen=True, init=False)
class SDFShape(Shape):
    """Any shape given by signed-distance functions.

    Parameters
    ----------
    sdf : callable
        ``sdf(x, y, z)`` -> signed distance in nm (negative inside) of the whole
        nanocrystal; must broadcast over numpy arrays.
    bounding_box : ((xmin, ymin, zmin), (xmax, ymax, zmax))
        Box in nm that contains the nanocrystal.
    material : str or Material
        Material of the outermost region.
    layers : sequence of (material, sdf), optional
        Inner regions with priority over the outer one (e.g. a core).
    symmetry : (bool, bool, bool), optional
        Mirror symmetries x -> -x, y -> -y, z -> -z about the origin that the
        solver may use (default none; declaring a symmetry the shape lacks gives
        wrong states).
    min_feature_nm : float, optional
        Smallest feature in nm (default: a twelfth of the smallest box edge).
    medium, temperature : optional

    Notes
    -----
    Only the zero level set of each SDF matters for the solver; a function that
    is not an exact distance but has the right sign and is smooth across the
    surface (e.g. ``x**2/a**2 + y**2/b**2 + z**2/c**2 - 1`` scaled by a length)
    works, though the sub-cell interface positions are then less accurate.

    Examples
    --------
    >>> class M:
    ...     name = "X"; electron_mass = 0.1; hole_mass = 0.4
    >>> ell = SDFShape(lambda x, y, z: np.sqrt(x**2 + y**2 + (z / 2)**2) - 1.0,
    ...                ((-1, -1, -2), (1, 1, 2)), M(), symmetry=(True, True, True))
    >>> int(ell.region_index(0, 0, 1.9)), int(ell.region_index(0, 0, 2.1))
    (0, 1)
    """

    def __init__(self, sdf: SDF, bounding_box, material, layers: Sequence = (),
                 symmetry=(False, False, False), min_feature_nm: float | None = None,
                 medium: Medium | None = None, temperature: float = 300.0):
        if not callable(sdf):
            raise QdlabInputError(f"sdf must be a callable sdf(x, y, z) -> nm, got {sdf!r}")
        lo, hi = _check_bbox(bounding_box)
        regions = []
        for i, item in enumerate(layers):
            try:
                mat, f = item
            except (TypeError, ValueError):
                raise QdlabInputError(f"layer {i} must be (material, sdf), got {item!r}") from None
            if not callable(f):
                raise QdlabInputError(f"layer {i} sdf must be callable, got {f!r}")
            regions.append(Region(resolve_material(mat), f, f"layer {i}"))
        regions.append(Region(resolve_material(material), sdf, "outer"))
        mf = min(h - lo_ for lo_, h in zip(lo, hi, strict=True)) / 12 if min_feature_nm is None \
            else float(check_positive(min_feature_nm, "min_feature_nm", "nm"))
        if len(tuple(symmetry)) != 3:
            raise QdlabInputError(f"symmetry must be three booleans, got {symmetry!r}")
        _init(self, regions, medium, temperature, (lo, hi), symmetry, mf)


@dataclass(frozen=True, init=False, eq=False)
class VoxelShape(Shape):
    """A shape given by a labelled voxel mask (e.g. from electron tomography).

    Parameters
    ----------
    mask : array of bool or int, shape (nx, ny, nz)
        0 = medium; k >= 1 = ``materials[k - 1]`` (a boolean mask uses one material).
    spacing : float or (float, float, float)
        Voxel size in nm.
    materials : Material or sequence of Material
        One material per label (labels in priority order).
    origin : (float, float, float), optional
        Centre of voxel (0, 0, 0) in nm; default centres the mask on the origin.
    medium, temperature : optional

    Notes
    -----
    Each label's SDF is the Euclidean distance transform of the voxel set
    (zero level half-way between voxel centres), trilinearly interpolated.
    Voxel shapes are staircases by construction: the solver reproduces the
    voxelised geometry, not a smooth surface.
    """

    def __init__(self, mask, spacing, materials, origin=None, medium: Medium | None = None,
                 temperature: float = 300.0):
        from scipy import ndimage

        m = np.asarray(mask)
        if m.ndim != 3 or min(m.shape) < 2:
            raise QdlabInputError(f"mask must be a 3D array with >= 2 voxels per axis, got shape "
                                  f"{m.shape}")
        if m.dtype == bool:
            m = m.astype(np.int16)
        if not np.issubdtype(m.dtype, np.integer) or m.min() < 0:
            raise QdlabInputError("mask must hold booleans or integer labels >= 0")
        sp = np.broadcast_to(np.asarray(spacing, dtype=float), (3,)).copy()
        check_positive(sp, "spacing", "nm")
        mats = [materials] if not isinstance(materials, (list, tuple)) else list(materials)
        nlab = int(m.max())
        if nlab < 1:
            raise QdlabInputError("mask must contain at least one voxel with a label >= 1")
        if len(mats) < nlab:
            raise QdlabInputError(f"materials must give one material per label (1..{nlab}), "
                                  f"got {len(mats)}")
        shape = np.array(m.shape)
        org = -(shape - 1) / 2 * sp if origin is None else np.asarray(origin, dtype=float)
        regions = []
        for k in range(1, nlab + 1):
            inside = m == k
            if not inside.any():
                continue
            d_in = ndimage.distance_transform_edt(inside, sampling=sp)
            d_out = ndimage.distance_transform_edt(~inside, sampling=sp)
            field_ = np.where(inside, -(d_in - 0.5 * sp.min()), d_out - 0.5 * sp.min())
            regions.append(Region(resolve_material(mats[k - 1]), _voxel_sdf(field_, org, sp),
                                  f"label {k}"))
        lo = org - sp / 2
        hi = org + (shape - 0.5) * sp
        _init(self, regions, medium, temperature, (tuple(lo), tuple(hi)),
              (False, False, False), float(sp.min()) * 4)
        ro = m.copy()
        ro.setflags(write=False)
        object.__setattr__(self, "mask", ro)
        object.__setattr__(self, "spacing_nm", tuple(sp))


def _voxel_sdf(field_, origin, spacing):
    from scipy import ndimage

    def f(x, y, z):
        x, y, z = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, y, z)))
        coords = np.stack([((v - o) / s).ravel() for v, o, s in
                           zip((x, y, z), origin, spacing, strict=True)])
        vals = ndimage.map_coordinates(field_, coords, order=1, mode="nearest")
        # Outside the mask box add the distance to the box so the medium stays outside.
        out = np.zeros(coords.shape[1])
        for ax in range(3):
            lim = field_.shape[ax] - 1
            excess = np.maximum(-coords[ax], 0) + np.maximum(coords[ax] - lim, 0)
            out += (excess * spacing[ax]) ** 2
        vals = vals + np.sqrt(out)
        return vals.reshape(x.shape)

    return f
