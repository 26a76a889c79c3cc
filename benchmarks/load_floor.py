"""The raw floor of a load: every manifest row through ``csv.reader`` into one SQLite table.

No validation, no normalization, no provenance: what no loader can beat, so the load
benchmarks (``bench_pipeline``, ``loaders_bench``, ``national_bench``, ``scale_bench``)
report their loads against this one baseline. Run as a script (``load_floor.py MANIFEST
DB``) when a benchmark measures it in a child process of its own.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from pathlib import Path

SCRIPT = str(Path(__file__).resolve())


def copy_rows(manifest: str | Path, db: str | Path) -> None:
    """Insert every row of ``manifest`` into a fresh table ``rows`` of ``db``."""
    conn = sqlite3.connect(db)
    with open(manifest, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        columns = ", ".join(f"c{i}" for i in range(len(header)))
        conn.execute(f"CREATE TABLE rows ({columns})")
        marks = ", ".join("?" * len(header))
        conn.executemany(f"INSERT INTO rows VALUES ({marks})", reader)
    conn.commit()
    conn.close()


if __name__ == "__main__":
    copy_rows(sys.argv[1], sys.argv[2])
