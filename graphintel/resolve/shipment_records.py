"""Each resolved shipment's record indices, as columns: the resolver state's shipment part.

A daily resolution reads only the shipments of the loads its saved state has not seen;
the old shipments' records come from here. Each old shipment it still has to look at
(one holding a record of an entity written again, or of an identifier counted again) is
found by a vectorized pass over the flat record array, not by a pass over every shipment,
and only those are read back from the store. A shipment's records are in the order of
``table.shipment_raw_keys``: shipper, consignee, then the seller when there is one.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True, eq=False)
class ShipmentRecords:
    """Shipment ``ids[k]`` holds the records ``records[offsets[k]:offsets[k + 1]]``."""

    ids: pa.StringArray
    offsets: IntArray
    records: IntArray

    @classmethod
    def build(cls, items: Iterable[tuple[str, Sequence[int]]]) -> ShipmentRecords:
        builder = ShipmentRecordsBuilder()
        for shipment_id, records in items:
            builder.add(shipment_id, records)
        return builder.finish()

    def __len__(self) -> int:
        return len(self.ids)

    def __eq__(self, other: object) -> bool:
        """Equal shipments and records (the fields are arrays, so compare their values)."""
        if not isinstance(other, ShipmentRecords):
            return NotImplemented
        return (
            self.ids.equals(other.ids)
            and np.array_equal(self.offsets, other.offsets)
            and np.array_equal(self.records, other.records)
        )

    @property
    def mentions(self) -> int:
        return len(self.records)

    def records_at(self, position: int) -> tuple[int, ...]:
        start, end = self.offsets[position], self.offsets[position + 1]
        return tuple(self.records[start:end].tolist())

    def position(self, shipment_id: str) -> int:
        """Where ``shipment_id`` is, or -1 (a scan in Arrow: asked for judged mentions only)."""
        return int(pc.index(self.ids, pa.scalar(shipment_id, pa.string())).as_py())

    def holding(self, wanted: BoolArray) -> IntArray:
        """The positions of the shipments with a record ``r`` where ``wanted[r]``."""
        hits = np.zeros(len(self.records) + 1, np.int64)
        np.cumsum(wanted[self.records], out=hits[1:])
        return np.flatnonzero(hits[self.offsets[1:]] > hits[self.offsets[:-1]])

    def ids_at(self, positions: IntArray) -> list[str]:
        found: list[str] = self.ids.take(pa.array(positions, pa.int64())).to_pylist()
        return found

    def remapped(self, new_index: Sequence[int]) -> ShipmentRecords:
        """The same shipments with each record ``r`` renumbered ``new_index[r]``."""
        index = np.asarray(new_index, np.int64)
        return ShipmentRecords(self.ids, self.offsets, index[self.records])

    def merged(self, more: ShipmentRecords) -> ShipmentRecords:
        """These shipments and ``more``, in shipment-id order (stable: on a tie, these
        first): the order a full resolution saves them in, so that a state does not depend
        on which days its shipments came in."""
        ids = pa.concat_arrays([self.ids, more.ids])
        offsets = np.concatenate([self.offsets, more.offsets[1:] + self.offsets[-1]])
        records = np.concatenate([self.records, more.records])
        order = pc.sort_indices(ids).to_numpy().astype(np.int64)
        starts, counts = offsets[:-1][order], np.diff(offsets)[order]
        new_offsets = np.zeros(len(order) + 1, np.int64)
        np.cumsum(counts, out=new_offsets[1:])
        # each record's place in ``records``: its shipment's old start plus its rank there
        gather = np.repeat(starts - new_offsets[:-1], counts) + np.arange(new_offsets[-1])
        return ShipmentRecords(ids.take(pa.array(order, pa.int64())), new_offsets, records[gather])

    def table(self) -> pa.Table:
        lists = pa.ListArray.from_arrays(
            pa.array(self.offsets.astype(np.int32)), pa.array(self.records.astype(np.int32))
        )
        return pa.table({"shipment_id": self.ids, "records": lists})

    @classmethod
    def from_table(cls, table: pa.Table) -> ShipmentRecords:
        ids = table.column("shipment_id").combine_chunks()
        lists = table.column("records").combine_chunks()
        if lists.offset or (len(lists) and lists.offsets[0].as_py() != 0):
            lists = pa.ListArray.from_arrays(
                pc.subtract(lists.offsets, lists.offsets[0]), lists.flatten()
            )
        offsets = lists.offsets.to_numpy().astype(np.int64)
        records = lists.values.to_numpy().astype(np.int64)
        return cls(ids, offsets, records)


class ShipmentRecordsBuilder:
    """Collects ``ShipmentRecords`` a shipment at a time, as flat machine integers: the
    resolution process adds every new shipment while it builds the party half of the
    graph and encodes them with the state after it, so at ~3 records a shipment a tuple
    each (and a pair with its id) would hold ~120 B a shipment instead of ~40."""

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._counts = array("h")
        self._flat = array("q")

    def add(self, shipment_id: str, records: Sequence[int]) -> None:
        self._ids.append(shipment_id)
        self._counts.append(len(records))
        self._flat.extend(records)

    def finish(self) -> ShipmentRecords:
        """The shipments added so far, in the order added."""
        counts = np.frombuffer(self._counts, np.int16) if self._counts else np.zeros(0, np.int16)
        offsets = np.zeros(len(counts) + 1, np.int64)
        np.cumsum(counts, out=offsets[1:])
        flat = np.array(self._flat, np.int64) if self._flat else np.zeros(0, np.int64)
        ids = pa.array(self._ids, pa.string())
        self._ids, self._counts, self._flat = [], array("h"), array("q")
        return ShipmentRecords(ids, offsets, flat)
