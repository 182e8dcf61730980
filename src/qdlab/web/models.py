"""Request models of the REST API (pydantic), with the limits of each field.

Units are in the field names or descriptions: nm, eV, K, s, mol/L, cm.  The
limits here are resource limits (array lengths, grid sizes, simulated time,
number of spectra) and the physical range of each field on its own (no size
below :data:`MIN_LENGTH_NM`, no temperature below 1 K, peaks inside the envelope
of the sizing curves).  A value inside these bounds can still be outside the
validity of a model for one material or structure (e.g. a peak outside that
material's sizing curve, a dot too small to bind an electron): the library
checks that and its message is returned unchanged with status 422.  Limits that depend on more
than one field (the cost budgets) are in :data:`LIMITS` and are checked by the
endpoints before any work starts (413 with a message).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "LIMITS",
    "MIN_LENGTH_NM",
    "SHAPE_FIELDS",
    "ColourRequest",
    "EmissionLine",
    "LevelsRequest",
    "MediumModel",
    "ShapeModel",
    "ShellModel",
    "SizeRequest",
    "SpectrumRequest",
    "SynthRequest",
]

#: Resource limits and cost budgets of the API (also shown by ``GET /api/health``).
LIMITS = {
    "upload_max_bytes": 10_000_000,
    "body_timeout_s": 60.0,          # the whole request body must arrive within this time
    "fit_max_spectra": 24,
    "fit_max_points": 20_000,
    "spectrum_max_points": 2001,
    "colour_max_points": 5000,
    "synth_max_duration_s": 7200.0,
    "synth_max_steps": 200_000,
    "synth_max_classes": 5000,
    "synth_max_histogram_cells": 100_000,   # n_snapshots x histogram_bins
    "synth_max_jobs_running": 2,
    "synth_max_jobs_stored": 32,
    "synth_wall_time_s": 60.0,
    # 3D shapes: grid cells (unknowns) of one symmetry sector at the spacing used, as the
    # library reports them (``grid_unknowns``); 2 cores: a 12 x 4 nm rod at h = 0.15 nm
    # (18 800 cells) 1.6 s, a 5 x 2.5 nm rod (5400) 1.0 s, a tetrapod (12 167, no
    # symmetry) 0.2 s
    "shape_max_grid_cells": 15_000,
    "shape_slice_max_side": 64,       # |psi|^2 maps of shapes: at most 64 x 64 cells each
    "timeout_s": {"default": 20.0, "levels": 20.0, "spectrum": 30.0, "fit": 60.0,
                  "validate": 60.0, "display": 60.0},
}

#: Smallest length (nm) of any size field: below an atom's radius there is no nanocrystal
#: (and the solvers divide by the size).
MIN_LENGTH_NM = 0.1

Material = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.()\-]+$",
                                description="material name or key, e.g. CdSe, CdSe-zb, InP",
                                examples=["CdSe"])]
LayerSpec = Annotated[str, Field(min_length=1, max_length=200,
                                 pattern=r"^[A-Za-z0-9_.()\-]+(/[A-Za-z0-9_.()\-]+){0,4}$",
                                 description="material, or layers from the core out "
                                             "separated by '/' (at most 5)",
                                 examples=["CdSe", "CdSe/ZnS", "InP/ZnSe/ZnS"])]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MediumModel(_Model):
    """Surroundings (ligands/solvent): dielectric constant and barriers (eV)."""

    dielectric_constant: float = Field(2.25, ge=1.0, le=100.0)
    electron_barrier_eV: float = Field(4.0, ge=0.01, le=20.0,
                                       description="step above the outer conduction edge, eV")
    hole_barrier_eV: float = Field(4.0, ge=0.01, le=20.0,
                                   description="step below the outer valence edge, eV")


#: Fields of :class:`ShapeModel` each kind needs (required) and may take (optional).
SHAPE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "rod": (("length_nm", "diameter_nm"), ("resolution_nm",)),
    "platelet": (("monolayers", "lateral_size_nm"), ()),
    "cube": (("edge_nm",), ("resolution_nm",)),
    "tetrapod": (("core_diameter_nm", "arm_length_nm", "arm_diameter_nm"), ("resolution_nm",)),
    "dot-in-rod": (("core_diameter_nm", "length_nm", "diameter_nm"),
                   ("core_position_nm", "resolution_nm")),
    "dimer": (("diameter_a_nm",), ("diameter_b_nm", "gap_nm", "neck_diameter_nm",
                                   "resolution_nm")),
}


class ShapeModel(_Model):
    """A non-spherical nanocrystal.  Rods, cubes, tetrapods, dot-in-rods and dimers are
    solved on a 3D grid (grid spacing ``resolution_nm``, default the library's; the grid
    must fit ``LIMITS["shape_max_grid_cells"]``, else 413 naming a spacing that fits),
    platelets with the library's thickness-quantisation model.

    Fields per kind (required; optional): rod: length_nm, diameter_nm; cube: edge_nm;
    platelet: monolayers, lateral_size_nm; tetrapod: core_diameter_nm, arm_length_nm,
    arm_diameter_nm (material ``core`` or ``core/arms``); dot-in-rod: core_diameter_nm,
    length_nm, diameter_nm; core_position_nm (material ``core/rod``, e.g. CdSe/CdS);
    dimer: diameter_a_nm; diameter_b_nm, gap_nm, neck_diameter_nm (two spheres of one
    material along z).  Every grid kind also takes resolution_nm.
    """

    kind: Literal["rod", "platelet", "cube", "tetrapod", "dot-in-rod", "dimer"]
    length_nm: float | None = Field(None, ge=MIN_LENGTH_NM, le=60.0,
                                    description="rod / dot-in-rod length tip to tip, nm")
    diameter_nm: float | None = Field(None, ge=MIN_LENGTH_NM, le=20.0,
                                      description="rod / dot-in-rod diameter, nm")
    monolayers: int | None = Field(None, ge=1, le=12, description="platelet thickness, monolayers")
    lateral_size_nm: float | None = Field(None, ge=MIN_LENGTH_NM, le=40.0,
                                          description="platelet side, nm")
    edge_nm: float | None = Field(None, ge=MIN_LENGTH_NM, le=20.0, description="cube edge, nm")
    core_diameter_nm: float | None = Field(None, ge=MIN_LENGTH_NM, le=20.0,
                                           description="tetrapod / dot-in-rod core diameter, nm")
    arm_length_nm: float | None = Field(None, ge=MIN_LENGTH_NM, le=30.0,
                                        description="tetrapod arm length, core surface to "
                                                    "tip, nm")
    arm_diameter_nm: float | None = Field(None, ge=MIN_LENGTH_NM, le=10.0,
                                          description="tetrapod arm diameter, nm")
    core_position_nm: float | None = Field(None, ge=-30.0, le=30.0,
                                           description="dot-in-rod: z of the core centre "
                                                       "from the rod centre, nm (default 0)")
    diameter_a_nm: float | None = Field(None, ge=MIN_LENGTH_NM, le=20.0,
                                        description="dimer: diameter of the sphere at -z, nm")
    diameter_b_nm: float | None = Field(None, ge=MIN_LENGTH_NM, le=20.0,
                                        description="dimer: diameter of the sphere at +z, nm "
                                                    "(default diameter_a_nm: a homodimer)")
    gap_nm: float | None = Field(None, ge=0.0, le=5.0,
                                 description="dimer: surface-to-surface gap (filled by the "
                                             "medium), nm (default 0: touching)")
    neck_diameter_nm: float | None = Field(None, ge=MIN_LENGTH_NM, le=20.0,
                                           description="dimer: diameter of a cylindrical neck "
                                                       "fusing the two spheres, nm (default "
                                                       "none)")
    resolution_nm: float | None = Field(None, ge=0.05, le=1.0,
                                        description="grid spacing of the 3D solve, nm "
                                                    "(default: the library's, from the "
                                                    "smallest feature); coarser is faster "
                                                    "and less accurate")

    @model_validator(mode="after")
    def _fields_of_kind(self):
        required, optional = SHAPE_FIELDS[self.kind]
        missing = [f for f in required if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.kind} needs {', '.join(missing)}")
        allowed = {"kind", *required, *optional}
        extra = [f for f in type(self).model_fields if f not in allowed
                 and getattr(self, f) is not None]
        if extra:
            raise ValueError(f"a {self.kind} does not take {', '.join(extra)}; it takes "
                             f"{', '.join(required + optional)}")
        return self


class LevelsRequest(_Model):
    """Levels of a sphere (``diameter``), a core/shell (``core_diameter`` + ``shells``)
    or a shape (``shape``)."""

    material: LayerSpec
    diameter: float | None = Field(None, ge=MIN_LENGTH_NM, le=100.0,
                                   description="sphere diameter, nm")
    core_diameter: float | None = Field(None, ge=MIN_LENGTH_NM, le=100.0,
                                        description="core diameter, nm")
    shells: list[Annotated[float, Field(ge=MIN_LENGTH_NM, le=20.0)]] = Field(
        default_factory=list, max_length=4, description="shell thicknesses, nm, core out")
    shape: ShapeModel | None = None
    temperature: float = Field(300.0, ge=1.0, le=2000.0, description="K")
    medium: MediumModel = Field(default_factory=MediumModel)
    l_max: int = Field(2, ge=0, le=4)
    n_states: int = Field(2, ge=1, le=4)
    nonparabolic: bool = True
    screening: Literal["high_frequency", "static"] = "high_frequency"
    model: Literal["auto", "kp", "single-band"] = Field(
        "auto", description="electronic model: auto = the multiband quantum well for "
                            "zinc-blende platelets, single band elsewhere; kp = "
                            "Kane/Luttinger spheres and core/shells (better than single "
                            "band for CdSe spheres), Kang-Wise lead salts, CuCl spheres, "
                            "CsPbX3 cubes, zinc-blende platelets (refused where it does "
                            "not apply); the k.p model takes no l_max, n_states or "
                            "nonparabolic")
    include_profiles: bool = Field(False, description="add radial wavefunctions and the "
                                                      "band-edge profile (for plots); for a "
                                                      "shape solved on a grid, the |psi|^2 "
                                                      "maps of the lowest electron and hole "
                                                      "on the plane y = 0 "
                                                      "(wavefunction_slice, <= 64 x 64)")
    multiexcitons: bool = Field(False, description="add biexciton and trion binding "
                                                   "energies (meV), radiative and Auger "
                                                   "lifetimes (ns) and quantum yields (the "
                                                   "`qdlab levels --multiexcitons` fields); "
                                                   "spheres and core/shells only")
    exciton_nonradiative_lifetime_ns: float | None = Field(
        None, gt=0.0, le=1e9, description="multiexcitons: exciton nonradiative lifetime, ns "
                                          "(default none: QY 1)")
    auger_beta_ps_nm3: float = Field(1.0, gt=0.0, le=1e3, description="multiexcitons: "
                                     "biexciton Auger time per volume, ps/nm^3 (Robel 2009)")
    auger_suppression: float = Field(1.0, ge=1.0, le=1e6, description="multiexcitons: factor "
                                     "lengthening the Auger times (graded interfaces)")

    @model_validator(mode="after")
    def _one_size(self):
        given = [x is not None for x in (self.diameter, self.core_diameter, self.shape)]
        if sum(given) != 1:
            raise ValueError("give exactly one of diameter (sphere, nm), core_diameter "
                             "(core/shell, nm) or shape")
        extra = sorted(set(self.model_fields_set) & {"exciton_nonradiative_lifetime_ns",
                                                     "auger_beta_ps_nm3", "auger_suppression"})
        if extra and not self.multiexcitons:
            raise ValueError(f"{extra[0]} is an option of multiexcitons: set multiexcitons "
                             "true")
        if self.multiexcitons and self.shape is not None:
            raise ValueError("multiexcitons need a sphere or core/shell (their radiative and "
                             "Auger rates are for spheres), got shape "
                             f"{self.shape.kind!r}")
        return self


class ShellModel(_Model):
    material: Material
    thickness_nm: float = Field(ge=MIN_LENGTH_NM, le=20.0)


class SpectrumRequest(_Model):
    """Ensemble absorption and photoluminescence of a size distribution."""

    material: Material
    mean_diameter_nm: float = Field(ge=MIN_LENGTH_NM, le=30.0,
                                    description="mean (core) diameter, nm")
    dispersion_pct: float = Field(5.0, ge=0.5, le=40.0, description="std/mean of the diameter, %")
    distribution: Literal["normal", "lognormal"] = "normal"
    shells: list[ShellModel] = Field(default_factory=list, max_length=3)
    temperature: float = Field(300.0, ge=1.0, le=2000.0, description="K")
    wavelength_min_nm: float = Field(350.0, ge=200.0, le=3000.0)
    wavelength_max_nm: float = Field(750.0, ge=200.0, le=3000.0)
    n_points: int = Field(401, ge=10, le=LIMITS["spectrum_max_points"])
    concentration_M: float | None = Field(None, ge=1e-12, le=1.0, description="mol/L")
    path_cm: float = Field(1.0, ge=1e-4, le=100.0, description="cm")
    quantum_yield: float = Field(1.0, ge=0.0, le=1.0)
    stokes_shift_eV: float | None = Field(None, ge=0.0, le=1.0, description="eV")

    @model_validator(mode="after")
    def _range(self):
        if self.wavelength_max_nm <= self.wavelength_min_nm:
            raise ValueError(f"wavelength_max_nm must be > wavelength_min_nm = "
                             f"{self.wavelength_min_nm:g} nm, got {self.wavelength_max_nm:g}")
        return self


class SizeRequest(_Model):
    """Sizing from the first-exciton peak (published curves and the qdlab model)."""

    material: Material
    peak_nm: float = Field(ge=100.0, le=5000.0,
                           description="first-exciton peak, nm; the envelope of the sizing "
                                       "curves and the model over all materials: each "
                                       "material accepts a narrower range (422 names it)")
    absorbance: float | None = Field(None, ge=1e-6, le=10.0,
                                     description="absorbance where the curve's extinction applies")
    path_cm: float = Field(1.0, ge=1e-4, le=100.0, description="cm")


class EmissionLine(_Model):
    centre_nm: float = Field(ge=100.0, le=2000.0, description="Gaussian line centre, nm")
    fwhm_nm: float = Field(30.0, ge=MIN_LENGTH_NM, le=500.0, description="line FWHM, nm")


class ColourRequest(_Model):
    """Colour of an emission: a Gaussian line, a sampled spectrum, or a size distribution.

    Give exactly one of: ``centre_nm`` (+ ``fwhm_nm``); ``wavelength_nm`` +
    ``intensity``; ``material`` + ``mean_diameter_nm`` (+ ``dispersion_pct``).
    ``primaries`` (3-8 lines) adds the gamut coverage of those emitters.
    """

    centre_nm: float | None = Field(None, ge=100.0, le=2000.0, description="nm")
    fwhm_nm: float = Field(30.0, ge=MIN_LENGTH_NM, le=500.0, description="nm")
    wavelength_nm: list[Annotated[float, Field(ge=1.0, le=100_000.0)]] | None = Field(
        None, min_length=3, max_length=LIMITS["colour_max_points"], description="nm")
    intensity: list[Annotated[float, Field(ge=0.0, le=1e30)]] | None = Field(
        None, min_length=3, max_length=LIMITS["colour_max_points"],
        description="spectral power per nm, any unit (>= 0)")
    material: Material | None = None
    mean_diameter_nm: float | None = Field(None, ge=MIN_LENGTH_NM, le=30.0, description="nm")
    dispersion_pct: float = Field(5.0, ge=0.5, le=40.0, description="%")
    primaries: list[EmissionLine] | None = Field(None, min_length=3, max_length=8)

    @model_validator(mode="after")
    def _one_source(self):
        sources = [self.centre_nm is not None,
                   self.wavelength_nm is not None or self.intensity is not None,
                   self.material is not None or self.mean_diameter_nm is not None]
        if sum(sources) != 1:
            raise ValueError("give exactly one of centre_nm (+ fwhm_nm), wavelength_nm + "
                             "intensity, or material + mean_diameter_nm")
        if sources[1] and (self.wavelength_nm is None or self.intensity is None
                           or len(self.wavelength_nm) != len(self.intensity)):
            raise ValueError("wavelength_nm and intensity must both be given, with the same "
                             "length")
        if sources[2] and (self.material is None or self.mean_diameter_nm is None):
            raise ValueError("material and mean_diameter_nm must both be given")
        return self


Override = Annotated[str, Field(pattern=r"^[a-z_]{1,40}(__[a-z_]{1,40})?$", max_length=82)]


class SynthRequest(_Model):
    """A synthesis run: a shipped example recipe with changes, or a whole recipe."""

    example: str | None = Field("cdse", max_length=32, description="shipped example recipe")
    recipe: dict | None = Field(None, description="a whole recipe (the TOML as JSON); "
                                                  "replaces example")
    duration_s: float | None = Field(None, ge=1.0, le=LIMITS["synth_max_duration_s"],
                                     description="reaction time, s")
    overrides: dict[Override, float | int | str] = Field(
        default_factory=dict, max_length=20,
        description="recipe changes: top-level fields or section__field, e.g. "
                    "growth__surface_energy_J_m2")
