r"""Bio-imaging windows and composition flags (RoHS, toxicity) as design constraints.

NIR windows
-----------
Tissue absorbs and scatters least in the near infrared: the first window NIR-I,
650-950 nm (Smith, Mancini & Nie 2009; the range quoted by Cao et al. 2020), and the second
window NIR-II, 1000-1700 nm (Hong, Antaris & Dai 2017), with its sub-windows NIR-IIa,
1300-1400 nm, and NIR-IIb, 1500-1700 nm.  :func:`nir_windows` lists the windows that
contain an emission peak (edges inclusive) and the distance to the nearest edge of the others.

RoHS and toxicity
-----------------
The RoHS Directive 2011/65/EU (Annex II, as amended by Delegated Directive (EU) 2015/863)
restricts, by weight in each homogeneous material, Cd to 0.01 % (100 ppm) and Pb, Hg and
Cr(VI) to 0.1 % (1000 ppm).  The mass fraction of element :math:`X` in a layered nanocrystal
is

.. math::

    w_X = \frac{\sum_j \rho_j V_j\, w_{X,j}}{\sum_j \rho_j V_j},\qquad
    w_{X,j} = \frac{\nu_{X,j} A_X}{\sum_Y \nu_{Y,j} A_Y},

with :math:`V_j` the layer volumes, :math:`\rho_j` the densities of the material database,
:math:`\nu` the stoichiometric numbers of the formula and :math:`A` the standard atomic
weights (IUPAC 2021, :data:`ATOMIC_WEIGHTS`).  Ligands are not counted (they lower every
fraction); ``dot_mass_fraction`` scales the result to the homogeneous material the dots are
part of (a colour-conversion film, a polymer), which is what the directive applies to.
The flags do not evaluate the Annex III/IV exemptions, and chromium is flagged as
"Cr(VI) if hexavalent" (an element symbol carries no oxidation state).

Toxicity flags name the heavy metals and metalloids of the composition (Cd, Pb, Hg, As)
with a reason; they are screening flags, not a toxicological assessment.

References
----------
.. [1] Directive 2011/65/EU of the European Parliament and of the Council (RoHS 2),
   Annex II; Commission Delegated Directive (EU) 2015/863 (amending Annex II).
.. [2] A. M. Smith, M. C. Mancini, S. Nie, "Bioimaging: second window for in vivo imaging",
   Nat. Nanotechnol. 4, 710-711 (2009).
.. [3] G. Hong, A. L. Antaris, H. Dai, "Near-infrared fluorophores for biomedical imaging",
   Nat. Biomed. Eng. 1, 0010 (2017).
.. [4] J. Cao et al., "Recent progress in NIR-II contrast agent for biological imaging",
   Front. Bioeng. Biotechnol. 7, 487 (2020) (NIR-I 650-950 nm, NIR-II 1000-1700 nm).
.. [5] T. Prohaska et al., "Standard atomic weights of the elements 2021 (IUPAC Technical
   Report)", Pure Appl. Chem. 94, 573-600 (2022).

Examples
--------
>>> [w["name"] for w in nir_windows(1350.0) if w["inside"]]
['NIR-II', 'NIR-IIa']
>>> from qdlab.structures import parse_layers
>>> f = mass_fractions(parse_layers("CdSe", 4.0))
>>> round(f["Cd"], 4)
0.5874
"""

from __future__ import annotations

import math
import re

from qdlab.errors import QdlabInputError, check_range

__all__ = [
    "ATOMIC_WEIGHTS",
    "NIR_WINDOWS",
    "ROHS_LIMITS",
    "TOXIC_ELEMENTS",
    "composition_flags",
    "formula_mass_fractions",
    "layer_masses_g",
    "mass_fractions",
    "nir_windows",
    "rohs_flags",
    "safety_report",
]

#: Standard atomic weights (abridged / conventional values), g/mol, IUPAC 2021.
ATOMIC_WEIGHTS: dict[str, float] = {
    "Ag": 107.87, "As": 74.922, "Br": 79.904, "Cd": 112.41, "Cl": 35.45, "Cr": 51.996,
    "Cs": 132.91, "Cu": 63.546, "Ga": 69.723, "Ge": 72.630, "Hg": 200.59, "I": 126.90,
    "In": 114.82, "N": 14.007, "O": 15.999, "P": 30.974, "Pb": 207.2, "S": 32.06,
    "Sb": 121.76, "Se": 78.971, "Si": 28.085, "Te": 127.60, "Zn": 65.38,
}

#: RoHS 2011/65/EU Annex II maximum concentration by weight in homogeneous materials.
ROHS_LIMITS: dict[str, float] = {"Cd": 1e-4, "Pb": 1e-3, "Hg": 1e-3, "Cr": 1e-3}

#: Elements flagged as toxic with the reason.
TOXIC_ELEMENTS: dict[str, str] = {
    "Cd": "cadmium: carcinogenic (IARC group 1), accumulates in kidney; RoHS-restricted",
    "Pb": "lead: neurotoxic and reprotoxic; RoHS-restricted",
    "Hg": "mercury: neurotoxic; RoHS-restricted",
    "As": "arsenic: carcinogenic (IARC group 1); released on dissolution of arsenides",
}

#: Biological imaging windows (name -> (low nm, high nm, source)).
NIR_WINDOWS: dict[str, tuple[float, float, str]] = {
    "NIR-I": (650.0, 950.0, "Smith, Mancini & Nie 2009; Cao et al. 2020"),
    "NIR-II": (1000.0, 1700.0, "Hong, Antaris & Dai 2017; Cao et al. 2020"),
    "NIR-IIa": (1300.0, 1400.0, "Hong, Antaris & Dai 2017"),
    "NIR-IIb": (1500.0, 1700.0, "Hong, Antaris & Dai 2017"),
}

_TOKEN = re.compile(r"([A-Z][a-z]?)(\d*\.?\d*)")


def _formula_counts(formula: str) -> dict[str, float]:
    """Stoichiometric numbers of a plain formula (``"CsPbBr3"`` -> Cs 1, Pb 1, Br 3)."""
    pos, out = 0, {}
    for m in _TOKEN.finditer(formula):
        if m.start() != pos:
            break
        out[m.group(1)] = out.get(m.group(1), 0.0) + float(m.group(2) or 1.0)
        pos = m.end()
    if pos != len(formula) or not out:
        raise QdlabInputError(f"cannot read the formula {formula!r} (plain formulas only)")
    return out


def formula_mass_fractions(material) -> dict[str, float]:
    r"""Mass fraction of each element in a material (alloys: by their composition).

    Parameters
    ----------
    material : str or Material

    Returns
    -------
    dict
        Element -> :math:`w_X` (sums to 1).

    Examples
    --------
    >>> {k: round(v, 4) for k, v in formula_mass_fractions("ZnS").items()}
    {'Zn': 0.671, 'S': 0.329}
    """
    from qdlab.materials import get_material

    m = get_material(material) if isinstance(material, str) else material
    parts = [(p, x) for p, x in m.alloy_parts] if m.alloy_parts else [(m, 1.0)]
    moles: dict[str, float] = {}
    for part, x in parts:
        for el, nu in _formula_counts(part.name).items():
            moles[el] = moles.get(el, 0.0) + x * nu
    missing = [e for e in moles if e not in ATOMIC_WEIGHTS]
    if missing:
        raise QdlabInputError(f"no atomic weight for {', '.join(missing)}")
    mass = {e: n * ATOMIC_WEIGHTS[e] for e, n in moles.items()}
    tot = sum(mass.values())
    return {e: v / tot for e, v in mass.items()}


def layer_masses_g(structure) -> list[tuple[str, float]]:
    """(material name, mass in g) of each layer of a sphere / core-shell, core first."""
    radii = [0.0, *(float(r) for r in structure.radii_nm)]
    out = []
    for j, m in enumerate(structure.materials):
        v_cm3 = 4.0 / 3.0 * math.pi * (radii[j + 1] ** 3 - radii[j] ** 3) * 1e-21
        out.append((m.name, m.density_g_cm3 * v_cm3))
    return out


def mass_fractions(structure, dot_mass_fraction: float = 1.0) -> dict[str, float]:
    r"""Mass fraction of each element in a layered nanocrystal (module notes).

    Parameters
    ----------
    structure : Sphere or CoreShell
    dot_mass_fraction : float
        Mass fraction of the dots in the homogeneous material (1: the dots alone).

    Returns
    -------
    dict
        Element -> mass fraction.
    """
    check_range(dot_mass_fraction, "dot_mass_fraction", 0.0, 1.0)
    layers = layer_masses_g(structure)
    total = sum(mass for _, mass in layers)
    out: dict[str, float] = {}
    for (_, mass), mat in zip(layers, structure.materials, strict=True):
        for el, w in formula_mass_fractions(mat).items():
            out[el] = out.get(el, 0.0) + mass * w / total * float(dot_mass_fraction)
    return out


def rohs_flags(fractions: dict[str, float]) -> list[dict]:
    """RoHS Annex II check of element mass fractions: one dict per restricted element present."""
    out = []
    for el, limit in ROHS_LIMITS.items():
        w = fractions.get(el, 0.0)
        if w <= 0.0:
            continue
        name = "Cr(VI) if hexavalent" if el == "Cr" else el
        out.append({"element": el, "mass_fraction": w, "ppm": 1e6 * w, "limit_ppm": 1e6 * limit,
                    "exceeds": bool(w > limit),
                    "reason": f"{name}: {1e6 * w:.4g} ppm by weight "
                              f"{'>' if w > limit else '<='} {1e6 * limit:.0f} ppm "
                              "(RoHS 2011/65/EU Annex II)"})
    return out


def composition_flags(elements) -> list[dict]:
    """Toxicity flags of the elements present (:data:`TOXIC_ELEMENTS`)."""
    return [{"element": e, "reason": TOXIC_ELEMENTS[e]} for e in TOXIC_ELEMENTS
            if e in set(elements)]


def nir_windows(peak_nm: float) -> list[dict]:
    """Biological imaging windows and whether ``peak_nm`` (nm) lies inside each.

    Returns
    -------
    list of dict
        ``name``, ``low_nm``, ``high_nm``, ``inside``, ``distance_nm`` (0 inside, else to
        the nearest edge), ``source``.

    Examples
    --------
    >>> [w["inside"] for w in nir_windows(950.0)][:2]
    [True, False]
    """
    p = float(peak_nm)
    if not math.isfinite(p) or p <= 0:
        raise QdlabInputError(f"peak_nm must be a positive wavelength in nm, got {peak_nm}")
    out = []
    for name, (lo, hi, src) in NIR_WINDOWS.items():
        inside = lo <= p <= hi
        out.append({"name": name, "low_nm": lo, "high_nm": hi, "inside": inside,
                    "distance_nm": 0.0 if inside else min(abs(p - lo), abs(p - hi)),
                    "source": src})
    return out


def safety_report(structure, emission_peak_nm: float | None = None,
                  dot_mass_fraction: float = 1.0) -> dict:
    """RoHS mass fractions and flags, toxicity flags and NIR windows of one nanocrystal.

    Parameters
    ----------
    structure : Sphere or CoreShell
    emission_peak_nm : float, optional
        Emission peak for the window check, nm.
    dot_mass_fraction : float
        Mass fraction of the dots in the homogeneous material.

    Returns
    -------
    dict
        ``mass_fractions``, ``rohs`` (flags), ``rohs_compliant``, ``toxicity``,
        ``nir_windows`` (if a peak is given), ``layer_masses_g``.
    """
    w = mass_fractions(structure, dot_mass_fraction)
    rohs = rohs_flags(w)
    out = {"structure": structure.label, "dot_mass_fraction": float(dot_mass_fraction),
           "mass_fractions": w, "rohs": rohs,
           "rohs_compliant": not any(f["exceeds"] for f in rohs),
           "toxicity": composition_flags(w),
           "layer_masses_g": [{"material": n, "mass_g": m} for n, m in
                              layer_masses_g(structure)]}
    if emission_peak_nm is not None:
        wins = nir_windows(emission_peak_nm)
        out["emission_peak_nm"] = float(emission_peak_nm)
        out["nir_windows"] = wins
        out["in_windows"] = [x["name"] for x in wins if x["inside"]]
    return out
