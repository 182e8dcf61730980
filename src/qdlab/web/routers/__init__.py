"""The API's routers, one per area: ``meta`` (health, materials, validation),
``levels``, ``spectra`` (ensemble spectra, colour), ``sizing`` (peak sizing, spectrum
fits), ``synthesis`` (jobs), ``photons`` (analysis of uploaded time tags) and
``explorer`` (the browser page).  Each module holds the
library calls of its area (``do_*``, no physics) and a ``router(services)`` factory."""
