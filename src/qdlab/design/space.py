r"""Parameter spaces of core/shell nanocrystals, expanded lazily in content-hashed chunks.

A :class:`ParameterSpace` is the product of core materials, shell stacks (``()`` for a
bare core, ``("ZnSe", "ZnS")`` for two shells), core diameters and shell thicknesses
(every shell of a stack takes every thickness).  It is never expanded as a whole:
:meth:`ParameterSpace.chunks` yields :class:`Chunk` descriptions (a group of one
material stack and a range of indices in it), and :meth:`Chunk.radii` builds the radii
of that chunk only, so memory stays bounded for 10^10 candidates.

Identifiers
-----------
Both identifiers are content hashes, so a candidate keeps its id in any space that
contains it and a chunk's id changes when anything that decides its rows changes:

* ``candidate_id``: the first 16 hex digits of BLAKE2b of
  ``"CdSe/ZnS|3.0000|1.2000|T=300.0|<medium>"`` (structure, core diameter and shell
  thicknesses rounded to 1e-4 nm, temperature, medium);
* ``chunk_id``: BLAKE2b of the chunk's material stack, its sizes (as bytes), the
  temperature, medium and the evaluation settings (:data:`EVALUATION_VERSION`).

Notes
-----
Candidates are numbered group by group (groups in the order core material x shell
stack), inside a group core diameter first, then the thicknesses of the shells
(lexicographic, the innermost shell slowest): the candidate ``k`` of a group with
``n_t`` thicknesses and ``s`` shells has core index ``k // n_t**s`` and shell indices
the base-``n_t`` digits of ``k % n_t**s``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from qdlab.errors import QdlabInputError

__all__ = ["EVALUATION_VERSION", "Chunk", "ParameterSpace", "candidate_ids", "parse_range",
           "parse_shells"]

#: Version of the evaluation (settings and columns); part of every chunk id, so that a
#: dataset computed with other settings is never mixed with this one.
EVALUATION_VERSION = "design-2"

#: Largest number of values one range may expand to (a typing error guard).
MAX_RANGE_VALUES = 1_000_000


def parse_range(spec, name: str, unit: str = "nm") -> tuple[float, ...]:
    """Values of ``"start:stop:step"`` (stop included), ``"a,b,c"`` or one number.

    Parameters
    ----------
    spec : str, float or sequence of float
        The range.  ``"2:8:0.5"`` gives 2, 2.5, ..., 8.
    name : str
        Parameter name for error messages (e.g. ``"core_diameter"``).
    unit : str
        Unit for error messages.

    Returns
    -------
    tuple of float
        The values, rounded to 1e-6, all > 0.

    Examples
    --------
    >>> parse_range("2:3:0.25", "core_diameter")
    (2.0, 2.25, 2.5, 2.75, 3.0)
    >>> parse_range("1,1.5", "shell_thickness")
    (1.0, 1.5)
    """
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        vals = [float(spec)]
    elif isinstance(spec, str):
        s = spec.strip()
        try:
            if ":" in s:
                parts = [float(x) for x in s.split(":")]
                if len(parts) != 3:
                    raise ValueError
                start, stop, step = parts
                if not (step > 0 and stop >= start and math.isfinite(stop)):
                    raise QdlabInputError(
                        f"{name} range must be start:stop:step with step > 0 and stop >= "
                        f"start, got {spec!r}")
                n = int(math.floor((stop - start) / step + 1e-9)) + 1
                if n > MAX_RANGE_VALUES:
                    raise QdlabInputError(f"{name} range {spec!r} has {n} values "
                                          f"(at most {MAX_RANGE_VALUES})")
                vals = list(start + step * np.arange(n))
            else:
                vals = [float(x) for x in s.split(",") if x.strip()]
        except QdlabInputError:
            raise
        except ValueError:
            raise QdlabInputError(f"{name} must be start:stop:step or a comma-separated list of "
                                  f"numbers in {unit}, got {spec!r}") from None
    else:
        try:
            vals = [float(x) for x in spec]
        except (TypeError, ValueError):
            raise QdlabInputError(f"{name} must be numbers in {unit}, got {spec!r}") from None
    out = tuple(sorted({round(float(v), 6) for v in vals}))
    if not out:
        raise QdlabInputError(f"{name} needs at least one value, got {spec!r}")
    bad = [v for v in out if not (math.isfinite(v) and v > 0)]
    if bad:
        raise QdlabInputError(f"{name} must be > 0 {unit}, got {bad[0]:g}")
    return out


def parse_shells(spec) -> tuple[tuple[str, ...], ...]:
    """Shell stacks from ``"none,ZnS,ZnSe/ZnS"`` (or a sequence of such strings).

    Examples
    --------
    >>> parse_shells("none,ZnS,ZnSe/ZnS")
    ((), ('ZnS',), ('ZnSe', 'ZnS'))
    """
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out = []
    for item in items:
        if isinstance(item, (list, tuple)):
            stack = tuple(str(x).strip() for x in item)
        else:
            s = str(item).strip()
            stack = () if s.lower() in ("none", "", "-") else tuple(x.strip() for x in s.split("/"))
        if any(not x for x in stack):
            raise QdlabInputError(f"shells: empty material name in {item!r}")
        if stack not in out:
            out.append(stack)
    if not out:
        raise QdlabInputError(f"shells needs at least one stack (or 'none'), got {spec!r}")
    return tuple(out)


def _medium_key(medium) -> str:
    if medium is None:
        return "default"
    return (f"{medium.name}:{medium.dielectric_constant!r}:{medium.electron_barrier_eV!r}:"
            f"{medium.hole_barrier_eV!r}")


def candidate_ids(structure: str, core_d: np.ndarray, shells_t: np.ndarray,
                  temperature: float = 300.0, medium=None) -> list[str]:
    """Content-hashed ids of candidates (see module notes).

    Parameters
    ----------
    structure : str
        ``"InP/ZnSe/ZnS"``.
    core_d : ndarray, shape (N,)
        Core diameters in nm.
    shells_t : ndarray, shape (N, S)
        Shell thicknesses in nm.
    temperature : float
        K.
    medium : Medium, optional
        Surroundings (None: the default organic ligands).

    Examples
    --------
    >>> import numpy as np
    >>> candidate_ids("CdSe/ZnS", np.array([3.0]), np.array([[1.0]]))
    ['...']
    >>> a = candidate_ids("CdSe/ZnS", np.array([3.0]), np.array([[1.0]]))
    >>> a == candidate_ids("CdSe/ZnS", np.array([3.00000001]), np.array([[1.0]]))
    True
    """
    tail = f"|T={float(temperature):.1f}|{_medium_key(medium)}"
    cols = np.column_stack([np.asarray(core_d, float).reshape(-1, 1),
                            np.asarray(shells_t, float).reshape(len(core_d), -1)])
    out = []
    b2 = hashlib.blake2b
    for row in np.round(cols, 4).tolist():
        key = structure + "|" + "|".join(f"{v:.4f}" for v in row) + tail
        out.append(b2(key.encode(), digest_size=8).hexdigest())
    return out


@dataclass(frozen=True)
class Chunk:
    """A contiguous block of candidates of one group (one material stack).

    Attributes
    ----------
    group : int
        Index of the group in :meth:`ParameterSpace.groups`.
    materials : tuple of str
        Core material then the shells.
    start, stop : int
        Candidate indices inside the group, ``start <= k < stop``.
    chunk_id : str
        Content hash (module notes).
    """

    group: int
    materials: tuple[str, ...]
    start: int
    stop: int
    chunk_id: str
    core_diameters_nm: tuple[float, ...] = field(repr=False)
    shell_thicknesses_nm: tuple[float, ...] = field(repr=False)

    @property
    def size(self) -> int:
        return self.stop - self.start

    @property
    def structure(self) -> str:
        return "/".join(self.materials)

    def sizes(self) -> tuple[np.ndarray, np.ndarray]:
        """Core diameters (N,) and shell thicknesses (N, S) of this chunk's candidates, nm."""
        k = np.arange(self.start, self.stop, dtype=np.int64)
        s = len(self.materials) - 1
        nt = len(self.shell_thicknesses_nm)
        per_core = nt ** s
        d = np.asarray(self.core_diameters_nm)[k // per_core]
        rest = k % per_core
        t = np.empty((k.size, s))
        tv = np.asarray(self.shell_thicknesses_nm)
        for j in range(s - 1, -1, -1):
            t[:, j] = tv[rest % nt]
            rest //= nt
        return d, t

    def radii(self) -> np.ndarray:
        """Outer radius of each layer (N, L), nm."""
        d, t = self.sizes()
        return np.column_stack([d / 2.0, d[:, None] / 2.0 + np.cumsum(t, axis=1)])


@dataclass(frozen=True)
class ParameterSpace:
    """Core materials x shell stacks x core diameters x shell thicknesses.

    Parameters
    ----------
    materials : sequence of str
        Core materials (``"CdSe"``, ``"InP"``).
    shells : sequence of tuple of str
        Shell stacks, core outwards; ``()`` is a bare core.
    core_diameters_nm : sequence of float
        Core diameters, nm.
    shell_thicknesses_nm : sequence of float
        Thicknesses every shell of a stack takes, nm.
    temperature : float
        K.
    medium : Medium, optional
        Surroundings (default organic ligands).

    Examples
    --------
    >>> sp = ParameterSpace(("CdSe", "InP"), ((), ("ZnS",)), (2.0, 3.0, 4.0), (0.5, 1.0))
    >>> len(sp)      # 2 cores x (3 bare + 3 x 2 with a shell)
    18
    >>> [c.size for c in sp.chunks(4)]
    [3, 4, 2, 3, 4, 2]
    """

    materials: tuple[str, ...]
    shells: tuple[tuple[str, ...], ...]
    core_diameters_nm: tuple[float, ...]
    shell_thicknesses_nm: tuple[float, ...] = (1.0,)
    temperature: float = 300.0
    medium: object = None

    def __post_init__(self):
        setattr_ = object.__setattr__
        setattr_(self, "materials", tuple(str(m).strip() for m in self.materials))
        setattr_(self, "shells", parse_shells(self.shells))
        setattr_(self, "core_diameters_nm", parse_range(self.core_diameters_nm, "core_diameter"))
        setattr_(self, "shell_thicknesses_nm",
                 parse_range(self.shell_thicknesses_nm, "shell_thickness"))
        if not self.materials or any(not m for m in self.materials):
            raise QdlabInputError(f"materials needs at least one core material, got "
                                  f"{self.materials!r}")
        if not (math.isfinite(self.temperature) and self.temperature > 0):
            raise QdlabInputError(f"temperature must be > 0 K, got {self.temperature!r}")
        from qdlab.materials import get_material

        for name in set(self.materials) | {m for st in self.shells for m in st}:
            get_material(name)      # unknown names fail here, with the library's message

    def groups(self) -> list[tuple[str, ...]]:
        """Material stacks (core first), in candidate order."""
        return [(m, *st) for m in self.materials for st in self.shells]

    def group_size(self, group: tuple[str, ...]) -> int:
        return len(self.core_diameters_nm) * len(self.shell_thicknesses_nm) ** (len(group) - 1)

    def __len__(self) -> int:
        return sum(self.group_size(g) for g in self.groups())

    @property
    def max_shells(self) -> int:
        return max(len(st) for st in self.shells)

    def chunks(self, chunk_size: int = 20000) -> Iterator[Chunk]:
        """The chunks, lazily (each at most ``chunk_size`` candidates of one group)."""
        if isinstance(chunk_size, bool) or int(chunk_size) != chunk_size or chunk_size < 1:
            raise QdlabInputError(f"chunk_size must be an integer >= 1, got {chunk_size!r}")
        chunk_size = int(chunk_size)
        base = (f"{EVALUATION_VERSION}|T={self.temperature!r}|{_medium_key(self.medium)}|"
                f"d={np.asarray(self.core_diameters_nm).tobytes().hex()}|"
                f"t={np.asarray(self.shell_thicknesses_nm).tobytes().hex()}")
        for gi, group in enumerate(self.groups()):
            n = self.group_size(group)
            for start in range(0, n, chunk_size):
                stop = min(start + chunk_size, n)
                key = f"{base}|{'/'.join(group)}|{start}:{stop}".encode()
                yield Chunk(gi, group, start, stop,
                            hashlib.blake2b(key, digest_size=12).hexdigest(),
                            self.core_diameters_nm, self.shell_thicknesses_nm)

    def n_chunks(self, chunk_size: int = 20000) -> int:
        return sum(-(-self.group_size(g) // int(chunk_size)) for g in self.groups())

    def to_dict(self) -> dict:
        """JSON-ready description (the manifest of a screen)."""
        return {"materials": list(self.materials),
                "shells": ["/".join(s) if s else "none" for s in self.shells],
                "core_diameters_nm": list(self.core_diameters_nm),
                "shell_thicknesses_nm": list(self.shell_thicknesses_nm),
                "temperature_K": self.temperature, "medium": _medium_key(self.medium),
                "candidates": len(self)}

    @classmethod
    def from_spec(cls, materials: str | Sequence[str], shells="none",
                  core_diameter="2:8:0.5", shell_thickness="0.5:3:0.5",
                  temperature: float = 300.0) -> ParameterSpace:
        """A space from command-line style strings (``"CdSe,InP"``, ``"none,ZnS"``, ranges).

        Examples
        --------
        >>> len(ParameterSpace.from_spec("CdSe,InP", "none,ZnS,CdS", "2:8:0.03", "0.5:3:0.5"))
        5226
        """
        mats = [m.strip() for m in materials.split(",")] if isinstance(materials, str) \
            else list(materials)
        return cls(tuple(m for m in mats if m), parse_shells(shells), core_diameter,
                   shell_thickness, temperature)

    @classmethod
    def from_toml(cls, path) -> ParameterSpace:
        """A space from a TOML file with a ``[space]`` table.

        Keys: ``materials`` (list), ``shells`` (list of ``"none"``, ``"ZnS"``,
        ``"ZnSe/ZnS"``), ``core_diameter_nm`` and ``shell_thickness_nm`` (a
        ``"start:stop:step"`` string or a list of numbers), ``temperature_K``.
        """
        import tomllib
        from pathlib import Path

        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise QdlabInputError(f"{path}: not valid TOML: {exc}") from None
        sp = data.get("space", data)
        allowed = {"materials", "shells", "core_diameter_nm", "shell_thickness_nm",
                   "temperature_K"}
        unknown = sorted(set(sp) - allowed - {"space", "screen"})
        if unknown:
            raise QdlabInputError(f"{path}: unknown key {unknown[0]!r} in [space]; allowed: "
                                  f"{', '.join(sorted(allowed))}")
        if "materials" not in sp or "core_diameter_nm" not in sp:
            raise QdlabInputError(f"{path}: [space] needs materials and core_diameter_nm")
        return cls.from_spec(sp["materials"], sp.get("shells", "none"), sp["core_diameter_nm"],
                             sp.get("shell_thickness_nm", "1.0"), sp.get("temperature_K", 300.0))
