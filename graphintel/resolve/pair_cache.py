"""Reuse the comparison vectors of pairs an earlier resolution already compared.

A pair's comparison vector depends only on its two records and on whether their phone,
e-mail and address are hubs, so a vector saved by the last run is still right for the
same two records unless one of them holds an identifier whose hub status changed. The
expensive part of scoring (string similarities per field) then runs only for pairs that
involve a new record; fitting the model, weighing and clustering are redone over all pairs,
which keeps an incremental resolution identical to a full one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np

from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.scoring import PairScorer

Levels = tuple[int, ...]


class ComparisonCache:
    """Comparison vectors by ordered record pair (current indices); records every lookup."""

    def __init__(
        self,
        size: int,
        known: dict[int, Levels] | None = None,
        vectors: dict[Levels, Levels] | None = None,
    ) -> None:
        self.size = size
        self._known = known or {}
        self._seen: dict[int, Levels] = {}
        # Millions of pairs share a few hundred distinct vectors: each pair points at one
        # shared tuple of them instead of its own (80 bytes a pair).
        self._vectors: dict[Levels, Levels] = vectors if vectors is not None else {}
        self.reused = 0
        self.compared = 0
        self.sampling = False  # set while the model samples random pairs: not candidates

    @classmethod
    def from_saved(
        cls,
        size: int,
        new_index: Sequence[int],
        left: np.ndarray,
        right: np.ndarray,
        levels: np.ndarray,
    ) -> ComparisonCache:
        """Saved pairs (old indices) under the current order; a pair whose two records
        swapped places is dropped (its vector may not be symmetric)."""
        remap = np.asarray(new_index, dtype=np.int64)
        if len(left) == 0 or len(remap) == 0:
            return cls(size)
        a, b = remap[left], remap[right]
        keep = (a < b) == (left < right)
        keys = (a * size + b)[keep].tolist()
        interned: dict[Levels, Levels] = {}
        vectors = [interned.setdefault(v, v) for v in map(tuple, levels[keep].tolist())]
        return cls(size, dict(zip(keys, vectors, strict=True)), interned)

    def forget(self, records: Collection[int]) -> None:
        """Drop every saved vector of these records (their hub status changed)."""
        if not records or not self._known:
            return
        n = self.size
        self._known = {k: v for k, v in self._known.items() if k // n not in records
                       and k % n not in records}  # fmt: skip

    def levels(self, i: int, j: int, compute: Callable[[int, int], Levels]) -> Levels:
        if self.sampling:
            return compute(i, j)
        key = i * self.size + j
        found = self._known.get(key)
        if found is None:
            found = self._seen.get(key)
        if found is None:
            found = compute(i, j)
            found = self._vectors.setdefault(found, found)
            self.compared += 1
        else:
            self.reused += 1
        self._seen[key] = found
        return found

    def saved(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Left indices, right indices and vectors of every pair looked up in this run.

        Called once, when the resolution is done: the lookups are dropped here (a dict of
        Python ints, ~70 B a pair, 13 bytes as arrays), before the resolution process
        builds the party half of the graph and encodes the state, its peak."""
        seen = self._seen
        self._seen, self._known, self._vectors = {}, {}, {}
        keys = np.fromiter(seen.keys(), dtype=np.int64, count=len(seen))
        width = len(next(iter(seen.values()))) if seen else 0
        vectors = np.array(list(seen.values()), dtype=np.int8).reshape(len(keys), width)
        del seen
        return (keys // self.size).astype(np.int32), (keys % self.size).astype(np.int32), vectors


class CachingScorer(PairScorer):
    """``PairScorer`` whose comparison vectors come from a ``ComparisonCache`` when known."""

    def __init__(
        self, records: Sequence[PartyFeatures], config: ResolverConfig, cache: ComparisonCache
    ) -> None:
        super().__init__(records, config)
        self.cache = cache

    def levels(self, i: int, j: int) -> Any:
        return self.cache.levels(i, j, super().levels)

    def fit(self, codes: np.ndarray) -> Any:
        # Fitting compares random record pairs to seed u: neither cached nor counted.
        self.cache.sampling = True
        try:
            return super().fit(codes)
        finally:
            self.cache.sampling = False
