"""SQL over a screen's Parquet dataset with DuckDB.

The dataset of ``DIR`` is the view ``candidates`` (every finished chunk file of
``DIR/data``; a run in progress shows its finished chunks only).  Any DuckDB SQL works,
e.g. ``query("screen-dir", "SELECT structure, count(*) FROM candidates GROUP BY 1")``.
"""

from __future__ import annotations

import math
from pathlib import Path

from qdlab.errors import QdlabInputError

__all__ = ["MAX_ROWS", "connect", "query"]

#: Most rows :func:`query` returns (add a LIMIT or aggregate for more).
MAX_ROWS = 100_000


def connect(out_dir):
    """A DuckDB connection with the view ``candidates`` over ``out_dir``'s dataset."""
    try:
        import duckdb
    except ImportError as exc:   # pragma: no cover - the 'design' extra
        raise QdlabInputError(f"query needs the 'design' extra (pip install 'qdlab[design]'): "
                              f"{exc}") from None
    out = Path(out_dir)
    if not (out / "manifest.json").is_file():
        raise QdlabInputError(f"{out} is not a qdlab screen directory (no manifest.json)")
    files = sorted((out / "data").glob("part-*.parquet"))
    if not files:
        raise QdlabInputError(f"{out} has no finished chunks yet")
    con = duckdb.connect()
    pattern = str(out / "data" / "part-*.parquet").replace("'", "''")
    con.execute(f"CREATE VIEW candidates AS SELECT * FROM read_parquet('{pattern}')")
    return con


def query(out_dir, sql: str, max_rows: int = MAX_ROWS) -> dict:
    """Run ``sql`` (DuckDB dialect) against the view ``candidates`` of a screen directory.

    Parameters
    ----------
    out_dir : str or Path
        Screen directory (see :mod:`qdlab.design.screen`).
    sql : str
        The query; the table is ``candidates``.
    max_rows : int
        Refuse results with more rows.

    Returns
    -------
    dict
        ``columns`` (list of str) and ``rows`` (list of lists; NaN becomes None).
    """
    if not isinstance(sql, str) or not sql.strip():
        raise QdlabInputError("sql must be a non-empty query on the table 'candidates'")
    con = connect(out_dir)   # refuses cleanly without the 'design' extra
    import duckdb
    try:
        cur = con.execute(sql)
        if cur.description is None:
            return {"columns": [], "rows": []}
        columns = [d[0] for d in cur.description]
        rows = cur.fetchmany(max_rows + 1)
    except duckdb.Error as exc:
        msg = " ".join(str(exc).split())
        raise QdlabInputError(f"SQL error: {msg[:300]}") from None
    finally:
        con.close()
    if len(rows) > max_rows:
        raise QdlabInputError(f"the query returns more than {max_rows} rows; add a LIMIT or "
                              "aggregate")

    def clean(v):
        return None if isinstance(v, float) and not math.isfinite(v) else v

    return {"columns": columns, "rows": [[clean(v) for v in r] for r in rows]}
