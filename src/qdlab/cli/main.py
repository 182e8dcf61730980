"""The ``qdlab`` command: a thin shell over the library (no physics here).

The commands live in one module each and register themselves on the one
:data:`app` (defined in :mod:`qdlab.cli._common`):

* :mod:`qdlab.cli.levels`: ``levels``;
* :mod:`qdlab.cli.materials`: ``materials``, ``validate``;
* :mod:`qdlab.cli.spectra`: ``size``, ``colour``, ``spectrum``;
* :mod:`qdlab.cli.fit`: ``fit``;
* :mod:`qdlab.cli.synth`: ``synth``;
* :mod:`qdlab.cli.photons`: the ``photons`` group;
* :mod:`qdlab.cli.device`: the ``device`` group;
* :mod:`qdlab.cli.design`: ``design``, ``screen``, ``query``;
* this module: ``tour``, ``serve``, and the console entry point :func:`main`.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer

from qdlab.cli._common import app, console, err_console, fail, handle_errors
from qdlab.cli.levels import LEVELS_MAX_GRID_CELLS  # noqa: F401  (re-exported)
from qdlab.cli.tables import growth_table, validation_table  # noqa: F401  (re-exported)

#: Modules that register their commands on ``app`` when imported, in the order of ``qdlab --help``.
COMMAND_MODULES = ("levels", "materials", "spectra", "fit", "synth", "photons", "device", "design")
for _name in COMMAND_MODULES:
    importlib.import_module(f"qdlab.cli.{_name}")

@app.command()
@handle_errors
def tour(out: Annotated[Path, typer.Option(help="Where to write the figure (PNG)")] =
         Path("qdlab-tour.png")):
    """A short guided tour: CdSe colour vs size, core/shells, validation, one figure."""
    from qdlab.cli._common import check_output_path
    from qdlab.cli.tour import run_tour

    check_output_path(out, "--out", (".png",))
    run_tour(out)


@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to bind (default: this machine only)")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port", min=1, max=65535)] = 8000,
    allowed_host: Annotated[list[str] | None, typer.Option(
        help="Host name the server answers besides localhost/127.0.0.1/::1 (repeatable; "
             "also QDLAB_ALLOWED_HOSTS=a,b); other Host headers get 400")] = None,
):
    """Start the web explorer and REST API (http://HOST:PORT/, schema at /openapi.json)."""
    try:
        import uvicorn  # noqa: F401

        from qdlab.web.server import run
    except ImportError as exc:
        fail(f"the web explorer needs the 'web' extra (pip install 'qdlab[web]'): {exc}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"warning: binding {host}: the explorer has no authentication; "
                          "anyone who can reach this address can use it", markup=False)
    console.print(f"qdlab explorer: http://{'[' + host + ']' if ':' in host else host}:{port}/ "
                  "(Ctrl+C stops it)", markup=False, highlight=False)
    run(host, port, allowed_hosts=allowed_host or ())


def _app_for(args: list[str]) -> typer.Typer:
    """The app that runs ``args``: :data:`app` with only the command (or group) named first.

    Start-up: typer turns the signature of every registered command into click parameters on
    each call (~0.02 s for all of them, of ~0.45 s for ``qdlab levels``); running one
    command needs only its own.  The copy keeps the settings of :data:`app` and stays a
    group (``qdlab levels ...`` parses, helps and fails as before); anything else (no
    command, ``--help``, an unknown name) gets the whole :data:`app`.
    """
    import copy

    from typer.main import get_command_name

    if not args:
        return app
    hits = [c for c in app.registered_commands
            if (c.name or get_command_name(c.callback.__name__)) == args[0]]
    groups = [g for g in app.registered_groups if g.name == args[0]]
    if len(hits) + len(groups) != 1:
        return app
    one = copy.copy(app)
    one.registered_commands = hits
    one.registered_groups = groups
    one.registered_callback = None
    one.callback()(_no_group_options)
    return one


def _no_group_options() -> None:
    """(The group callback of :func:`_app_for`: ``qdlab`` itself takes no options.)"""


def main(argv: list[str] | None = None) -> int:
    """Console entry point: usage errors become one ``error:`` line and exit status 2."""
    import sys

    # typer may vendor its own click: take its UsageError from its BadParameter
    usage_error = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        rv = _app_for(args)(args=args, standalone_mode=False, prog_name="qdlab")
    except usage_error as exc:
        msg = " ".join(exc.format_message().split())
        if msg:   # (no message: the help was printed because no command was given)
            sub = f" {exc.ctx.info_name}" if exc.ctx is not None and exc.ctx.parent else ""
            print(f"error: {msg} (see 'qdlab{sub} --help')", file=sys.stderr)
        return 2
    except (typer.Abort, KeyboardInterrupt):
        print("error: aborted", file=sys.stderr)
        return 1
    return rv if isinstance(rv, int) else 0


def _entry() -> None:  # pragma: no cover - console script
    raise SystemExit(main())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
