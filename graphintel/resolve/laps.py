"""Timing and progress of a resolution's stages: the log lines ``-v`` shows, the counts the
progress bars show. Kept apart from the stages so each stage only says where it is."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from graphintel.resolve.config import ProgressCallback

T = TypeVar("T")
PROGRESS_EVERY = 10_000


def quiet(stage: str, count: int) -> None:
    """The progress callback of a run nobody watches."""
    return None


def counted(items: Iterable[T], stage: str, progress: ProgressCallback) -> Iterator[T]:
    """``items`` unchanged, reporting their count every ``PROGRESS_EVERY`` and at the end."""
    n = 0
    for n, item in enumerate(items, 1):
        if n % PROGRESS_EVERY == 0:
            progress(stage, n)
        yield item
    progress(stage, n)


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children (the normalizing workers)."""
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system


class Laps:
    """A stopwatch logging each stage's wall and CPU time to ``logger``; the CPU time
    includes the normalizing workers', which only this process's clock can see."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger
        self._started, (self._cpu, self._child_cpu) = time.perf_counter(), _cpu()

    def log(self, stage: str, wall: float, cpu: float, where: str = "") -> None:
        """Log a lap timed elsewhere (by the resolution job, maybe in its own process)."""
        self._logger.info("%s took %.1f s (%.1f s CPU%s)", stage, wall, cpu, where)

    def lap(self, stage: str | None) -> None:
        """Log the time since the last lap as ``stage`` (None: restart the clock only)."""
        now, (now_cpu, now_child) = time.perf_counter(), _cpu()
        own, workers_cpu = now_cpu - self._cpu, now_child - self._child_cpu
        if stage is not None:
            where = f", {workers_cpu:.1f} s of it in worker processes" if workers_cpu > 0 else ""
            self.log(stage, now - self._started, own + workers_cpu, where)
        self._started, self._cpu, self._child_cpu = now, now_cpu, now_child
