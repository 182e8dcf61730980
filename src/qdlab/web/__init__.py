"""qdlab.web: the REST API and the browser explorer (FastAPI; no physics here).

Start it with ``qdlab serve`` (binds 127.0.0.1:8000) or, from Python::

    import uvicorn
    from qdlab.web import create_app
    uvicorn.run(create_app(), host="127.0.0.1", port=8000)

Needs the ``web`` extra (fastapi, uvicorn, python-multipart).  The endpoints are
listed in :mod:`qdlab.web.app`; the schema is served at ``/openapi.json``.
"""

from qdlab.web.app import create_app

__all__ = ["create_app"]
