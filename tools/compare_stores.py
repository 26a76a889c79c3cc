"""Compare what two versions of GraphIntel make of the same manifest, table by table.

A refactoring must not change any output. This script runs a fixed set of commands on a
manifest (a one-shot ``run``; the manifest in two halves, the second resolved
incrementally; judgements applied by a later ``resolve``; the forked second process and
normalizing workers) and dumps every table of each SQLite store to sorted CSV. Run it
before and after a change, each time with the code under test installed, then diff:

    python tools/compare_stores.py scenario MANIFEST.csv /tmp/before
    ... change the code ...
    python tools/compare_stores.py scenario MANIFEST.csv /tmp/after
    python tools/compare_stores.py diff /tmp/before /tmp/after

What differs legitimately between two runs of the same code is left out or replaced:
timestamps (``*_at`` columns and times inside texts), file paths (and the load report
table, whose width follows them; its counts are in ``loads``), the search index's stamp,
the graph's epoch and the analysis cache's token (random), the graph journal's sequence
numbers (they follow the write order),
the resolver state's code fingerprint (a digest of the normalizing and comparing source
files: any edit to them changes it, by design, so the next resolve after an upgrade is
full), and the random run and load ids, which become
``RUN-n`` / ``LOAD-n`` in the order the store recorded them, wherever they appear (alert
texts name a load). BLOBs (the resolver state) are compared by SHA-256.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# The CLI with the second-process threshold lowered: a small manifest then resolves in a
# forked process with normalizing workers, as a store of millions of mentions does.
_FORKED_CLI = (
    "import sys; from graphintel.resolve import pipeline; pipeline.PARALLEL_MIN_MENTIONS = 0;"
    " from graphintel.cli.commands import cli; cli(sys.argv[1:])"
)
_RUN_ID = re.compile(r"run-\d{14}-[0-9a-f]{6}")
_LOAD_ID = re.compile(r"load-[0-9a-f]{12}")
# A time written into a text (a judgement's merge evidence says when it was made), and the
# search index's stamp ("entries:time_ns" in meta).
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?")
_SEARCH_STAMP = re.compile(r"^(\d+):\d{15,}$")
_FINGERPRINT = re.compile(rb'"fingerprint": "[0-9a-f]+"')
_TABLE_LINE = re.compile(r"^\s*(?:[┏┃┡│└].*|Load report)\s*$")
_DROPPED = {"file_path"}
# Random by design: the graph's epoch and the analysis cache's token (meta values), and the
# journal's sequence numbers (they follow the write order, which follows set iteration).
_RANDOM_META = {"graph_epoch", "analysis_cache_holder"}
_DROPPED_IN = {"graph_journal": {"seq"}}


def _graphintel() -> list[str]:
    """The installed command of the interpreter running this script."""
    return [str(Path(sys.executable).with_name("graphintel"))]


def _forked() -> list[str]:
    return [sys.executable, "-c", _FORKED_CLI]


def _call(command: list[str], store: Path, *args: str) -> str:
    """Run one CLI command on ``store``; its stdout (stderr echoed on failure)."""
    full = [*command, "--quiet", "--store", f"sqlite:///{store}", *args]
    done = subprocess.run(full, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"failed ({done.returncode}): {' '.join(full)}")
    return done.stdout + done.stderr


def _split(manifest: Path, folder: Path) -> tuple[Path, Path]:
    """The manifest's rows in two files of (about) equal size, each with the header."""
    with manifest.open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    half = len(rows) // 2
    paths = (folder / "half1.csv", folder / "half2.csv")
    for path, part in zip(paths, (rows[:half], rows[half:]), strict=True):
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(part)
    return paths


def _read(store: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _judge(store: Path) -> None:
    """Record three judgements picked by a fixed rule from the resolved store: split a
    merged pair, join two mentions of different parties, join two party ids."""
    merged = _read(
        store,
        "SELECT mention_a, mention_b FROM merge_evidence WHERE mention_a != mention_b"
        " ORDER BY entity_id, mention_a, mention_b LIMIT 1",
    )
    apart = _read(
        store,
        "SELECT shipment_id || '#' || role, entity_id FROM mentions WHERE role = 'consignee'"
        " ORDER BY shipment_id LIMIT 50",
    )
    first = apart[0]
    second = next(m for m in apart if m[1] != first[1])
    third = next(m for m in apart if m[1] not in (first[1], second[1]))
    fourth = next(m for m in apart if m[1] not in (first[1], second[1], third[1]))
    cli = _graphintel()
    _call(cli, store, "judge", "--user", "compare", "different", *merged[0])
    _call(cli, store, "judge", "--user", "compare", "same", first[0], second[0])
    _call(cli, store, "judge", "--user", "compare", "same", third[1], fourth[1])


def scenario(manifest: Path, out: Path) -> None:
    """Build the stores of every scenario under ``out`` and dump each next to it."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.db*"):
        old.unlink()
    cli = _graphintel()
    (out / "input").mkdir(exist_ok=True)
    half1, half2 = _split(manifest, out / "input")
    logs: dict[str, str] = {}

    full = out / "full.db"
    logs["full"] = _call(cli, full, "run", str(manifest), "--top", "10")
    _judge(full)
    logs["full"] += _call(cli, full, "resolve")
    logs["full"] += _call(cli, full, "analyze")

    incremental = out / "incremental.db"
    logs["incremental"] = _call(cli, incremental, "run", str(half1), "--top", "10")
    logs["incremental"] += _call(cli, incremental, "run", str(half2), "--top", "10")
    if "incremental resolution" not in logs["incremental"]:
        raise SystemExit("the second half was not resolved incrementally")

    forked = out / "forked.db"
    logs["forked"] = _call(cli, forked, "load", str(half1))
    logs["forked"] += _call(_forked(), forked, "resolve", "--workers", "2")
    logs["forked"] += _call(cli, forked, "load", str(half2))
    logs["forked"] += _call(_forked(), forked, "resolve", "--workers", "2")
    _judge(forked)
    logs["forked"] += _call(_forked(), forked, "resolve", "--workers", "2")
    logs["forked"] += _call(_forked(), forked, "resolve", "--full", "--workers", "2")

    for name in ("full", "incremental", "forked"):
        dump(out / f"{name}.db", out / name)
        (out / name / "_output.txt").write_text(_anonymous(logs[name], out / f"{name}.db"))


def _ids(store: Path) -> dict[str, str]:
    """Each random run and load id of ``store`` -> its stand-in, in recording order."""
    names: dict[str, str] = {}
    for prefix, table, column in (("RUN", "runs", "run_id"), ("LOAD", "loads", "load_id")):
        for n, (value,) in enumerate(_read(store, f"SELECT {column} FROM {table} ORDER BY rowid")):
            names[value] = f"{prefix}-{n + 1}"
    return names


def _anonymous(text: str, store: Path) -> str:
    """``text`` with run and load ids replaced and timing figures blanked out."""
    names = _ids(store)
    text = _RUN_ID.sub(lambda m: names.get(m.group(), "RUN-?"), text)
    text = _LOAD_ID.sub(lambda m: names.get(m.group(), "LOAD-?"), text)
    return _output(text.replace(str(store.parent), "<OUT>"))


def _output(text: str) -> str:
    """``text`` without the lines of rich's load report table."""
    return "".join(line for line in text.splitlines(keepends=True) if not _TABLE_LINE.match(line))


def _cell(value: Any, names: dict[str, str]) -> str:
    if isinstance(value, bytes):
        value = _FINGERPRINT.sub(b'"fingerprint": "<CODE>"', value)
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, str):
        value = _RUN_ID.sub(lambda m: names.get(m.group(), "RUN-?"), value)
        value = _LOAD_ID.sub(lambda m: names.get(m.group(), "LOAD-?"), value)
        return _SEARCH_STAMP.sub(r"\1:<STAMP>", _TIME.sub("<TIME>", value))
    return repr(value)


def dump(store: Path, folder: Path) -> None:
    """Every table of ``store`` as ``folder/TABLE.csv``, rows sorted, volatile columns out."""
    folder.mkdir(parents=True, exist_ok=True)
    names = _ids(store)
    tables = _read(
        store,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name",
    )
    for (table,) in tables:
        columns = [
            c[1]
            for c in _read(store, f'PRAGMA table_info("{table}")')
            if c[1] not in _DROPPED | _DROPPED_IN.get(table, set()) and not c[1].endswith("_at")
        ]
        quoted = ", ".join(f'"{c}"' for c in columns)
        found = _read(store, f'SELECT {quoted} FROM "{table}"')
        if table == "meta":
            found = [(k, "<random>" if k in _RANDOM_META else v) for k, v in found]
        rows = sorted([_cell(v, names) for v in r] for r in found)
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            writer.writerows(rows)


def diff(before: Path, after: Path) -> int:
    """Print each dumped file that differs (with its first differing lines); 1 if any."""
    differing = 0
    files = sorted(
        path.relative_to(root)
        for root in (before, after)
        for pattern in ("*.csv", "_output.txt")
        for path in root.rglob(pattern)
        if path.relative_to(root).parts[0] != "input"  # the halves of the manifest
    )
    files = sorted(set(files))
    for rel in files:
        a, b = before / rel, after / rel
        if not a.exists() or not b.exists():
            print(f"{rel}: only in {'after' if b.exists() else 'before'}")
            differing += 1
            continue
        left, right = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
        if rel.name == "_output.txt":  # also folders written before the table was left out
            left, right = _output(left), _output(right)
        if left == right:
            continue
        differing += 1
        la, lb = left.splitlines(), right.splitlines()
        shown = [(i, x, y) for i, (x, y) in enumerate(zip(la, lb, strict=False)) if x != y][:3]
        print(f"{rel}: differs ({len(la)} vs {len(lb)} lines)")
        for i, x, y in shown:
            print(f"  line {i + 1}\n    - {x[:300]}\n    + {y[:300]}")
    checked = len(files)
    print(f"{checked} files compared, {differing} differ")
    return 1 if differing else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("scenario", help="build and dump the stores of every scenario")
    run.add_argument("manifest", type=Path)
    run.add_argument("out", type=Path)
    one = sub.add_parser("dump", help="dump one SQLite store")
    one.add_argument("store", type=Path)
    one.add_argument("out", type=Path)
    two = sub.add_parser("diff", help="compare two scenario (or dump) folders")
    two.add_argument("before", type=Path)
    two.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "scenario":
        scenario(args.manifest.resolve(), args.out.resolve())
    elif args.command == "dump":
        dump(args.store, args.out)
    else:
        return diff(args.before, args.after)
    return 0


if __name__ == "__main__":
    os.environ.pop("GRAPHINTEL_FAULT", None)
    raise SystemExit(main())
