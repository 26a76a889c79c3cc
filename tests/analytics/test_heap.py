"""Freed large arrays go back to the system once ``map_large_blocks`` is called."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from graphintel.analytics import heap

MIB = 1 << 20


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096


@pytest.mark.skipif(heap._LIBC is None, reason="glibc only")
def test_freed_arrays_leave_the_process():
    """glibc raises its mapping threshold to the largest block freed (here 24 MiB); 2 MiB
    arrays freed after that would stay in the heap. Mapped one by one, they leave."""
    np.ones(24 * MIB // 8).sum()  # allocated and freed: the threshold rises
    heap.map_large_blocks()
    arrays = [np.ones(2 * MIB // 8) for _ in range(32)]  # 64 MiB, touched
    keep = np.ones(4096)  # allocated after them: the heap's top is not theirs
    held = _rss()
    del arrays
    assert held - _rss() > 48 * MIB
    assert keep.sum() == 4096


def test_elsewhere_than_linux_the_allocator_is_left_alone(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert heap._glibc() is None
