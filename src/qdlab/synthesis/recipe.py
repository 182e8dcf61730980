"""Synthesis recipes: validated descriptions of a hot-injection or heat-up run.

A recipe is a TOML file (or a Python object) with the unit in every key name.
Validation is strict: unknown keys, missing fields and out-of-range values
raise :class:`qdlab.errors.QdlabInputError` naming the field, the allowed
range and the value received.

Every parameter, its unit and typical range (see each ``Field`` description)::

    name                          free text
    material                      material name for qdlab.materials (e.g. "CdSe")
    molar_volume_cm3_mol          V_m of the solid, cm^3/mol (optional override;
                                  25-60 for II-VI, III-V, IV-VI); default from
                                  the materials database (molar mass / density)
    solvent_volume_mL             reaction volume, mL (1-100; allowed (0, 1e5])
    precursor_mol                 precursor present at t = 0, in mol of monomer
                                  equivalents (1e-5-1e-2)
    monomer_mol                   free monomer at t = 0, mol (usually 0)
    duration_s                    reaction time, s (10-1e4)
    [conversion]                  precursor -> monomer, first order, Arrhenius
      prefactor_per_s             A, 1/s (1e3-1e15)
      activation_energy_eV        E_a, eV (0.3-1.5)
    [growth]                      Talapin et al. 2001 growth law
      surface_energy_J_m2         gamma, J/m^2 (0.05-1)
      diffusion_m2_s              D, m^2/s (1e-11-1e-8)
      surface_rate_m_s            k_g of the flat surface, m/s (1e-9-1e3)
      transfer_coefficient        alpha, 0-1 (0.5)
      solubility_mol_L            C_inf of the flat surface at solubility_reference_K,
                                  mol/L (1e-7-1e-2)
      solubility_enthalpy_eV      van 't Hoff enthalpy of dissolution, eV (0-1; 0 = constant)
      solubility_reference_K      temperature at which solubility_mol_L holds, K
    [nucleation]
      model                       "cnt" (classical nucleation theory) or "none", or a
                                  name registered with register_nucleation_model
      prefactor_per_m3_s          A_n, 1/(m^3 s) (1e25-1e40)
      nucleus_size_factor         new nuclei are placed at this multiple of r* (1.01-2)
    [[temperature_program]]       piecewise linear T(t); constant after the last point
      time_s, temperature_K       s, K (300-620 for organic solvents; allowed [200, 800])
    [[injections]]                further injections at given times
      time_s, precursor_mol, monomer_mol, volume_mL
    [numerics]
      rtol                        relative tolerance of the time integration (1e-6-1e-3)
      atol_nm                     absolute radius tolerance, nm (1e-6-1e-3)
      nucleation_rtol             accuracy of the nucleated number per step (0.01-0.3)
      max_classes                 most Lagrangian size classes kept (100-1e5)
      n_snapshots                 size histograms stored (0-1000)
      histogram_bins              diameter bins of the histograms (10-1e4)
      histogram_max_diameter_nm   upper edge of the histogram grid, nm
      max_steps                   step budget; exceeding it is an error

Examples
--------
>>> r = example_recipe("cdse")
>>> r.growth.transfer_coefficient
0.5
>>> Recipe.from_dict({"name": "x", "material": "CdSe"})
Traceback (most recent call last):
...
qdlab.errors.QdlabInputError: recipe field 'solvent_volume_mL' is missing (reaction volume, ...
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from qdlab.errors import QdlabInputError, unknown_name_error

__all__ = [
    "Conversion",
    "Growth",
    "Injection",
    "Nucleation",
    "Numerics",
    "Recipe",
    "TemperaturePoint",
    "example_recipe",
    "list_examples",
    "load_recipe",
]


def _f(default=..., *, doc: str, allowed: str, **kw):
    """A pydantic Field whose description carries the unit and allowed range."""
    return Field(default, description=f"{doc}; allowed {allowed}", **kw)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Conversion(_Strict):
    """Precursor -> monomer conversion, first order with Arrhenius rate k = A exp(-E_a/k_B T)."""

    prefactor_per_s: float = _f(doc="Arrhenius prefactor A, 1/s (typ. 1e3-1e15)",
                                allowed="(0, 1e20]", gt=0, le=1e20)
    activation_energy_eV: float = _f(doc="activation energy E_a, eV (typ. 0.3-1.5)",
                                     allowed="[0, 3]", ge=0, le=3)


class Growth(_Strict):
    """Growth law parameters (Talapin et al. 2001) and the flat-surface solubility."""

    surface_energy_J_m2: float = _f(doc="surface energy gamma, J/m^2 (typ. 0.05-1)",
                                    allowed="(0, 5]", gt=0, le=5)
    diffusion_m2_s: float = _f(doc="monomer diffusion coefficient D, m^2/s (typ. 1e-11-1e-8)",
                               allowed="(0, 1e-6]", gt=0, le=1e-6)
    surface_rate_m_s: float = _f(doc="surface reaction rate k_g of the flat surface, m/s "
                                 "(typ. 1e-9-1e3; large = diffusion control)",
                                 allowed="(0, 1e9]", gt=0, le=1e9)
    transfer_coefficient: float = _f(0.5, doc="transfer coefficient alpha (typ. 0.5)",
                                     allowed="[0, 1]", ge=0, le=1)
    solubility_mol_L: float = _f(doc="flat-surface monomer solubility C_inf, mol/L "
                                 "(typ. 1e-7-1e-2)", allowed="(0, 1]", gt=0, le=1)
    solubility_enthalpy_eV: float = _f(0.0, doc="dissolution enthalpy for C_inf(T), eV "
                                       "(typ. 0-1)", allowed="[0, 3]", ge=0, le=3)
    solubility_reference_K: float = _f(573.15, doc="temperature of solubility_mol_L, K",
                                       allowed="[200, 800]", ge=200, le=800)


class Nucleation(_Strict):
    """Nucleation model: classical nucleation theory by default."""

    model: str = _f("cnt", doc="nucleation model name ('cnt', 'none' or registered)",
                    allowed="a registered name")
    prefactor_per_m3_s: float = _f(1e30, doc="CNT kinetic prefactor A_n, 1/(m^3 s) "
                                   "(typ. 1e25-1e40)", allowed="[0, 1e45]", ge=0, le=1e45)
    nucleus_size_factor: float = _f(1.1, doc="new nuclei placed at this multiple of r* "
                                    "(typ. 1.05-1.5)", allowed="(1, 3]", gt=1, le=3)


class TemperaturePoint(_Strict):
    """One node of the piecewise-linear temperature program."""

    time_s: float = _f(doc="time, s", allowed="[0, 1e7]", ge=0, le=1e7)
    temperature_K: float = _f(doc="temperature, K (typ. 300-620)", allowed="[200, 800]",
                              ge=200, le=800)


class Injection(_Strict):
    """A further injection of precursor (and/or monomer) at a given time."""

    time_s: float = _f(doc="injection time, s", allowed="(0, 1e7]", gt=0, le=1e7)
    precursor_mol: float = _f(0.0, doc="precursor added, mol monomer equivalents",
                              allowed="[0, 100]", ge=0, le=100)
    monomer_mol: float = _f(0.0, doc="free monomer added, mol", allowed="[0, 100]", ge=0, le=100)
    volume_mL: float = _f(0.0, doc="volume added, mL", allowed="[0, 1e5]", ge=0, le=1e5)


class Numerics(_Strict):
    """Tolerances and output settings of the population-balance integrator."""

    rtol: float = _f(1e-4, doc="relative tolerance (typ. 1e-6-1e-3)", allowed="[1e-10, 0.1]",
                     ge=1e-10, le=0.1)
    atol_nm: float = _f(1e-4, doc="absolute radius tolerance, nm", allowed="[1e-12, 1]",
                        ge=1e-12, le=1)
    nucleation_rtol: float = _f(0.1, doc="relative accuracy of nucleated number per step",
                                allowed="[1e-6, 1]", ge=1e-6, le=1)
    max_classes: int = _f(2000, doc="most size classes kept (merging beyond)",
                          allowed="[10, 1000000]", ge=10, le=1_000_000)
    n_snapshots: int = _f(60, doc="number of stored size histograms", allowed="[0, 100000]",
                          ge=0, le=100_000)
    histogram_bins: int = _f(200, doc="diameter bins of the histograms", allowed="[10, 100000]",
                             ge=10, le=100_000)
    histogram_max_diameter_nm: float = _f(20.0, doc="upper edge of the diameter grid, nm",
                                          allowed="(0, 1e4]", gt=0, le=1e4)
    max_steps: int = _f(200_000, doc="step budget", allowed="[10, 1e8]", ge=10, le=100_000_000)


class Recipe(_Strict):
    """A complete synthesis recipe (see the module docstring for every field)."""

    name: str = _f("recipe", doc="free text", allowed="any text")
    material: str = _f(doc="material name for qdlab.materials", allowed="a known material")
    molar_volume_cm3_mol: float | None = _f(None, doc="molar volume override, cm^3/mol "
                                            "(typ. 25-60)", allowed="[1, 500]", ge=1, le=500)
    solvent_volume_mL: float = _f(doc="reaction volume, mL", allowed="(0, 1e5]", gt=0, le=1e5)
    precursor_mol: float = _f(doc="precursor at t = 0, mol monomer equivalents",
                              allowed="[0, 100]", ge=0, le=100)
    monomer_mol: float = _f(0.0, doc="free monomer at t = 0, mol", allowed="[0, 100]",
                            ge=0, le=100)
    duration_s: float = _f(doc="reaction time, s", allowed="(0, 1e7]", gt=0, le=1e7)
    conversion: Conversion = _f(doc="[conversion] section", allowed="see Conversion")
    growth: Growth = _f(doc="[growth] section", allowed="see Growth")
    nucleation: Nucleation = _f(Nucleation(), doc="[nucleation] section",
                                allowed="see Nucleation")
    temperature_program: tuple[TemperaturePoint, ...] = _f(
        doc="piecewise-linear T(t) nodes", allowed="1 or more nodes, times increasing",
        min_length=1)
    injections: tuple[Injection, ...] = _f((), doc="[[injections]] further injections",
                                           allowed="0 or more, times in (0, duration_s)")
    numerics: Numerics = _f(Numerics(), doc="[numerics] section", allowed="see Numerics")

    @model_validator(mode="after")
    def _consistency(self):
        times = [p.time_s for p in self.temperature_program]
        for i in range(1, len(times)):
            if times[i] <= times[i - 1]:
                raise ValueError(
                    f"temperature_program[{i}].time_s must be > {times[i - 1]:g} s "
                    f"(times strictly increasing), got {times[i]:g}")
        for i, inj in enumerate(self.injections):
            if inj.time_s >= self.duration_s:
                raise ValueError(f"injections[{i}].time_s must be in (0, duration_s = "
                                 f"{self.duration_s:g}) s, got {inj.time_s:g}")
        total = self.precursor_mol + self.monomer_mol + sum(
            i.precursor_mol + i.monomer_mol for i in self.injections)
        if total <= 0:
            raise ValueError("precursor_mol + monomer_mol (including injections) must be > 0 "
                             "mol, got 0")
        return self

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Recipe:
        """Build and validate a recipe from a (TOML-like) dictionary.

        Raises
        ------
        QdlabInputError
            Naming the field, its allowed range and the value received.
        """
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            raise _translate(exc) from None

    def with_updates(self, **changes: Any) -> Recipe:
        """A validated copy with some top-level fields or ``section__field`` values changed.

        Examples
        --------
        >>> r = example_recipe("cdse").with_updates(growth__surface_energy_J_m2=0.25)
        >>> r.growth.surface_energy_J_m2
        0.25
        """
        data = self.model_dump()
        for key, value in changes.items():
            if "__" in key:
                sect, fld = key.split("__", 1)
                if sect not in data or not isinstance(data[sect], dict):
                    raise unknown_name_error("recipe section", sect,
                                             [k for k, v in data.items() if isinstance(v, dict)])
                data[sect][fld] = value
            else:
                data[key] = value
        return Recipe.from_dict(data)


def _field_doc(loc: tuple) -> str:
    """Find the description (unit and allowed range) of the field at ``loc``."""
    model: Any = Recipe
    desc = ""
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return desc
        info = fields[part]
        desc = info.description or ""
        ann = info.annotation
        args = getattr(ann, "__args__", ())
        model = next((a for a in (ann, *args) if isinstance(a, type)
                      and issubclass(a, BaseModel)), None)
    return desc


def _known_keys(loc: tuple) -> list[str]:
    model: Any = Recipe
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return []
        ann = info.annotation
        args = getattr(ann, "__args__", ())
        model = next((a for a in (ann, *args) if isinstance(a, type)
                      and issubclass(a, BaseModel)), None)
        if model is None:
            return []
    return list(model.model_fields)


def _loc_str(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out


def _translate(exc: ValidationError) -> QdlabInputError:
    """Turn a pydantic error into one readable line per problem."""
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where = _loc_str(loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            known = _known_keys(loc)
            key = str(loc[-1])
            close = difflib.get_close_matches(key, known, n=2, cutoff=0.4)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            section = _loc_str(loc[:-1]) or "top level"
            lines.append(f"unknown recipe key {key!r} in {section}{hint} "
                         f"(known: {', '.join(known)}; units belong in the key name)")
        elif kind == "missing":
            doc = _field_doc(loc)
            lines.append(f"recipe field {where!r} is missing" + (f" ({doc})" if doc else
                                                                   " (a required section)"))
        elif kind == "value_error":
            lines.append(str(err.get("ctx", {}).get("error", err["msg"])))
        else:
            doc = _field_doc(loc)
            got = err.get("input")
            lines.append(f"recipe field {where!r} {err['msg'].lower()}, got {got!r}"
                         + (f" ({doc})" if doc else ""))
    return QdlabInputError("; ".join(lines))


def load_recipe(path: str | Path) -> Recipe:
    """Read and validate a TOML recipe file.

    Parameters
    ----------
    path : str or Path
        The TOML file.

    Returns
    -------
    Recipe

    Raises
    ------
    QdlabInputError
        If the file is missing, not TOML, or fails validation.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise QdlabInputError(f"recipe file {str(p)!r} cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise QdlabInputError(f"recipe file {str(p)!r} is not UTF-8 text (a TOML recipe): "
                              f"byte {exc.object[exc.start:exc.start + 1]!r} at position "
                              f"{exc.start}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QdlabInputError(f"recipe file {str(p)!r} is not valid TOML: {exc}") from None
    return Recipe.from_dict(data)


_EXAMPLES = {"cdse": "cdse_hot_injection.toml", "pbs": "pbs_hot_injection.toml",
             "cdse-teaching": "cdse_teaching_lab.toml",
             "inp": "inp_heat_up.toml"}


def list_examples() -> list[str]:
    """Names of the shipped example recipes.

    Examples
    --------
    >>> list_examples()
    ['cdse', 'cdse-teaching', 'inp', 'pbs']
    """
    return sorted(_EXAMPLES)


def example_recipe(name: str) -> Recipe:
    """Load a shipped example recipe by name ('cdse', 'cdse-teaching', 'pbs' or 'inp').

    Raises
    ------
    QdlabInputError
        For an unknown name (suggesting the closest).
    """
    key = name.lower()
    if key not in _EXAMPLES:
        raise unknown_name_error("example recipe", name, _EXAMPLES)
    ref = resources.files("qdlab.synthesis").joinpath("recipes", _EXAMPLES[key])
    with resources.as_file(ref) as path:
        return load_recipe(path)
