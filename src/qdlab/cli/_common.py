"""Shared CLI plumbing: one-line errors with exit status 2, warnings, JSON output."""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import typer

from qdlab.errors import QdlabInputError


class _LazyConsole:
    """A :class:`rich.console.Console` made on first use (rich costs ~0.1 s to import,
    and ``--json`` output does not need it)."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._console = None

    @property
    def rich(self):
        """The :class:`rich.console.Console` itself (for rich objects that take one)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._kwargs)
        return self._console

    def __getattr__(self, name):
        return getattr(self.rich, name)


console = _LazyConsole()
err_console = _LazyConsole(stderr=True)

#: The ``qdlab`` command; each ``qdlab.cli.<module>`` registers its commands on it
#: (:mod:`qdlab.cli.main` imports them all).
app = typer.Typer(
    name="qdlab",
    help="qdlab: an open laboratory for colloidal quantum dots (units: nm, eV, K).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def Table(*args, **kwargs):  # noqa: N802  (stands in for the class)
    """A :class:`rich.table.Table`; rich.table is imported only by commands that print one."""
    from rich.table import Table as _Table

    return _Table(*args, **kwargs)


def opt_fmt(v, fmt) -> str:
    """``v`` formatted with ``fmt``, or ``-`` for None (table cells)."""
    return "-" if v is None else format(v, fmt)


def fail(message: str) -> None:
    """Print ``error: message`` as one line on stderr and exit with status 2."""
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def _clean(obj):
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _clean(obj.tolist())
    if isinstance(obj, np.generic):
        return _clean(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def print_json(obj) -> None:
    """Print ``obj`` as JSON on stdout (NaN/inf become null)."""
    sys.stdout.write(json.dumps(_clean(obj), indent=2) + "\n")


def handle_errors(func):
    """Turn qdlab input errors into one line + exit 2, and show warnings on stderr."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = func(*args, **kwargs)
            except QdlabInputError as exc:
                fail(str(exc))
            except OSError as exc:   # file errors (ENOSPC, EROFS, EACCES ...) in one line
                where = f": {exc.filename}" if exc.filename else ""
                fail(f"{exc.strerror or exc}{where}")
            except MemoryError:
                fail("not enough memory for this request (use a coarser --resolution or a "
                     "smaller problem)")
            finally:
                seen = set()
                for w in caught:
                    msg = str(w.message)
                    if msg not in seen and issubclass(w.category, UserWarning):
                        seen.add(msg)
                        err_console.print(f"warning: {msg}", markup=False, highlight=False,
                                          soft_wrap=True)
        return result

    return wrapper


#: Smallest length (nm) a size option of the command line accepts: about one lattice
#: constant (0.3-0.65 nm for the II-VI, III-V and IV-VI semiconductors of qdlab); a
#: "nanocrystal" smaller than one unit cell is not a crystal.  Effective-mass models
#: warn already below 1 nm.
MIN_SIZE_NM = 0.3

#: Finest 3D grid spacing (nm) the command line accepts (0.01 nm = 1/30 of a
#: lattice constant; finer spacings only add cost).
MIN_RESOLUTION_NM = 0.01


#: Largest length (nm) a size option of the command line accepts: 1 um.  Colloidal
#: nanocrystals are < ~100 nm; at 1 um any semiconductor is bulk for its carriers
#: (exciton Bohr radii <= ~50 nm), and larger numbers are typing errors.
MAX_SIZE_NM = 1000.0


def check_size(value, option: str) -> None:
    """Refuse a length outside [:data:`MIN_SIZE_NM`, :data:`MAX_SIZE_NM`] nm.

    ``<= 0`` and NaN are left to the model (which names the parameter); ``+inf`` is
    refused here.
    """
    if value is None or not isinstance(value, (int, float)) or math.isnan(value) \
            or value <= 0:
        return
    if not MIN_SIZE_NM <= value <= MAX_SIZE_NM:
        raise QdlabInputError(f"{option} must be >= {MIN_SIZE_NM:g} nm and <= {MAX_SIZE_NM:g} "
                              "nm (about one lattice constant: smaller is not a nanocrystal; "
                              f"1 um: larger is bulk), got {value:g}")


#: Former name of :func:`check_size`.
check_min_size = check_size


def given_options(ctx) -> set[str]:
    """Names of the parameters of ``ctx`` that the user gave (not left at their default)."""
    out = set()
    for name in ctx.params:
        src = ctx.get_parameter_source(name)
        if src is not None and src.name not in ("DEFAULT", "DEFAULT_MAP"):
            out.add(name)
    return out


def reject_options(ctx, allowed, context: str, reasons: dict | None = None) -> None:
    """Refuse (exit 2) any option the user gave that is not in ``allowed``.

    ``context`` says what was chosen (``"--shape sphere"``); ``reasons`` maps an
    option name to why it does not apply (default: it is not used by ``context``).
    """
    extra = sorted(given_options(ctx) - set(allowed))
    if extra:
        params = {p.name: p for p in ctx.command.params}

        def shown(name):
            p = params.get(name)
            if p is None:
                return "--" + name.replace("_", "-")
            return name.upper() if p.param_type_name == "argument" else p.opts[0]

        name = extra[0]
        why = (reasons or {}).get(name, f"it is not used by {context}")
        others = f" (also: {', '.join(shown(e) for e in extra[1:])})" if len(extra) > 1 else ""
        fail(f"{shown(name)} does not apply to {context}: {why}{others}")


def wavelength_hex(wavelength_nm: float, fwhm_nm: float = 30.0) -> str | None:
    """sRGB hex colour of a Gaussian emission line (for swatches); None outside 380-780 nm."""
    from qdlab.optics.colour import emission_srgb_hex, gaussian_line

    if not 380.0 <= wavelength_nm <= 780.0:
        return None
    return emission_srgb_hex(*gaussian_line(wavelength_nm, fwhm_nm))


def swatch(hex_colour: str | None, width: int = 6) -> str:
    """A block of colour for rich, or a word for light outside the visible range."""
    if hex_colour is None:
        return "(not visible)"
    return f"[on {hex_colour}]{' ' * width}[/]"


def check_output_path(path, option: str = "--out", suffixes: tuple[str, ...] = ()) -> Path:
    """Check that ``path`` can be written by :func:`atomic_output`; return it as a Path.

    The rules, the same for every command that writes a file:

    * the name is not empty and not a directory (``.``, ``..``, ``dir/``);
    * ``path`` is either new or an existing *regular* file: a device (``/dev/full``,
      ``/dev/null``), a FIFO, a socket or a directory is never replaced;
    * its parent directory exists (no directories are created);
    * the file name fits the file system (``NAME_MAX``, usually 255 bytes);
    * when ``suffixes`` is given, the name ends in one of them (case-insensitive).

    Raises
    ------
    QdlabInputError
        Naming ``option``, the rule and the value.
    """
    import stat

    raw = os.fspath(path) if path is not None else ""
    if raw.strip() in ("", "."):   # (the command line turns an empty path into ".")
        raise QdlabInputError(f"{option} must be a file name, got an empty name ({raw!r})")
    p = Path(raw)
    if raw.endswith(("/", os.sep)) or p.name in ("", ".", ".."):
        raise QdlabInputError(f"{option} must name a file, not a directory, got {raw!r}")
    parent = p.parent if str(p.parent) else Path(".")
    try:
        name_max = os.pathconf(parent if parent.is_dir() else ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    if len(os.fsencode(p.name)) > name_max:
        raise QdlabInputError(f"{option} file name is too long: {len(os.fsencode(p.name))} "
                              f"bytes, the file system allows at most {name_max}")
    try:
        st = os.stat(p)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise QdlabInputError(f"{option} cannot be used: {exc.strerror}: {raw}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise QdlabInputError(f"{option} {raw!r} exists and is {kind}: refusing to replace it "
                              "(give a new path or an existing regular file)")
    if not parent.is_dir():
        raise QdlabInputError(f"{option}: the folder {str(parent)!r} does not exist "
                              "(create it first)")
    if suffixes and p.suffix.lower() not in suffixes:
        raise QdlabInputError(f"{option} must end in {' or '.join(suffixes)}, got {p.name!r}")
    return p


@contextlib.contextmanager
def atomic_output(path, option: str = "--out"):
    """Yield a temporary path next to ``path``; rename it to ``path`` only on success.

    ``path`` is first checked with :func:`check_output_path` (so an existing device,
    FIFO or directory is never replaced and no folder is created).  The temporary
    file has a short unique name in the same folder that keeps the suffix of
    ``path`` (``.qdlab-XXXX.part.csv``), so writers that choose the format from the
    suffix work on it.  Nothing partial is left behind: on any error (or Ctrl+C)
    the temporary file is removed and ``path`` is untouched.
    """
    import tempfile

    path = check_output_path(path, option)
    fd, tmp_name = tempfile.mkstemp(prefix=".qdlab-", suffix=".part" + path.suffix,
                                    dir=str(path.parent))
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes the file 0600: give the result the usual permissions
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        check_output_path(path, option)   # still not a special file (race)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def save_figure(fig, path, dpi: int = 120, option: str = "--plot") -> None:
    """Save a matplotlib figure as PNG atomically (:func:`atomic_output`) and close it."""
    import matplotlib.pyplot as plt

    try:
        with atomic_output(path, option) as tmp:
            fig.savefig(tmp, dpi=dpi, format="png")
    finally:
        plt.close(fig)


def print_summary(summary: dict) -> None:
    """Print a flat dict as aligned ``key value`` lines."""
    width = max(len(k) for k in summary) + 2
    for k, v in summary.items():
        console.print(f"{k:{width}s} {v:.4g}" if isinstance(v, float) else f"{k:{width}s} {v}")
