"""The browser explorer: ``GET /`` and the static files under ``/static``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

__all__ = ["STATIC_DIR", "router"]

STATIC_DIR = Path(str(resources.files("qdlab.web").joinpath("static")))


def router() -> APIRouter:
    """The page and the favicon (the static files are mounted by :func:`create_app`)."""
    r = APIRouter(include_in_schema=False)

    @r.get("/")
    async def index():
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @r.get("/favicon.ico")
    async def favicon():
        return Response(status_code=204)

    return r
