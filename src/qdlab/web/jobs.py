"""Background synthesis jobs: start, poll, stream progress, cancel (no physics here).

A job runs :func:`qdlab.synthesis.run_recipe` in its own thread.  The library's
``progress(time_s, duration_s)`` callback records the progress and cancels the
run (by raising) when the job is cancelled or exceeds its wall-time limit.  At
most ``max_running`` jobs run at once and ``max_stored`` are kept; finished jobs
are forgotten after ``ttl_s``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from qdlab.web._compute import ApiError, collect_warnings

__all__ = ["Job", "JobManager", "JobRefused"]


class JobRefused(Exception):
    """Too many jobs: the message says which limit."""


class _Cancelled(Exception):
    pass


@dataclass
class Job:
    id: str
    status: str = "queued"          # queued, running, done, failed, cancelled
    progress: float = 0.0           # 0..1 of the simulated time
    message: str = ""
    result: dict | None = None
    warnings: list = field(default_factory=list)
    created: float = field(default_factory=time.monotonic)
    finished: float | None = None
    cancel: threading.Event = field(default_factory=threading.Event)

    def public(self, with_result: bool = True) -> dict:
        out = {"id": self.id, "status": self.status, "progress": round(self.progress, 4),
               "message": self.message, "warnings": list(self.warnings)}
        if with_result:
            out["result"] = self.result
        return out


class JobManager:
    """Runs jobs in threads with limits on their number and their wall time."""

    def __init__(self, max_running: int, max_stored: int, wall_time_s: float,
                 ttl_s: float = 900.0):
        self.max_running = max_running
        self.max_stored = max_stored
        self.wall_time_s = wall_time_s
        self.ttl_s = ttl_s
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def _prune(self) -> None:
        now = time.monotonic()
        for jid, job in list(self._jobs.items()):
            if job.finished is not None and now - job.finished > self.ttl_s:
                del self._jobs[jid]

    def submit(self, work: Callable[[Callable[[float, float], None]], Any],
               finish: Callable[[Any], dict]) -> Job:
        """Start ``work(progress)`` in a thread; ``finish(result)`` makes the JSON result."""
        with self._lock:
            self._prune()
            running = sum(j.status in ("queued", "running") for j in self._jobs.values())
            if running >= self.max_running:
                raise JobRefused(f"{running} synthesis jobs are running (limit "
                                 f"{self.max_running}); wait for one to finish or cancel it")
            if len(self._jobs) >= self.max_stored:
                done = sorted((j for j in self._jobs.values() if j.finished is not None),
                              key=lambda j: j.finished)
                if not done:
                    raise JobRefused(f"{len(self._jobs)} jobs stored (limit {self.max_stored})")
                del self._jobs[done[0].id]
            job = Job(id=uuid.uuid4().hex[:16])
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, work, finish), daemon=True,
                         name=f"qdlab-synth-{job.id}").start()
        return job

    def _run(self, job: Job, work, finish) -> None:
        start = time.monotonic()
        job.status = "running"

        def progress(t: float, total: float) -> None:
            job.progress = min(max(t / total, 0.0), 1.0) if total > 0 else 0.0
            if job.cancel.is_set():
                raise _Cancelled("cancelled by the client")
            if time.monotonic() - start > self.wall_time_s:
                raise _Cancelled(f"stopped: the run took longer than the {self.wall_time_s:g} s "
                                 "wall-time limit (shorten duration_s or loosen numerics.rtol)")

        try:
            (raw, warns) = collect_warnings(work, progress)
            job.warnings = warns
            job.result, more = collect_warnings(finish, raw)
            job.warnings += [w for w in more if w not in job.warnings]
            job.progress = 1.0
            job.status = "done"
        except _Cancelled as exc:
            job.status, job.message = "cancelled", str(exc)
        except Exception as exc:  # the library's message (bad recipe, step-size underflow)
            job.status, job.message = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            job.finished = time.monotonic()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def require(self, job_id: str, what: str) -> Job:
        """The job ``job_id``, or a 404 :class:`~qdlab.web._compute.ApiError` naming ``what``."""
        job = self.get(job_id)
        if job is None:
            raise ApiError(404, f"no {what} job {job_id!r} (finished jobs are kept 15 min)")
        return job

    def cancel(self, job_id: str) -> Job | None:
        job = self.get(job_id)
        if job is not None:
            job.cancel.set()
        return job
