r"""Screening of a parameter space into a Parquet dataset, with Dask, resumable after a kill.

Layout of a screen directory ``DIR``::

    DIR/manifest.json           the space, the settings, the number of candidates and chunks
    DIR/data/part-<chunk_id>.parquet   one file per chunk, one row per candidate
    DIR/done/<chunk_id>.json    completion marker (rows, valid rows, seconds)

Each chunk is computed by one task (:func:`run_chunk`): it evaluates the candidates
(:func:`qdlab.design.evaluate.evaluate`), writes the table to a temporary file in
``DIR/data`` and renames it into place (``os.replace``: atomic on POSIX), then writes
its marker the same way.  A rerun skips every chunk with a marker and a file; a chunk
killed half-way left at most a temporary file (removed on the next start) and is
computed again under the same name, so no row is lost and none is duplicated.  The
directory must be visible to every worker (a shared file system on a cluster).

Engines: ``"dask"`` (default) runs the tasks on a ``distributed`` cluster, a
``LocalCluster`` of ``workers`` processes unless ``scheduler`` (``tcp://host:8786``)
names an existing one; at most ``2 x workers`` tasks are in flight, so memory stays
bounded for any number of chunks.  ``"threads"`` is a LocalCluster of threads in this
process, ``"local"`` a plain loop in this process (the baseline of the benchmark).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qdlab.design.evaluate import COLUMNS, FAST_SETTINGS, evaluate
from qdlab.design.space import EVALUATION_VERSION, Chunk, ParameterSpace, candidate_ids
from qdlab.errors import QdlabInputError

__all__ = ["ENGINES", "ScreenResult", "chunk_table", "local_cluster", "run_chunk", "screen"]

ENGINES = ("dask", "threads", "local")
#: Default candidates per chunk: ~2-5 s of work per task and ~10 MB of memory
#: (docs/guide/design.md, "internet scale").
DEFAULT_CHUNK_SIZE = 20000
#: glibc mmap threshold of the local worker processes (see :func:`_client`).
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024
#: glibc trim threshold of the local worker processes (see :func:`local_cluster`).
TRIM_THRESHOLD_BYTES = 128 * 1024 * 1024


def chunk_table(chunk: Chunk, space: ParameterSpace, dispersion_pct: float = 5.0):
    """The Arrow table of one chunk (one row per candidate), computed here.

    Returns
    -------
    pyarrow.Table
        ``candidate_id``, ``chunk_id``, ``structure``, ``core_material``, ``shells``,
        ``n_shells``, ``core_diameter_nm``, ``shell1_nm`` ... ``shellK_nm`` (K: most
        shells of the space; null where a stack has fewer), ``outer_diameter_nm`` and the
        :data:`qdlab.design.evaluate.COLUMNS`.
    """
    import pyarrow as pa

    d, t = chunk.sizes()
    out = evaluate(chunk.materials, d, t if t.shape[1] else None,
                   temperature=space.temperature, medium=space.medium,
                   dispersion_pct=dispersion_pct)
    n = d.size
    cols = {
        "candidate_id": pa.array(candidate_ids(chunk.structure, d, t, space.temperature,
                                               space.medium), pa.string()),
        "chunk_id": pa.array([chunk.chunk_id] * n, pa.string()),
        "structure": pa.array([chunk.structure] * n, pa.string()),
        "core_material": pa.array([chunk.materials[0]] * n, pa.string()),
        "shells": pa.array(["/".join(chunk.materials[1:])] * n, pa.string()),
        "n_shells": pa.array(np.full(n, len(chunk.materials) - 1, np.int8)),
        "core_diameter_nm": pa.array(d),
    }
    for j in range(space.max_shells):
        cols[f"shell{j + 1}_nm"] = pa.array(t[:, j] if j < t.shape[1] else np.full(n, np.nan),
                                           mask=None if j < t.shape[1] else np.ones(n, bool))
    cols["outer_diameter_nm"] = pa.array(d + 2.0 * t.sum(axis=1))
    for k in COLUMNS:
        v = out[k]
        if k in ("alignment", "note"):
            cols[k] = pa.array([str(x) for x in v], pa.string())
        elif k in ("rohs_compliant", "heavy_metals", "valid"):
            cols[k] = pa.array(np.asarray(v, bool))
        else:
            v = np.asarray(v, float)
            cols[k] = pa.array(v, mask=~np.isfinite(v))
    return pa.table(cols)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _paths(out_dir: Path, chunk_id: str) -> tuple[Path, Path]:
    return out_dir / "data" / f"part-{chunk_id}.parquet", out_dir / "done" / f"{chunk_id}.json"


def run_chunk(chunk: Chunk, space: ParameterSpace, out_dir: str, dispersion_pct: float = 5.0
              ) -> dict:
    """Compute one chunk and write it atomically, then its marker (a Dask task).

    Returns
    -------
    dict
        ``chunk_id``, ``rows``, ``valid``, ``seconds`` (wall) and ``cpu_seconds`` (CPU time
        of the task's thread: the figure that does not depend on the machine's other load).
    """
    import pyarrow.parquet as pq

    t0, c0 = time.perf_counter(), time.thread_time()
    out = Path(out_dir)
    part, marker = _paths(out, chunk.chunk_id)
    table = chunk_table(chunk, space, dispersion_pct)
    tmp = part.with_name(f".{part.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, part)
    info = {"chunk_id": chunk.chunk_id, "rows": table.num_rows,
            "valid": int(np.sum(table.column("valid").to_numpy(zero_copy_only=False))),
            "seconds": time.perf_counter() - t0, "cpu_seconds": time.thread_time() - c0}
    _atomic_write_bytes(marker, json.dumps(info).encode())
    if os.environ.get("QDLAB_SCREEN_CHUNK_DELAY_S"):   # test hook: a slow worker
        time.sleep(float(os.environ["QDLAB_SCREEN_CHUNK_DELAY_S"]))
    return info


class ScreenResult(dict):
    """Summary of a screen (a dict; the ``qdlab screen --json`` output)."""


def _manifest(space: ParameterSpace, chunk_size: int, dispersion_pct: float) -> dict:
    return {"format": "qdlab-screen", "evaluation": EVALUATION_VERSION,
            "settings": dict(FAST_SETTINGS), "dispersion_pct": dispersion_pct,
            "chunk_size": chunk_size, "space": space.to_dict(),
            "chunks": space.n_chunks(chunk_size)}


def _prepare(out: Path, manifest: dict) -> set[str]:
    """Create or check ``out``; remove leftovers of a killed run; the ids of finished chunks."""
    mpath = out / "manifest.json"
    if out.exists() and not out.is_dir():
        raise QdlabInputError(f"out must be a directory, got the file {out}")
    if mpath.exists():
        try:
            old = json.loads(mpath.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise QdlabInputError(f"{mpath} is not a qdlab screen manifest") from None
        if old != manifest:
            raise QdlabInputError(f"{out} holds a different screen (other space or settings); "
                                  "use a new --out directory to start another one")
    elif out.exists() and any(out.iterdir()):
        raise QdlabInputError(f"out directory {out} is not empty and not a qdlab screen")
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "done").mkdir(exist_ok=True)
    if not mpath.exists():
        _atomic_write_bytes(mpath, json.dumps(manifest, indent=1).encode())
    for sub in ("data", "done"):
        for f in (out / sub).glob(".*.tmp"):
            f.unlink(missing_ok=True)
    finished = set()
    for m in (out / "done").glob("*.json"):
        cid = m.stem
        if (out / "data" / f"part-{cid}.parquet").exists():
            finished.add(cid)
    return finished


def _client(engine: str, scheduler: str | None, workers: int | None):
    """A ``distributed.Client`` and the cluster it owns (None for an existing scheduler)."""
    try:
        from distributed import Client
    except ImportError as exc:   # pragma: no cover - the 'design' extra
        raise QdlabInputError("the dask engine needs the 'design' extra "
                              f"(pip install 'qdlab[design]'): {exc}") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError) as exc:
            raise QdlabInputError(f"scheduler {scheduler!r} cannot be reached: {exc}") from None
    cluster = local_cluster(workers, processes=(engine == "dask"))
    return Client(cluster), cluster


def local_cluster(workers: int | None = None, *, processes: bool = True):
    """The ``distributed.LocalCluster`` that :func:`screen` starts (one thread per worker).

    Start it once and pass ``cluster.scheduler_address`` as ``scheduler`` to run several
    screens on the same workers (the benchmark does, to time the screens apart from the
    start-up of the worker processes).

    Parameters
    ----------
    workers : int, optional
        Worker processes (default: the number of CPUs, at most 8).
    processes : bool
        Worker processes (``True``) or threads of this process.
    """
    import dask.config
    from distributed import LocalCluster

    n = workers or min(os.cpu_count() or 1, 8)
    # Dask starts worker processes with MALLOC_TRIM_THRESHOLD_=65536, which (setting a
    # malloc parameter) also fixes glibc's mmap threshold at 128 KiB: every numpy
    # temporary of a chunk is then mmapped and page-faulted afresh, which halves the speed
    # of the evaluation (measured: 10 s instead of 5 s per 20 000 candidates).  A 32 MiB
    # mmap threshold (glibc's largest) restores most of it; a 128 MiB trim threshold (the
    # heap keeps up to that much freed memory instead of returning it after every chunk)
    # the rest: one worker then takes the CPU time per candidate of an in-process loop
    # (86 us instead of 95 us, benchmarks/bench_design.py).
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_":
                          MMAP_THRESHOLD_BYTES,
                          "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_":
                          TRIM_THRESHOLD_BYTES}):
        return LocalCluster(n_workers=n, threads_per_worker=1, processes=processes,
                            dashboard_address=":0", silence_logs=40)


def screen(space: ParameterSpace, out_dir, *, chunk_size: int = DEFAULT_CHUNK_SIZE,
           engine: str = "dask", scheduler: str | None = None, workers: int | None = None,
           dispersion_pct: float = 5.0, progress: Callable[[int, int], None] | None = None,
           max_chunks: int | None = None) -> ScreenResult:
    """Evaluate every candidate of ``space`` into the Parquet dataset ``out_dir`` (resumable).

    Parameters
    ----------
    space : ParameterSpace
        The candidates.
    out_dir : str or Path
        Screen directory (module notes); a rerun with the same space resumes.
    chunk_size : int
        Candidates per task.
    engine : {"dask", "threads", "local"}
        See the module notes.
    scheduler : str, optional
        Address of an existing Dask scheduler (engine "dask").
    workers : int, optional
        Local workers (default: the number of CPUs, at most 8).
    dispersion_pct : float
        Size dispersion of the synthesis, % (sets ``fwhm_nm``).
    progress : callable, optional
        ``progress(done_candidates, total_candidates)`` after every chunk.
    max_chunks : int, optional
        Stop after computing this many chunks (a partial run; rerun to finish).

    Returns
    -------
    ScreenResult
        ``candidates`` (total in the space), ``rows`` (in the dataset), ``chunks``,
        ``computed_chunks``, ``skipped_chunks`` (finished by an earlier run), ``valid``,
        ``complete``, ``seconds``, ``candidates_per_s`` (of this run), ``engine``,
        ``workers``, ``out``.

    Examples
    --------
    >>> import tempfile
    >>> sp = ParameterSpace(("CdSe",), ((), ("ZnS",)), "3:4:0.5", (1.0,))
    >>> res = screen(sp, tempfile.mkdtemp() + "/s", engine="local", chunk_size=2)
    >>> res["candidates"], res["rows"], res["complete"]
    (6, 6, True)
    """
    if engine not in ENGINES:
        raise QdlabInputError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if scheduler and engine != "dask":
        raise QdlabInputError("scheduler needs engine 'dask'")
    if workers is not None and (int(workers) != workers or not 1 <= workers <= 256):
        raise QdlabInputError(f"workers must be an integer in 1-256, got {workers!r}")
    if isinstance(chunk_size, bool) or int(chunk_size) != chunk_size or chunk_size < 1:
        raise QdlabInputError(f"chunk_size must be an integer >= 1, got {chunk_size!r}")
    if engine != "local":
        try:
            import distributed  # noqa: F401
        except ImportError as exc:
            raise QdlabInputError(f"engine {engine!r} needs the 'design' extra (pip install "
                                  f"'qdlab[design]'), or use engine 'local': {exc}") from None
    out = Path(out_dir)
    finished = _prepare(out, _manifest(space, int(chunk_size), float(dispersion_pct)))
    total = len(space)
    n_chunks = space.n_chunks(chunk_size)
    done_rows = 0

    def pending():
        nonlocal done_rows
        for c in space.chunks(chunk_size):
            if c.chunk_id in finished:
                done_rows += c.size
                continue
            yield c

    it = pending()
    computed, new_rows = 0, 0
    t0 = time.perf_counter()
    limit = n_chunks if max_chunks is None else int(max_chunks)

    def report(info):
        nonlocal computed, new_rows
        computed += 1
        new_rows += info["rows"]
        if progress is not None:
            progress(done_rows + new_rows, total)

    n_workers = 1
    if engine == "local":
        while computed < limit:
            c = next(it, None)
            if c is None:
                break
            report(run_chunk(c, space, str(out), dispersion_pct))
    else:
        client, cluster = _client(engine, scheduler, workers)   # refuses without distributed
        from distributed import as_completed

        try:
            n_workers = max(len(client.scheduler_info().get("workers", {})), 1)
            window = 2 * n_workers
            submitted = 0
            futures = as_completed()
            while submitted < min(window, limit):
                c = next(it, None)
                if c is None:
                    break
                futures.add(client.submit(run_chunk, c, space, str(out), dispersion_pct,
                                          key=f"qdlab-chunk-{c.chunk_id}", pure=False))
                submitted += 1
            for fut in futures:
                report(fut.result())
                if submitted < limit:
                    c = next(it, None)
                    if c is not None:
                        futures.add(client.submit(run_chunk, c, space, str(out), dispersion_pct,
                                                  key=f"qdlab-chunk-{c.chunk_id}", pure=False))
                        submitted += 1
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    for _ in it:    # count the rows of finished chunks not reached (partial runs)
        pass
    seconds = time.perf_counter() - t0
    markers = [json.loads(p.read_text()) for p in (out / "done").glob("*.json")
               if (out / "data" / f"part-{p.stem}.parquet").exists()]
    rows = sum(m["rows"] for m in markers)
    if progress is not None and computed == 0:
        progress(rows, total)
    cpu = sum(m.get("cpu_seconds", 0.0) for m in markers)
    return ScreenResult(
        candidates=total, rows=rows, chunks=n_chunks, computed_chunks=computed,
        cpu_seconds_per_candidate=cpu / rows if rows else None,
        skipped_chunks=len(finished), valid=sum(m["valid"] for m in markers),
        complete=len(markers) == n_chunks, seconds=seconds,
        candidates_per_s=new_rows / seconds if seconds > 0 else None, engine=engine,
        workers=n_workers, out=str(out))
