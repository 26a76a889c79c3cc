"""Column tables of numpy arrays and collision-free identifier draws.

Entities are kept as one numpy array per attribute (never one Python object per entity),
so a million consumers cost a few tens of megabytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Self

import numpy as np


@dataclass
class ArrayTable:
    """A dataclass whose fields are equal-length numpy arrays."""

    def __len__(self) -> int:
        return len(getattr(self, fields(self)[0].name))

    @classmethod
    def concat(cls, parts: Sequence[Self]) -> Self:
        return cls(
            **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)}
        )


@dataclass(frozen=True)
class Bijection:
    """``x -> (a*x + b) mod size``: distinct inputs below ``size`` map to distinct outputs.

    Used to hand out phone numbers, IPv4 addresses and street addresses by entity id with
    no collisions and no bookkeeping.
    """

    size: int
    a: int
    b: int

    @classmethod
    def draw(cls, size: int, rng: np.random.Generator) -> Bijection:
        while True:
            a = int(rng.integers(max(1, size // 3), size)) if size > 2 else 1
            if math.gcd(a, size) == 1:
                return cls(size, a, int(rng.integers(0, size)))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x64 = np.asarray(x, dtype=np.int64)
        if len(x64) and int(x64.max()) >= self.size:
            raise ValueError(f"identifier space of {self.size} exhausted")
        # a < size, so a*x stays within int64 for the sizes and ids used here (< 2**63).
        return (x64 * np.int64(self.a) + np.int64(self.b)) % np.int64(self.size)


def mixed_radix(code: np.ndarray, radices: Sequence[int]) -> list[np.ndarray]:
    """Split integer codes into digits of the given radices (least significant first)."""
    out: list[np.ndarray] = []
    rest = np.asarray(code, dtype=np.int64)
    for r in radices:
        out.append(rest % r)
        rest = rest // r
    return out


def zipf_weights(n: int, offset: float = 10.0) -> np.ndarray:
    """Probabilities that fall off like 1/(rank + offset): common names are common."""
    w = 1.0 / (np.arange(n, dtype=np.float64) + offset)
    return np.asarray(w / w.sum())
