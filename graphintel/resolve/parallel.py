"""Normalize distinct raw party mentions, in worker processes when there are many.

Normalization (name, address, phone parsing) is most of the CPU a resolution spends
reading a store, and each distinct raw mention is normalized independently, so it
spreads over processes. Items and results cross the process boundary as plain tuples:
pickling frozen dataclasses costs ten times as much.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext

from graphintel.model import Role
from graphintel.records import Mention
from graphintel.resolve.features import (
    FeatureExtractor,
    FeatureValues,
    PartyMention,
    feature_values,
)
from graphintel.resolve.gc_pause import gc_paused
from graphintel.resolve.lean_spawn import LEAN_SPAWN
from graphintel.resolve.table import RawKey

# One distinct raw mention to normalize: a shipment id it occurs on (its mention id makes a
# ``lone`` record's identity) and its raw key.
RawItem = tuple[str, RawKey]
# Its features as ``feature_values`` gives them, its address label ("" without an address)
# and the warnings its normalization counted (usually none).
Normalized = tuple[FeatureValues, str, tuple[str, ...]]

_ROLE = {r.value: r for r in Role}


def pool_context() -> BaseContext:
    """How worker processes start: fork where that is safe (Linux, and this process runs
    one thread), so workers begin with every module imported (a second sooner than spawn
    at 200,000 records); spawn otherwise, since a fork does not carry other threads (the
    app's, a progress bar's) and macOS does not support it. The features are the same."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def party_mention(shipment_id: str, raw: RawKey) -> PartyMention:
    """The mention of ``shipment_id`` whose raw fields are ``raw`` (see ``table.raw_key``)."""
    role, name, address, city, state, postal, country, phone, email, seller_id, market = raw
    mention = Mention(
        name, address, city, state, postal, country, phone, email,
        shipment_id=shipment_id, role=_ROLE[role],
    )  # fmt: skip
    return PartyMention(mention, seller_id, market)


def normalize_items(extractor: FeatureExtractor, items: list[RawItem]) -> list[Normalized]:
    """Each item's features, address label and the warnings counted while normalizing it."""
    out: list[Normalized] = []
    warnings = extractor.warnings
    for shipment_id, raw in items:
        pm = party_mention(shipment_id, raw)
        f = extractor.features(pm)
        label = extractor.address(pm.mention, f.country).label if f.address else ""
        counted: tuple[str, ...] = ()
        if warnings:
            counted = tuple(warnings.elements())
            warnings.clear()
        out.append((feature_values(f), label, counted))
    return out


_worker_extractor: FeatureExtractor | None = None


def _worker_normalize(items: list[RawItem]) -> list[Normalized]:
    """Worker side of ``Normalizer``: one extractor (and its caches) per worker process."""
    global _worker_extractor
    if _worker_extractor is None:
        _worker_extractor = FeatureExtractor()
    with gc_paused():  # the extractor's caches hold many objects: see gc_pause
        return normalize_items(_worker_extractor, items)


class Normalizer:
    """Normalizes chunks of distinct raw mentions in submission order.

    With ``workers`` > 1 the chunks go to a pool of that many processes (always spawned,
    not ``pool_context``'s fork: the caller holds the store's connections open, which a
    forked child must not inherit) while the caller keeps reading; otherwise they are
    normalized in this process by ``extractor``. ``ready`` yields finished chunks in order
    without waiting, ``drain`` waits for the rest; either way the results are the same.
    """

    def __init__(self, extractor: FeatureExtractor, workers: int = 1) -> None:
        self._extractor = extractor
        self._pool: ProcessPoolExecutor | None = None
        if workers > 1:
            self._pool = ProcessPoolExecutor(workers, mp_context=LEAN_SPAWN)
        self._pending: deque[Future[list[Normalized]] | list[Normalized]] = deque()

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def submit(self, items: list[RawItem]) -> None:
        if self._pool is None:
            self._pending.append(normalize_items(self._extractor, items))
        else:
            self._pending.append(self._pool.submit(_worker_normalize, items))

    def ready(self) -> Iterator[list[Normalized]]:
        """The chunks finished so far, in submission order (stops at the first unfinished)."""
        while self._pending:
            head = self._pending[0]
            if isinstance(head, Future):
                if not head.done():
                    return
                result = head.result()
            else:
                result = head
            self._pending.popleft()
            yield result

    def drain(self) -> Iterator[list[Normalized]]:
        """Every remaining chunk, in submission order, waiting for each."""
        while self._pending:
            head = self._pending.popleft()
            yield head.result() if isinstance(head, Future) else head

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self._pending.clear()
