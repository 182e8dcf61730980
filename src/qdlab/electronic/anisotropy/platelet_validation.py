r"""CdSe nanoplatelets against the measured heavy- and light-hole absorption peaks.

:func:`validate_cdse_platelets` compares :func:`qdlab.electronic.anisotropy.platelets.
platelet_band_edge` (bulk parameters, nothing fitted) with the zinc-blende CdSe series of
Ithurria et al. 2011 (``qdlab/_data/platelets_cdse.csv``), per thickness; the model and its
validation table are described in :mod:`qdlab.electronic.anisotropy.platelets`.
``python -m qdlab.electronic.anisotropy.platelets`` prints the table and its variants.

Validation (no parameter fitted to the platelet peaks)
------------------------------------------------------
Measured room-temperature absorption peaks of Ithurria et al. 2011 [1]_
(``qdlab/_data/platelets_cdse.csv``), model - measured in eV;
``python -m qdlab.electronic.anisotropy.platelets`` prints these tables
(:func:`platelet_validation_table`) for the default and each variant:

=====  =====  =====  ==========  ==========  ===========  ===========  =============  =========
 n.5   hh nm  lh nm  default hh  default lh  diagonal hh  diagonal lh  first version  m_b = m0
=====  =====  =====  ==========  ==========  ===========  ===========  =============  =========
 2.5   394    --     +0.089      --          +0.043       --           -0.261         -0.279
 3.5   462    435    +0.030      +0.049      +0.001       +0.038       -0.241         -0.251
 4.5   512    480    -0.003      -0.008      -0.023       -0.020       -0.211         -0.218
 5.5   550    514    -0.021      -0.049      -0.037       -0.063       -0.184         -0.189
 rms                 0.048       0.040       0.031        0.044        0.226          0.237
=====  =====  =====  ==========  ==========  ===========  ===========  =============  =========

(heavy hole unless marked lh; "diagonal": the subband dispersions without the spinor
overlaps in the Coulomb term and without the HH1-LH1 coupling, ``spinor_overlaps=False``;
"first version": m_b = m0, two-band Kane electron, band-edge in-plane masses; the
m_b = m0 columns use the band-edge in-plane masses, ``inplane="subband"`` needs the
no-mass-step barrier.)  Both lines meet the 0.05 eV RMS goal; per line, the 2.5 ML heavy
hole does not (+0.089 eV) and the light-hole lines of 3.5 and 5.5 ML are at its edge
(+0.049, -0.049 eV).  The diagonal approximation is closer on the heavy hole but binds
16-46 meV more than its own model allows (it keeps the heavier mixed masses without the
overlaps that come with them), so it is not the default.  The variants, one change from
the default at a time: band-edge in-plane masses (``inplane="band-edge"``, no mixing at
all), hh rms 0.053 eV (+0.098 eV at 2.5 ML), lh 0.034 eV; two-band Kane electron, hh rms
0.095 eV; light hole without split-off mixing, lh rms 0.148 eV (+0.235 eV at 3.5 ML);
hard walls, hh rms 0.68 eV; no self-energy, 0.28 eV; ``eps_static``, 0.11 eV.

Where the model fails
---------------------
The light-hole lines fall faster with thickness than measured: +0.049 eV at 3.5 ML,
-0.049 eV at 5.5 ML (the model's line moves by 0.54 eV from 3.5 to 5.5 ML, the measured
one by 0.44 eV; heavy hole 0.48 against 0.43 eV).  2.5 ML (5 atomic planes, 0.76 nm):
the heavy-hole line is 0.089 eV too blue; the electron sits 1.2 eV above the band edge,
where neither the three-band dispersion nor a continuum image potential is reliable,
and the self-energy is averaged with the hard-wall envelope although the finite-barrier
envelope leaks into the ligands.  The remaining
candidates, not included: the ligand-induced surface stress (in-plane strain and its deformation
potential, found essential by [2]_), and the barrier height of the ligand
(the default 4 eV is the medium's generic value; 3 eV for both carriers would
move the 2.5 ML line by -0.12 eV and the 5.5 ML line by -0.03 eV).

CdS and CdTe platelets: no measured peaks have been verified against their source yet
(see ``qdlab/_data/README.md``); the model runs for ``"CdTe"`` (zinc blende,
Luttinger parameters in the database).  The database has no zinc-blende CdS
record: a CdS platelet is refused unless the cubic lattice constant is given
(``lattice_constant_nm``); it then runs on the wurtzite record's parameters with the
two-band electron mass and a single hole mass (with warnings).

References
----------
.. [1] S. Ithurria, M. D. Tessier, B. Mahler, R. P. S. M. Lobo, B. Dubertret and
   Al. L. Efros, Nat. Mater. 10, 936 (2011). Bibliography ``ithurria2011``.
.. [2] GW/Bethe-Salpeter study of 2-7 ML CdSe nanoplatelets, University of Chicago
   Knowledge repository, https://knowledge.uchicago.edu/record/13467 (abstract read:
   finite barrier, energy-dependent masses and surface stress needed for an
   effective-mass model to reproduce the first-principles levels).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from importlib import resources

from qdlab.constants import HC_EV_NM
from qdlab.electronic.anisotropy.platelets import platelet_band_edge

__all__ = ["PlateletReference", "cdse_platelet_reference", "platelet_validation_table",
           "validate_cdse_platelets"]

@dataclass(frozen=True)
class PlateletReference:
    """One measured platelet: anion planes n, heavy-/light-hole absorption peaks (nm, eV), source."""

    label: str
    monolayers: int
    hh_absorption_nm: float
    hh_absorption_eV: float
    source: str
    lh_absorption_nm: float | None = None
    lh_absorption_eV: float | None = None


def cdse_platelet_reference() -> list[PlateletReference]:
    """The measured zinc-blende CdSe platelet series (``qdlab/_data/platelets_cdse.csv``).

    References
    ----------
    .. [1] S. Ithurria, M. D. Tessier, B. Mahler, R. P. S. M. Lobo, B. Dubertret,
       Al. L. Efros, Nat. Mater. 10, 936 (2011). Bibliography ``ithurria2011``.

    Examples
    --------
    >>> [r.label for r in cdse_platelet_reference()]
    ['2.5 ML', '3.5 ML', '4.5 ML', '5.5 ML']
    >>> [r.lh_absorption_nm for r in cdse_platelet_reference()]
    [None, 435.0, 480.0, 514.0]
    """
    text = resources.files("qdlab").joinpath("_data", "platelets_cdse.csv").read_text()
    rows = [r for r in csv.DictReader(line for line in text.splitlines()
                                      if not line.startswith("#"))]
    out = []
    for r in rows:
        hh = float(r["hh_absorption_nm"])
        lh = float(r["lh_absorption_nm"]) if r.get("lh_absorption_nm") else None
        out.append(PlateletReference(r["label"], int(r["monolayers"]), hh, HC_EV_NM / hh,
                                     r["source"], lh, None if lh is None else HC_EV_NM / lh))
    return out


def validate_cdse_platelets(**options) -> list[dict]:
    """Model vs measured CdSe platelet heavy- and light-hole transitions (no fitted parameter).

    Parameters
    ----------
    **options
        Passed to :func:`platelet_band_edge` (e.g. ``thickness_convention``).

    Returns
    -------
    list of dict
        Per platelet: label, n, measured and model nm / eV of the heavy-hole line,
        error (model - measured) eV; the same for the light-hole line with ``lh_``
        keys (None where no measurement is at hand).

    See Also
    --------
    cdse_platelet_reference : the measured series.
    platelet_validation_table : the printed comparison.

    References
    ----------
    .. [1] S. Ithurria, M. D. Tessier, B. Mahler, R. P. S. M. Lobo, B. Dubertret,
       Al. L. Efros, Nat. Mater. 10, 936 (2011). Bibliography ``ithurria2011``.
    .. [2] S. Ithurria and B. Dubertret, J. Am. Chem. Soc. 130, 16504 (2008). Bibliography ``ithurria2008``.
    .. [3] G. Bastard, *Wave Mechanics Applied to Semiconductor Heterostructures*
       (Les Editions de Physique, 1988), ch. III. Bibliography ``bastard1988``.

    Examples
    --------
    >>> rows = validate_cdse_platelets()
    >>> [r["label"] for r in rows][:2], all(abs(r["error_eV"]) < 0.5 for r in rows)
    (['2.5 ML', '3.5 ML'], True)
    """
    import warnings

    from qdlab.errors import QdlabValidityWarning

    out = []
    for ref in cdse_platelet_reference():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", QdlabValidityWarning)
            r = platelet_band_edge("CdSe-zb", ref.monolayers, **options)
        lh_model = r.light_hole_energy_eV
        lh_err = None if (ref.lh_absorption_eV is None or lh_model is None) else \
            lh_model - ref.lh_absorption_eV
        out.append({"label": ref.label, "monolayers": ref.monolayers,
                    "measured_nm": ref.hh_absorption_nm, "model_nm": r.wavelength_nm,
                    "measured_eV": ref.hh_absorption_eV, "model_eV": r.energy_eV,
                    "error_eV": r.energy_eV - ref.hh_absorption_eV, "source": ref.source,
                    "lh_measured_nm": ref.lh_absorption_nm,
                    "lh_model_nm": r.light_hole_wavelength_nm,
                    "lh_measured_eV": ref.lh_absorption_eV, "lh_model_eV": lh_model,
                    "lh_error_eV": lh_err})
    return out


def platelet_validation_table(**options) -> str:
    """Printable table: model vs measured heavy- and light-hole lines of CdSe platelets, with RMS.

    Parameters
    ----------
    **options
        Passed to :func:`platelet_band_edge` through :func:`validate_cdse_platelets`.

    Returns
    -------
    str
        One line per thickness (measured and model nm and eV, error eV, for HH
        then LH) and the RMS error of each line over the rows that have a
        measurement.  ``python -m qdlab.electronic.anisotropy.platelets`` prints it
        for the default model and the variants of the module notes.

    Examples
    --------
    >>> print(platelet_validation_table().splitlines()[0])  # doctest: +NORMALIZE_WHITESPACE
    ML  HH meas nm  model nm  meas eV  model eV  err eV | LH meas nm  model nm  meas eV  model eV  err eV
    """
    rows = validate_cdse_platelets(**options)
    lines = [f"{'ML':4s}{'HH meas nm':>10s}{'model nm':>10s}{'meas eV':>9s}{'model eV':>10s}"
             f"{'err eV':>8s} |{'LH meas nm':>11s}{'model nm':>10s}{'meas eV':>9s}"
             f"{'model eV':>10s}{'err eV':>8s}"]
    for r in rows:
        line = (f"{r['label'][:3]:4s}{r['measured_nm']:10.0f}{r['model_nm']:10.1f}"
                f"{r['measured_eV']:9.3f}{r['model_eV']:10.3f}{r['error_eV']:+8.3f} |")
        if r["lh_error_eV"] is None:
            line += f"{'-':>11s}" + (f"{r['lh_model_nm']:10.1f}" if r["lh_model_nm"] else "")
        else:
            line += (f"{r['lh_measured_nm']:11.0f}{r['lh_model_nm']:10.1f}"
                     f"{r['lh_measured_eV']:9.3f}{r['lh_model_eV']:10.3f}"
                     f"{r['lh_error_eV']:+8.3f}")
        lines.append(line)
    hh = [r["error_eV"] for r in rows]
    lh = [r["lh_error_eV"] for r in rows if r["lh_error_eV"] is not None]
    rms = [math.sqrt(sum(e * e for e in v) / len(v)) if v else float("nan") for v in (hh, lh)]
    lines.append(f"rms: HH {rms[0]:.3f} eV ({len(hh)} rows), LH {rms[1]:.3f} eV "
                 f"({len(lh)} rows); max |err| HH {max(map(abs, hh)):.3f} eV"
                 + (f", LH {max(map(abs, lh)):.3f} eV" if lh else ""))
    return "\n".join(lines)


def _main() -> None:  # pragma: no cover - prints the validation tables
    variants = [
        ("default (n+1/2, no mass step at the ligands, three-band Kane electron, light hole "
         "mixed with split-off, 6x6 subband dispersions in plane with the spinor overlaps "
         "in the Coulomb term, self-energy, eps_inf)", {}),
        ("subband dispersions without the spinor overlaps (diagonal approximation)",
         {"spinor_overlaps": False}),
        ("band-edge in-plane masses (inplane='band-edge')", {"inplane": "band-edge"}),
        ("two-band Kane electron", {"kane_model": "two-band"}),
        ("light hole without split-off mixing", {"split_off_mixing": False}),
        ("free-electron mass in the ligands (barrier_mass=1, BenDaniel-Duke; band-edge "
         "in-plane masses)",
         {"barrier_mass": 1.0}),
        ("hard walls", {"medium": _hard_wall_medium()}),
        ("no self-energy", {"self_energy": False}),
        ("eps_static", {"eps_slab": "static"}),
        ("thickness n a/2", {"thickness_convention": "n"}),
        ("thickness (n+1) a/2", {"thickness_convention": "n+1"}),
    ]
    for name, opt in variants:
        print(f"\n{name}")
        print(platelet_validation_table(**opt))
    import warnings

    print("\nCdTe-zb predictions (no verified measurement in the repository): n.5 ML, hh nm, lh nm")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n in (2, 3, 4, 5):
            r = platelet_band_edge("CdTe", n)
            print(f"{n}.5 ML  {r.wavelength_nm:6.1f}  {r.light_hole_wavelength_nm:6.1f}")


def _hard_wall_medium():  # pragma: no cover
    from qdlab.structures.medium import Medium

    return Medium(electron_barrier_eV=math.inf, hole_barrier_eV=math.inf)

