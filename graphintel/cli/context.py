"""What every command gets: the store (opened on first use) and whether to draw progress
bars; kept apart from the command group so command modules never import the group."""

from __future__ import annotations

import click

from graphintel.errors import NotFoundError
from graphintel.store import GraphStore, open_store


class Context:
    """What every command needs: the store URL (opened lazily) and whether to draw bars."""

    def __init__(self, store_url: str, quiet: bool) -> None:
        self.store_url = store_url
        self.quiet = quiet
        self._store: GraphStore | None = None

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            self._store = open_store(self.store_url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


pass_ctx = click.make_pass_decorator(Context)


def latest_run_id(context: Context, run_id: str | None) -> str:
    """``run_id``, or the latest analysis run's when it is None."""
    if run_id is not None:
        return run_id
    latest = context.store.latest_run("analyze")
    if latest is None:
        raise NotFoundError("no analysis run in the store yet: run `graphintel analyze` first")
    return latest.run_id
