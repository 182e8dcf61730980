"""Input checks shared by the photon-stream analyses (not public)."""

from __future__ import annotations

import numpy as np

from qdlab.errors import QdlabInputError


def as_stream(stream):
    """Return ``stream`` if it is a :class:`~qdlab.io.timetags.PhotonStream`, else refuse."""
    from qdlab.io.timetags import PhotonStream

    if not isinstance(stream, PhotonStream):
        raise QdlabInputError(f"stream must be a qdlab.io.timetags.PhotonStream, got "
                              f"{type(stream).__name__}")
    return stream


def need_photons(n: int, minimum: int, what: str) -> None:
    """Refuse fewer than ``minimum`` photons for the analysis ``what``."""
    if n < minimum:
        raise QdlabInputError(f"{what} needs at least {minimum} photons, got {n}")


def need_t3(stream, what: str) -> None:
    """Refuse a T2 stream for an analysis that needs TCSPC delays (nanotimes)."""
    if stream.mode != "T3":
        raise QdlabInputError(f"{what} needs T3 data (a TCSPC delay per photon); the stream "
                              "is T2")


def positive(value, name: str, unit: str = "s") -> float:
    """``value`` as a finite float > 0, or a QdlabInputError naming ``name``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise QdlabInputError(f"{name} must be a number > 0 {unit}, got {value!r}") from None
    if not np.isfinite(v) or v <= 0:
        raise QdlabInputError(f"{name} must be a finite number > 0 {unit}, got {value!r}")
    return v


def probability(value, name: str) -> float:
    """``value`` as a float in the open interval (0, 1)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise QdlabInputError(f"{name} must be a number in (0, 1), got {value!r}") from None
    if not 0.0 < v < 1.0:
        raise QdlabInputError(f"{name} must be in (0, 1), got {value!r}")
    return v


def channels_of(stream, channels) -> tuple[int, ...]:
    """The channels to use: ``channels`` (checked against the stream) or all of them."""
    present = stream.channels
    if channels is None:
        return present
    chosen = tuple(int(c) for c in np.atleast_1d(channels))
    missing = [c for c in chosen if c not in present]
    if missing:
        raise QdlabInputError(f"channel {missing[0]} recorded no photons; the stream has "
                              f"channels {list(present)}")
    return chosen
