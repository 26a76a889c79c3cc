"""Reuse the comparison vectors of pairs an earlier resolution already compared.

A pair's comparison vector depends only on its two records and on whether their phone,
e-mail and address are hubs, so a vector saved by the last run is still right for the
same two records unless one of them holds an identifier whose hub status changed. The
expensive part of scoring (string similarities per field) then runs only for pairs that
involve a new record; fitting the model, weighing and clustering are redone over all pairs,
which keeps an incremental resolution identical to a full one.

The saved pairs are held as sorted int64 keys (``left * size + right``) beside their
encoded vectors (``fs_model.encode``), and a run's pairs are looked up all at once with
``searchsorted``: a day's run looks up every pair of the history, and a dict lookup per pair
was most of what reusing them cost.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import numpy as np
import numpy.typing as npt

from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.fs_model import IntArray, decode, encode
from graphintel.resolve.rules import FIELDS
from graphintel.resolve.scoring import PairScorer

# the encoded comparison vectors of pairs (left[k], right[k])
Compare = Callable[[npt.NDArray[np.int32], npt.NDArray[np.int32]], IntArray]

_EMPTY = np.zeros(0, dtype=np.int64)


class ComparisonCache:
    """Encoded comparison vectors by ordered record pair (current indices); records every
    lookup."""

    def __init__(self, size: int, keys: IntArray = _EMPTY, codes: IntArray = _EMPTY) -> None:
        self.size = size
        self._keys = keys  # sorted, unique
        self._codes = codes
        self._seen: list[tuple[IntArray, IntArray]] = []  # this run's lookups, in order
        self.reused = 0
        self.compared = 0

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
        keys = (a * size + b)[keep]
        order = np.argsort(keys, kind="stable")
        return cls(size, keys[order], encode(levels[keep], FIELDS)[order])

    def forget(self, records: Collection[int]) -> None:
        """Drop every saved vector of these records (their hub status changed)."""
        if not records or not len(self._keys):
            return
        dropped = np.fromiter(records, dtype=np.int64, count=len(records))
        gone = np.isin(self._keys // self.size, dropped) | np.isin(self._keys % self.size, dropped)
        self._keys, self._codes = self._keys[~gone], self._codes[~gone]

    def codes(
        self, left: npt.NDArray[np.int32], right: npt.NDArray[np.int32], compare: Compare
    ) -> IntArray:
        """The encoded vectors of pairs (left[k], right[k]): saved ones looked up, the
        others computed by ``compare``."""
        keys = left.astype(np.int64) * self.size + right
        out = np.empty(len(keys), dtype=np.int64)
        hit = np.zeros(len(keys), dtype=bool)
        if len(self._keys):
            at = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
            hit = self._keys[at] == keys
            out[hit] = self._codes[at[hit]]
        miss = np.flatnonzero(~hit)
        out[miss] = compare(left[miss], right[miss])
        self.reused += len(keys) - len(miss)
        self.compared += len(miss)
        self._seen.append((keys, out))
        return out

    def saved(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Left indices, right indices and vectors of every pair looked up in this run.

        Called once, when the resolution is done: the saved pairs are dropped here, before
        the resolution process builds the party half of the graph and encodes the state,
        its peak."""
        seen, self._seen = self._seen, []
        self._keys, self._codes = _EMPTY, _EMPTY
        keys = np.concatenate([k for k, _ in seen]) if seen else _EMPTY
        codes = np.concatenate([c for _, c in seen]) if seen else _EMPTY
        if not len(keys):
            return keys.astype(np.int32), keys.astype(np.int32), np.zeros((0, 0), np.int8)
        vectors = decode(codes, FIELDS).astype(np.int8)
        return (keys // self.size).astype(np.int32), (keys % self.size).astype(np.int32), vectors


class CachingScorer(PairScorer):
    """``PairScorer`` whose comparison vectors come from a ``ComparisonCache`` when known."""

    def __init__(
        self, records: Sequence[PartyFeatures], config: ResolverConfig, cache: ComparisonCache
    ) -> None:
        super().__init__(records, config)
        self.cache = cache

    def compare(self, left: npt.NDArray[np.int32], right: npt.NDArray[np.int32]) -> IntArray:
        return self.cache.codes(left, right, super().compare)
