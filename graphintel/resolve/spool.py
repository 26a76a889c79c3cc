"""A write-once, read-many temporary file of pickled items.

The resolved graph is written by one ``replace_graph_rows`` call that consumes nodes, then
edges, then assignments; spooling the per-shipment parts to disk keeps memory flat however
many shipments there are, and never reads the store while it is writing.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Spool(Generic[T]):
    """Append items, then iterate them (as often as needed) in the order appended."""

    def __init__(self, batch_size: int = 10_000) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - lives until close()
        self._buffer: list[T] = []
        self._batch_size = batch_size
        self.count = 0

    def append(self, item: T) -> None:
        self._buffer.append(item)
        self.count += 1
        if len(self._buffer) >= self._batch_size:
            self._flush()

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def _flush(self) -> None:
        if self._buffer:
            pickle.dump(self._buffer, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._buffer = []

    def __iter__(self) -> Iterator[T]:
        self._flush()
        self._file.seek(0)
        while True:
            try:
                batch: list[T] = pickle.load(self._file)
            except EOFError:
                return
            yield from batch

    def __len__(self) -> int:
        return self.count

    def close(self) -> None:
        self._file.close()
