r"""Vectorised photon transport of the luminescent-solar-concentrator Monte Carlo.

The private engine of :mod:`qdlab.devices.lsc`: every live photon takes one step per
iteration of a ``while`` loop, as numpy arrays (positions, directions, wavelength bin,
slab, flags).  Public names and the physics are documented in :mod:`qdlab.devices.lsc`.

Notes
-----
One step of a photon inside slab :math:`k` (thickness :math:`T_k`, index :math:`n_k`):

1. a free path :math:`s = -\ln U/\mu`, :math:`\mu = \alpha_{QD}(\lambda) +
   \alpha_{host} + \sigma_{scat}` (cm^-1);
2. the distance to the next edge face (ray-box intersection in x and y) and, for a
   photon inside the escape cone (:math:`|d_z| > \cos\theta_c`), to the next top or
   bottom face;
3. the nearest of the three is the event.  A photon outside the escape cone is
   totally reflected at every top/bottom hit (the faces border air: the gaps of a
   stack, the air gap of the back reflector, the world), so its z motion is
   *unfolded* (method of images): it moves in a straight line in x, y and its
   :math:`z` is folded back into :math:`[0, T_k]`.  A photon guided over a 100 cm
   slab therefore costs one step, not thousands of bounces.

Faces between a slab and air: unpolarised Fresnel reflectance (:func:`fresnel_unpolarised`);
a transmitted photon crosses a gap of zero thickness (its x, y are kept) to the next
surface (the slab above or below, the back reflector, or the world), where it is again
reflected or transmitted, until it enters a slab or leaves the device.
"""

from __future__ import annotations

import numpy as np

__all__ = ["OUTCOMES", "fresnel_unpolarised", "transport"]

#: Outcome codes of a photon history (index = code).
OUTCOMES = (
    "active", "pv_edge", "fresnel_entry", "escape_top", "escape_bottom", "escape_edge",
    "nonradiative", "host_absorption", "transmitted_unabsorbed", "scattered_out",
    "mirror_absorption", "trapped",
)
(ACTIVE, PV_EDGE, FRESNEL_ENTRY, ESCAPE_TOP, ESCAPE_BOTTOM, ESCAPE_EDGE, NONRAD, HOST,
 UNABSORBED, SCATTERED_OUT, MIRROR_LOSS, TRAPPED) = range(len(OUTCOMES))

#: Edge types (per slab, per face x-, x+, y-, y+).
EDGE_PV, EDGE_MIRROR, EDGE_AIR = 0, 1, 2


def fresnel_unpolarised(cos_i, n1, n2):
    r"""Unpolarised Fresnel reflectance from medium n1 into n2.

    Parameters
    ----------
    cos_i : array_like
        Cosine of the angle of incidence (0-1].
    n1, n2 : float or array_like
        Refractive indices of the incident and the other medium.

    Returns
    -------
    ndarray
        :math:`R = (r_s^2 + r_p^2)/2`; 1 beyond the critical angle (total internal
        reflection).

    Notes
    -----
    With :math:`\cos\theta_t = \sqrt{1 - (n_1/n_2)^2\sin^2\theta_i}`,

    .. math::

        r_s = \frac{n_1\cos\theta_i - n_2\cos\theta_t}{n_1\cos\theta_i + n_2\cos\theta_t},
        \qquad
        r_p = \frac{n_2\cos\theta_i - n_1\cos\theta_t}{n_2\cos\theta_i + n_1\cos\theta_t}.

    References
    ----------
    .. [1] M. Born and E. Wolf, *Principles of Optics*, 7th ed., Cambridge (1999),
       section 1.5.

    Examples
    --------
    >>> round(float(fresnel_unpolarised(1.0, 1.0, 1.5)), 4)   # normal incidence: 4 %
    0.04
    >>> float(fresnel_unpolarised(0.5, 1.5, 1.0))             # 60 deg > 41.8 deg: TIR
    1.0
    """
    ci = np.clip(np.abs(np.asarray(cos_i, dtype=float)), 0.0, 1.0)
    ratio = np.asarray(n1, dtype=float) / np.asarray(n2, dtype=float)
    sin2_t = ratio**2 * (1.0 - ci**2)
    tir = sin2_t >= 1.0
    ct = np.sqrt(np.clip(1.0 - sin2_t, 0.0, 1.0))
    a, b = ratio * ci, ct            # divide n1 n2 by n2: rs = (a - b)/(a + b)
    with np.errstate(invalid="ignore", divide="ignore"):
        rs = (a - b) / (a + b)
        rp = (ci - ratio * ct) / (ci + ratio * ct)
    r = 0.5 * (rs * rs + rp * rp)
    return np.where(tir, 1.0, np.nan_to_num(r, nan=1.0))


def _isotropic(rng, n):
    """n unit vectors uniformly on the sphere."""
    cz = rng.uniform(-1.0, 1.0, n)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    st = np.sqrt(1.0 - cz * cz)
    return st * np.cos(phi), st * np.sin(phi), cz


class _State:
    """Arrays of the live photons (compacted every step)."""

    __slots__ = ("pid", "x", "y", "z", "dx", "dy", "dz", "li", "slab", "absorbed",
                 "scattered", "events")

    def take(self, keep):
        for name in self.__slots__:
            setattr(self, name, getattr(self, name)[keep])

    def size(self):
        return self.pid.size


def transport(*, slabs, n_photons, wavelength_index, rng, back_reflector, mirror_reflectivity,
              max_events, spot=None):
    """Trace ``n_photons`` photons through a stack of slabs; see :mod:`qdlab.devices.lsc`.

    Parameters
    ----------
    slabs : sequence of dict
        Each with ``L``, ``W``, ``T`` (cm), ``n``, ``alpha`` (cm^-1 per wavelength bin),
        ``host`` and ``scat`` (cm^-1), ``qy``, ``cdf`` (emission CDF over the bins) and
        ``edges`` (4 edge codes).
    n_photons : int
        Incident photons (normal incidence, uniform over the top face).
    wavelength_index : ndarray of int
        Wavelength bin of each incident photon.
    rng : numpy.random.Generator
    back_reflector : bool
        Specular mirror below the last slab, across an air gap.
    mirror_reflectivity : float
        Reflectivity of the edge mirrors and of the back reflector.
    max_events : int
        Steps after which a photon still inside is counted as ``trapped``.
    spot : (float, float), optional
        Every photon enters at this (x, y) (cm) instead of uniformly over the top face.

    Returns
    -------
    dict
        ``outcome`` (code per photon), ``final_index`` (wavelength bin at the end),
        ``absorbed`` (bool per photon), ``edge_slab`` (slab of a PV-edge photon, -1
        otherwise), ``edge_face`` (edge 0-3 of a PV-edge photon: x=0, x=L, y=0, y=W; -1
        otherwise), ``absorptions`` (number of QD absorption events in total).
    """
    ns = len(slabs)
    L, W = slabs[0]["L"], slabs[0]["W"]
    T = np.array([s["T"] for s in slabs])
    nidx = np.array([s["n"] for s in slabs])
    alpha = np.stack([s["alpha"] for s in slabs])            # (ns, nbins)
    host = np.array([s["host"] for s in slabs])
    scat = np.array([s["scat"] for s in slabs])
    qy = np.array([s["qy"] for s in slabs])
    cdfs = [s["cdf"] for s in slabs]
    edges = np.array([s["edges"] for s in slabs], dtype=np.int8)   # (ns, 4)
    cos_c2 = 1.0 - 1.0 / nidx**2                                  # cos^2 of critical angle

    outcome = np.zeros(n_photons, dtype=np.int8)
    final_li = np.asarray(wavelength_index, dtype=np.int32).copy()
    absorbed_out = np.zeros(n_photons, dtype=bool)
    edge_slab = np.full(n_photons, -1, dtype=np.int16)
    edge_face = np.full(n_photons, -1, dtype=np.int8)
    n_abs = 0

    def finish(st, where, code):
        """Record outcome ``code`` for the live photons at indices ``where``."""
        ids = st.pid[where]
        outcome[ids] = code
        final_li[ids] = st.li[where]
        absorbed_out[ids] = st.absorbed[where]

    def escape_code(absorbed, scattered, up):
        """Outcome of a photon leaving the device through the top (up) or bottom."""
        code = np.where(up, ESCAPE_TOP, ESCAPE_BOTTOM)
        code = np.where(absorbed, code, np.where(scattered, SCATTERED_OUT, UNABSORBED))
        return code.astype(np.int8)

    # ---- entry: normal incidence on the top of slab 0 (Fresnel, unpolarised)
    st = _State()
    st.pid = np.arange(n_photons)
    if spot is None:
        st.x = rng.uniform(0.0, L, n_photons)
        st.y = rng.uniform(0.0, W, n_photons)
    else:
        st.x = np.full(n_photons, float(spot[0]))
        st.y = np.full(n_photons, float(spot[1]))
    st.z = np.full(n_photons, T[0])
    st.dx = np.zeros(n_photons)
    st.dy = np.zeros(n_photons)
    st.dz = -np.ones(n_photons)
    st.li = final_li.copy()
    st.slab = np.zeros(n_photons, dtype=np.int32)
    st.absorbed = np.zeros(n_photons, dtype=bool)
    st.scattered = np.zeros(n_photons, dtype=bool)
    st.events = np.zeros(n_photons, dtype=np.int32)
    r0 = float(fresnel_unpolarised(1.0, 1.0, nidx[0]))
    refl = rng.random(n_photons) < r0
    finish(st, np.flatnonzero(refl), FRESNEL_ENTRY)
    st.take(~refl)

    while st.size():
        n = st.size()
        k = st.slab
        Tk = T[k]
        mu_qd = alpha[k, st.li]
        mu = mu_qd + host[k] + scat[k]
        with np.errstate(divide="ignore", over="ignore"):
            s = -np.log1p(-rng.random(n)) / mu                  # inf where mu == 0
        # distances to the edge faces (ray-box intersection in x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            tx = np.where(st.dx > 0, (L - st.x) / st.dx,
                          np.where(st.dx < 0, -st.x / st.dx, np.inf))
            ty = np.where(st.dy > 0, (W - st.y) / st.dy,
                          np.where(st.dy < 0, -st.y / st.dy, np.inf))
        tedge = np.minimum(tx, ty)
        # top/bottom faces: only photons inside the escape cone stop there
        cone = st.dz * st.dz > cos_c2[k]
        with np.errstate(divide="ignore", invalid="ignore"):
            tz = np.where(cone, np.where(st.dz > 0, (Tk - st.z) / st.dz, -st.z / st.dz),
                          np.inf)
        t = np.minimum(np.minimum(s, tedge), tz)
        t = np.maximum(t, 0.0)
        ev_int = s <= np.minimum(tedge, tz)
        ev_edge = ~ev_int & (tedge <= tz)
        ev_z = ~ev_int & ~ev_edge
        # move (unfolded in z for guided photons)
        st.x = np.clip(st.x + t * st.dx, 0.0, L)
        st.y = np.clip(st.y + t * st.dy, 0.0, W)
        u = st.z + t * st.dz
        m = np.floor(u / Tk)
        odd = (m % 2) != 0
        r = u - m * Tk
        znew = np.where(odd, Tk - r, r)
        st.z = np.where(cone, np.clip(u, 0.0, Tk), np.clip(znew, 0.0, Tk))
        st.dz = np.where(~cone & odd, -st.dz, st.dz)
        st.events += 1
        done = np.zeros(n, dtype=bool)

        # ---- interactions in the bulk
        if ev_int.any():
            i = np.flatnonzero(ev_int)
            ki = k[i]
            uu = rng.random(i.size) * mu[i]
            is_qd = uu < mu_qd[i]
            is_host = ~is_qd & (uu < mu_qd[i] + host[ki])
            is_sc = ~is_qd & ~is_host
            # QD absorption: re-emission with probability QY
            q = i[is_qd]
            n_abs += q.size
            st.absorbed[q] = True
            emit = rng.random(q.size) < qy[k[q]]
            lost = q[~emit]
            finish(st, lost, NONRAD)
            done[lost] = True
            e = q[emit]
            if e.size:
                ke = k[e]
                ue = rng.random(e.size)
                newli = np.empty(e.size, dtype=np.int32)
                for j in range(ns):
                    sel = ke == j
                    if sel.any():
                        newli[sel] = np.minimum(np.searchsorted(cdfs[j], ue[sel], side="right"),
                                                cdfs[j].size - 1)
                st.li[e] = newli
                st.dx[e], st.dy[e], st.dz[e] = _isotropic(rng, e.size)
            h = i[is_host]
            finish(st, h, HOST)
            done[h] = True
            sc = i[is_sc]
            if sc.size:
                st.scattered[sc] = True
                st.dx[sc], st.dy[sc], st.dz[sc] = _isotropic(rng, sc.size)

        # ---- edge faces
        if ev_edge.any():
            i = np.flatnonzero(ev_edge)
            xface = tx[i] <= ty[i]
            face = np.where(xface, np.where(st.dx[i] > 0, 1, 0), np.where(st.dy[i] > 0, 3, 2))
            kind = edges[k[i], face]
            pv = i[kind == EDGE_PV]
            ids = st.pid[pv]
            edge_slab[ids] = k[pv]
            edge_face[ids] = face[kind == EDGE_PV]
            finish(st, pv, PV_EDGE)
            done[pv] = True
            # mirrors: specular with reflectivity R_m
            mi = kind == EDGE_MIRROR
            air = kind == EDGE_AIR
            cosn = np.where(xface, np.abs(st.dx[i]), np.abs(st.dy[i]))
            p_ref = np.where(mi, mirror_reflectivity,
                             fresnel_unpolarised(cosn, nidx[k[i]], 1.0))
            ref = (mi | air) & (rng.random(i.size) < p_ref)
            rx = i[ref & xface]
            ry = i[ref & ~xface]
            st.dx[rx] = -st.dx[rx]
            st.dy[ry] = -st.dy[ry]
            ml = i[mi & ~ref]
            finish(st, ml, MIRROR_LOSS)
            done[ml] = True
            out = i[air & ~ref]
            if out.size:
                codes = np.where(st.absorbed[out], ESCAPE_EDGE,
                                 np.where(st.scattered[out], SCATTERED_OUT, UNABSORBED))
                for c in np.unique(codes):
                    finish(st, out[codes == c], int(c))
                done[out] = True

        # ---- top/bottom faces (escape-cone photons): Fresnel, then the gaps
        if ev_z.any():
            i = np.flatnonzero(ev_z)
            pr = fresnel_unpolarised(st.dz[i], nidx[k[i]], 1.0)
            ref = rng.random(i.size) < pr
            st.dz[i[ref]] = -st.dz[i[ref]]
            tr = i[~ref]
            if tr.size:
                _through_gaps(st, tr, done, finish, escape_code, rng, nidx, T, ns,
                              back_reflector, mirror_reflectivity)

        stuck = ~done & (st.events >= max_events)
        finish(st, np.flatnonzero(stuck), TRAPPED)
        done |= stuck
        if done.any():
            st.take(~done)

    return {"outcome": outcome, "final_index": final_li, "absorbed": absorbed_out,
            "edge_slab": edge_slab, "edge_face": edge_face, "absorptions": n_abs}


def _through_gaps(st, tr, done, finish, escape_code, rng, nidx, T, ns, back_reflector,
                  mirror_reflectivity):
    """Photons ``tr`` leave their slab through the top or bottom into air.

    They cross zero-thickness air gaps to the next surface (the slab above or below,
    the back reflector, the world) with a Fresnel test at each slab they meet, until
    they enter a slab or leave the device.  Updates ``st`` in place.
    """
    # direction in air: tangential components times n (Snell), normal component
    k = st.slab[tr].copy()
    ax = st.dx[tr] * nidx[k]
    ay = st.dy[tr] * nidx[k]
    az_abs = np.sqrt(np.clip(1.0 - ax * ax - ay * ay, 0.0, 1.0))
    up = st.dz[tr] > 0
    cur = k.copy()                     # the slab just left
    idx = tr.copy()
    while idx.size:
        target = np.where(up, cur - 1, cur + 1)          # -1: world above; ns: below
        world_top = target < 0
        below = target >= ns
        # leaving the device
        leave = world_top | (below & (not back_reflector))
        if leave.any():
            li = idx[leave]
            codes = escape_code(st.absorbed[li], st.scattered[li], up[leave])
            for c in np.unique(codes):
                finish(st, li[codes == c], int(c))
            done[li] = True
        mirror = below & back_reflector
        keep = ~leave
        # the back reflector (in air): reflect or absorb
        if mirror.any():
            mref = rng.random(mirror.size) < mirror_reflectivity
            lost = mirror & ~mref
            if lost.any():
                finish(st, idx[lost], MIRROR_LOSS)
                done[idx[lost]] = True
                keep &= ~lost
            back = mirror & mref
            up = np.where(back, True, up)
            cur = np.where(back, ns, cur)               # coming from below the last slab
        # a slab: Fresnel from air
        slab_hit = keep & ~mirror
        tgt = np.clip(target, 0, ns - 1)
        refl = np.zeros(idx.size, dtype=bool)
        if slab_hit.any():
            pr = fresnel_unpolarised(az_abs, 1.0, nidx[tgt])
            refl = slab_hit & (rng.random(idx.size) < pr)
            enter = slab_hit & ~refl
            if enter.any():
                e = idx[enter]
                j = tgt[enter]
                nj = nidx[j]
                dx, dy = ax[enter] / nj, ay[enter] / nj
                dz = np.sqrt(np.clip(1.0 - dx * dx - dy * dy, 0.0, 1.0))
                going_up = up[enter]
                st.dx[e], st.dy[e] = dx, dy
                st.dz[e] = np.where(going_up, dz, -dz)
                st.z[e] = np.where(going_up, 0.0, T[j])
                st.slab[e] = j
            # reflected off the slab surface: back the other way, from that gap
            up = np.where(refl, ~up, up)
        # photons still in a gap: reflected off a slab, or sent back up by the mirror
        again = (refl | (mirror & keep))
        # after a reflection off slab `target` the photon travels back towards `cur`'s
        # other neighbour: it is now in the gap between cur and target, moving away from
        # target, i.e. it meets `cur` again; express that as leaving `target`
        cur = np.where(refl, target, cur)
        idx, ax, ay, az_abs, up, cur = (idx[again], ax[again], ay[again], az_abs[again],
                                        up[again], cur[again])
