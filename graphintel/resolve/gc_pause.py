"""Pausing Python's cyclic garbage collector around allocation-heavy resolver stages.

Resolution creates millions of small containers (block lists, key tuples, decisions)
while hundreds of thousands of records stay alive; every few thousand allocations the
collector walks the young generations, and ever more often all live objects, finding
nothing to free: the resolver creates no reference cycles. On 200,000 party records
this walking cost more CPU than the resolution itself. Reference counting still frees
everything as usual; the collector runs again when the stage ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block (re-enabled after, if it was on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
