"""The search index's postings, built a chunk of entries at a time, against an oracle:
every trigram's entries straight from ``trigram_codes`` of each entry on its own."""

from __future__ import annotations

import random
import sqlite3
from collections import defaultdict

import numpy as np
import pytest

from graphintel.model import NodeKind
from graphintel.store import trigram_search


def _names(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefgh xyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(0, 12))) for _ in range(n)]


@pytest.mark.parametrize("chunk", [1, 7, 50, 1000])
def test_postings_match_each_entrys_own_trigrams(monkeypatch, chunk):
    names = _names(300, seed=chunk)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("CREATE TABLE nodes (id TEXT PRIMARY KEY, kind TEXT, label TEXT)")
    conn.executemany(
        "INSERT INTO nodes VALUES (?, ?, ?)",
        [(f"party:{n:04d}", NodeKind.PARTY.value, name) for n, name in enumerate(names)],
    )
    monkeypatch.setattr(trigram_search, "BUILD_CHUNK", chunk)
    assert trigram_search.build(conn, (NodeKind.PARTY,)) == len(names)

    texts = dict(conn.execute("SELECT doc, text FROM search_entries"))
    expected: dict[int, list[int]] = defaultdict(list)
    for doc in sorted(texts):
        for code in sorted(set(trigram_search.trigram_codes([texts[doc]])[1].tolist())):
            expected[code].append(doc)
    found = {
        code: np.frombuffer(docs, dtype=np.int32).tolist()
        for code, docs in conn.execute("SELECT code, docs FROM search_postings WHERE code >= 0")
    }
    assert found == expected
    sizes = conn.execute(
        "SELECT docs FROM search_postings WHERE code = ?", (trigram_search.SIZES_CODE,)
    ).fetchone()[0]
    counts = np.frombuffer(sizes, dtype=np.uint16).tolist()
    assert counts == [
        len(set(trigram_search.trigram_codes([texts[d]])[1].tolist())) for d in sorted(texts)
    ]
