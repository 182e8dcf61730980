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

__all__ = ["do_photons_analyse", "plot_data", "router"]

#: Most points of each curve in ``plots`` (means over groups of bins).
MAX_PLOT_POINTS = 2000


def _suffix(filename: str | None) -> str:
    """The file suffix of an uploaded name, lower case, or '' (readers dispatch on it)."""
    suffix = Path(filename or "").suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""


def _through_file(data: bytes, filename: str | None, read):
    """``read(path)`` of the uploaded bytes, through a private temporary file."""
    fd, tmp = tempfile.mkstemp(prefix="qdlab-upload-", suffix=_suffix(filename))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return read(tmp)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def do_photons_analyse(data: bytes, filename: str | None, bin_ms: float | None,
                       alpha: float, irf_data: bytes | None = None,
                       irf_filename: str | None = None, with_plots: bool = False) -> dict:
    """Read the uploaded time tags (and IRF) and analyse them.

    With ``with_plots`` the answer also holds ``plots``: the trace, FLID, g2 and decay
    as short arrays for the explorer (:func:`plot_data`).
    """
    import qdlab.io.timetags as timetags
    from qdlab.errors import QdlabInputError
    from qdlab.photons.analysis.lifetime import read_irf
    from qdlab.photons.analysis.report import analyse_stream

    stream = _through_file(data, filename, timetags.read_timetags)
    response = None
    if irf_data is not None:
        if stream.mode != "T3":
            raise QdlabInputError(f"irf does not apply: the file holds {stream.mode} data "
                                  "(no TCSPC delays, so no decay to fit)")
        response = _through_file(irf_data, irf_filename, read_irf)
    result = analyse_stream(stream, bin_width_s=None if bin_ms is None else bin_ms * 1e-3,
                            alpha=alpha, irf=response)
    d = result.to_dict()
    d["file"] = filename
    if irf_data is not None:
        d["irf_file"] = irf_filename
    if with_plots:
        d["plots"] = plot_data(result)
    return d


def _reduce(*arrays, n: int = MAX_PLOT_POINTS) -> list[list[float]]:
    """Means over groups of consecutive points so that at most ``n`` remain, as lists."""
    import numpy as np

    size = arrays[0].size
    f = max(1, -(-size // n))
    m = (size // f) * f
    return [[float(f"{v:.6g}") for v in np.asarray(a, dtype=float)[:m].reshape(-1, f).mean(1)]
            for a in arrays]


def plot_data(result) -> dict:
    """The curves of a :class:`~qdlab.photons.analysis.report.PhotonAnalysis` for plots.

    Returns
    -------
    dict
        ``trace`` (``t_s``, ``rate_cps``; ``levels_t_s``, ``levels_rate_cps``: the
        change-point levels as steps), ``flid`` (``counts``, ``delay_ns`` of each trace
        bin, at most 5000), ``g2`` (``lag_ns``, ``g2``), ``decay`` (``t_ns``, ``counts``,
        ``model``); a part that does not exist is None.  Finite numbers only.
    """
    import numpy as np

    out: dict = {"trace": None, "flid": None, "g2": None, "decay": None}
    tr = result.trace
    t, r = _reduce(tr.t_s, tr.rate_cps)
    out["trace"] = {"t_s": t, "rate_cps": r, "bin_width_s": float(tr.bin_width_s),
                    "levels_t_s": None, "levels_rate_cps": None}
    cps, lv = result.change_points, result.levels
    if cps is not None and lv is not None and cps.n_segments <= MAX_PLOT_POINTS:
        rate = lv.rates_cps[lv.state_of_segment]
        b = cps.boundaries_s - cps.boundaries_s[0]
        out["trace"]["levels_t_s"] = [float(x) for x in b]
        out["trace"]["levels_rate_cps"] = [float(x) for x in np.r_[rate, rate[-1]]]
    if result.flid is not None:
        f = result.flid
        ok = np.isfinite(f.delay_s)
        c, dl = f.counts[ok], f.delay_s[ok]
        step = max(1, -(-c.size // 5000))
        out["flid"] = {"counts": [int(x) for x in c[::step]],
                       "delay_ns": [float(f"{x * 1e9:.5g}") for x in dl[::step]],
                       "bin_width_s": float(f.bin_width_s)}
    if result.g2 is not None:
        g = result.g2
        ok = np.isfinite(g.g2)
        lag, val = _reduce(g.lags_s[ok] * 1e9, g.g2[ok])
        out["g2"] = {"lag_ns": lag, "g2": val}
    if result.decay is not None:
        dec = result.decay
        t, c, m = _reduce(dec.t_s * 1e9, dec.counts, dec.model)
        out["decay"] = {"t_ns": t, "counts": c, "model": m}
    return out


async def _read_upload(upload: UploadFile, name: str) -> bytes:
    """The bytes of an upload: 413 above the size limit, 422 if empty."""
    data = await upload.read(LIMITS["upload_max_bytes"] + 1)
    await upload.close()
    if len(data) > LIMITS["upload_max_bytes"]:
        raise ApiError(413, f"{name}: file larger than {LIMITS['upload_max_bytes']} bytes")
    if not data:
        raise ApiError(422, f"{name}: the uploaded file is empty")
    return data


def router(svc: Services) -> APIRouter:
    """``POST /api/photons/analyse``."""
    r = APIRouter(tags=["photons"], responses={**ERRORS, **errors(422, 503, 504)})

    @r.post("/api/photons/analyse", responses=errors(413))
    async def photons_analyse(
            file: Annotated[UploadFile, File(description="time-tag file (PTU, Photon-HDF5, "
                                                         "...), at most 10 MB")],
            bin_ms: Annotated[float | None, Form(ge=0.01, le=60_000.0)] = None,
            alpha: Annotated[float, Form(gt=0.0, lt=1.0)] = 0.05,
            irf: Annotated[UploadFile | None, File(
                description="measured IRF for the lifetime fit (T3 only): a two-column CSV "
                            "(time_ns, counts) or a T3 time-tag file")] = None,
            plots: Annotated[bool, Form(description="add 'plots': trace, FLID, g2 and decay "
                                                    "as arrays (for the explorer)")] = False,
            ) -> dict:
        """Analyse a single-dot photon stream: change points and levels, on/off exponents,
        g2(0), lifetime and FLID, as ``qdlab photons analyse FILE --json``.

        A number that cannot be obtained is null with a ``<name>_reason``; ``quality``
        and ``quality_notes`` say how far the numbers can be trusted.
        """
        data = await _read_upload(file, "file")
        irf_data = None if irf is None else await _read_upload(irf, "irf")
        return await svc.call("fit", svc.lib.do_photons_analyse, data, file.filename, bin_ms,
                              alpha, irf_data, None if irf is None else irf.filename, plots)

    return r
