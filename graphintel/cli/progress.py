"""Progress bars for long steps: library code reports ``(stage, count)``, the CLI draws it.

The display runs no thread of its own (rich's auto refresh would start one): ``resolve``
forks its second process only while this process runs a single thread
(``graphintel.resolve.background.fork_is_safe``). So each report redraws the display
itself, at most every ``_REFRESH_EVERY`` seconds within a stage and always when a new stage
starts; between reports the display (spinner and elapsed time included) stands still.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

ProgressCallback = Callable[[str, int], None]

# A redraw costs a few milliseconds; reports can come hundreds of times a second.
_REFRESH_EVERY = 0.1
_clock = time.monotonic


@contextmanager
def stage_progress(
    title: str, enabled: bool = True, console: Console | None = None
) -> Iterator[ProgressCallback]:
    """Yield a callback that shows each stage with a running count and elapsed time
    (on standard error unless ``console`` is given)."""
    if not enabled:
        yield lambda stage, count: None
        return
    console = console or Console(stderr=True, markup=False, highlight=False)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,.0f}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        auto_refresh=False,
    ) as progress:
        tasks: dict[str, TaskID] = {}
        drawn = 0.0

        def report(stage: str, count: int) -> None:
            nonlocal drawn
            now = _clock()
            new = stage not in tasks
            if new:
                for task_id in tasks.values():
                    progress.stop_task(task_id)
                tasks[stage] = progress.add_task(f"{title}: {stage}", total=None)
            refresh = new or now - drawn >= _REFRESH_EVERY
            progress.update(tasks[stage], completed=count, refresh=refresh)
            if refresh:
                drawn = now

        yield report
