"""Running library calls from request handlers: limits, timeouts, warnings, errors.

No physics here.  Every library call made by :mod:`qdlab.web.app` goes through
:func:`run_bounded`, which

* runs the call in a worker thread (the event loop stays responsive),
* limits how many calls run at once (a semaphore; a request that cannot get a
  slot within its timeout gets 503),
* gives up waiting after a per-request timeout (504 with a message; the thread
  itself cannot be killed, so every endpoint also refuses work whose estimated
  cost exceeds a budget *before* it starts: see :mod:`qdlab.web.models`),
* collects the library's warnings (``UserWarning`` subclasses such as
  :class:`qdlab.QdlabValidityWarning`) into the response, thread-safely,
* turns :class:`qdlab.QdlabInputError` into 422 with the library's message.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import warnings
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool

from qdlab._validation import QdlabInputError

__all__ = ["ApiError", "collect_warnings", "run_bounded"]


class ApiError(HTTPException):
    """An HTTP error whose ``detail`` is always a one-line message."""

    def __init__(self, status_code: int, message: str):
        super().__init__(status_code=status_code, detail=message)


# --------------------------------------------------------------------- warnings
# ``warnings.catch_warnings`` swaps process-global state and is not safe when
# several requests run at once.  Instead one dispatcher is installed as
# ``warnings.showwarning``; each worker thread registers its own list in a
# thread-local, and warnings raised in that thread go there.  Everything else
# (other threads, pytest's recorder) is passed on unchanged.
_local = threading.local()
_hook_lock = threading.Lock()
_previous_showwarning = None


def _dispatch(message, category, filename, lineno, file=None, line=None):
    sink = getattr(_local, "sink", None)
    if sink is not None:
        text = str(message)
        if text not in sink:
            sink.append(text)
        return None
    prev = _previous_showwarning or warnings._showwarning_orig  # type: ignore[attr-defined]
    return prev(message, category, filename, lineno, file, line)


def _ensure_hook() -> None:
    global _previous_showwarning
    with _hook_lock:
        if warnings.showwarning is not _dispatch:
            _previous_showwarning = warnings.showwarning
            warnings.showwarning = _dispatch
        # without "always", Python shows a warning only once per code location,
        # so the second request with the same problem would get no warning
        if not any(f[0] == "always" and f[1] is None and f[2] is UserWarning and f[3] is None
                   for f in warnings.filters):
            warnings.filterwarnings("always", category=UserWarning)


def collect_warnings(func: Callable[..., Any], *args, **kwargs) -> tuple[Any, list[str]]:
    """Call ``func`` and return ``(result, warnings)`` (messages of UserWarnings raised)."""
    _ensure_hook()
    sink: list[str] = []
    _local.sink = sink
    try:
        return func(*args, **kwargs), sink
    finally:
        _local.sink = None


# --------------------------------------------------------------------- limits
class Limiter:
    """At most ``slots`` library calls at once; waiting counts against the timeout."""

    def __init__(self, slots: int):
        self.slots = int(slots)
        self._sem: asyncio.Semaphore | None = None
        self._loop = None

    def semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._sem is None or self._loop is not loop:   # one per event loop (tests)
            self._sem = asyncio.Semaphore(self.slots)
            self._loop = loop
        return self._sem


async def run_bounded(limiter: Limiter, timeout_s: float, func: Callable[..., Any], *args,
                      **kwargs) -> tuple[Any, list[str]]:
    """Run a library call in a worker thread with a slot limit and a timeout.

    Returns ``(result, warnings)``.  Raises :class:`ApiError` 422 for bad input
    (the library's message), 503 when no slot frees up in time, 504 on timeout.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    sem = limiter.semaphore()
    try:
        await asyncio.wait_for(sem.acquire(), timeout=timeout_s)
    except TimeoutError:
        raise ApiError(503, f"server busy: no computation slot free within {timeout_s:g} s; "
                            "retry later") from None
    task = asyncio.ensure_future(run_in_threadpool(
        functools.partial(collect_warnings, func, *args, **kwargs)))
    handed_off = False
    try:
        remaining = max(deadline - loop.time(), 0.001)
        return await asyncio.wait_for(asyncio.shield(task), timeout=remaining)
    except TimeoutError:
        # the thread cannot be interrupted: its slot is freed when it really ends
        handed_off = True
        task.add_done_callback(_release_when_done(sem))
        raise ApiError(504, f"computation took longer than the {timeout_s:g} s limit of this "
                            "request; ask for less (fewer points, smaller sizes)") from None
    except QdlabInputError as exc:
        raise ApiError(422, str(exc)) from None
    finally:
        if not handed_off:
            sem.release()


def _release_when_done(sem: asyncio.Semaphore):
    def done(task):
        if not task.cancelled():
            task.exception()  # retrieve it so asyncio does not log "never retrieved"
        sem.release()
    return done
