"""Shared pieces of the API routers: JSON clean-up, error schema, the library-call runner.

No physics here.  :class:`Services` holds what every router needs (the compute
limiter, the timeouts, the synthesis jobs, and ``lib``: the module whose
``do_*`` functions the routes call, looked up at request time).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from qdlab.optics.colour import emission_colour, gaussian_line
from qdlab.web._compute import ApiError, Limiter, run_bounded
from qdlab.web.jobs import JobManager

__all__ = ["ERRORS", "ErrorItem", "ErrorResponse", "Services", "clean", "errors",
           "line_hex", "nonnegative", "not_available", "thin"]

_LINE_FWHM_NM = 30.0   # swatch colour: Gaussian line at the first exciton (as `qdlab levels`)


# ------------------------------------------------------------------ error schema
class ErrorItem(BaseModel):
    """One problem of a request that failed validation."""

    loc: list[str] = Field(description="where: 'body', then field names / list indices")
    msg: str = Field(description="what is wrong")
    type: str = Field(description="pydantic error type, e.g. greater_than")


class ErrorResponse(BaseModel):
    """Body of every 4xx and 5xx answer: a one-line message, and for request
    validation (422) the list of problems."""

    detail: str = Field(description="one-line message naming the parameter, the allowed "
                                    "range and the value")
    errors: list[ErrorItem] | None = Field(
        None, description="request-validation problems (only on 422 for a request that "
                          "does not match the schema)")


_TEXT = {
    400: "malformed request (body cannot be parsed, or Host header not allowed)",
    404: "not found",
    408: "the request body was not received in time",
    413: "request body, upload or estimated work over this server's limits",
    422: "invalid input: the message names the parameter, the allowed range and the value",
    429: "too many synthesis jobs",
    501: "this part of the library is not available in this qdlab version",
    503: "server busy: no computation slot free in time",
    504: "computation took longer than the request's time limit",
}
#: The error answers every API route can give (Host check, body limit, body timeout).
ERRORS = {code: {"model": ErrorResponse, "description": _TEXT[code]}
          for code in (400, 408, 413)}


def errors(*codes: int) -> dict:
    """OpenAPI ``responses`` entries (ErrorResponse bodies) for the given status codes."""
    return {code: {"model": ErrorResponse, "description": _TEXT[code]} for code in codes}


# ------------------------------------------------------------------ helpers
def clean(obj):
    """JSON-ready copy: numpy -> Python, NaN/inf -> None, tuples -> lists."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return clean(obj.tolist())
    if isinstance(obj, np.generic):
        return clean(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def not_available(what: str, module: str) -> ApiError:
    return ApiError(501, f"{what} is not available in this qdlab version ({module} is "
                         "missing)")


def thin(n: int, most: int) -> np.ndarray:
    """Indices of at most ``most`` evenly spread points out of ``n`` (first and last kept)."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, most).round().astype(int))


def line_hex(wavelength_nm: float | None) -> str | None:
    """sRGB hex of a 30 nm FWHM Gaussian line (the swatch of ``qdlab levels``)."""
    if wavelength_nm is None or not math.isfinite(wavelength_nm) \
            or not 380.0 <= wavelength_nm <= 780.0:
        return None
    return emission_colour(*gaussian_line(wavelength_nm, _LINE_FWHM_NM)).srgb_hex


def nonnegative(intensity):
    """Round-off negatives (~1e-17) of a computed spectrum to 0 (emission_colour rejects them)."""
    return np.clip(np.asarray(intensity, dtype=float), 0.0, None)


# ------------------------------------------------------------------ services
@dataclass
class Services:
    """What the routers share: compute limiter, timeouts (s), jobs, and the ``do_*`` module."""

    limiter: Limiter
    timeouts: dict
    jobs: JobManager
    lib: ModuleType

    def timeout(self, kind: str) -> float:
        return self.timeouts.get(kind, self.timeouts["default"])

    async def call(self, kind: str, func, *args) -> Any:
        """Run a library call (slots, timeout, warnings) and return its JSON-ready result."""
        result, warns = await run_bounded(self.limiter, self.timeout(kind), func, *args)
        if isinstance(result, dict):
            result = dict(result)
            prior = result.get("warnings") or []
            result["warnings"] = list(prior) + [w for w in warns if w not in prior]
        return clean(result)
