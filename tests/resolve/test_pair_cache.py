"""The comparison cache's vectorised lookups answer what a dict of the saved pairs would."""

from __future__ import annotations

import numpy as np

from graphintel.resolve.fs_model import encode
from graphintel.resolve.pair_cache import ComparisonCache
from graphintel.resolve.rules import FIELDS

_VECTORS = int(np.prod([spec.radix for spec in FIELDS]))  # how many vectors there are


def _random_levels(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.stack([rng.integers(0, spec.radix, n) for spec in FIELDS], axis=1).astype(np.int8)


def test_lookups_match_a_dict_of_the_saved_pairs_under_the_new_order() -> None:
    rng = np.random.default_rng(3)
    old_size, size = 300, 340  # records 300..339 are new
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, old_size, (2_000, 2)) if a < b}
    left = np.array([a for a, _ in sorted(pairs)], dtype=np.int32)
    right = np.array([b for _, b in sorted(pairs)], dtype=np.int32)
    levels = _random_levels(rng, len(left))
    new_index = rng.permutation(size)[:old_size]  # old record -> its index now
    cache = ComparisonCache.from_saved(size, new_index.tolist(), left, right, levels)

    # the dict the cache replaces: pairs whose records kept their order, under new indices
    saved: dict[tuple[int, int], int] = {}
    for a, b, vector in zip(left.tolist(), right.tolist(), levels.tolist(), strict=True):
        x, y = int(new_index[a]), int(new_index[b])
        if x < y:
            saved[x, y] = int(encode([vector], FIELDS)[0])
    asked = sorted({*saved, *((int(a), int(b)) for a, b in rng.integers(0, size, (3_000, 2))
                              if a < b)})  # fmt: skip
    qa = np.array([a for a, _ in asked], dtype=np.int32)
    qb = np.array([b for _, b in asked], dtype=np.int32)
    computed: list[tuple[int, int]] = []

    def compare(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        computed.extend(zip(a.tolist(), b.tolist(), strict=True))
        return (np.asarray(a, dtype=np.int64) * 7 + b) % _VECTORS  # stand-ins for vectors

    codes = cache.codes(qa, qb, compare)

    expected = [saved.get((a, b), (a * 7 + b) % _VECTORS) for a, b in asked]
    assert codes.tolist() == expected
    assert computed == [p for p in asked if p not in saved]
    assert (cache.reused, cache.compared) == (len(saved), len(asked) - len(saved))
    out_left, out_right, out_levels = cache.saved()
    assert list(zip(out_left.tolist(), out_right.tolist(), strict=True)) == asked
    assert encode(out_levels, FIELDS).tolist() == codes.tolist()


def test_forgotten_records_are_compared_afresh() -> None:
    left = np.array([0, 1, 2], dtype=np.int32)
    right = np.array([1, 2, 3], dtype=np.int32)
    levels = _random_levels(np.random.default_rng(1), 3)
    cache = ComparisonCache.from_saved(4, [0, 1, 2, 3], left, right, levels)
    cache.forget({1})

    codes = cache.codes(left, right, lambda a, b: np.full(len(a), -1, dtype=np.int64))

    assert codes.tolist() == [-1, -1, int(encode(levels[2:], FIELDS)[0])]
    assert (cache.reused, cache.compared) == (1, 2)
