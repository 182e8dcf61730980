"""Loading, validating and looking up the TOML material records.

The data live in ``qdlab/materials/data``:

* ``<material>.toml``: one ``[[record]]`` per phase of the material;
* ``bibliography.toml``: every source key -> citation (with DOI where known);
* ``alloys.toml``: band-gap bowing parameters of pseudo-binary alloys.

The database is loaded once, on first use, into a read-only mapping; it never
changes afterwards, so caching it changes no result.

Examples
--------
>>> from qdlab.materials import get_material, list_materials
>>> "CdSe-zb" in list_materials()
True
>>> get_material("cdse", phase="zincblende").key
'CdSe-zb'
>>> get_material("CdSee")
Traceback (most recent call last):
...
qdlab.errors.QdlabInputError: unknown material 'CdSee'; did you mean ...
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import pydantic

from qdlab.errors import QdlabInputError, unknown_name_error
from qdlab.materials._material import Material, _spherical_hole_masses
from qdlab.materials._schema import BibEntry, Bowing, Record

_SPECIAL_FILES = ("bibliography.toml", "alloys.toml")

#: Accepted spellings of the phases.
_PHASE_ALIASES = {
    "wz": "wurtzite", "wurtzite": "wurtzite", "hexagonal": "wurtzite",
    "zb": "zincblende", "zincblende": "zincblende", "zinc blende": "zincblende",
    "zinc-blende": "zincblende", "sphalerite": "zincblende",
    "rs": "rocksalt", "rocksalt": "rocksalt", "rock salt": "rocksalt", "halite": "rocksalt",
    "diamond": "diamond", "cubic": "cubic", "orthorhombic": "orthorhombic",
}


def _data_dir() -> Path:
    return Path(str(resources.files("qdlab.materials") / "data"))


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise QdlabInputError(f"{path.name}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise QdlabInputError(f"cannot read material file {str(path)!r}: {exc}") from None


def _format_validation_error(path: Path, label: str, exc: pydantic.ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"] if not str(p).startswith(("function-after",
                                                                      "tagged-union"))]
        # drop the discriminator tag pydantic inserts for the band-gap union
        loc = [p for p in loc if p not in ("varshni", "linear")] or loc
        fld = ".".join(loc) if loc else "(record)"
        msg = err["msg"]
        if "input" in err and err["type"] not in ("missing", "extra_forbidden") \
                and not isinstance(err["input"], dict):
            msg += f", got {err['input']!r}"
        parts.append(f"field {fld!r}: {msg}")
    return f"{path.name}: material {label!r}: " + "; ".join(parts)


class Bibliography(Mapping):
    """Read-only mapping: source key -> full citation (with DOI where known).

    Also callable: ``bibliography()`` returns a plain dict of every entry,
    ``bibliography(key)`` the citation of one key.

    Examples
    --------
    >>> from qdlab.materials import bibliography
    >>> "Vurgaftman" in bibliography["vurgaftman2001"]
    True
    >>> bibliography.short("vurgaftman2001")
    'Vurgaftman et al. (2001)'
    """

    def __init__(self):
        self._entries: Mapping[str, BibEntry] | None = None

    def _load(self) -> Mapping[str, BibEntry]:
        if self._entries is None:
            path = _data_dir() / "bibliography.toml"
            raw = _read_toml(path)
            entries = {}
            for key, val in raw.items():
                try:
                    entries[key] = BibEntry.model_validate(val)
                except pydantic.ValidationError as exc:
                    raise QdlabInputError(_format_validation_error(path, key, exc)) from None
            self._entries = MappingProxyType(entries)
        return self._entries

    def entry(self, key: str) -> BibEntry:
        """The full entry (short, citation, doi, url) of ``key``."""
        entries = self._load()
        if key not in entries:
            raise unknown_name_error("bibliography key", key, entries)
        return entries[key]

    def short(self, key: str) -> str:
        """Short citation of ``key``, e.g. ``'Madelung (2004)'``."""
        return self.entry(key).short

    def __getitem__(self, key: str) -> str:
        e = self._load()[key]
        return e.citation + (f" doi:{e.doi}" if e.doi else "")

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __call__(self, key: str | None = None):
        if key is None:
            return {k: self[k] for k in self}
        if key not in self._load():
            raise unknown_name_error("bibliography key", key, self._load())
        return self[key]

    def __repr__(self):
        return f"<qdlab bibliography: {len(self)} entries>"


#: The bibliography of every number in the database (key -> citation).
bibliography = Bibliography()


def _material_from_record(rec: Record) -> Material:
    src = {}
    for fld in ("band_gap", "electron_mass", "hole_mass", "heavy_hole_mass", "light_hole_mass",
                "luttinger", "kane_energy", "spin_orbit", "eps_static", "eps_inf",
                "electron_affinity", "lattice_a", "lattice_c", "density", "molar_mass"):
        val = getattr(rec, fld)
        if val is not None:
            src[fld] = val.source
    lutt = None
    hh = rec.heavy_hole_mass.value if rec.heavy_hole_mass else None
    lh = rec.light_hole_mass.value if rec.light_hole_mass else None
    if rec.luttinger is not None:
        L = rec.luttinger
        lutt = (L.gamma1, L.gamma2, L.gamma3)
        mhh, mlh = _spherical_hole_masses(*lutt)
        if hh is None:
            hh, src["heavy_hole_mass"] = mhh, L.source
        if lh is None:
            lh, src["light_hole_mass"] = mlh, L.source
    if rec.hole_mass is not None:
        mh = rec.hole_mass.value
    else:
        mh = _spherical_hole_masses(*lutt)[0]
        src["hole_mass"] = rec.luttinger.source
    gap = rec.band_gap
    params, valid = _gap_params(gap)
    dmodel = dparams = None
    if rec.direct_gap is not None:
        dmodel, dparams = rec.direct_gap.model, _gap_params(rec.direct_gap)[0]
        src["direct_gap"] = rec.direct_gap.source
    return Material(
        key=rec.key, name=rec.name, phase=rec.phase,
        crystal_structure=rec.crystal_structure, elements=rec.elements,
        band_gap_model=gap.model, band_gap_params=params,
        electron_mass=rec.electron_mass.value, hole_mass=mh,
        hole_mass_definition=rec.hole_mass_definition,
        heavy_hole_mass=hh, light_hole_mass=lh, luttinger=lutt,
        kane_energy_eV=rec.kane_energy.value if rec.kane_energy else None,
        spin_orbit_eV=rec.spin_orbit.value if rec.spin_orbit else None,
        eps_static=rec.eps_static.value, eps_inf=rec.eps_inf.value,
        electron_affinity_eV=rec.electron_affinity.value,
        lattice_constant_nm=rec.lattice_a.value,
        lattice_c_nm=rec.lattice_c.value if rec.lattice_c else None,
        density_g_cm3=rec.density.value, molar_mass_g_mol=rec.molar_mass.value,
        sources=src,
        band_gap_valid_K=valid,
        gap_type=rec.gap_type,
        direct_gap_model=dmodel,
        direct_gap_params=dparams,
    )


def _gap_params(gap):
    if gap.model == "varshni":
        return (gap.Eg0_eV, gap.alpha_eV_K, gap.beta_K), (0.0, float("inf"))
    if gap.model == "bose_einstein":
        return (gap.Eg0_eV, gap.a_eV, gap.theta_K), (0.0, float("inf"))
    return (gap.Eg300_eV, gap.dEg_dT_eV_K), (gap.valid_from_K, gap.valid_to_K)


def load_material_file(path, check_sources: bool = True) -> tuple[Material, ...]:
    """Load and validate one material TOML file.

    Parameters
    ----------
    path : str or pathlib.Path
        A TOML file with one ``[[record]]`` table per phase.
    check_sources : bool
        Also check that every ``source`` key exists in the packaged bibliography.

    Returns
    -------
    tuple of Material
        One per record, in file order.

    Raises
    ------
    QdlabInputError
        If the file is not valid TOML, or a record fails validation; the
        message names the file, the material (record key) and the field.

    Examples
    --------
    >>> from qdlab.materials import load_material_file
    >>> from qdlab.materials._database import _data_dir
    >>> [m.key for m in load_material_file(_data_dir() / "cdse.toml")]
    ['CdSe-wz', 'CdSe-zb']
    """
    path = Path(path)
    return _materials_from_toml(path, _read_toml(path), check_sources)


def _materials_from_toml(path: Path, raw: dict, check_sources: bool) -> tuple[Material, ...]:
    """Validate the parsed TOML ``raw`` of ``path`` (see :func:`load_material_file`)."""
    records = raw.get("record")
    if not isinstance(records, list) or not records:
        raise QdlabInputError(f"{path.name}: no [[record]] tables found")
    out = []
    for i, r in enumerate(records):
        label = r.get("key", f"record #{i + 1}") if isinstance(r, dict) else f"record #{i + 1}"
        try:
            rec = Record.model_validate(r)
        except pydantic.ValidationError as exc:
            raise QdlabInputError(_format_validation_error(path, str(label), exc)) from None
        mat = _material_from_record(rec)
        if check_sources:
            known = bibliography._load()
            for fld, key in mat.sources.items():
                if key not in known:
                    raise QdlabInputError(f"{path.name}: material {rec.key!r}: field {fld!r}: "
                                          f"source {key!r} is not in bibliography.toml")
        out.append(mat)
    return tuple(out)


class _DB:
    def __init__(self, materials: Mapping[str, Material], defaults: Mapping[str, str],
                 bowings: Mapping[frozenset, Bowing]):
        self.materials = materials
        self.defaults = defaults      # lower-case name -> key of the default phase
        self.bowings = bowings
        self.lower = MappingProxyType({k.lower(): k for k in materials})


@functools.lru_cache(maxsize=1)
def _db() -> _DB:
    d = _data_dir()
    mats: dict[str, Material] = {}
    defaults: dict[str, str] = {}
    for path in sorted(d.glob("*.toml")):
        if path.name in _SPECIAL_FILES:
            continue
        raw_file = _read_toml(path)       # parsed once: TOML parsing is most of the load
        raw_records = raw_file.get("record", [])
        for mat, raw in zip(_materials_from_toml(path, raw_file, True), raw_records,
                            strict=True):
            if mat.key in mats:
                raise QdlabInputError(f"{path.name}: material {mat.key!r}: duplicate key")
            mats[mat.key] = mat
            if raw.get("default", False):
                if mat.name.lower() in defaults:
                    raise QdlabInputError(f"{path.name}: material {mat.key!r}: field "
                                          f"'default': {mat.name} has two default phases")
                defaults[mat.name.lower()] = mat.key
    for mat in mats.values():
        defaults.setdefault(mat.name.lower(), mat.key)
    bow_path = d / "alloys.toml"
    bowings = {}
    for i, r in enumerate(_read_toml(bow_path).get("bowing", [])):
        label = f"{r.get('a', '?')}-{r.get('b', '?')}" if isinstance(r, dict) else f"#{i + 1}"
        try:
            b = Bowing.model_validate(r)
        except pydantic.ValidationError as exc:
            raise QdlabInputError(_format_validation_error(bow_path, label, exc)) from None
        if b.source not in bibliography:
            raise QdlabInputError(f"alloys.toml: alloy {label!r}: field 'source': "
                                  f"{b.source!r} is not in bibliography.toml")
        bowings[frozenset((b.a, b.b))] = b
    return _DB(MappingProxyType(mats), MappingProxyType(defaults), MappingProxyType(bowings))


def list_materials() -> list[str]:
    """Keys of every material record, sorted (e.g. ``'CdSe-wz'``).

    Returns
    -------
    list of str
    """
    return sorted(_db().materials)


def get_material(name, phase: str | None = None) -> Material:
    """Look up a material by name or key (case-insensitive).

    Parameters
    ----------
    name : str or Material
        A formula (``"CdSe"``: its default phase), a record key (``"CdSe-zb"``)
        or a :class:`Material` (returned unchanged).
    phase : str, optional
        ``"wurtzite"``/``"wz"``, ``"zincblende"``/``"zb"``, ``"rocksalt"``, ...

    Returns
    -------
    Material

    Raises
    ------
    QdlabInputError
        Unknown name (the message suggests the closest names) or phase.

    Examples
    --------
    >>> get_material("CdSe").key
    'CdSe-wz'
    >>> get_material("CdSe-zb").phase
    'zincblende'
    """
    if isinstance(name, Material):
        return name
    if not isinstance(name, str):
        raise QdlabInputError(f"material must be a name (str), got {name!r}")
    db = _db()
    low = name.strip().lower()
    if phase is not None:
        ph = _PHASE_ALIASES.get(str(phase).strip().lower(), str(phase).strip().lower())
        if low in db.lower:  # a key was given: its base name
            low = db.materials[db.lower[low]].name.lower()
        cands = [m for m in db.materials.values() if m.name.lower() == low]
        if not cands:
            raise unknown_name_error("material", name, sorted(
                {m.name for m in db.materials.values()} | set(db.materials)))
        for m in cands:
            if m.phase == ph:
                return m
        raise QdlabInputError(f"phase of {cands[0].name} must be one of "
                              f"{', '.join(sorted(m.phase for m in cands))}, got {phase!r}")
    if low in db.lower:
        return db.materials[db.lower[low]]
    if low in db.defaults:
        return db.materials[db.defaults[low]]
    raise unknown_name_error("material", name,
                             sorted({m.name for m in db.materials.values()} | set(db.materials)))


def _bowing_entry(ma: Material, mb: Material) -> Bowing | None:
    bows = _db().bowings
    for pa, pb in ((ma.key, mb.key), (ma.name, mb.name), (ma.key, mb.name), (ma.name, mb.key)):
        hit = bows.get(frozenset((pa, pb)))
        if hit is not None:
            return hit
    return None


def bowing_parameter(a, b) -> tuple[float, str | None]:
    """Band-gap bowing (eV) of the pair and its source key (0 and None if unknown).

    Looked up by record key first, then by formula, in either order.

    Examples
    --------
    >>> bowing_parameter("CdS", "CdSe")
    (0.28, 'wei2000')
    """
    hit = _bowing_entry(get_material(a), get_material(b))
    if hit is None:
        return 0.0, None
    return hit.band_gap_bowing_eV, hit.source
