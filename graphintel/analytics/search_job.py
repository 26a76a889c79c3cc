"""The app's search index, built beside the analysis in a spawned process.

The first analysis after a resolution builds the search index of the new graph: at a
million shipments 3.5M entries, about 30 s on one core, while the analysis itself runs on
one core too. The index reads only the graph's nodes, which an analysis never changes, so
a child started when the analysis starts builds it on the other core, through its own
connection and in its own write transaction (readers see the old index or the new one).
The analysis waits for the child before its own first write (``wait``), so the two never
contend for SQLite's write lock, and builds the index itself when no child ran or the
child failed (``finish``); the index is the same either way.

The child is spawned (a fresh interpreter given only the store's URL), not forked: inside
``graphintel run`` the analysing process still holds what resolution left in its heap
(~6 GiB at 5M shipments), and a forked child shared and, page by page, copied it (6.7 GiB
PSS for the index at 5M against 0.7 GiB at 1M). Only a SQLite store with at least
``SECOND_PROCESS_MIN_SHIPMENTS`` shipments starts one: below that the build takes less
than the interpreter's start.
"""

from __future__ import annotations

import logging
import multiprocessing
from multiprocessing.process import BaseProcess

from graphintel.store import open_store, sqlite_path
from graphintel.store.base import GraphStore

logger = logging.getLogger(__name__)

SECOND_PROCESS_MIN_SHIPMENTS = 50_000


def _build(url: str) -> None:
    """The child's side: its own store, its own connection."""
    store = open_store(url)
    try:
        store.build_search_index()
    finally:
        store.close()


class SearchIndexJob:
    """Builds the store's search index in a spawned child when it is missing."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._process: BaseProcess | None = None
        if sqlite_path(store.url) is None or store.search_index_ready():
            return
        if store.shipment_count() < SECOND_PROCESS_MIN_SHIPMENTS:
            return
        logger.info("building the search index of %s in a second process", store.url)
        context = multiprocessing.get_context("spawn")
        self._process = context.Process(
            target=_build, args=(store.url,), name="graphintel-search-index", daemon=True
        )
        self._process.start()

    def wait(self) -> None:
        """Wait for the child (if any) to end; log its failure (``finish`` then builds)."""
        process = self._process
        if process is None:
            return
        process.join()
        self._process = None
        if process.exitcode != 0:
            logger.warning(
                "building the search index in a second process failed (exit code %s):"
                " building it here",
                process.exitcode,
            )

    def finish(self) -> None:
        """Make sure the index is built: the child's, or built here."""
        self.wait()
        if not self._store.search_index_ready():  # once per resolved graph, for the app
            logger.info("building the search index of %s", self._store.url)
            self._store.build_search_index()

    def cancel(self) -> None:
        """Stop the child (its transaction rolls back: the old index stays)."""
        process, self._process = self._process, None
        if process is not None:
            if process.is_alive():
                process.terminate()
            process.join()
