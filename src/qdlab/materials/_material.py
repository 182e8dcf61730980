"""The :class:`Material` object: bulk parameters of one semiconductor in one phase.

Examples
--------
>>> from qdlab.materials import get_material
>>> m = get_material("CdSe")
>>> m.key, m.name, m.phase
('CdSe-wz', 'CdSe', 'wurtzite')
>>> round(m.band_gap(300.0), 3)
1.74
>>> abs(m.conduction_band_edge() - m.valence_band_edge() - m.band_gap()) < 1e-12
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from qdlab.constants import AVOGADRO, BOHR_RADIUS_NM, RYDBERG_EV
from qdlab.errors import check_positive

#: Elements whose use in electrical and electronic equipment is restricted by the
#: RoHS Directive 2011/65/EU, Annex II (max. 0.01 wt% for Cd, 0.1 wt% for the
#: others).  Chromium is restricted only as hexavalent Cr(VI); it is listed here
#: because an element symbol cannot carry its oxidation state.  The four
#: phthalates and the brominated flame retardants of Annex II are not elements.
RoHS_ELEMENTS: tuple[str, ...] = ("Cd", "Pb", "Hg", "Cr")

#: Units of the fields shown by :meth:`Material.describe`.
_UNITS = {
    "band_gap_300K": "eV",
    "band_gap_model": "",
    "electron_mass": "m0",
    "hole_mass": "m0",
    "heavy_hole_mass": "m0",
    "light_hole_mass": "m0",
    "luttinger": "",
    "kane_energy_eV": "eV",
    "spin_orbit_eV": "eV",
    "eps_static": "",
    "eps_inf": "",
    "electron_affinity_eV": "eV",
    "ionisation_energy_300K": "eV",
    "lattice_constant_nm": "nm",
    "lattice_c_nm": "nm",
    "density_g_cm3": "g/cm^3",
    "molar_mass_g_mol": "g/mol",
    "molar_volume_cm3_mol": "cm^3/mol",
    "exciton_bohr_radius_nm": "nm",
    "exciton_rydberg_eV": "eV",
}


def _check_temperature(T):
    check_positive(T, "temperature", "K")
    arr = np.asarray(T, dtype=float)
    return arr


@dataclass(frozen=True, eq=False, repr=False)
class Material:
    """Bulk parameters of one semiconductor in one phase (immutable).

    Obtain instances with :func:`qdlab.materials.get_material` or
    :func:`qdlab.materials.alloy`; the constructor is public so that users can
    define their own material, but every number should then carry a source.

    Attributes
    ----------
    key : str
        Unique record key, e.g. ``"CdSe-wz"``.
    name : str
        Chemical formula, e.g. ``"CdSe"``.
    phase : str
        ``"wurtzite"``, ``"zincblende"``, ``"rocksalt"``, ``"diamond"``, ``"cubic"``...
    crystal_structure : str
        Crystal structure (space-group family), e.g. ``"wurtzite"``.
    elements : tuple of str
        Element symbols.
    electron_mass : float
        Band-edge electron effective mass, in units of m0.
    hole_mass : float
        Band-edge hole mass for single-band models, in m0; what it is for this
        material is stated in :attr:`hole_mass_definition`.
    hole_mass_definition : str
        How :attr:`hole_mass` was obtained.
    heavy_hole_mass, light_hole_mass : float or None
        Measured (or Luttinger-derived) heavy- and light-hole masses, in m0.
    luttinger : tuple of float or None
        Luttinger parameters (gamma1, gamma2, gamma3).
    kane_energy_eV : float or None
        Kane energy Ep = 2 P^2 m0 / hbar^2, in eV.
    spin_orbit_eV : float or None
        Spin-orbit splitting of the valence band, in eV.
    eps_static, eps_inf : float
        Static and high-frequency relative permittivities.
    electron_affinity_eV : float
        Electron affinity (vacuum level minus conduction-band minimum) at 300 K, in eV.
    lattice_constant_nm : float
        Lattice constant a at 300 K, in nm.
    lattice_c_nm : float or None
        Lattice constant c (hexagonal structures), in nm; None if cubic.
    density_g_cm3 : float
        Mass density, in g/cm^3.
    molar_mass_g_mol : float
        Molar mass of one formula unit, in g/mol.
    sources : mapping
        Field name -> bibliography key (see :data:`qdlab.materials.bibliography`).
    composition : tuple of (str, float)
        For alloys: ((key_A, 1-x), (key_B, x)); for a pure record ((key, 1.0),).
    """

    key: str
    name: str
    phase: str
    crystal_structure: str
    elements: tuple[str, ...]
    band_gap_model: str
    band_gap_params: tuple[float, ...]
    electron_mass: float
    hole_mass: float
    hole_mass_definition: str
    heavy_hole_mass: float | None
    light_hole_mass: float | None
    luttinger: tuple[float, float, float] | None
    kane_energy_eV: float | None
    spin_orbit_eV: float | None
    eps_static: float
    eps_inf: float
    electron_affinity_eV: float
    lattice_constant_nm: float
    lattice_c_nm: float | None
    density_g_cm3: float
    molar_mass_g_mol: float
    sources: Mapping[str, str]
    composition: tuple[tuple[str, float], ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)
    alloy_parts: tuple = ()
    band_gap_valid_K: tuple[float, float] = (0.0, float("inf"))
    gap_type: str = "direct"
    direct_gap_model: str | None = None
    direct_gap_params: tuple[float, ...] | None = None

    # precomputed, not part of the constructor
    reduced_mass: float = field(init=False)
    exciton_bohr_radius_nm: float = field(init=False)
    exciton_rydberg_eV: float = field(init=False)
    electron_bohr_radius_nm: float = field(init=False)
    hole_bohr_radius_nm: float = field(init=False)
    molar_volume_cm3_mol: float = field(init=False)
    rohs_restricted_elements: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        setattr_ = object.__setattr__
        setattr_(self, "sources", MappingProxyType(dict(self.sources)))
        setattr_(self, "notes", MappingProxyType(dict(self.notes)))
        setattr_(self, "elements", tuple(self.elements))
        if not self.composition:
            setattr_(self, "composition", ((self.key, 1.0),))
        me, mh, eps = self.electron_mass, self.hole_mass, self.eps_static
        mu = me * mh / (me + mh)
        setattr_(self, "reduced_mass", mu)
        setattr_(self, "exciton_bohr_radius_nm", BOHR_RADIUS_NM * eps / mu)
        setattr_(self, "exciton_rydberg_eV", RYDBERG_EV * mu / eps**2)
        setattr_(self, "electron_bohr_radius_nm", BOHR_RADIUS_NM * eps / me)
        setattr_(self, "hole_bohr_radius_nm", BOHR_RADIUS_NM * eps / mh)
        setattr_(self, "molar_volume_cm3_mol", self.molar_mass_g_mol / self.density_g_cm3)
        setattr_(self, "rohs_restricted_elements",
                 tuple(e for e in self.elements if e in RoHS_ELEMENTS))

    # ------------------------------------------------------------------ identity
    def _ident(self):
        return (self.key, self.composition, self.band_gap_model, self.band_gap_params,
                self.electron_mass, self.hole_mass, self.eps_static, self.eps_inf,
                self.electron_affinity_eV, self.lattice_constant_nm, self.lattice_c_nm,
                self.density_g_cm3, self.molar_mass_g_mol, self.luttinger)

    def __eq__(self, other):
        if not isinstance(other, Material):
            return NotImplemented
        return self._ident() == other._ident()

    def __hash__(self):
        return hash(self._ident())

    def __repr__(self):
        return f"Material({self.key!r})"

    # ------------------------------------------------------------------ physics
    def band_gap(self, T=300.0):
        """Band gap at temperature ``T``.

        Parameters
        ----------
        T : float or array_like
            Temperature in K (> 0).

        Returns
        -------
        float or numpy.ndarray
            Band gap in eV (float for scalar input).

        Notes
        -----
        Varshni records: :math:`E_g(T) = E_{g0} - \\alpha T^2 / (T + \\beta)`
        (Y. P. Varshni, Physica 34, 149 (1967)).  Linear records (lead salts,
        perovskites, whose gap grows with T):
        :math:`E_g(T) = E_g(300\\,K) + (dE_g/dT)(T - 300\\,K)`; outside the
        range where this stays positive a QdlabInputError is raised.

        Examples
        --------
        >>> from qdlab.materials import get_material
        >>> round(get_material("InP").band_gap(300), 3)
        1.353
        >>> [round(float(e), 3) for e in get_material("InP").band_gap([4.0, 300.0])]
        [1.424, 1.353]
        """
        arr = _check_temperature(T)
        return self._gap(arr, T, self.band_gap_model, self.band_gap_params, "band_gap")

    def direct_band_gap(self, T=300.0):
        """Lowest direct (Gamma-point) gap at temperature ``T``, in eV.

        Equal to :meth:`band_gap` for direct-gap materials; for indirect ones
        (GaP, Si, Ge) the direct gap stored in the record.

        Parameters
        ----------
        T : float or array_like
            Temperature in K (> 0).

        Returns
        -------
        float or numpy.ndarray
            Direct gap in eV.

        Examples
        --------
        >>> from qdlab.materials import get_material
        >>> round(get_material("GaP").direct_band_gap(300), 3)
        2.777
        """
        arr = _check_temperature(T)
        if self.band_gap_model == "alloy":
            bow, x = self.band_gap_params
            (ma, _), (mb, _) = self.alloy_parts
            if self.alloy_gap_kind == "direct":
                eg = (1.0 - x) * np.asarray(ma.direct_band_gap(arr)) \
                    + x * np.asarray(mb.direct_band_gap(arr)) - bow * x * (1.0 - x)
                return float(eg) if eg.ndim == 0 else eg
            return self.band_gap(T)
        if self.direct_gap_model is None:
            return self.band_gap(T)
        return self._gap(arr, T, self.direct_gap_model, self.direct_gap_params, "direct gap")

    @property
    def alloy_gap_kind(self) -> str:
        """For alloys: which end-member gaps the bowing formula combines."""
        return self.notes.get("alloy_gap_kind", "fundamental")

    def _gap(self, arr, T, model, p, what):
        if model == "bose_einstein":
            eg0, a, theta = p
            eg = eg0 + a * (1.0 - 1.0 / np.tanh(theta / arr))
        elif model == "varshni":
            eg0, alpha, beta = p
            eg = eg0 - alpha * arr**2 / (arr + beta)
            if np.any(eg <= 0):
                from qdlab.errors import QdlabInputError

                raise QdlabInputError(f"temperature is too high for the Varshni {what} of "
                                      f"{self.key} (gap <= 0 eV), got T = {T} K")
        elif model == "alloy":
            bow, x = p
            (ma, _), (mb, _) = self.alloy_parts
            if self.alloy_gap_kind == "direct":
                ga, gb = ma.direct_band_gap(arr), mb.direct_band_gap(arr)
            else:
                ga, gb = ma.band_gap(arr), mb.band_gap(arr)
            eg = (1.0 - x) * np.asarray(ga) + x * np.asarray(gb) - bow * x * (1.0 - x)
            if np.any(eg <= 0):
                from qdlab.errors import QdlabInputError

                raise QdlabInputError(f"band gap of {self.key} is <= 0 eV at T = {T} K "
                                      "(bowing too large); check x and T")
        else:
            eg300, slope = p
            lo, hi = self.band_gap_valid_K
            if np.any(arr < lo) or np.any(arr > hi):
                from qdlab.errors import warn_validity

                warn_validity(f"linear band gap of {self.key} is valid for {lo:g}-{hi:g} K, "
                              f"used at T = {T} K")
            eg = eg300 + slope * (arr - 300.0)
            if np.any(eg <= 0):
                from qdlab.errors import QdlabInputError

                tmax = 300.0 - eg300 / slope if slope < 0 else None
                tmin = 300.0 - eg300 / slope if slope > 0 else None
                rng = f"> {tmin:g} K" if tmin is not None else f"< {tmax:g} K"
                raise QdlabInputError(f"temperature must be {rng} for the linear band gap "
                                      f"of {self.key}, got {T}")
        return float(eg) if eg.ndim == 0 else eg

    def conduction_band_edge(self, T=300.0):
        """Conduction-band minimum on the vacuum scale, in eV (vacuum level = 0).

        Parameters
        ----------
        T : float or array_like
            Temperature in K (> 0).  The electron affinity is taken as
            temperature-independent (its 300 K value); the temperature
            dependence of the gap is put into the valence-band edge.

        Returns
        -------
        float or numpy.ndarray
            :math:`E_c = -\\chi`, in eV.
        """
        arr = _check_temperature(T)
        ec = np.full(arr.shape, -self.electron_affinity_eV)
        return float(ec) if ec.ndim == 0 else ec

    def valence_band_edge(self, T=300.0):
        """Valence-band maximum on the vacuum scale, in eV: :math:`E_v = -\\chi - E_g(T)`.

        Parameters
        ----------
        T : float or array_like
            Temperature in K (> 0).

        Returns
        -------
        float or numpy.ndarray
            Valence-band edge in eV.
        """
        return self.conduction_band_edge(T) - self.band_gap(T)

    def ionisation_energy_eV(self, T=300.0):
        """Ionisation energy (vacuum level minus valence-band maximum), in eV.

        Parameters
        ----------
        T : float or array_like
            Temperature in K (> 0).

        Returns
        -------
        float or numpy.ndarray
            :math:`I = \\chi + E_g(T)`, in eV.
        """
        return -self.valence_band_edge(T)

    @property
    def is_alloy(self) -> bool:
        """True for a material made by :func:`qdlab.materials.alloy`."""
        return len(self.composition) > 1

    # ------------------------------------------------------------------ display
    def describe(self):
        """Rows ``(field, value, unit, citation)`` for display (used by the CLI).

        Returns
        -------
        list of tuple
            One row per parameter; ``citation`` is the short citation of the
            bibliography entry (``"computed"`` for derived quantities).

        Examples
        --------
        >>> from qdlab.materials import get_material
        >>> rows = get_material("PbS").describe()
        >>> rows[0][:3]
        ('band_gap_300K', 0.41, 'eV')
        """
        from qdlab.materials._database import bibliography

        def cite(fld):
            key = self.sources.get(fld)
            if key is None:
                return "computed"
            return ", ".join(bibliography.short(k) for k in key.split(" + "))

        rows = [
            ("band_gap_300K", round(self.band_gap(300.0), 4), "eV", cite("band_gap")),
            ("band_gap_model", self._gap_formula(), "", cite("band_gap")),
            ("electron_mass", self.electron_mass, "m0", cite("electron_mass")),
            ("hole_mass", round(self.hole_mass, 4), "m0", cite("hole_mass")),
        ]
        for fld in ("heavy_hole_mass", "light_hole_mass"):
            v = getattr(self, fld)
            if v is not None:
                rows.append((fld, round(v, 4), "m0", cite(fld)))
        if self.luttinger is not None:
            rows.append(("luttinger", tuple(round(g, 4) for g in self.luttinger), "",
                         cite("luttinger")))
        if self.kane_energy_eV is not None:
            rows.append(("kane_energy_eV", self.kane_energy_eV, "eV", cite("kane_energy")))
        if self.spin_orbit_eV is not None:
            rows.append(("spin_orbit_eV", self.spin_orbit_eV, "eV", cite("spin_orbit")))
        rows += [
            ("eps_static", self.eps_static, "", cite("eps_static")),
            ("eps_inf", self.eps_inf, "", cite("eps_inf")),
            ("electron_affinity_eV", self.electron_affinity_eV, "eV",
             cite("electron_affinity")),
            ("ionisation_energy_300K", round(self.ionisation_energy_eV(300.0), 4), "eV",
             "computed"),
            ("lattice_constant_nm", self.lattice_constant_nm, "nm", cite("lattice_a")),
        ]
        if self.lattice_c_nm is not None:
            rows.append(("lattice_c_nm", self.lattice_c_nm, "nm", cite("lattice_c")))
        rows += [
            ("density_g_cm3", self.density_g_cm3, "g/cm^3", cite("density")),
            ("molar_mass_g_mol", self.molar_mass_g_mol, "g/mol", cite("molar_mass")),
            ("molar_volume_cm3_mol", round(self.molar_volume_cm3_mol, 4), "cm^3/mol",
             "computed"),
            ("exciton_bohr_radius_nm", round(self.exciton_bohr_radius_nm, 3), "nm",
             "computed"),
            ("exciton_rydberg_eV", round(self.exciton_rydberg_eV, 5), "eV", "computed"),
        ]
        return rows

    def _gap_formula(self) -> str:
        p = self.band_gap_params
        if self.band_gap_model == "varshni":
            return f"Varshni: Eg0={p[0]:g} eV, alpha={p[1]:g} eV/K, beta={p[2]:g} K"
        if self.band_gap_model == "alloy":
            (ma, xa), (mb, xb) = self.alloy_parts
            return (f"alloy: {xa:g}*Eg({ma.key}) + {xb:g}*Eg({mb.key}) - b*x(1-x), "
                    f"b={p[0]:g} eV")
        if self.band_gap_model == "linear":
            return f"linear: Eg(300 K)={p[0]:g} eV, dEg/dT={p[1]:g} eV/K"
        return self.band_gap_model

    @property
    def formula_units_per_nm3(self) -> float:
        """Formula units per nm^3: :math:`\\rho N_A / M` (1 cm^3 = 1e21 nm^3)."""
        return self.density_g_cm3 * AVOGADRO / self.molar_mass_g_mol * 1e-21


def _spherical_hole_masses(g1: float, g2: float, g3: float) -> tuple[float, float]:
    """Spherical heavy- and light-hole masses in m0 (Baldereschi & Lipari 1973).

    :math:`\\bar\\gamma = (2\\gamma_2 + 3\\gamma_3)/5`,
    :math:`m_{hh} = 1/(\\gamma_1 - 2\\bar\\gamma)`,
    :math:`m_{lh} = 1/(\\gamma_1 + 2\\bar\\gamma)`.
    """
    gbar = (2.0 * g2 + 3.0 * g3) / 5.0
    return 1.0 / (g1 - 2.0 * gbar), 1.0 / (g1 + 2.0 * gbar)


__all__ = ["Material", "RoHS_ELEMENTS"]
