"""``qdlab device ...``: device models built on the dots (lsc, display, solar, gain).

The subcommands register themselves on :data:`device_app` from their own modules
(``qdlab.cli.device_<name>``), which this module imports at the bottom.
"""

from __future__ import annotations

import typer

from qdlab.cli._common import app

#: The ``qdlab device`` command group.
device_app = typer.Typer(
    name="device",
    help="Devices from the dots: solar concentrators, displays, solar cells, lasers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(device_app, name="device")

# Register the device sub-commands (gain, safety, solar, display, qled, lsc) on import.
from qdlab.cli import device_display, device_gain, device_lsc, device_solar  # noqa: E402,F401
