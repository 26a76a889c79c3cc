"""A graph delta updates the app's search index in place, and the updated index answers
as a freshly built one does: same entries, same candidates for every query."""

from __future__ import annotations

import csv
import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from graphintel.resolve import run_resolution
from graphintel.store import SqliteStore, trigram_search
from graphintel.synth import generate
from loaders import load_file
from tests.resolve.helpers import resolved_synth


def _split(manifest: Path, out: Path, share: float) -> tuple[Path, Path]:
    with manifest.open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    cut = int(len(rows) * share)
    paths = (out / "base.csv", out / "day.csv")
    for path, part in zip(paths, (rows[:cut], rows[cut:]), strict=True):
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(part)
    return paths


def _entries(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT node_id, label, text FROM search_entries").fetchall()
    return sorted(rows)


def _queries(entries: list[tuple[str, str, str]], seed: int) -> list[str]:
    """Labels of some entries as written, and each with one letter dropped (a typo)."""
    rng = random.Random(seed)
    labels = [label for _, label, _ in rng.sample(entries, 40)]
    typos = [label[:i] + label[i + 1 :] for label in labels for i in [len(label) // 2]]
    return labels + typos


@pytest.mark.parametrize(("seed", "share"), [(4, 0.8), (9, 0.6)])
def test_a_delta_updates_the_index_to_what_a_fresh_build_gives(
    tmp_path: Path, seed: int, share: float
) -> None:
    synth = generate(tmp_path / "synth", shipments=1_500, seed=seed)
    base, day = _split(synth.manifest, tmp_path, share)
    store = SqliteStore(tmp_path / "daily.db")
    load_file(store, base)
    run_resolution(store)
    store.build_search_index()
    before = _entries(tmp_path / "daily.db")
    load_file(store, day)
    assert run_resolution(store).delta
    assert store.search_index_ready()  # updated, not dropped for a rebuild
    updated = _entries(tmp_path / "daily.db")
    assert updated != before  # the day added parties and identifiers

    fresh_path = tmp_path / "fresh.db"
    with sqlite3.connect(tmp_path / "daily.db") as source, sqlite3.connect(fresh_path) as copy:
        source.backup(copy)
    fresh = SqliteStore(fresh_path)
    fresh.build_search_index()
    assert updated == _entries(fresh_path)
    for query in _queries(updated, seed):
        got = {c.node_id for c in store.fuzzy_candidates(query, limit=100_000)}
        want = {c.node_id for c in fresh.fuzzy_candidates(query, limit=100_000)}
        assert got == want, query
        # The best candidate: the same entry, or one tied with it (ties go by entry
        # number, which an update and a build give out in different orders).
        top = [c.node_id for c in store.fuzzy_candidates(query, limit=10)]
        fresh_top = [c.node_id for c in fresh.fuzzy_candidates(query, limit=10)]
        assert top[0] in fresh_top and fresh_top[0] in top, query
    store.close()
    fresh.close()


def _relabel(conn: sqlite3.Connection, ids: list[str], tag: str) -> None:
    conn.executemany(
        "UPDATE nodes SET label = coalesce(label, '') || ? WHERE id = ?", ((tag, i) for i in ids)
    )


def test_retired_entries_past_a_quarter_rebuild_the_index(tmp_path: Path) -> None:
    store = resolved_synth(tmp_path, 1_000, 2)
    live = store.build_search_index()
    path = tmp_path / "s.db"
    with sqlite3.connect(path) as conn:
        ids = [r[0] for r in conn.execute("SELECT node_id FROM search_entries ORDER BY doc")]
        slots: list[int] = []
        for n, start in enumerate(range(0, len(ids), len(ids) // 10)):
            with conn:
                touched = ids[start : start + len(ids) // 10]
                _relabel(conn, touched, f" v{n}")
                assert trigram_search.update(conn, touched, trigram_search.SEARCH_KINDS)
            (blob,) = conn.execute(
                "SELECT docs FROM search_postings WHERE code = ?", (trigram_search.SIZES_CODE,)
            ).fetchone()
            slots.append(len(blob) // 2)
            count = conn.execute("SELECT count(*) FROM search_entries").fetchone()[0]
            assert count == live  # the same nodes, relabelled and entered again
            assert slots[-1] - live <= trigram_search.REBUILD_SHARE * slots[-1] + len(ids) // 10
        labels = dict(conn.execute("SELECT node_id, label FROM search_entries"))
        nodes = dict(conn.execute("SELECT id, coalesce(nullif(label, ''), id) FROM nodes"))
    assert slots[0] > live  # the first update appended
    assert min(slots[1:]) == live  # ... and a later one rebuilt
    assert labels == {i: nodes[i] for i in ids}
    store.close()


def test_touched_entries_whose_label_stayed_keep_their_place(tmp_path: Path) -> None:
    """A node rewritten with its old label (an identifier whose count grew) is not entered
    again; a relabelled one is, and only it is found under its new label."""
    store = resolved_synth(tmp_path, 1_000, 3)
    store.build_search_index()
    with sqlite3.connect(tmp_path / "s.db") as conn:
        before = conn.execute("SELECT doc, node_id, label FROM search_entries").fetchall()
        ids = [node_id for _, node_id, _ in before]
        with conn:
            _relabel(conn, ids[:3], " zqxjkv")
            assert trigram_search.update(conn, ids[:50], trigram_search.SEARCH_KINDS)
        after = conn.execute("SELECT doc, node_id, label FROM search_entries").fetchall()
    assert sorted(after)[: len(before) - 3] == [r for r in before if r[1] not in ids[:3]]
    assert {r[1] for r in sorted(after)[len(before) - 3 :]} == set(ids[:3])
    found = {c.node_id for c in store.fuzzy_candidates("zqxjkv", limit=10)}
    assert set(ids[:3]) <= found
    store.close()


def test_no_index_is_built_by_an_update(tmp_path: Path) -> None:
    synth = generate(tmp_path / "synth", shipments=1_000, seed=5)
    base, day = _split(synth.manifest, tmp_path, 0.8)
    store = SqliteStore(tmp_path / "s.db")
    load_file(store, base)
    run_resolution(store)
    load_file(store, day)
    assert run_resolution(store).delta
    assert not store.search_index_ready()  # the next analysis builds it
    store.close()


def _live_index(path: Path) -> tuple[dict[int, list[str]], dict[int, int], dict[str, int]]:
    """Every trigram's live entries (as node ids, from its postings row and appended parts,
    retired entries left out), every trigram's live count, every entry's trigram count."""
    with sqlite3.connect(path) as conn:
        node = dict(conn.execute("SELECT doc, node_id FROM search_entries"))
        (blob,) = conn.execute(
            "SELECT docs FROM search_postings WHERE code = ?", (trigram_search.SIZES_CODE,)
        ).fetchone()
        sizes = np.frombuffer(blob, dtype=np.uint16)
        postings: dict[int, list[str]] = {}
        rows = conn.execute(
            "SELECT code, docs FROM search_postings WHERE code >= 0"
            " UNION ALL SELECT code, docs FROM search_added"
        ).fetchall()
        for code, docs in rows:
            live = [d for d in np.frombuffer(docs, dtype=np.int32).tolist() if sizes[d] > 0]
            postings.setdefault(code, []).extend(node[d] for d in live)
        counts = dict(conn.execute("SELECT code, live FROM search_live"))
    entry_sizes = {node[d]: int(sizes[d]) for d in node}
    return {c: sorted(ids) for c, ids in postings.items() if ids}, counts, entry_sizes


def test_days_of_appended_parts_and_merges_answer_as_a_fresh_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten days of relabelled entries appended as parts (merged past two per trigram) hold
    the live postings and counts of a fresh build, and answer every query as it does."""
    monkeypatch.setattr(trigram_search, "MAX_PARTS", 2)
    monkeypatch.setattr(trigram_search, "REBUILD_SHARE", 0.95)
    synth = generate(tmp_path / "synth", shipments=1_000, seed=6)
    store = SqliteStore(tmp_path / "s.db")
    load_file(store, synth.manifest)
    run_resolution(store)
    store.build_search_index()
    rng = random.Random(6)
    with sqlite3.connect(tmp_path / "s.db") as conn:
        ids = [r[0] for r in conn.execute("SELECT node_id FROM search_entries")]
        for day in range(10):
            touched = rng.sample(ids, len(ids) // 20)
            with conn:
                _relabel(conn, touched[: len(touched) // 2], f" day{day} {rng.choice(ids)}")
                assert trigram_search.update(conn, touched, trigram_search.SEARCH_KINDS)
        parts = conn.execute("SELECT count(DISTINCT part) FROM search_added").fetchone()[0]
    assert 0 < parts <= 10  # appended, and some trigrams' parts merged since
    fresh_path = tmp_path / "fresh.db"
    with sqlite3.connect(tmp_path / "s.db") as source, sqlite3.connect(fresh_path) as copy:
        source.backup(copy)
    fresh = SqliteStore(fresh_path)
    fresh.build_search_index()
    postings, counts, sizes = _live_index(tmp_path / "s.db")
    assert (postings, counts, sizes) == _live_index(fresh_path)
    assert counts == {c: len(ids) for c, ids in postings.items()}
    entries = _entries(fresh_path)
    for query in [*_queries(entries, 6), "day3", "day9 party"]:
        got = [(c.node_id, c.label) for c in store.fuzzy_candidates(query, limit=100_000)]
        want = [(c.node_id, c.label) for c in fresh.fuzzy_candidates(query, limit=100_000)]
        assert sorted(got) == sorted(want), query
        top = store.fuzzy_candidates(query, limit=10)  # no retired entry takes a place
        assert len(top) == len(fresh.fuzzy_candidates(query, limit=10)), query
    store.close()
    fresh.close()


def test_an_index_of_the_earlier_layout_counts_as_not_built(tmp_path: Path) -> None:
    """An index stamped by an earlier version (postings rewritten in place, no live counts)
    is neither searched nor updated: the next analysis or first search builds it again."""
    synth = generate(tmp_path / "synth", shipments=1_000, seed=8)
    store = SqliteStore(tmp_path / "s.db")
    load_file(store, synth.manifest)
    run_resolution(store)
    live = store.build_search_index()
    assert store.fuzzy_candidates("trading", limit=5)
    with sqlite3.connect(tmp_path / "s.db") as conn:
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = ?", (f"{live}:1", trigram_search.META_KEY)
        )  # the earlier stamp: entries, then the time
        conn.execute("DROP TABLE search_live")
        assert not trigram_search.update(conn, ["party:x"], trigram_search.SEARCH_KINDS)
    assert not store.search_index_ready()
    assert store.fuzzy_candidates("trading", limit=5) == []
    assert store.build_search_index() == live
    assert store.fuzzy_candidates("trading", limit=5)
    store.close()
