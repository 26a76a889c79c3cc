"""A write-once, read-many temporary file of pickled items.

The resolver spools what it will write later (per-shipment rows, graph rows) to disk, which
keeps memory flat however many shipments there are, and never reads the store while it is
writing. A spool is a named file so that another process (the resolution process the
pipeline forks) can read it, or write one for this process to read (``read_spool``);
every reader opens its own handle, so readers in two processes never share a file offset.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO, Generic, TypeVar

T = TypeVar("T")


def read_spool(path: str) -> Iterator[Any]:
    """The items of the spool file ``path`` (flushed by its writer), in the order appended."""
    with open(path, "rb") as handle:
        while True:
            try:
                batch: list[Any] = pickle.load(handle)
            except EOFError:
                return
            yield from batch


class Spool(Generic[T]):
    """Append items, then iterate them (as often as needed) in the order appended."""

    def __init__(self, directory: str | None = None, batch_size: int = 10_000) -> None:
        fd, self.path = tempfile.mkstemp(suffix=".spool", prefix="graphintel-", dir=directory)
        self._file: BinaryIO | None = os.fdopen(fd, "wb")
        self._buffer: list[T] = []
        self._batch_size = batch_size
        self.count = 0

    def append(self, item: T) -> None:
        self._buffer.append(item)
        self.count += 1
        if len(self._buffer) >= self._batch_size:
            self._write()

    def _write(self) -> None:
        if self._buffer:
            assert self._file is not None, "a reader's copy of a spool takes no items"
            pickle.dump(self._buffer, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._buffer = []

    def flush(self) -> None:
        """Put every item appended so far in the file, for readers in any process."""
        if self._file is None:  # a reader's copy: its writer flushed before handing it over
            return
        self._write()
        self._file.flush()

    def __iter__(self) -> Iterator[T]:
        self.flush()
        return read_spool(self.path)

    def __len__(self) -> int:
        return self.count

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (for a spawned job), a spool is a reader of its flushed file: the
        writer keeps the file handle, the copy only iterates what was flushed."""
        return {"path": self.path, "count": self.count, "_batch_size": self._batch_size}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _file=None, _buffer=[])

    def close(self) -> None:
        """Close and delete the file (its writer's: a reader's copy leaves it be)."""
        if self._file is None:
            return
        self._file.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
