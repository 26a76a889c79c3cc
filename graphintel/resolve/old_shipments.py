"""The shipments an earlier resolution saw, read back from the store only where a delta
needs them.

A daily resolution spools only the new shipments. The graph delta still needs some old
ones: those with a mention of an entity written again and not extended from the party
ledger (its party node, edges and mention assignments are rebuilt from all its mentions;
``party_ledger``), and those showing an identifier counted
again or a consignee address whose alias changed. The saved state says which records each
old shipment holds (``shipment_records``), so those shipments are found without a pass
over the store, and read back by id, in shipment-id order, as the read stage would have
spooled them (``party_job.Spooled``, marked as resolved before).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from graphintel.errors import ResolveError
from graphintel.records import ShipmentRecord
from graphintel.resolve.graph import shipment_row
from graphintel.resolve.party_job import Spooled
from graphintel.resolve.shipment_records import BoolArray, ShipmentRecords
from graphintel.resolve.table import shipment_raw_keys

_READ_BATCH = 2_000


class OldShipments:
    """The shipments of the saved state, each with its saved record indices (which
    ``party_job.MentionRecords`` maps to this run's through ``new_index``)."""

    def __init__(
        self,
        saved: ShipmentRecords,
        new_index: Sequence[int],
        read: Callable[[Sequence[str]], list[ShipmentRecord]],
    ) -> None:
        self._saved = saved
        self._new_index = np.asarray(new_index, np.int64)
        self._read = read

    def __len__(self) -> int:
        return len(self._saved)

    def rows(self, wanted: BoolArray | None) -> Iterator[Spooled]:
        """The old shipments holding a record ``r`` (this run's index) where ``wanted[r]``,
        or all of them when ``wanted`` is None, in shipment-id order."""
        saved = self._saved
        if wanted is None:
            positions = np.arange(len(saved), dtype=np.int64)
        else:
            positions = saved.holding(wanted[self._new_index])
        ids = saved.ids_at(positions)
        order = sorted(range(len(ids)), key=ids.__getitem__)
        for start in range(0, len(order), _READ_BATCH):
            chunk = order[start : start + _READ_BATCH]
            wanted_ids = [ids[k] for k in chunk]
            shipments = self._read(wanted_ids)
            if [s.shipment_id for s in shipments] != wanted_ids:
                raise ResolveError(
                    "shipments of the saved resolution are gone from the store;"
                    " resolve again with --full"
                )
            for k, s in zip(chunk, shipments, strict=True):
                raws = tuple(shipment_raw_keys(s))
                yield shipment_row(s), True, saved.records_at(int(positions[k])), raws
