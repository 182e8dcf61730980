"""Rates and quantum yields of a single dot's exciton, biexciton and trion (the state model).

A dot that has absorbed photons relaxes through a cascade of multiexciton states.  The
simulator of :mod:`qdlab.photons.simulate` uses the states below, each decaying with a
total rate equal to the sum of its channels (all rates in 1/ns):

==========  ==============================  ===========================================
state       channels                        after the decay
==========  ==============================  ===========================================
X           radiative ``kXr``, trap ``kXnr``  empty dot (0); a photon with ``QY_X``
XX          radiative ``kXXr``, Auger ``kXXA``  X; a photon with ``QY_XX``
X* (trion)  radiative ``kTr``, Auger ``kTA``   charged empty dot; a photon with ``QY_T``
==========  ==============================  ===========================================

with ``QY = k_r / (k_r + k_nonrad)`` for each state.  States with more than two excitons
are collapsed onto XX (see :mod:`qdlab.photons.simulate`).

Examples
--------
>>> r = EmitterRates(exciton_radiative_lifetime_ns=20.0, biexciton_radiative_lifetime_ns=5.0,
...                  biexciton_auger_lifetime_ns=0.5, trion_radiative_lifetime_ns=10.0,
...                  trion_auger_lifetime_ns=2.0)
>>> round(r.exciton_qy, 3), round(r.biexciton_qy, 4), round(r.g2_zero, 4)
(1.0, 0.0909, 0.0909)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from qdlab.errors import QdlabInputError

#: Names of the two trions a :class:`~qdlab.electronic.multiexcitons.MultiexcitonProperties`
#: describes (``negative_trion_*`` and ``positive_trion_*`` attributes).
TRIONS = ("negative", "positive")


def _lifetime(value: Any, name: str, allow_inf: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise QdlabInputError(f"{name} must be a number of ns, got {value!r}") from None
    if math.isnan(v) or v <= 0 or (math.isinf(v) and not allow_inf):
        allowed = "> 0 ns (inf allowed: no such channel)" if allow_inf else "finite and > 0 ns"
        raise QdlabInputError(f"{name} must be {allowed}, got {value!r}")
    return v


def _rate(lifetime_ns: float) -> float:
    return 0.0 if math.isinf(lifetime_ns) else 1.0 / lifetime_ns


@dataclass(frozen=True)
class EmitterRates:
    """Decay channels of the neutral exciton, the biexciton and the trion of one dot.

    Parameters
    ----------
    exciton_radiative_lifetime_ns : float
        Radiative lifetime of the neutral exciton X, ``1/kXr``, ns.
    exciton_nonradiative_lifetime_ns : float, optional
        Lifetime against nonradiative (trapping) decay of X, ``1/kXnr``, ns; ``inf``
        (default) for a dot with unit exciton quantum yield.
    biexciton_radiative_lifetime_ns : float
        Radiative lifetime of the biexciton XX (its first photon), ns.
    biexciton_auger_lifetime_ns : float
        Auger lifetime of XX, ns (``inf``: no Auger decay).
    trion_radiative_lifetime_ns : float
        Radiative lifetime of the trion X* (the charged, "grey" state), ns.
    trion_auger_lifetime_ns : float
        Auger lifetime of the trion, ns (``inf``: no Auger decay).

    Notes
    -----
    Total rates and quantum yields (rates in 1/ns):

    .. math::

        k_X = k_{X,r} + k_{X,nr},\\quad QY_X = k_{X,r}/k_X,\\qquad
        k_{XX} = k_{XX,r} + k_{XX,A},\\quad QY_{XX} = k_{XX,r}/k_{XX},

    and likewise for the trion.  Under weak pulsed excitation the zero-delay peak of
    the second-order correlation (centre-to-side peak area) is
    :math:`g^{(2)}(0) = QY_{XX}/QY_X` (Nair et al. 2011), :attr:`g2_zero`.  The biexciton
    has no trapping channel of its own here (its Auger rate dominates in colloidal dots).

    References
    ----------
    .. [1] G. Nair, J. Zhao, M. G. Bawendi, "Biexciton quantum yield of single
       semiconductor nanocrystals from photon statistics", Nano Lett. 11, 1136 (2011);
       Y.-S. Park et al., Phys. Rev. Lett. 106, 187401 (2011) (same relation).
    .. [2] V. I. Klimov et al., "Quantization of multiparticle Auger rates in semiconductor
       quantum dots", Science 287, 1011 (2000).
    .. [3] Y.-S. Park, W. K. Bae, L. A. Padilha, J. M. Pietryga, V. I. Klimov, "Effect of
       the core/shell interface on Auger recombination evaluated by single-quantum-dot
       spectroscopy", Nano Lett. 14, 396 (2014).
    """

    exciton_radiative_lifetime_ns: float
    biexciton_radiative_lifetime_ns: float
    biexciton_auger_lifetime_ns: float
    trion_radiative_lifetime_ns: float
    trion_auger_lifetime_ns: float
    exciton_nonradiative_lifetime_ns: float = math.inf

    def __post_init__(self) -> None:
        for name, inf_ok in (("exciton_radiative_lifetime_ns", False),
                             ("exciton_nonradiative_lifetime_ns", True),
                             ("biexciton_radiative_lifetime_ns", False),
                             ("biexciton_auger_lifetime_ns", True),
                             ("trion_radiative_lifetime_ns", False),
                             ("trion_auger_lifetime_ns", True)):
            object.__setattr__(self, name, _lifetime(getattr(self, name), name, inf_ok))

    # -- total rates (1/ns) and lifetimes (ns) ------------------------------------
    @property
    def exciton_rate_per_ns(self) -> float:
        """Total decay rate of X, ``kXr + kXnr``, 1/ns."""
        return _rate(self.exciton_radiative_lifetime_ns) + \
            _rate(self.exciton_nonradiative_lifetime_ns)

    @property
    def biexciton_rate_per_ns(self) -> float:
        """Total decay rate of XX, ``kXXr + kXXA``, 1/ns."""
        return _rate(self.biexciton_radiative_lifetime_ns) + \
            _rate(self.biexciton_auger_lifetime_ns)

    @property
    def trion_rate_per_ns(self) -> float:
        """Total decay rate of the trion, ``kTr + kTA``, 1/ns."""
        return _rate(self.trion_radiative_lifetime_ns) + _rate(self.trion_auger_lifetime_ns)

    @property
    def exciton_lifetime_ns(self) -> float:
        """Photoluminescence lifetime of X, ``1/kX``, ns."""
        return 1.0 / self.exciton_rate_per_ns

    @property
    def biexciton_lifetime_ns(self) -> float:
        """Lifetime of XX, ``1/kXX``, ns."""
        return 1.0 / self.biexciton_rate_per_ns

    @property
    def trion_lifetime_ns(self) -> float:
        """Lifetime of the trion, ``1/kT``, ns."""
        return 1.0 / self.trion_rate_per_ns

    # -- quantum yields ------------------------------------------------------------
    @property
    def exciton_qy(self) -> float:
        """Quantum yield of X, ``kXr / kX``."""
        return _rate(self.exciton_radiative_lifetime_ns) / self.exciton_rate_per_ns

    @property
    def biexciton_qy(self) -> float:
        """Quantum yield of the first (XX -> X) photon, ``kXXr / kXX``."""
        return _rate(self.biexciton_radiative_lifetime_ns) / self.biexciton_rate_per_ns

    @property
    def trion_qy(self) -> float:
        """Quantum yield of the trion, ``kTr / kT``."""
        return _rate(self.trion_radiative_lifetime_ns) / self.trion_rate_per_ns

    @property
    def g2_zero(self) -> float:
        """Low-flux pulsed :math:`g^{(2)}(0) = QY_{XX}/QY_X` of the neutral dot (Nair 2011)."""
        return self.biexciton_qy / self.exciton_qy

    def as_dict(self) -> dict[str, float | None]:
        """The lifetimes and derived quantities as a JSON-ready dict (``None`` = infinite)."""
        out: dict[str, float | None] = {
            k: (None if math.isinf(v) else float(v)) for k, v in asdict(self).items()}
        out.update(exciton_lifetime_ns=self.exciton_lifetime_ns,
                   biexciton_lifetime_ns=self.biexciton_lifetime_ns,
                   trion_lifetime_ns=self.trion_lifetime_ns, exciton_qy=self.exciton_qy,
                   biexciton_qy=self.biexciton_qy, trion_qy=self.trion_qy)
        return out

    @classmethod
    def from_multiexcitons(cls, props: Any, *, trion: str = "negative",
                           exciton_nonradiative_lifetime_ns: float | None = None
                           ) -> EmitterRates:
        """Rates from a multiexciton calculation (any object with the attribute names below).

        Parameters
        ----------
        props : object
            Duck-typed :class:`qdlab.electronic.multiexcitons.MultiexcitonProperties`:
            ``exciton_radiative_lifetime_ns``, ``biexciton_radiative_lifetime_ns``,
            ``biexciton_auger_lifetime_ns``, ``negative_trion_radiative_lifetime_ns``,
            ``negative_trion_auger_lifetime_ns``, ``positive_trion_radiative_lifetime_ns``,
            ``positive_trion_auger_lifetime_ns`` (ns) and ``exciton_qy`` (optional).
        trion : {"negative", "positive"}
            Which trion is the charged (grey) state of blinking.
        exciton_nonradiative_lifetime_ns : float, optional
            Overrides the trapping lifetime; by default it follows from ``exciton_qy``.

        Returns
        -------
        EmitterRates

        Notes
        -----
        The trapping lifetime that gives the exciton quantum yield :math:`QY_X` is
        :math:`\\tau_{X,nr} = \\tau_{X,r}\\,QY_X/(1-QY_X)` (infinite for
        :math:`QY_X = 1`).

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> p = SimpleNamespace(exciton_radiative_lifetime_ns=20.0, exciton_qy=0.8,
        ...     biexciton_radiative_lifetime_ns=5.0, biexciton_auger_lifetime_ns=0.05,
        ...     negative_trion_radiative_lifetime_ns=10.0, negative_trion_auger_lifetime_ns=0.2,
        ...     positive_trion_radiative_lifetime_ns=10.0, positive_trion_auger_lifetime_ns=0.1)
        >>> EmitterRates.from_multiexcitons(p).exciton_nonradiative_lifetime_ns
        80.0
        """
        if trion not in TRIONS:
            raise QdlabInputError(f"trion must be one of {TRIONS}, got {trion!r}")

        def need(name: str) -> Any:
            if not hasattr(props, name):
                raise QdlabInputError(f"multiexciton properties lack {name!r} (got "
                                      f"{type(props).__name__})")
            value = getattr(props, name)
            if value is None:
                reason = getattr(props, f"{name}_reason", None)
                raise QdlabInputError(f"{name} is not available for this structure"
                                      + (f": {reason}" if reason else ""))
            return value

        tau_xr = _lifetime(need("exciton_radiative_lifetime_ns"),
                           "exciton_radiative_lifetime_ns")
        if exciton_nonradiative_lifetime_ns is not None:
            tau_nr = exciton_nonradiative_lifetime_ns
        else:
            qy = getattr(props, "exciton_qy", None)
            if qy is None:
                tau_nr = math.inf
            else:
                qy = float(qy)
                if not 0.0 < qy <= 1.0:
                    raise QdlabInputError(f"exciton_qy must be in (0, 1], got {qy!r}")
                tau_nr = math.inf if qy == 1.0 else tau_xr * qy / (1.0 - qy)
        return cls(exciton_radiative_lifetime_ns=tau_xr,
                   exciton_nonradiative_lifetime_ns=tau_nr,
                   biexciton_radiative_lifetime_ns=need("biexciton_radiative_lifetime_ns"),
                   biexciton_auger_lifetime_ns=need("biexciton_auger_lifetime_ns"),
                   trion_radiative_lifetime_ns=need(f"{trion}_trion_radiative_lifetime_ns"),
                   trion_auger_lifetime_ns=need(f"{trion}_trion_auger_lifetime_ns"))

    @classmethod
    def from_scaling(cls, exciton_radiative_lifetime_ns: float, biexciton_auger_lifetime_ns:
                     float, *, exciton_qy: float = 1.0,
                     biexciton_radiative_lifetime_ns: float | None = None,
                     trion_radiative_lifetime_ns: float | None = None,
                     trion_auger_lifetime_ns: float | None = None) -> EmitterRates:
        """Rates from an exciton lifetime and a biexciton Auger lifetime by statistical scaling.

        Parameters
        ----------
        exciton_radiative_lifetime_ns, biexciton_auger_lifetime_ns : float
            ns.
        exciton_qy : float
            Exciton quantum yield in (0, 1].
        biexciton_radiative_lifetime_ns, trion_radiative_lifetime_ns, trion_auger_lifetime_ns
            ns; default from the scaling in Notes.

        Notes
        -----
        Counting the recombination pathways (Klimov 2007; Park 2014):
        :math:`\\tau_{XX,r} = \\tau_{X,r}/4`, :math:`\\tau_{X^*,r} = \\tau_{X,r}/2` and, for
        equal negative and positive trions, :math:`1/\\tau_{XX,A} = 2/\\tau_{X^-,A} +
        2/\\tau_{X^+,A}` gives :math:`\\tau_{X^*,A} = 4\\,\\tau_{XX,A}`.

        References
        ----------
        .. [1] V. I. Klimov, "Spectral and dynamical properties of multiexcitons in
           semiconductor nanocrystals", Annu. Rev. Phys. Chem. 58, 635 (2007).
        .. [2] Y.-S. Park et al., Nano Lett. 14, 396 (2014).
        """
        tau_xr = _lifetime(exciton_radiative_lifetime_ns, "exciton_radiative_lifetime_ns")
        tau_xxa = _lifetime(biexciton_auger_lifetime_ns, "biexciton_auger_lifetime_ns", True)
        qy = float(exciton_qy)
        if not 0.0 < qy <= 1.0:
            raise QdlabInputError(f"exciton_qy must be in (0, 1], got {exciton_qy!r}")
        return cls(exciton_radiative_lifetime_ns=tau_xr,
                   exciton_nonradiative_lifetime_ns=math.inf if qy == 1.0 else
                   tau_xr * qy / (1.0 - qy),
                   biexciton_radiative_lifetime_ns=tau_xr / 4.0
                   if biexciton_radiative_lifetime_ns is None else biexciton_radiative_lifetime_ns,
                   biexciton_auger_lifetime_ns=tau_xxa,
                   trion_radiative_lifetime_ns=tau_xr / 2.0
                   if trion_radiative_lifetime_ns is None else trion_radiative_lifetime_ns,
                   trion_auger_lifetime_ns=4.0 * tau_xxa
                   if trion_auger_lifetime_ns is None else trion_auger_lifetime_ns)
