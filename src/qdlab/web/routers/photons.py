"""Analysis of an uploaded single-dot photon stream (``POST /api/photons/analyse``)."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from qdlab.web._common import ERRORS, Services, errors
from qdlab.web._compute import ApiError
from qdlab.web.models import LIMITS

__all__ = ["do_photons_analyse", "router"]


def _suffix(filename: str | None) -> str:
    """The file suffix of an uploaded name, lower case, or '' (readers dispatch on it)."""
    suffix = Path(filename or "").suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""


def do_photons_analyse(data: bytes, filename: str | None, bin_ms: float | None,
                       alpha: float) -> dict:
    """Read the uploaded time tags (through a private temporary file) and analyse them."""
    import qdlab.io.timetags as timetags
    from qdlab.photons.analysis.report import analyse_stream

    fd, tmp = tempfile.mkstemp(prefix="qdlab-upload-", suffix=_suffix(filename))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        stream = timetags.read_timetags(tmp)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    result = analyse_stream(stream, bin_width_s=None if bin_ms is None else bin_ms * 1e-3,
                            alpha=alpha)
    d = result.to_dict()
    d["file"] = filename
    return d


def router(svc: Services) -> APIRouter:
    """``POST /api/photons/analyse``."""
    r = APIRouter(tags=["photons"], responses={**ERRORS, **errors(422, 503, 504)})

    @r.post("/api/photons/analyse", responses=errors(413))
    async def photons_analyse(
            file: Annotated[UploadFile, File(description="time-tag file (PTU, Photon-HDF5, "
                                                         "...), at most 10 MB")],
            bin_ms: Annotated[float | None, Form(ge=0.01, le=60_000.0)] = None,
            alpha: Annotated[float, Form(gt=0.0, lt=1.0)] = 0.05) -> dict:
        """Analyse a single-dot photon stream: change points and levels, on/off exponents,
        g2(0), lifetime and FLID, as ``qdlab photons analyse FILE --json``.

        A number that cannot be obtained is null with a ``<name>_reason``; ``quality``
        and ``quality_notes`` say how far the numbers can be trusted.
        """
        data = await file.read(LIMITS["upload_max_bytes"] + 1)
        await file.close()
        if len(data) > LIMITS["upload_max_bytes"]:
            raise ApiError(413, f"file larger than {LIMITS['upload_max_bytes']} bytes")
        if not data:
            raise ApiError(422, "the uploaded file is empty")
        return await svc.call("fit", svc.lib.do_photons_analyse, data, file.filename, bin_ms,
                              alpha)

    return r
