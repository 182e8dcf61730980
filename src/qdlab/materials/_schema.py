"""Pydantic schema of the TOML material records (validation when loading).

Every number in a record is a small table ``{ value = ..., source = "key" }``
(or, for the band gap and the Luttinger parameters, a table with several
numbers and one ``source``).  The schema checks types and physical ranges
(masses > 0, dielectric constants >= 1, band gaps > 0, ...); the loader in
:mod:`qdlab.materials._database` turns a :class:`pydantic.ValidationError`
into a :class:`~qdlab.errors.QdlabInputError` that names the file, the
material and the field.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Finite = Annotated[float, Field(allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
AtLeastOne = Annotated[float, Field(ge=1, allow_inf_nan=False)]
SourceKey = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PositiveQuantity(_Strict):
    """A number > 0 with its bibliography key."""

    value: Positive
    source: SourceKey


class DielectricQuantity(_Strict):
    """A relative permittivity (>= 1) with its bibliography key."""

    value: AtLeastOne
    source: SourceKey


class VarshniGap(_Strict):
    """Eg(T) = Eg0 - alpha T^2 / (T + beta), in eV (T in K)."""

    model: Literal["varshni"]
    Eg0_eV: Positive
    alpha_eV_K: NonNegative
    beta_K: Positive
    source: SourceKey

    @model_validator(mode="after")
    def _positive_at_high_t(self):
        # Eg(T) -> Eg0 - alpha (T - beta) for T >> beta; require Eg > 0 at 300 K
        # (the gap is checked again where it is evaluated).
        eg300 = self.Eg0_eV - self.alpha_eV_K * 300.0**2 / (300.0 + self.beta_K)
        if eg300 <= 0:
            raise ValueError(f"Varshni band gap must be > 0 eV at 300 K, got {eg300:.3g} eV")
        return self


class LinearGap(_Strict):
    """Eg(T) = Eg300 + dEg/dT (T - 300 K), in eV; used where Eg rises with T (Pb salts,
    perovskites) or only the slope is known."""

    model: Literal["linear"]
    Eg300_eV: Positive
    dEg_dT_eV_K: Finite
    valid_from_K: NonNegative = 0.0
    valid_to_K: Positive = 1000.0
    source: SourceKey


class BoseEinsteinGap(_Strict):
    """Eg(T) = E0 + a (1 - coth(theta / 2T) ...) as used by Vurgaftman et al. (2001) for the
    direct gap of GaP: Eg(T) = Eg0 + a_eV (1 - coth(theta_K / T)), in eV."""

    model: Literal["bose_einstein"]
    Eg0_eV: Positive
    a_eV: NonNegative
    theta_K: Positive
    source: SourceKey


class Luttinger(_Strict):
    """Luttinger parameters gamma1, gamma2, gamma3 (dimensionless)."""

    gamma1: Positive
    gamma2: Finite
    gamma3: Finite
    source: SourceKey

    @model_validator(mode="after")
    def _bound_hole(self):
        gbar = (2 * self.gamma2 + 3 * self.gamma3) / 5
        if self.gamma1 - 2 * gbar <= 0:
            raise ValueError("gamma1 - 2*(2 gamma2 + 3 gamma3)/5 must be > 0 "
                             "(spherical heavy-hole mass must be positive)")
        return self


class Record(_Strict):
    """One material in one phase."""

    key: Annotated[str, Field(min_length=1)]
    name: Annotated[str, Field(min_length=1)]
    phase: Annotated[str, Field(min_length=1)]
    default: bool = False
    crystal_structure: Annotated[str, Field(min_length=1)]
    elements: Annotated[tuple[str, ...], Field(min_length=1)]
    band_gap: VarshniGap | LinearGap | BoseEinsteinGap = Field(discriminator="model")
    gap_type: Literal["direct", "indirect"] = "direct"
    direct_gap: VarshniGap | LinearGap | BoseEinsteinGap | None = Field(
        default=None, discriminator="model")
    electron_mass: PositiveQuantity
    hole_mass: PositiveQuantity | None = None
    hole_mass_definition: Annotated[str, Field(min_length=1)]
    heavy_hole_mass: PositiveQuantity | None = None
    light_hole_mass: PositiveQuantity | None = None
    luttinger: Luttinger | None = None
    kane_energy: PositiveQuantity | None = None
    spin_orbit: PositiveQuantity | None = None
    eps_static: DielectricQuantity
    eps_inf: DielectricQuantity
    electron_affinity: PositiveQuantity
    lattice_a: PositiveQuantity
    lattice_c: PositiveQuantity | None = None
    density: PositiveQuantity
    molar_mass: PositiveQuantity

    @model_validator(mode="after")
    def _consistency(self):
        if self.gap_type == "indirect" and self.direct_gap is None:
            raise ValueError("direct_gap is required when gap_type is 'indirect'")
        if self.hole_mass is None and self.luttinger is None:
            raise ValueError("hole_mass is required when luttinger is not given")
        if self.eps_inf.value > self.eps_static.value:
            raise ValueError(f"eps_inf ({self.eps_inf.value}) must be <= eps_static "
                             f"({self.eps_static.value})")
        hexagonal = self.crystal_structure.lower() in ("wurtzite", "hexagonal")
        if hexagonal and self.lattice_c is None:
            raise ValueError("lattice_c is required for a hexagonal crystal structure")
        return self


class BibEntry(_Strict):
    """One bibliography entry."""

    short: Annotated[str, Field(min_length=1)]
    citation: Annotated[str, Field(min_length=1)]
    doi: str | None = None
    url: str | None = None


class Bowing(_Strict):
    """A bowing parameter (eV) of the band gap of A(1-x)B(x), with its source."""

    a: Annotated[str, Field(min_length=1)]
    b: Annotated[str, Field(min_length=1)]
    band_gap_bowing_eV: Finite
    gap: Literal["fundamental", "direct"] = "fundamental"
    source: SourceKey
