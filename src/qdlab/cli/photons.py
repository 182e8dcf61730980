"""``qdlab photons ...``: single-dot photon streams (simulate, truth, analyse).

The subcommands register themselves on :data:`photons_app` from their own modules,
which this module imports at the bottom.
"""

from __future__ import annotations

import typer

from qdlab.cli._common import app

#: The ``qdlab photons`` command group.
photons_app = typer.Typer(
    name="photons",
    help="Single-dot photon streams: simulate them from a dot's physics, read and analyse them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(photons_app, name="photons")

# Register the sub-commands (simulate, truth, analyse) on import.
from qdlab.cli import photons_analyse, photons_simulate  # noqa: E402,F401
