r"""Validation tables of the k.p models: ``python -m qdlab.electronic.kp.validate``.

Prints, without fitting anything to the data:

* PbS first exciton (Kang-Wise) against Moreels et al. 2009 (the points of
  ``qdlab/_data/first_exciton_open.csv``), RMS error;
* PbSe first exciton against the sizing relation of Moreels et al. 2007,
  :math:`E_0 = 0.278 + 1/(0.016d^2 + 0.209d + 0.45)` eV (d in nm);
* the sensitivity of the PbS RMS to the far-band mass (the one assumed parameter);
* (the ensemble optics table -- extinction, lifetimes -- lives in the optics layer's
  tests: ``pytest tests/test_kp_lead_salts.py -s -k optics_table``);
* CsPbX3 cube first exciton and regime against edge length.

References
----------
.. [1] I. Moreels et al., ACS Nano 3, 3023 (2009).
.. [2] I. Moreels, K. Lambert, D. De Muynck, F. Vanhaecke, D. Poelman, J. C. Martins,
   G. Allan, Z. Hens, Chem. Mater. 19, 6101 (2007).
"""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.electronic.kp.kang_wise import LeadSaltParameters, lead_salt_levels
from qdlab.electronic.kp.perovskite import PEROVSKITES, perovskite_cube_levels

__all__ = ["main", "moreels2007_pbse_eV", "moreels2009_pbs_points", "pbs_table", "pbse_table"]


def moreels2009_pbs_points():
    """(diameter_nm, E1_eV) of PbS from ``qdlab/_data/first_exciton_open.csv``.

    References
    ----------
    .. [1] I. Moreels et al., ACS Nano 3, 3023 (2009). Bibliography ``moreels2009``.
    """
    with resources.files("qdlab._data").joinpath("first_exciton_open.csv").open() as fh:
        rows = [r for r in csv.DictReader(fh) if r["material"] == "PbS"]
    return (np.array([float(r["diameter_nm"]) for r in rows]),
            np.array([float(r["E1_eV"]) for r in rows]))


def moreels2007_pbse_eV(d_nm):
    """Moreels 2007 PbSe sizing relation, first exciton in eV for diameter d in nm.

    References
    ----------
    .. [1] I. Moreels et al., Chem. Mater. 19, 6101 (2007). Bibliography ``moreels2007``.

    Examples
    --------
    >>> round(float(moreels2007_pbse_eV(5.0)), 4)
    0.8057
    """
    d = np.asarray(d_nm, dtype=float)
    return 0.278 + 1.0 / (0.016 * d**2 + 0.209 * d + 0.45)


def pbs_table(parameters: LeadSaltParameters | None = None):
    """(d, model, measured, rms) for PbS against Moreels 2009.

    References
    ----------
    .. [1] I. Moreels et al., ACS Nano 3, 3023 (2009). Bibliography ``moreels2009``.
    .. [2] I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997). Bibliography ``kang1997``.
    """
    d, e = moreels2009_pbs_points()
    m = lead_salt_levels("PbS", d / 2, parameters=parameters).energy_eV[:, 0]
    return d, m, e, float(np.sqrt(np.mean((m - e) ** 2)))


def pbse_table(d=(3.0, 4.0, 5.0, 6.0, 7.0, 8.0)):
    """(d, model, Moreels 2007, rms) for PbSe.

    References
    ----------
    .. [1] I. Moreels et al., Chem. Mater. 19, 6101 (2007). Bibliography ``moreels2007``.
    .. [2] I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997). Bibliography ``kang1997``.
    """
    d = np.asarray(d, dtype=float)
    m = lead_salt_levels("PbSe", d / 2).energy_eV[:, 0]
    e = moreels2007_pbse_eV(d)
    return d, m, e, float(np.sqrt(np.mean((m - e) ** 2)))


def _print_rows(title, d, m, e, rms):
    print(title)
    print(f"{'d (nm)':>7} {'model (eV)':>11} {'reference (eV)':>15} {'diff (eV)':>10}")
    for a, b, c in zip(d, m, e, strict=True):
        print(f"{a:7.1f} {b:11.4f} {c:15.4f} {b - c:10.4f}")
    print(f"RMS = {rms:.4f} eV\n")


def main() -> None:
    """Print every validation table (see the module docstring)."""
    from qdlab.electronic.kp.kang_wise import LEAD_SALT_PARAMETERS

    _print_rows("PbS, Kang-Wise k.p (no fit) vs Moreels 2009 [single-band reference: 0.030 eV]",
                *pbs_table())
    _print_rows("PbSe, Kang-Wise k.p (no fit) vs Moreels 2007 relation", *pbse_table())
    p = LEAD_SALT_PARAMETERS["PbS"]
    print("PbS RMS vs far-band mass (the assumed parameter; m0 is the default)")
    for far in (0.5, 1.0, 2.0):
        rms = pbs_table(LeadSaltParameters(p.kane_energy_eV, far, far, p.source))[3]
        print(f"  m_far = {far:3.1f} m0: RMS = {rms:.4f} eV")
    print()
    print("CsPbX3 cubes, R-point two-band model: first exciton vs edge length")
    L = np.array([4.0, 5.0, 6.0, 8.0, 10.0, 12.0])
    print(f"{'material':>8} " + " ".join(f"{x:>9.0f}" for x in L) + "   (edge, nm)")
    for m in PEROVSKITES:
        c = perovskite_cube_levels(m, L)
        print(f"{m:>8} " + " ".join(f"{HC_EV_NM / x:9.1f}" for x in c["energy_eV"])
              + "   (nm)")
        print(f"{'regime':>8} " + " ".join(f"{'weak' if r else 'strong':>9}" for r in c["regime"]))


if __name__ == "__main__":  # pragma: no cover
    main()
