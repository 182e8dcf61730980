r"""Finite-volume operator of the 3D grid solver: grid layout, carrier parameters, assembly.

Builds the cell-centred 7-point BenDaniel-Duke operator
:math:`-\nabla\\cdot(\\hbar^2/(2 m_0 m^*)\nabla) + V` of
:func:`qdlab.electronic.grid.solve_grid` on a uniform Cartesian grid, with the
curvature-corrected symmetric ghost-point wall rule of the hard-wall cells
(:func:`_wall_gain`) and sub-sampled volume fractions in
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


def _cell_fractions(shape, pts_cells, h, ns):
    """Cumulative union fractions F_k (k = 0..K-1) of each cell by sub-sampling."""
    K = len(shape.regions)
    off = ((np.arange(ns) + 0.5) / ns - 0.5) * h
    ox, oy, oz = (a.ravel() for a in np.meshgrid(off, off, off, indexing="ij"))
    delta = h / ns
    M = pts_cells.shape[0]
    F = np.empty((K, M))
    chunk = max(1, 2_000_000 // ns ** 3)
    for s in range(0, M, chunk):
        c = pts_cells[s:s + chunk]
        x = c[:, 0:1] + ox
        y = c[:, 1:2] + oy
        z = c[:, 2:3] + oz
        u = None
        for k, reg in enumerate(shape.regions):
            phi = reg.sdf(x, y, z)
            u = phi if u is None else np.minimum(u, phi)
            F[k, s:s + chunk] = np.clip(0.5 - u / delta, 0.0, 1.0).mean(axis=1)
    return F


def _cell_moments(shape, pts_cells, h, ns, V_all, V_out):
    r"""First moments of the band edge over the cells of nodes next to a material interface.

    Parameters
    ----------
    shape : Shape
        The regions (SDFs, nm) of the nanocrystal.
    pts_cells : ndarray, shape (M, 3)
        Node positions :math:`\mathbf x_i` (nm), the centres of the cells
        :math:`[-h/2, h/2]^3` around them.
    h : float
        Grid spacing (nm).
    ns : int
        Sub-samples per axis (the sub-cell linear ramp of :func:`_cell_fractions`).
    V_all : ndarray, shape (K,)
        Band edge of each region (eV).
    V_out : ndarray, shape (M,)
        Band edge given to the part of each cell outside the nanocrystal (eV): the
        node's own, so that the surface adds nothing (see :func:`_assemble`).

    Returns
    -------
    ndarray, shape (3, M)
        :math:`\mathbf m_i = h^{-3}\int_{\rm cell} V(\mathbf x)(\mathbf x - \mathbf x_i)\,d^3x`
        (eV nm); zero for a cell of one material.

    Notes
    -----
    Used by :func:`_assemble` for the first-order term of the potential energy of a
    cut cell, :math:`\int_{\rm cell} V\psi^2 = \psi_i^2\int_{\rm cell} V
    + 2\psi_i\nabla\psi_i\cdot\int_{\rm cell} V(\mathbf x - \mathbf x_i) + O(h^5)`.
    """
    off = ((np.arange(ns) + 0.5) / ns - 0.5) * h
    ox, oy, oz = (a.ravel() for a in np.meshgrid(off, off, off, indexing="ij"))
    delta = h / ns
    M = pts_cells.shape[0]
    mom = np.empty((3, M))
    chunk = max(1, 2_000_000 // ox.size)
    for s in range(0, M, chunk):
        c = pts_cells[s:s + chunk]
        x, y, z = c[:, 0:1] + ox, c[:, 1:2] + oy, c[:, 2:3] + oz
        u = None
        Fprev = 0.0
        Vs = np.zeros(x.shape)
        for k, reg in enumerate(shape.regions):
            f = reg.sdf(x, y, z)
            u = f if u is None else np.minimum(u, f)
            Fk = np.clip(0.5 - u / delta, 0.0, 1.0)
            Vs += (Fk - Fprev) * V_all[k]
            Fprev = Fk
        Vs += (1.0 - Fprev) * V_out[s:s + chunk, None]
        for e, o in enumerate((ox, oy, oz)):
            mom[e, s:s + chunk] = (Vs * o).mean(axis=1)
    return mom


def _wall_laplacian(shape, coords, d, sl, mask, t, h, sign, frac=0.25):
    """Laplacian (nm^-1) of the nanocrystal's SDF at the wall point of each link in ``mask``.

    The wall point is ``t h`` from the inside node along axis ``d`` (``sign`` +1:
    the inside node is the link's first, -1: its second); 7-point central
    differences of the union SDF with the step ``frac * h``, small so that a
    point on a flat face next to an edge sees the flat face (0), not the
    rounded distance field outside the edge.
    """
    out = np.zeros(mask.shape)
    if not mask.any():
        return out
    ii = np.nonzero(mask)
    x = [coords[e][sl[e]][ii[e]].astype(float) for e in range(3)]
    x[d] = x[d] + sign * t[ii] * h
    dl = frac * h

    def U(a, b, c):
        u = None
        for reg in shape.regions:
            f = reg.sdf(a, b, c)
            u = f if u is None else np.minimum(u, f)
        return u

    f0 = U(*x)
    lap = -6.0 * f0
    for e in range(3):
        for sgn in (1.0, -1.0):
            y = list(x)
            y[e] = y[e] + sgn * dl
            lap = lap + U(*y)
    out[ii] = lap / (dl * dl)
    return out


def _wall_gain(fi, fo, L, mask):
    r"""Diagonal factor ``g = 1 - psi_ghost / psi_i`` of a link from an inside node to a hard wall.

    Parameters
    ----------
    fi, fo : ndarray
        Signed distance (nm, < 0 inside) of the inside node i and of the outside
        node o of the link.
    L : ndarray
        Laplacian of the signed distance at the wall point of the link (nm^-1),
        from :func:`_wall_laplacian`.
    mask : ndarray of bool
        Links that cross the wall (``g = 1`` elsewhere, unused there).

    Returns
    -------
    ndarray
        ``g``, at most ``1 / THETA_MIN``; the link's diagonal term is
        ``kappa g / h^2`` (the ghost value never enters the matrix, which stays symmetric).

    Notes
    -----
    Near the wall the envelope is taken as a function of the signed distance
    :math:`\phi` alone, :math:`\psi \approx c\,F(\phi)`, with
    :math:`F(\phi) = -\phi + \tfrac12 L\phi^2`.  :math:`F(0) = 0` is the wall
    condition and :math:`L` follows from the equation itself: on the wall
    :math:`\psi = 0`, so :math:`(E - V)\psi/\kappa = 0` there and
    :math:`\nabla^2\psi = c\,(F''|\nabla\phi|^2 + F'\nabla^2\phi) = c\,(L - \nabla^2\phi) = 0`,
    i.e. :math:`L = \nabla^2\phi` on the wall (the sum of the principal
    curvatures of the surface for an exact SDF; 0 on a flat face).  The ghost
    value on the outside node is :math:`\psi_o = \psi_i F(\phi_o)/F(\phi_i)`, and
    the link's contribution :math:`\kappa(\psi_i - \psi_o)/h^2` becomes the
    diagonal term :math:`\kappa g \psi_i/h^2` with

    .. math::

        g = 1 - \frac{F(\phi_o)}{F(\phi_i)} .

    With :math:`L = 0` this is the linear symmetric ghost-point rule of Gibou et
    al. [1]_, :math:`g = 1/\theta` with :math:`\theta = \phi_i/(\phi_i - \phi_o)`
    (the Shortley-Weller [2]_ distance weighting of the wall neighbour, lumped on
    the diagonal).  The linear rule drops the curvature of the envelope along a
    link that meets a curved wall obliquely, an O(h^2) error of the level whose
    coefficient depends on where the wall cuts each link, so it jumps from one
    spacing to the next (``error / h^2`` of the hard-wall capsule of
    ``benchmarks/bench_grid.py`` -5.3 ... -6.7 %/nm^2 between h = 0.4 and
    0.15 nm) and spoils the Richardson step; with the curvature term the
    coefficient is flat (-8.64 ... -8.71 %/nm^2; the hard-wall sphere -5.47 ...
    -5.48 against -3.22 ... -3.36 %/nm^2), see ``tests/test_grid_wall.py``.
    :math:`L` is clipped to :math:`|L| \le 1/\max(|\phi_i|, |\phi_o|)` so that
    :math:`F` stays monotonic on the link (edges and corners, where the SDF is
    not smooth).

    References
    ----------
    .. [1] F. Gibou, R. P. Fedkiw, L.-T. Cheng, M. Kang, "A second-order-accurate
       symmetric discretization of the Poisson equation on irregular domains",
       J. Comput. Phys. 176, 205 (2002).
    .. [2] G. H. Shortley, R. Weller, "The numerical solution of Laplace's
       equation", J. Appl. Phys. 9, 334 (1938).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        span = np.maximum(np.abs(fi), np.abs(fo))
        L = np.clip(L, -1.0 / span, 1.0 / span)
        Fi = -fi + 0.5 * L * fi * fi
        Fo = -fo + 0.5 * L * fo * fo
        g = 1.0 - Fo / Fi
    g = np.where(mask, g, 1.0)
    return np.minimum(g, 1.0 / THETA_MIN)


def _assemble(shape, coords, sym, h, kap, V, hard, subsamples, wall="quadratic",
              potential="moment"):
    r"""Matrix pieces on the (reduced) grid.

    ``potential`` is the band-edge rule in cells cut by an interface between two
    regions of the nanocrystal: ``"moment"`` (default) or ``"box"`` (the cell
    average alone, used before; kept for comparison and tests).  With ``"box"`` the
    potential energy of node i is :math:`\bar V_i\psi_i^2 h^3`, :math:`\bar V_i` the
    average of the band edge over the cell :math:`[-h/2, h/2]^3` of the node; the
    envelope's variation across a cut cell is dropped, an O(h) relative error in
    each of the O(h^-2) cut cells whose sum, O(h^2), jumps with the cut pattern
    from one spacing to the next and spoils the Richardson step.  ``"moment"`` adds
    the first-order term of :math:`\int_{\rm cell} V\psi^2`,

    .. math::

        2\psi_i\,\nabla\psi_i\cdot\mathbf m_i , \qquad
        \mathbf m_i = h^{-3}\int_{\rm cell} V(\mathbf x)(\mathbf x - \mathbf x_i)\,d^3x

    (:func:`_cell_moments`), with the central difference
    :math:`\partial_d\psi_i = (\psi_{i+d} - \psi_{i-d})/(2h)`.  Summed over the nodes
    and symmetrised, it is a coupling :math:`(m_{i,d} - m_{i+d,d})/(2h)` on the link
    from i to i + d (eV): the matrix keeps its 7-point pattern and stays symmetric,
    and a cell of one material (:math:`\mathbf m_i = 0`) is unchanged.  On a mirror
    plane of the reduced grid the mirror neighbour (:math:`\psi_{-1} = \pm\psi_0`,
    :math:`m_{-1} = -m_0`) gives the diagonal term :math:`\mp m_{0,d}/h`.  The rule
    is the same idea as sub-pixel smoothing [1]_ (choose the cut-cell terms so that
    the first-order error of the interface vanishes), here for the potential term.
    It applies to interfaces inside the nanocrystal only: at its surface, a barrier
    of several eV with the free-electron mass, the envelope decays over ~0.1 nm,
    not linearly across a cell, and the first-order term would overshoot (the 1S
    of a 3 nm CdSe-like sphere in a 4 eV barrier at h = 0.1 nm: -0.29 % with it,
    < 0.1 % without), so the surface keeps the cell average.

    Measured (``tests/test_grid_wall.py``; core radius 1.25 nm, m* 0.13, band
    edge 0, in a hard-wall sphere of 3 nm, m* 0.20, band edge 0.25 eV, centred off
    the grid; exact radial 1S): Richardson-extrapolated error at h = 0.35, 0.3,
    0.25, 0.2, 0.15 nm +0.018, -0.009, -0.035, -0.002, -0.008 % with ``"moment"``,
    -0.004, +0.156, -0.016, +0.015, -0.011 % with ``"box"``; the off-centre
    dot-in-rod of ``benchmarks/bench_fem.py`` within 0.035 % from h = 0.35 nm on
    (with ``"box"`` only from h = 0.25 nm).

    ``wall`` is the hard-wall rule: ``"quadratic"`` (default, curvature-corrected,
    :func:`_wall_gain`) or ``"linear"`` (the ghost-point rule of Gibou et al. 2002,
    ``kappa / (theta h^2)``, used before; kept for comparison and tests).

    Returns the even-sector matrix (CSR, eV), the diagonal additions for odd
    parity on each symmetric plane, the active-node mask and region labels.

    References
    ----------
    .. [1] C. Kottke, A. Farjadpour, S. G. Johnson, "Perturbation theory for
       anisotropic dielectric interfaces, and application to subpixel smoothing
       of discretized numerical methods", Phys. Rev. E 77, 036611 (2008).

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
    # (next to a hard wall only the one material inside counts: interfaces only)
    near = (np.abs(phi[:K - 1] if hard else phi) < h).any(axis=0) & active
    if near.any() and subsamples > 1:
        ii = np.nonzero(near)
        pts = np.stack([coords[0][ii[0]], coords[1][ii[1]], coords[2][ii[2]]], axis=1)
        F = _cell_fractions(shape, pts, h, subsamples)
        frac = np.diff(np.concatenate([np.zeros((1, F.shape[1])), F]), axis=0)  # (K, M)
        if hard:
            tot = F[-1]
            good = tot > 1e-12
            avg = (frac * V[:K, None]).sum(axis=0)
            Vn[ii] = np.where(good, avg / np.where(good, tot, 1.0), Vn[ii])
        else:
            Vn[ii] = (frac * V[:K, None]).sum(axis=0) + (1.0 - F[-1]) * V[K]
    diag = np.where(active, Vn, 0.0)
    mom = None
    if potential == "moment" and subsamples > 1 and K > 1:
        # interfaces between the nanocrystal's regions only (not its surface)
        cutm = (np.abs(phi[:K - 1]) < h).any(axis=0) & active & (label < K)
        if cutm.any():
            ii = np.nonzero(cutm)
            pts = np.stack([coords[0][ii[0]], coords[1][ii[1]], coords[2][ii[2]]], axis=1)
            mom = np.zeros((3,) + dims)
            mom[(slice(None),) + ii] = _cell_moments(shape, pts, h, subsamples,
                                                     V[:K].astype(float), V[label[ii]])
    rows, cols, vals = [], [], []
    inv_h2 = 1.0 / (h * h)
    phiU = phi.min(axis=0) if hard else None
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
            c[diff] = 1.0 / (t / kp[diff] + (1.0 - t) / kq[diff])
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
        if mom is not None:
            # first-moment correction of the lumped band edge in cut cells
            w = (mom[d][sl_p] - mom[d][sl_q]) / (2.0 * h)
            wv = w[both]
            rows += [ip, iq]
            cols += [iq, ip]
            vals += [wv, wv]
        # Hard wall crossing a link: symmetric ghost-point rule (Gibou et al. 2002),
        # curvature-corrected (see _wall_gain).
        if hard:
            fp, fq = phiU[sl_p], phiU[sl_q]
            wall_p = ap & ~aq
            wall_q = aq & ~ap
            tp = np.where(wall_p, fp / np.where(wall_p, fp - fq, 1.0), 1.0)
            tq = np.where(wall_q, fq / np.where(wall_q, fq - fp, 1.0), 1.0)
            if wall == "quadratic":
                Lp = _wall_laplacian(shape, coords, d, sl_p, wall_p, tp, h, +1.0)
                Lq = _wall_laplacian(shape, coords, d, sl_q, wall_q, tq, h, -1.0)
                gp = _wall_gain(fp, fq, Lp, wall_p)
                gq = _wall_gain(fq, fp, Lq, wall_q)
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
            if mom is not None:
                # link to the mirror node (psi_-1 = +-psi_0, moment -m_0): -+ m_0 / h
                diag[tuple(first)] -= mom[d][tuple(first)] / h
                od[tuple(first)] += 2.0 * mom[d][tuple(first)] / h
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
