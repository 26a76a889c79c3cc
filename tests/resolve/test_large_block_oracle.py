"""A large identifier block yields exactly the pairs the two full rapidfuzz screens gave.

``Blocker._large_block_pairs`` used to score every (name, anchor) cell with both
``token_sort_ratio`` and ``token_set_ratio``; it now scores ``token_set_ratio`` only where
a sorted-letters Indel bound says it could reach the threshold (see ``blocking._nested``)
and screens names in row chunks. The oracle below is the previous implementation, kept
verbatim; the pairs must come out the same, in the same order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from graphintel.resolve import blocking
from graphintel.resolve.blocking import Blocker, _nested
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures


def reference_large_block_pairs(
    records: Sequence[PartyFeatures],
    mention_count: Sequence[int],
    config: ResolverConfig,
    members: list[int],
) -> Iterator[tuple[int, int]]:
    """The previous implementation (the oracle)."""
    by_name: dict[str, list[int]] = defaultdict(list)
    mentions: dict[str, int] = defaultdict(int)
    for index in members:
        name = records[index].name
        by_name[name].append(index)
        mentions[name] += mention_count[index]
    for group in by_name.values():
        first = group[0]
        for other in group[1:]:
            yield first, other
    names = list(by_name)
    anchors = sorted(names, key=lambda n: -mentions[n])[: config.block_anchors]
    alike = process.cdist(
        names,
        anchors,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=config.prefilter_score,
        dtype=np.uint8,
        workers=1,
    )
    subset = process.cdist(
        names, anchors, scorer=fuzz.token_set_ratio, score_cutoff=95, dtype=np.uint8, workers=1
    )
    for row, col in zip(*np.nonzero((alike > 0) | (subset > 0)), strict=True):
        name, anchor = names[int(row)], anchors[int(col)]
        if name != anchor:
            yield by_name[name][0], by_name[anchor][0]


WORDS = (
    "shenzhen", "yiwu", "qibo", "huayu", "tianrong", "international", "logistics",
    "freight", "forwarding", "trading", "import", "and", "export", "co", "ltd", "e",
)  # fmt: skip


@st.composite
def spelling(draw: st.DrawFn) -> str:
    """A company name as manifests spell it: words dropped, repeated or moved, one typo."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(words) - 1))
        word = words[at]
        cut = draw(st.integers(0, len(word)))
        words[at] = word[:cut] + draw(st.sampled_from("aeiklnorsu")) + word[cut + 1 :]
    return " ".join(words)


NAMES = st.one_of(spelling(), st.text("ab ", max_size=8), st.text(max_size=10))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(NAMES, st.integers(1, 4)), min_size=2, max_size=60),
    st.integers(1, 40),
    st.sampled_from((1, 3, 16, 2048)),
)
@example(
    [("shenzhen qibo international", 3), ("qibo international", 1),
     ("shenzhen qibo internatoinal", 2), ("qibo international", 1)],
    2, 1,
)  # fmt: skip
def test_large_block_pairs_match_the_full_screens(
    block: list[tuple[str, int]], anchors: int, chunk: int
) -> None:
    records = [PartyFeatures(name, name, True) for name, _ in block]
    counts = [count for _, count in block]
    config = ResolverConfig(block_anchors=anchors)
    members = list(range(len(records)))
    expected = list(reference_large_block_pairs(records, counts, config, members))
    rows, blocking._SCREEN_ROWS = blocking._SCREEN_ROWS, chunk
    try:
        got = list(Blocker(records, counts, config)._large_block_pairs(members))
    finally:
        blocking._SCREEN_ROWS = rows
    assert got == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=12), st.lists(NAMES, min_size=1, max_size=12))
@example(["quanzhou hongyi international logistics so"], ["quanzhou hongyi nternational logistics"])
@example(["huayu trading"], ["shenzhen huayu trading"])
def test_nested_is_token_set_ratio_at_the_threshold(names: list[str], anchors: list[str]) -> None:
    """The letters bound never drops a cell token_set_ratio keeps (the proof in
    ``_nested``), nor keeps one it drops."""
    known = np.zeros((len(names), len(anchors)), dtype=bool)
    letters = [blocking._letters(n) for n in names]
    anchor_letters = [blocking._letters(n) for n in anchors]
    got = _nested(names, anchors, letters, anchor_letters, known)
    full = process.cdist(names, anchors, scorer=fuzz.token_set_ratio, dtype=np.float64)
    assert (got == (full >= blocking._NESTED_SCORE)).all()
