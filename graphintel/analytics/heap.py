"""Giving the analysis' freed memory back to the system (glibc; elsewhere nothing changes).

The analysis allocates and frees numpy arrays of tens of megabytes stage after stage.
glibc maps a block from the system, and unmaps it when freed, only above a threshold that
it raises to the largest block freed so far (up to 32 MiB); after the first such free,
arrays below that size come from the heap, and the holes they leave there stay with the
process (a later array fits a hole only when it is no larger). After carving, that held
~220 MiB of free heap at 200,000 shipments and ~370 MiB at a million. Likewise the memory
a closed SQLite connection frees stays in its thread's heap until trimmed.
"""

from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD = -3  # mallopt's parameter (malloc.h)
MAPPED_FROM = 1 << 20  # blocks of this size and more are mapped and unmapped one by one


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None)
    if not (hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim")):
        return None  # not glibc (musl has neither)
    return libc


_LIBC = _glibc()


def map_large_blocks() -> None:
    """Blocks of ``MAPPED_FROM`` and more mapped from the system each and unmapped when
    freed, from now on in this process (a fixed threshold: glibc stops raising it)."""
    if _LIBC is not None:
        _LIBC.mallopt(M_MMAP_THRESHOLD, MAPPED_FROM)


def trim() -> None:
    """Return the free pages of every heap of the process to the system."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
