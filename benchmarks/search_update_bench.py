"""The search index updated in place for a day's delta against rebuilding it whole.

On a copy of a store (``--store``; synthesized with ``--shipments`` when not given), the
index is built fresh (the named baseline, timed), its answers to ``--queries`` queries are
recorded (entry labels as written and with one letter dropped), then ``--share`` of the
entries, drawn at random, are retired and entered again as a delta touching them would
(``trigram_search.update``, timed). The nodes did not change, so the updated index must
hold what the fresh build held (every trigram's postings and every entry's size, entry
numbers aside, so every score is the same) and give the same best entry up to ties; the
script prints both times, their ratio and both checks. Usage::

    .venv/bin/python benchmarks/search_update_bench.py \\
        --store /tmp/daily1m/base.db --share 0.09 --relabelled 0.07
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

from graphintel.store import SqliteStore, trigram_search


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _synth_store(work: Path, shipments: int) -> Path:
    from graphintel.resolve import resolve_store
    from graphintel.synth import generate
    from loaders import load_file

    path = work / "synth.db"
    store = SqliteStore(path)
    load_file(store, generate(work / "synth", shipments=shipments, seed=7).manifest)
    resolve_store(store)
    store.close()
    return path


def _content(path: Path) -> tuple[dict[int, bytes], bytes]:
    """The index's live postings with entry numbers replaced by their node's rank in id
    order: equal for two indexes of the same nodes however they numbered them and split
    their postings (so every score is equal)."""
    with sqlite3.connect(path) as conn:
        entries = conn.execute("SELECT doc, node_id FROM search_entries").fetchall()
        (sizes_blob,) = conn.execute(
            "SELECT docs FROM search_postings WHERE code = ?", (trigram_search.SIZES_CODE,)
        ).fetchone()
        sizes = np.frombuffer(sizes_blob, dtype=np.uint16)
        rank = np.full(len(sizes), -1, dtype=np.int64)
        by_id = sorted(entries, key=lambda e: e[1])
        rank[[doc for doc, _ in by_id]] = np.arange(len(by_id))
        pieces: dict[int, list[bytes]] = {}
        for code, docs in conn.execute(
            "SELECT code, docs FROM search_postings WHERE code != ?"
            " UNION ALL SELECT code, docs FROM search_added ORDER BY 1",
            (trigram_search.SIZES_CODE,),
        ):
            pieces.setdefault(int(code), []).append(docs)
        postings = {}
        for code, parts in pieces.items():
            docs = np.frombuffer(b"".join(parts), dtype=np.int32)
            live = docs[sizes[docs] > 0]  # retired entries stay in the postings, size zero
            if len(live):
                postings[code] = np.sort(rank[live]).tobytes()
    return postings, sizes[[doc for doc, _ in by_id]].tobytes()


def _answers(store: SqliteStore, queries: list[str]) -> list[list[str]]:
    return [[c.node_id for c in store.fuzzy_candidates(q, limit=10)] for q in queries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a resolved SQLite store (copied)")
    parser.add_argument("--shipments", type=int, default=100_000, help="synth, without --store")
    parser.add_argument("--share", type=float, default=0.09, help="entries the delta touches")
    parser.add_argument(
        "--relabelled", type=float, default=0.07, help="share of the touched given a new label"
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="search-update-"))
    work.mkdir(parents=True, exist_ok=True)
    source = args.store or _synth_store(work, args.shipments)
    path, fresh_path = work / "copy.db", work / "fresh.db"
    path.unlink(missing_ok=True)
    fresh_path.unlink(missing_ok=True)
    _copy(source, path)
    store = SqliteStore(path)

    started, cpu = time.perf_counter(), time.process_time()
    entries = store.build_search_index()
    build, build_cpu = time.perf_counter() - started, time.process_time() - cpu
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT node_id, label FROM search_entries").fetchall()
    rng = random.Random(5)
    touched = [node_id for node_id, _ in rng.sample(rows, int(len(rows) * args.share))]
    relabelled = touched[: int(len(touched) * args.relabelled)]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executemany(
        "UPDATE nodes SET label = coalesce(label, '') || ' renamed' WHERE id = ?",
        ((node_id,) for node_id in relabelled),
    )
    started, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN IMMEDIATE")
    trigram_search.update(conn, touched, trigram_search.SEARCH_KINDS)
    conn.execute("COMMIT")
    update, update_cpu = time.perf_counter() - started, time.process_time() - cpu
    conn.close()
    labels = [label for _, label in rng.sample(rows, args.queries // 2)]
    queries = labels + [label[: len(label) // 2] + label[len(label) // 2 + 1 :] for label in labels]
    queries += [f"{label} renamed" for label in labels[:10]]
    after = _answers(store, queries)
    store.close()
    _copy(path, fresh_path)
    fresh = SqliteStore(fresh_path)
    fresh.build_search_index()
    wanted = _answers(fresh, queries)
    fresh.close()
    same_content = _content(path) == _content(fresh_path)

    same_best = sum(a[:1] == b[:1] or (a[0] in b and b[0] in a)
                    for b, a in zip(wanted, after, strict=True) if a and b)  # fmt: skip
    print(f"store: {source} ({entries:,} entries)")
    print(
        f"delta touches {len(touched):,} entries ({args.share:.0%}), {len(relabelled):,} relabelled"
    )
    print(f"fresh build (baseline): {build:.1f} s wall, {build_cpu:.1f} s CPU")
    print(
        f"update in place:        {update:.1f} s wall, {update_cpu:.1f} s CPU"
        f"  ({update / build:.2f}x the build's wall, {update_cpu / build_cpu:.2f}x its CPU)"
    )
    print(f"index content equal to a fresh build's (entry numbering aside): {same_content}")
    print(f"queries with the same best entry (up to ties): {same_best}/{len(queries)}")


if __name__ == "__main__":
    main()
