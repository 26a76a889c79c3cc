"""Vectorized string assembly on Arrow arrays, so a million rows never become Python strings.

Every helper takes numpy index or mask arrays and returns a ``pyarrow.StringArray`` with no
nulls (an unknown value is the empty string, as in the manifest layout).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Str = Any  # a pyarrow StringArray (pyarrow ships no type information)
Part = Any  # a StringArray or a Python str used as a constant column

EMPTY = pa.scalar("", pa.string())


def vocab(words: Sequence[str]) -> Str:
    """An Arrow array of strings to ``take`` from."""
    return pa.array(list(words), pa.string())


def take(words: Str, idx: np.ndarray) -> Str:
    return pc.take(words, pa.array(np.asarray(idx, dtype=np.int64)))


def join(*parts: Part, sep: str = "") -> Str:
    """Element-wise concatenation; plain ``str`` parts act as constant columns."""
    return pc.binary_join_element_wise(*parts, sep)


def num(values: np.ndarray, width: int = 0) -> Str:
    """Decimal digits of non-negative integers, zero-padded to ``width``."""
    out = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return pc.utf8_lpad(out, width=width, padding="0") if width else out


def decimal(hundredths: np.ndarray) -> Str:
    """Fixed-point text with two decimals ("12.05") from an integer count of hundredths."""
    h = np.asarray(hundredths, dtype=np.int64)
    return join(num(h // 100), ".", num(h % 100, 2))


def where(mask: np.ndarray, yes: Part, no: Part) -> Str:
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), yes, no)


def blank(values: Str, mask: np.ndarray) -> Str:
    """The empty string where ``mask`` holds (a missing optional field)."""
    return where(mask, EMPTY, values)


def const(text: str, n: int) -> Str:
    """A column of ``n`` copies of ``text``."""
    return take(vocab([text]), np.zeros(n, dtype=np.int64))


def choose(which: np.ndarray, options: Sequence[Part]) -> Str:
    """Row i takes ``options[which[i]][i]``."""
    n = len(which)
    cols = [const(o, n) if isinstance(o, str) else o for o in options]
    return pc.choose(pa.array(np.asarray(which, dtype=np.int8)), *cols)


def switch(which: np.ndarray, n_options: int, build: Callable[[int, np.ndarray], Part]) -> Str:
    """Like ``choose``, but option k is built (``build(k, rows)``) only for the rows that
    take it: cheaper when the options are costly to render."""
    which = np.asarray(which, dtype=np.int64)
    order = np.argsort(which, kind="stable")
    bounds = np.searchsorted(which[order], np.arange(n_options + 1))
    pieces = []
    for k in range(n_options):
        rows = order[bounds[k] : bounds[k + 1]]
        if len(rows):
            piece = build(k, rows)
            pieces.append(const(piece, len(rows)) if isinstance(piece, str) else piece)
    if not pieces:
        return vocab([])
    inverse = np.empty(len(which), dtype=np.int64)
    inverse[order] = np.arange(len(which))
    return take(pa.concat_arrays(pieces), inverse)


# The generator's vocabulary is ASCII, and the ASCII kernels are far faster.
def upper(values: Str) -> Str:
    return pc.ascii_upper(values)


def lower(values: Str) -> Str:
    return pc.ascii_lower(values)


def capitalize(values: Str) -> Str:
    return pc.ascii_capitalize(values)


def patch(values: Str, mask: np.ndarray, fix: Any) -> Str:
    """Replace the masked rows by ``fix(list_of_their_strings) -> list_of_strings``.

    For the rare per-row edits (typos) that have no vectorized form.
    """
    m = np.asarray(mask, dtype=bool)
    if not m.any():
        return values
    sub = values.filter(pa.array(m)).to_pylist()
    return pc.replace_with_mask(values, pa.array(m), pa.array(fix(sub), pa.string()))


# Hex digits of every 16-bit value, padded ("00af") and bare ("af", for IPv6 groups).
HEX4 = vocab([f"{i:04x}" for i in range(1 << 16)])
HEXG = vocab([f"{i:x}" for i in range(1 << 16)])


def hex_words(values: np.ndarray, words: int, table: Str = HEX4, sep: str = "") -> Str:
    """The low ``words`` 16-bit groups of unsigned 64-bit values, most significant first."""
    v = np.asarray(values, dtype=np.uint64)
    groups = [
        take(table, ((v >> np.uint64(16 * k)) & np.uint64(0xFFFF)).astype(np.int64))
        for k in reversed(range(words))
    ]
    return join(*groups, sep=sep)
