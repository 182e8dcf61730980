r"""Two-band (Dimmock) parameters of the lead salts for the Kang-Wise model.

Band gap, Kane energy and far-band terms of PbS, PbSe and PbTe, derived from the stored
band-edge masses (:data:`LEAD_SALT_PARAMETERS`); used by
:mod:`qdlab.electronic.kp.kang_wise` (and importable from there).  The equations and
sources are in that module's notes and in :func:`lead_salt_parameters`.

References
----------
.. [1] I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997). Bibliography
   ``kang1997``.
"""

from __future__ import annotations

from dataclasses import dataclass

from qdlab.errors import QdlabInputError

__all__ = ["LEAD_SALT_PARAMETERS", "LeadSaltParameters", "lead_salt_parameters"]


@dataclass(frozen=True)
class LeadSaltParameters:
    """Isotropic two-band (Dimmock) parameters of a lead salt.

    Attributes
    ----------
    kane_energy_eV : float
        :math:`E_P = 2\\bar P^2/m_0`, eV (isotropic average, temperature independent).
    far_mass_c, far_mass_v : float
        Far-band masses :math:`m_c^-`, :math:`m_v^+` in units of m0 (> 0).
    source : str
        Bibliography key(s) of the numbers.
    """

    kane_energy_eV: float
    far_mass_c: float
    far_mass_v: float
    source: str


def _ep_from_masses(eg0, mt, ml, far=1.0):
    """E_P (eV) of the Dimmock relation m0/m = m0/m_far + E_P/E_g, isotropic 1/m."""
    inv = (2.0 / mt + 1.0 / ml) / 3.0
    return eg0 * (inv - 1.0 / far)


# Band-edge masses (m0) and low-temperature gaps (eV) measured on bulk crystals,
# as tabulated by Preier (1979) after Dimmock (1971): (Eg(4.2 K), mt_c, ml_c, mt_v, ml_v).
_BAND_EDGE = {
    "PbS": (0.286, 0.080, 0.105, 0.075, 0.105),
    "PbSe": (0.165, 0.040, 0.070, 0.034, 0.068),
    "PbTe": (0.190, 0.024, 0.24, 0.022, 0.31),
}


def _derive(name):
    eg0, mtc, mlc, mtv, mlv = _BAND_EDGE[name]
    ep = 0.5 * (_ep_from_masses(eg0, mtc, mlc) + _ep_from_masses(eg0, mtv, mlv))
    return LeadSaltParameters(round(ep, 2), 1.0, 1.0, "preier1979; dimmock1971")


#: Isotropic Kang-Wise parameters.  :math:`E_P` follows from the measured band-edge
#: masses and the 4.2 K gap (Preier 1979) through the Dimmock relation
#: :math:`m_0/\bar m = m_0/m^{\mp} + E_P/E_g(4\,K)` with the isotropic inverse mass
#: :math:`1/\bar m = (2/m_t + 1/m_l)/3`, averaged over conduction and valence band
#: ("mirror" bands).  The far-band masses are set to the free-electron mass
#: (:math:`m^\mp = m_0`: only the bare kinetic term beyond the two bands), a stated
#: assumption, not a fit: Kang & Wise's Table 1 could not be read this session.
LEAD_SALT_PARAMETERS: dict[str, LeadSaltParameters] = {n: _derive(n) for n in _BAND_EDGE}


def lead_salt_parameters(material) -> LeadSaltParameters:
    r"""Kang-Wise parameters of a lead-salt material (name or Material).

    Parameters
    ----------
    material : str or Material
        ``"PbS"``, ``"PbSe"`` or ``"PbTe"``.

    Returns
    -------
    LeadSaltParameters
        Kane energy (eV), far-band masses (m0) and the bibliography keys of the numbers.

    Notes
    -----
    Dimmock's two-band relation with the isotropic average of the band-edge masses,
    :math:`m_0/\bar m = (2m_0/m_t + m_0/m_l)/3 = m_0/m_{far} + E_P/E_g` (4.2 K gap),
    solved for :math:`E_P` for the conduction and the valence band and averaged, with
    :math:`m_{far} = m_0`.

    References
    ----------
    .. [1] H. Preier, Appl. Phys. 20, 189 (1979). Bibliography ``preier1979``.
    .. [2] J. O. Dimmock, in *The Physics of Semimetals and Narrow-Gap Semiconductors*,
       D. L. Carter and R. T. Bate eds. (Pergamon, 1971), p. 319. Bibliography ``dimmock1971``.
    .. [3] I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997). Bibliography ``kang1997``.

    Examples
    --------
    >>> lead_salt_parameters("PbS").kane_energy_eV
    3.08
    """
    name = getattr(material, "name", material)
    if name not in LEAD_SALT_PARAMETERS:
        raise QdlabInputError(f"material must be one of {', '.join(LEAD_SALT_PARAMETERS)} for "
                              f"the Kang-Wise lead-salt model, got {name!r}")
    return LEAD_SALT_PARAMETERS[name]
