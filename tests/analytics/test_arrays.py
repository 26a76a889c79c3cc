"""``distinct`` is ``np.unique`` of an integer array (its sort-based replacement, which sorts
the array it is given)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graphintel.analytics.arrays import distinct


@given(st.lists(st.integers(min_value=-(2**62), max_value=2**62), max_size=200))
def test_distinct_is_numpy_unique(values: list[int]) -> None:
    array = np.asarray(values, dtype=np.int64)
    found = distinct(array.copy())
    assert found.dtype == np.int64
    assert np.array_equal(found, np.unique(array))


def test_distinct_of_a_large_array_with_repeats() -> None:
    rng = np.random.default_rng(7)
    array = rng.integers(0, 50_000, size=200_000)
    assert np.array_equal(distinct(array.copy()), np.unique(array))
