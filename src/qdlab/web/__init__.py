"""qdlab.web: the REST API and the browser explorer (FastAPI; no physics here).

Start it with ``qdlab serve`` (binds 127.0.0.1:8000, answers only Host names of
this machine unless ``--allowed-host NAME`` / ``QDLAB_ALLOWED_HOSTS`` add more) or,
from Python, with the same time limits for slow clients::

    from qdlab.web.server import run
    run(host="127.0.0.1", port=8000)

Needs the ``web`` extra (fastapi, uvicorn, python-multipart).  The endpoints are
listed in :mod:`qdlab.web.app`; the schema is served at ``/openapi.json``.
"""

from qdlab.web.app import create_app

__all__ = ["create_app"]
