"""qdlab.optics: the forward model (transitions, ensemble spectra, extinction, colour).

The fit of measured spectra (the inverse problem) is :mod:`qdlab.sizing.fit`; the old
path ``qdlab.optics.fit`` is an alias of it (see :mod:`qdlab.optics._moved`).
"""

from qdlab.optics import _moved

_moved.install()
