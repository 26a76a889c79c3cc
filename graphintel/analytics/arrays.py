"""The numpy array types the analytics modules share, and joining weighted edge lists
(one home, no import cycles)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def concat_edges(
    *parts: tuple[IntArray, IntArray, FloatArray],
) -> tuple[IntArray, IntArray, FloatArray]:
    """Weighted edge lists (sources, targets, weights) joined into one."""
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )
