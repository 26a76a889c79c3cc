"""Distinct raw mentions of a resolution's new shipments, normalized into its record table.

The pipeline reads every shipment once and hands each new mention's raw fields here. A raw
mention seen before costs a dict lookup; a new one is queued for normalization (in worker
processes when the ``Normalizer`` has them) while reading goes on. Once every shipment is
read, each distinct raw mention's record gets the mention count and smallest mention id of
all its occurrences, exactly as if every mention had been added to the table one by one.

A ``lone`` record (a person with no identifier, or a mention with an unknown name) is one
mention by definition: the occurrences of a lone raw mention each get a record of their own
(``lone_mentions`` says which kinds need it, ``add_lone`` makes them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from graphintel.records import mention_id
from graphintel.resolve.features import FeatureValues
from graphintel.resolve.parallel import Normalized, Normalizer, RawItem
from graphintel.resolve.table import RawKey, RecordTable

_LONE = 10  # position of ``lone`` in FeatureValues
_NO_RECORD = -1
_SEP = "\x00"


def packed(raw: RawKey) -> str | RawKey:
    """``raw`` as one string, when that is unambiguous (no field holds the separator),
    else ``raw`` itself (a string never equals a tuple, so the two kinds never collide).

    The key of every distinct raw mention stays in memory until the last shipment is
    read; one string instead of a tuple of eleven costs ~600 B less a raw mention, and
    lets the shipment's own strings go (at 10M shipments, gigabytes)."""
    joined = _SEP.join(raw)
    return joined if joined.count(_SEP) == len(raw) - 1 else raw


class RawMentions:
    """Maps each new mention to its distinct record in ``table`` via its raw fields.

    ``add`` returns a key (the raw mention's number); after ``finish`` (and ``add_lone``
    for the mentions ``lone_mentions`` names), ``record`` turns a key and mention id into
    a record index, and ``remap`` follows the table's ``canonical_order``.
    """

    def __init__(self, table: RecordTable, normalizer: Normalizer, chunk: int = 2_000) -> None:
        self._table = table
        self._normalizer = normalizer
        self._chunk = chunk
        self._key_of: dict[str | RawKey, int] = {}  # packed raw mention -> its key
        self._first: list[str] = []  # smallest mention id per raw mention
        self._count: list[int] = []
        self._queued: list[RawItem] = []
        self._record: list[int] = []  # per normalized raw mention; _NO_RECORD when lone
        self._lone: dict[int, tuple[FeatureValues, tuple[str, ...]]] = {}
        self._lone_record: dict[str, int] = {}  # mention id -> record, for repeated lone ones
        self.warnings: Counter[str] = Counter()  # as counted normalizing mention by mention
        self.address_labels: dict[str, str] = {}  # address key -> label of its first mention

    def __len__(self) -> int:
        """Distinct raw mentions seen."""
        return len(self._first)

    def add(self, shipment_id: str, raw: RawKey) -> int:
        """Count one mention of ``raw`` on ``shipment_id``; return its raw mention's key."""
        mention = mention_id(shipment_id, raw[0])
        compact = packed(raw)
        key = self._key_of.get(compact)
        if key is None:
            key = self._key_of[compact] = len(self._first)
            self._first.append(mention)
            self._count.append(1)
            self._queued.append((shipment_id, raw))
            if len(self._queued) >= self._chunk:
                self._submit()
            return key
        if mention < self._first[key]:
            self._first[key] = mention
        self._count[key] += 1
        return key

    def _submit(self) -> None:
        if self._queued:
            self._normalizer.submit(self._queued)
            self._queued = []
        for done in self._normalizer.ready():
            self._take(done)

    def _take(self, results: list[Normalized]) -> None:
        """Put normalized raw mentions (in key order) into the table as they come back."""
        add_values, labels = self._table.add_values, self.address_labels
        record = self._record
        for key, (values, label, warnings) in enumerate(results, len(record)):
            address = values[6]
            if address:
                labels.setdefault(address, label)
            if values[_LONE]:
                record.append(_NO_RECORD)
                self._lone[key] = (values, warnings)
                continue
            record.append(add_values(values))
            if warnings:
                self.warnings.update(warnings)

    def finish(self) -> None:
        """Wait for every normalization and count every mention into its record."""
        self._submit()
        for done in self._normalizer.drain():
            self._take(done)
        table = self._table
        for key, record in enumerate(self._record):
            if record != _NO_RECORD:
                table.count(record, self._first[key], self._count[key])
        for key, (values, warnings) in self._lone.items():
            count = self._count[key]
            for _ in range(count):
                self.warnings.update(warnings)
            if count == 1:  # its only mention is the one normalized
                record = table.add_values(values)
                table.count(record, self._first[key], 1)
                self._record[key] = record
        self._key_of = {}
        self._first = []
        self._count = []

    def lone_mentions(self) -> set[int]:
        """Keys of lone raw mentions with several mentions: ``add_lone`` each of those."""
        return {key for key in self._lone if self._record[key] == _NO_RECORD}

    def add_lone(self, key: int, mention_id: str) -> None:
        """Give one mention of a repeated lone raw mention its own record."""
        values, _ = self._lone[key]
        own: FeatureValues = (*values[:_LONE], mention_id)  # type: ignore[assignment]
        record = self._table.add_values(own)
        self._table.count(record, mention_id, 1)
        self._lone_record[mention_id] = record

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (for a spawned resolution job), only what ``record`` and ``records``
        read: the job looks mentions up, it never adds them."""
        return {"_record": self._record, "_lone_record": self._lone_record}

    def remap(self, new_index: Sequence[int]) -> None:
        """Follow the table's reordering (``RecordTable.canonical_order``)."""
        self._record = [new_index[r] if r != _NO_RECORD else r for r in self._record]
        self._lone_record = {m: new_index[r] for m, r in self._lone_record.items()}
        self._lone = {}

    def record(self, key: int, mention_id: str) -> int:
        """The record index of the mention ``mention_id`` whose raw mention is ``key``."""
        record = self._record[key]
        return record if record != _NO_RECORD else self._lone_record[mention_id]

    def records(
        self, shipment_id: str, raws: Sequence[RawKey], keys: Sequence[int]
    ) -> tuple[int, ...]:
        """``record`` of each mention of one shipment (``raws``, with their ``keys``); the
        mention id, which only a lone mention's record needs, is made only for those."""
        own = self._record
        found = [own[key] for key in keys]
        if _NO_RECORD in found:
            lone = self._lone_record
            found = [
                r if r != _NO_RECORD else lone[mention_id(shipment_id, raw[0])]
                for r, raw in zip(found, raws, strict=True)
            ]
        return tuple(found)
