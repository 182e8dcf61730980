"""Signed-distance functions (SDFs) of the shape primitives: exact Euclidean distances, nm.

Negative inside, zero on the surface, positive outside; each takes ``(x, y, z)``
arrays in nm (broadcasting) and returns nm.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

SDF = Callable[..., Any]


def sdf_sphere(radius: float, center=(0.0, 0.0, 0.0)) -> SDF:
    """SDF of a ball of ``radius`` (nm) centred at ``center`` (nm).

    Examples
    --------
    >>> float(sdf_sphere(2.0)(0.0, 0.0, 3.0))
    1.0
    """
    cx, cy, cz = (float(c) for c in center)
    r = float(radius)

    def f(x, y, z):
        return np.sqrt((x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2) - r

    return f


def sdf_capsule(a, b, radius: float) -> SDF:
    """SDF of the set of points within ``radius`` (nm) of the segment a-b (nm).

    Examples
    --------
    >>> f = sdf_capsule((0, 0, -1), (0, 0, 1), 0.5)
    >>> float(f(0.0, 0.0, 2.0)), float(f(1.0, 0.0, 0.0))
    (0.5, 0.5)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    ab = b - a
    L2 = float(ab @ ab)
    r = float(radius)

    def f(x, y, z):
        px, py, pz = x - a[0], y - a[1], z - a[2]
        t = (px * ab[0] + py * ab[1] + pz * ab[2]) / L2 if L2 > 0 else 0.0 * px
        t = np.clip(t, 0.0, 1.0)
        return np.sqrt((px - t * ab[0]) ** 2 + (py - t * ab[1]) ** 2
                       + (pz - t * ab[2]) ** 2) - r

    return f


def sdf_box(half_sizes, center=(0.0, 0.0, 0.0)) -> SDF:
    """SDF of an axis-aligned box with half edge lengths ``half_sizes`` (nm).

    Examples
    --------
    >>> float(sdf_box((1, 1, 1))(2.0, 0.0, 0.0)), float(sdf_box((1, 1, 1))(0.0, 0.0, 0.0))
    (1.0, -1.0)
    """
    hx, hy, hz = (float(h) for h in half_sizes)
    cx, cy, cz = (float(c) for c in center)

    def f(x, y, z):
        qx = np.abs(x - cx) - hx
        qy = np.abs(y - cy) - hy
        qz = np.abs(z - cz) - hz
        outside = np.sqrt(np.maximum(qx, 0) ** 2 + np.maximum(qy, 0) ** 2
                          + np.maximum(qz, 0) ** 2)
        inside = np.minimum(np.maximum(np.maximum(qx, qy), qz), 0.0)
        return outside + inside

    return f


def sdf_cylinder(a, b, radius: float) -> SDF:
    """SDF of a flat-ended cylinder of ``radius`` (nm) with axis from a to b (nm).

    Examples
    --------
    >>> f = sdf_cylinder((0, 0, 0), (0, 0, 2), 1.0)
    >>> float(f(0.0, 0.0, 3.0)), float(f(0.0, 0.0, 1.0))
    (1.0, -1.0)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    axis = b - a
    length = float(np.linalg.norm(axis))
    u = axis / length
    mid = (a + b) / 2
    r = float(radius)

    def f(x, y, z):
        px, py, pz = x - mid[0], y - mid[1], z - mid[2]
        along = px * u[0] + py * u[1] + pz * u[2]
        radial = np.sqrt(np.maximum(px * px + py * py + pz * pz - along * along, 0.0))
        dr = radial - r
        dz = np.abs(along) - length / 2
        outside = np.sqrt(np.maximum(dr, 0) ** 2 + np.maximum(dz, 0) ** 2)
        return outside + np.minimum(np.maximum(dr, dz), 0.0)

    return f


def sdf_union(*sdfs: SDF) -> SDF:
    """Union of shapes: the minimum of their SDFs (exact outside, a bound inside)."""

    def f(x, y, z):
        out = sdfs[0](x, y, z)
        for s in sdfs[1:]:
            out = np.minimum(out, s(x, y, z))
        return out

    return f


def sdf_translate(sdf: SDF, offset) -> SDF:
    """The shape ``sdf`` moved by ``offset`` (nm)."""
    ox, oy, oz = (float(o) for o in offset)

    def f(x, y, z):
        return sdf(x - ox, y - oy, z - oz)

    return f
