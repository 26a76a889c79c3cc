"""One run of a kind at a time per SQLite store, and runs a killed process left behind.

A run is recorded as ``running`` when it starts. A process killed before it finishes
(SIGKILL, out of memory, power loss) cannot mark its run failed, so the run would read
``running`` forever. Holding an OS lock on a file beside the store for the run's whole life
makes that knowable: whoever takes the lock knows no other process is running that kind of
job on this store, so every run of that kind still ``running`` was interrupted, and it is
marked failed before the new run starts. The lock is released by the kernel when its
holder dies, however it dies.

Neo4j stores are shared by several machines, where a local lock proves nothing; there the
guard does nothing and an interrupted run stays ``running``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graphintel.errors import StoreError
from graphintel.store.base import GraphStore

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

INTERRUPTED = "interrupted: the process ended before the run finished"


def lock_path(store: GraphStore, kind: str) -> Path | None:
    """The lock file of ``kind`` runs for a SQLite store; ``None`` for other stores."""
    path = getattr(store, "path", None)
    if not isinstance(path, Path):
        return None
    return path.with_name(f"{path.name}.{kind}.lock")


@contextmanager
def exclusive_run(store: GraphStore, kind: str) -> Iterator[None]:
    """Hold the store's ``kind`` lock for the block; fail runs that a dead process left.

    Raises ``StoreError`` naming the lock file when another process holds it.
    """
    path = lock_path(store, kind)
    if path is None or fcntl is None:
        yield
        return
    with path.open("a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"another {kind} run is in progress on {store.url} (it holds the lock {path});"
                " wait for it to finish"
            ) from None
        _fail_interrupted(store, kind)
        yield


def _fail_interrupted(store: GraphStore, kind: str) -> None:
    for run in store.runs(kind):
        if run.status == "running":
            logger.warning("run %s was interrupted; marking it failed", run.run_id)
            store.fail_run(run.run_id, INTERRUPTED)
