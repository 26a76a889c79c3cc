"""Progress bars for long steps: library code reports ``(stage, count)``, the CLI draws it."""

from __future__ import annotations

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


@contextmanager
def stage_progress(title: str, enabled: bool = True) -> Iterator[ProgressCallback]:
    """Yield a callback that shows each stage with a running count and elapsed time."""
    if not enabled:
        yield lambda stage, count: None
        return
    console = Console(stderr=True, markup=False, highlight=False)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,.0f}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, count: int) -> None:
            if stage not in tasks:
                for task_id in tasks.values():
                    progress.stop_task(task_id)
                tasks[stage] = progress.add_task(f"{title}: {stage}", total=None)
            progress.update(tasks[stage], completed=count)

        yield report
