r"""Finite-volume operator of the 3D grid solver: grid layout, carrier parameters, assembly.

Builds the cell-centred 7-point BenDaniel-Duke operator
:math:`-\nabla\\cdot(\\hbar^2/(2 m_0 m^*)\nabla) + V` of
:func:`qdlab.electronic.grid.solve_grid` on a uniform Cartesian grid, with the
ghost-point wall rule of the hard-wall cells and sub-sampled volume fractions in
cut cells (the discretisation is described in :mod:`qdlab.electronic.grid.solver`).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.sphere.holes import band_edge_hole_mass
from qdlab.errors import QdlabInputError

#: Smallest wall fraction theta used in the ghost-point rule (avoids 1/0).
THETA_MIN = 1e-2


def _axis_counts(shape, h: float, pad: float, use_symmetry: bool):
    """Nodes per axis of the grid of :func:`_axes` and its mirror flags, without allocating."""
    (lo, hi) = shape.bounding_box_nm
    counts, sym = [], []
    for d in range(3):
        s = bool(shape.symmetry[d]) and use_symmetry
        if s:
            ext = max(abs(lo[d]), abs(hi[d])) + pad
            counts.append(max(2, math.ceil(ext / h)))
        else:
            half = (hi[d] - lo[d]) / 2 + pad
            counts.append(max(3, math.ceil(2 * half / h)))
        sym.append(s)
    return counts, tuple(sym)


def _axes(shape, h: float, pad: float, use_symmetry: bool):
    (lo, hi) = shape.bounding_box_nm
    counts, sym = _axis_counts(shape, h, pad, use_symmetry)
    coords = []
    for d, (n, s) in enumerate(zip(counts, sym, strict=True)):
        if s:
            coords.append((np.arange(n) + 0.5) * h)
        else:
            c = (lo[d] + hi[d]) / 2
            coords.append(c + (np.arange(n) - (n - 1) / 2) * h)
    return coords, sym


def _padding(shape, h: float, barrier_mass: float) -> float:
    med = shape.medium
    vb = min(med.electron_barrier_eV, med.hole_barrier_eV)
    if math.isinf(vb):
        return 2.0 * h
    decay = math.sqrt(HBAR2_2M0 / (barrier_mass * vb))
    # psi ~ exp(-d / decay): 10 decay lengths leave ~ e^-20 of the density.
    return max(2.0 * h, 10.0 * decay)


def _carrier_params(shape, carrier: str, barrier_mass: float):
    """Arrays (per label, medium last) of kappa = hbar^2/(2 m) (eV nm^2) and V (eV)."""
    T = shape.temperature
    kap, V = [], []
    for reg in shape.regions:
        mat = reg.material
        if carrier == "electron":
            m = float(mat.electron_mass)
            v = float(mat.conduction_band_edge(T))
        else:
            if getattr(mat, "hole_mass", None) is None:
                raise QdlabInputError(f"material {getattr(mat, 'name', mat)!r} has no hole_mass")
            # The same single-band hole mass as the spherical pipeline (exciton.py):
            # the 1S3/2 band-edge mass from the Luttinger parameters where known.
            m = float(band_edge_hole_mass(mat))
            v = -float(mat.valence_band_edge(T))
        kap.append(HBAR2_2M0 / m)
        V.append(v)
    barrier = shape.medium.electron_barrier_eV if carrier == "electron" \
        else shape.medium.hole_barrier_eV
    kap.append(HBAR2_2M0 / barrier_mass)
    V.append(V[-1] + barrier)  # above the outermost (last) region's edge
    return np.array(kap), np.array(V), math.isinf(barrier)


def _cell_fractions(shape, pts_cells, h, ns, tent=False):
    """Cumulative union fractions F_k (k = 0..K-1) of each cell by sub-sampling.

    ``tent=False``: the box (cell) average over ``[-h/2, h/2]^3``; ``tent=True``: the
    average weighted by the trilinear hat function of the node, over ``[-h, h]^3``.
    """
    K = len(shape.regions)
    if tent:
        off = ((np.arange(2 * ns) + 0.5) / ns - 1.0) * h
        w1 = 1.0 - np.abs(off) / h
    else:
        off = ((np.arange(ns) + 0.5) / ns - 0.5) * h
        w1 = np.ones(ns)
    ox, oy, oz = (a.ravel() for a in np.meshgrid(off, off, off, indexing="ij"))
    wt = np.einsum("i,j,k->ijk", w1, w1, w1).ravel()
    wt = wt / wt.sum()
    delta = h / ns
    M = pts_cells.shape[0]
    F = np.empty((K, M))
    chunk = max(1, 2_000_000 // wt.size)
    for s in range(0, M, chunk):
        c = pts_cells[s:s + chunk]
        x = c[:, 0:1] + ox
        y = c[:, 1:2] + oy
        z = c[:, 2:3] + oz
        u = None
        for k, reg in enumerate(shape.regions):
            phi = reg.sdf(x, y, z)
            u = phi if u is None else np.minimum(u, phi)
            F[k, s:s + chunk] = np.clip(0.5 - u / delta, 0.0, 1.0) @ wt
    return F


def _laplacian(f, h):
    """7-point Laplacian of the node field ``f`` (edge values repeated at the box faces)."""
    g = np.pad(f, 1, mode="edge")
    c = g[1:-1, 1:-1, 1:-1]
    return (g[2:, 1:-1, 1:-1] + g[:-2, 1:-1, 1:-1] + g[1:-1, 2:, 1:-1] + g[1:-1, :-2, 1:-1]
            + g[1:-1, 1:-1, 2:] + g[1:-1, 1:-1, :-2] - 6.0 * c) / (h * h)


def _wall_gain(fi, fo, theta, lap_i, lap_o, mask):
    """Diagonal factor ``1 - psi_ghost / psi_i`` of a link from node i to the wall."""
    with np.errstate(divide="ignore", invalid="ignore"):
        L = (1.0 - theta) * lap_i + theta * lap_o
        span = np.maximum(np.abs(fi), np.abs(fo))
        L = np.clip(L, -1.0 / span, 1.0 / span)
        Fi = -fi + 0.5 * L * fi * fi
        Fo = -fo + 0.5 * L * fo * fo
        g = 1.0 - Fo / Fi
    g = np.where(mask, g, 1.0)
    return np.minimum(g, 1.0 / THETA_MIN)


def _smooth_faces(shape, coords, phi, grads, n_iface, d, sl_p, sl_q, both, c, kap, hard, h,
                  ns):
    """Sub-pixel (tensor) smoothing of kappa on the faces near a material interface, in place."""
    mid = 0.5 * (phi[:n_iface][(slice(None),) + sl_p] + phi[:n_iface][(slice(None),) + sl_q])
    near = both & (np.abs(mid) < h).any(axis=0)
    if not near.any():
        return
    ii = np.nonzero(near)
    pts = np.stack([coords[e][ii[e]] for e in range(3)], axis=1)
    pts[:, d] += 0.5 * h
    F = _cell_fractions(shape, pts, h, ns)
    K = F.shape[0]
    frac = np.diff(np.concatenate([np.zeros((1, F.shape[1])), F]), axis=0)
    if hard:
        frac = frac / np.maximum(F[-1], 1e-12)
        k_all = kap[:K]
    else:
        frac = np.concatenate([frac, (1.0 - F[-1])[None]], axis=0)
        k_all = kap
    arith = (frac * k_all[:, None]).sum(axis=0)
    harm = 1.0 / (frac / k_all[:, None]).sum(axis=0)
    # normal of the nearest interface at the face centre
    m = np.abs(mid[(slice(None),) + ii]).argmin(axis=0)
    g = np.empty((3, m.size))
    for e in range(3):
        gp = np.stack([grads[k][e][sl_p][ii] for k in range(n_iface)])
        gq = np.stack([grads[k][e][sl_q][ii] for k in range(n_iface)])
        g[e] = np.take_along_axis(0.5 * (gp + gq), m[None], 0)[0]
    nd2 = g[d] ** 2 / np.maximum((g * g).sum(axis=0), 1e-30)
    c[ii] = nd2 * harm + (1.0 - nd2) * arith


def _crossing(shape, coords, d, sl_p, mask, a, pa, qa, t, h, iters=4):
    """Fraction t of the link (from p) where the SDF of region ``a`` changes sign (secant)."""
    ii = np.nonzero(mask)
    base = np.stack([coords[e][sl_p[e]][ii[e]] for e in range(3)], axis=0)
    lo, hi, flo, fhi = np.zeros_like(t), np.ones_like(t), pa.copy(), qa.copy()
    for _ in range(iters):
        x = base.copy()
        x[d] += t * h
        f = np.empty_like(t)
        for k in np.unique(a):
            sel = a == k
            f[sel] = shape.regions[k].sdf(x[0][sel], x[1][sel], x[2][sel])
        left = np.sign(f) == np.sign(flo)
        lo, flo = np.where(left, t, lo), np.where(left, f, flo)
        hi, fhi = np.where(left, hi, t), np.where(left, fhi, f)
        t = np.clip(lo + (hi - lo) * flo / np.where(flo != fhi, flo - fhi, 1.0), lo, hi)
    return t


def _assemble(shape, coords, sym, h, kap, V, hard, subsamples, wall="quadratic",
              interface="link", potential="tent"):
    """Matrix pieces on the (reduced) grid.

    Returns the even-sector matrix (CSR, eV), the diagonal additions for odd
    parity on each symmetric plane, the active-node mask and region labels.
    """
    K = len(shape.regions)
    X, Y, Z = np.meshgrid(*coords, indexing="ij", sparse=True)
    dims = tuple(len(c) for c in coords)
    phi = np.empty((K,) + dims)
    for k, reg in enumerate(shape.regions):
        phi[k] = np.broadcast_to(reg.sdf(X, Y, Z), dims)
    label = np.full(dims, K, dtype=np.int16)
    for k in range(K - 1, -1, -1):
        label[phi[k] < 0] = k
    active = label < K if hard else np.ones(dims, dtype=bool)
    n = int(active.sum())
    if n == 0:
        raise QdlabInputError("resolution_nm is too coarse: no grid node lies inside the "
                              "nanocrystal")
    index = np.full(dims, -1, dtype=np.int64)
    index[active] = np.arange(n)
    kap_node = kap[label]

    # Band edge: node value, volume-averaged in cells cut by an interface.
    Vn = V[label].astype(float)
    tent = potential == "tent"
    near = (np.abs(phi) < (2.0 if tent else 1.0) * h).any(axis=0) & active
    if near.any() and subsamples > 1:
        ii = np.nonzero(near)
        pts = np.stack([coords[0][ii[0]], coords[1][ii[1]], coords[2][ii[2]]], axis=1)
        F = _cell_fractions(shape, pts, h, subsamples, tent=tent)
        frac = np.diff(np.concatenate([np.zeros((1, F.shape[1])), F]), axis=0)  # (K, M)
        if hard:
            tot = F[-1]
            good = tot > 1e-12
            avg = (frac * V[:K, None]).sum(axis=0)
            Vn[ii] = np.where(good, avg / np.where(good, tot, 1.0), Vn[ii])
        else:
            Vn[ii] = (frac * V[:K, None]).sum(axis=0) + (1.0 - F[-1]) * V[K]
    diag = np.where(active, Vn, 0.0)
    rows, cols, vals = [], [], []
    inv_h2 = 1.0 / (h * h)
    phiU = phi.min(axis=0) if hard else None
    lapU = _laplacian(phiU, h) if hard and wall == "quadratic" else None
    n_iface = K - 1 if hard else K
    grads = [np.gradient(phi[k], h) for k in range(n_iface)] if interface == "tensor" else None
    odd_diag = []
    for d in range(3):
        sl_p = [slice(None)] * 3
        sl_q = [slice(None)] * 3
        sl_p[d] = slice(0, dims[d] - 1)
        sl_q[d] = slice(1, dims[d])
        sl_p, sl_q = tuple(sl_p), tuple(sl_q)
        lp, lq = label[sl_p], label[sl_q]
        ap, aq = active[sl_p], active[sl_q]
        kp, kq = kap_node[sl_p], kap_node[sl_q]
        # Interior links: harmonic mean of kappa along the link.
        both = ap & aq
        c = np.where(lp == lq, kp, 0.0)
        diff = both & (lp != lq)
        if diff.any():
            a = np.minimum(lp, lq)[diff]
            pa = np.take_along_axis(phi[(slice(None),) + sl_p][:, diff], a[None, :].astype(np.int64), 0)[0]
            qa = np.take_along_axis(phi[(slice(None),) + sl_q][:, diff], a[None, :].astype(np.int64), 0)[0]
            t = np.clip(pa / (pa - qa), 0.0, 1.0)
            if interface == "exact":
                t = _crossing(shape, coords, d, sl_p, diff, a, pa, qa, t, h)
            c[diff] = 1.0 / (t / kp[diff] + (1.0 - t) / kq[diff])
        if interface == "tensor" and n_iface > 0 and subsamples > 1:
            _smooth_faces(shape, coords, phi, grads, n_iface, d, sl_p, sl_q, both, c, kap,
                          hard, h, subsamples)
        c = np.where(both, c, 0.0) * inv_h2
        ip, iq = index[sl_p][both], index[sl_q][both]
        cv = c[both]
        rows += [ip, iq]
        cols += [iq, ip]
        vals += [-cv, -cv]
        dp = np.zeros(dims)
        dp[sl_p] += c
        dp[sl_q] += c
        diag += dp
        # Hard wall crossing a link: symmetric ghost-point rule (Gibou et al. 2002).
        if hard:
            fp, fq = phiU[sl_p], phiU[sl_q]
            wall_p = ap & ~aq
            wall_q = aq & ~ap
            tp = np.where(wall_p, fp / np.where(wall_p, fp - fq, 1.0), 1.0)
            tq = np.where(wall_q, fq / np.where(wall_q, fq - fp, 1.0), 1.0)
            if wall == "quadratic":
                gp = _wall_gain(fp, fq, tp, lapU[sl_p], lapU[sl_q], wall_p)
                gq = _wall_gain(fq, fp, tq, lapU[sl_q], lapU[sl_p], wall_q)
            else:
                gp = 1.0 / np.maximum(tp, THETA_MIN)
                gq = 1.0 / np.maximum(tq, THETA_MIN)
            add = np.zeros(dims)
            add[sl_p] += np.where(wall_p, kp * gp, 0.0) * inv_h2
            add[sl_q] += np.where(wall_q, kq * gq, 0.0) * inv_h2
            diag += add
        # Outer box faces: psi = 0 half a cell beyond the last node.
        last = [slice(None)] * 3
        last[d] = dims[d] - 1
        diag[tuple(last)] += 2.0 * kap_node[tuple(last)] * inv_h2
        first = [slice(None)] * 3
        first[d] = 0
        if sym[d]:
            od = np.zeros(dims)
            od[tuple(first)] = 2.0 * kap_node[tuple(first)] * inv_h2
            odd_diag.append(od[active])
        else:
            diag[tuple(first)] += 2.0 * kap_node[tuple(first)] * inv_h2
            odd_diag.append(None)
    rows.append(np.arange(n))
    cols.append(np.arange(n))
    vals.append(diag[active])
    A = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(n, n))
    A.sum_duplicates()
    A.sort_indices()
    return A, odd_diag, active, label
