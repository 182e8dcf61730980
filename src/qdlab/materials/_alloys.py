"""Pseudo-binary alloys A(1-x)B(x) of two database materials.

Examples
--------
>>> from qdlab.materials import alloy, get_material
>>> m = alloy("CdSe", "CdS", 0.5)
>>> a, b = get_material("CdSe"), get_material("CdS")
>>> bow = 0.28   # CdSe-CdS bowing in alloys.toml (Wei, Zhang & Zunger 2000)
>>> abs(m.band_gap(300) - (0.5 * a.band_gap(300) + 0.5 * b.band_gap(300) - bow * 0.25)) < 1e-12
True
>>> alloy("CdSe", "CdS", 1.5)
Traceback (most recent call last):
...
qdlab.errors.QdlabInputError: x must be in [0, 1], got 1.5
"""

from __future__ import annotations

import math

from qdlab.errors import QdlabInputError, check_range
from qdlab.materials._database import _bowing_entry, get_material
from qdlab.materials._material import Material

_HEX = ("wurtzite", "hexagonal")


def _hex_equivalent(m: Material) -> tuple[float, float]:
    """(a, c) of the hexagonal lattice of ``m``; for a cubic (zb) lattice the ideal
    equivalent a_hex = a/sqrt(2), c = 2 a/sqrt(3) (same bond geometry)."""
    if m.lattice_c_nm is not None:
        return m.lattice_constant_nm, m.lattice_c_nm
    a = m.lattice_constant_nm
    return a / math.sqrt(2.0), 2.0 * a / math.sqrt(3.0)


def _cubic_equivalent(m: Material) -> float:
    if m.lattice_c_nm is None:
        return m.lattice_constant_nm
    # a_cubic = sqrt(2) a_hex (ideal c/a), as in _hex_equivalent
    return math.sqrt(2.0) * m.lattice_constant_nm

def _alloy_bowing(ma, mb, bowing_eV):
    """(bowing eV, its source key or "user" or None, gap kind) of the pair."""
    entry = _bowing_entry(ma, mb)
    kind = entry.gap if entry is not None else "fundamental"
    if bowing_eV is not None:
        bow, bow_src = float(bowing_eV), "user"
    elif entry is not None:
        bow, bow_src = entry.band_gap_bowing_eV, entry.source
    else:
        bow, bow_src = 0.0, None
    return bow, bow_src, kind


def _alloy_lattice(ma, mb, major, lin):
    """Interpolated lattice constants (a, c) in nm in the majority member's lattice."""
    if major.crystal_structure in _HEX:
        (aa, ca), (ab, cb) = _hex_equivalent(ma), _hex_equivalent(mb)
        lat_a, lat_c = lin(aa, ab), lin(ca, cb)
    else:
        lat_a, lat_c = lin(_cubic_equivalent(ma), _cubic_equivalent(mb)), None
    return lat_a, lat_c


def _alloy_sources(ma, mb, bow_src):
    """Source keys of every field of the alloy (both end members, plus the bowing)."""
    srcs = {}
    for fld in set(ma.sources) | set(mb.sources):
        s = [k for k in (ma.sources.get(fld), mb.sources.get(fld)) if k]
        srcs[fld] = " + ".join(dict.fromkeys(s))
    gap_src = [ma.sources.get("band_gap"), mb.sources.get("band_gap")]
    if bow_src:
        gap_src.append(bow_src)
    srcs["band_gap"] = " + ".join(dict.fromkeys(k for k in gap_src if k and k != "user"))
    return srcs


def alloy(a, b, x: float, bowing_eV: float | None = None) -> Material:
    """The alloy A(1-x)B(x): x is the fraction of the SECOND material.

    Parameters
    ----------
    a, b : str or Material
        The end members (names, keys or Materials).
    x : float
        Fraction of ``b``, in [0, 1] (dimensionless).
    bowing_eV : float, optional
        Band-gap bowing parameter b in eV; default: the value in ``alloys.toml``
        for this pair (0 if none is stored).

    Returns
    -------
    Material
        A material whose key is e.g. ``'CdSe-wz_0.7+CdS-wz_0.3'``.

    Notes
    -----
    Band gap (at every temperature):
    :math:`E_g(x, T) = (1-x) E_g^A(T) + x E_g^B(T) - b\\,x(1-x)`.
    Where the stored bowing refers to the direct (Gamma) gap (``gap = "direct"``
    in ``alloys.toml``, e.g. InP-GaP), the end members' direct gaps are used:
    the result is the Gamma gap, which is the fundamental gap only on the
    direct side of the Gamma-X crossover (Ga fraction below ~0.63 at 300 K for
    In(1-x)Ga(x)P).
    Every other property is interpolated linearly (Vegard's law): masses,
    Luttinger and Kane parameters, dielectric constants, electron affinity (so
    the bowing goes into the valence-band edge), lattice constants, molar mass;
    the density is M(x) / V(x) with the molar volume interpolated linearly.
    If one end member is hexagonal and the other cubic, the lattice of the
    majority member is kept and the other's lattice constant is converted to
    the ideal equivalent (a_hex = a_zb/sqrt(2), c = 2 a_zb/sqrt(3)).

    References
    ----------
    L. Vegard, Z. Phys. 5, 17 (1921); bowing parameters: ``alloys.toml``.

    Examples
    --------
    >>> alloy("CdSe", "CdS", 0.0).band_gap(300) == get_material("CdSe").band_gap(300)
    True
    """
    check_range(x, "x", 0.0, 1.0)
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        raise QdlabInputError(f"x must be a number in [0, 1], got {x!r}")
    x = float(x)
    ma, mb = get_material(a), get_material(b)
    bow, bow_src, kind = _alloy_bowing(ma, mb, bowing_eV)

    def lin(fa, fb):
        return (1.0 - x) * fa + x * fb

    def lin_opt(name):
        va, vb = getattr(ma, name), getattr(mb, name)
        if va is None or vb is None:
            return None
        return lin(va, vb)

    major = ma if x <= 0.5 else mb
    lat_a, lat_c = _alloy_lattice(ma, mb, major, lin)
    lutt = None
    if ma.luttinger is not None and mb.luttinger is not None:
        lutt = tuple(lin(ga, gb) for ga, gb in zip(ma.luttinger, mb.luttinger, strict=True))
    molar = lin(ma.molar_mass_g_mol, mb.molar_mass_g_mol)
    vol = lin(ma.molar_volume_cm3_mol, mb.molar_volume_cm3_mol)
    elements = tuple(dict.fromkeys(ma.elements + mb.elements))
    srcs = _alloy_sources(ma, mb, bow_src)
    return Material(
        key=f"{ma.key}_{1 - x:.4g}+{mb.key}_{x:.4g}",
        name=f"({ma.name})1-x({mb.name})x, x={x:.4g}",
        phase=major.phase,
        crystal_structure=major.crystal_structure,
        elements=elements,
        band_gap_model="alloy",
        band_gap_params=(bow, x),
        electron_mass=lin(ma.electron_mass, mb.electron_mass),
        hole_mass=lin(ma.hole_mass, mb.hole_mass),
        hole_mass_definition=f"linear interpolation of the end members' hole_mass "
                             f"({ma.key}: {ma.hole_mass_definition}; "
                             f"{mb.key}: {mb.hole_mass_definition})",
        heavy_hole_mass=lin_opt("heavy_hole_mass"),
        light_hole_mass=lin_opt("light_hole_mass"),
        luttinger=lutt,
        kane_energy_eV=lin_opt("kane_energy_eV"),
        spin_orbit_eV=lin_opt("spin_orbit_eV"),
        eps_static=lin(ma.eps_static, mb.eps_static),
        eps_inf=lin(ma.eps_inf, mb.eps_inf),
        electron_affinity_eV=lin(ma.electron_affinity_eV, mb.electron_affinity_eV),
        lattice_constant_nm=lat_a,
        lattice_c_nm=lat_c,
        density_g_cm3=molar / vol,
        molar_mass_g_mol=molar,
        sources=srcs,
        composition=((ma.key, 1.0 - x), (mb.key, x)),
        alloy_parts=((ma, 1.0 - x), (mb, x)),
        notes={"alloy_gap_kind": kind},
        gap_type="direct" if kind == "direct" else (
            "indirect" if "indirect" in (ma.gap_type, mb.gap_type) and major.gap_type == "indirect"
            else "direct"),
    )
