"""Identifier nodes updated by a day's shipments without a recount over every shipment.

An identifier node (address, phone, e-mail, payment account, IP) aggregates its sightings
in shipment-id order: the shipment count, the variant keys merged into it, the label of
its first sighting (of its first one with the canonical key, for an address sighted by a
variant first) and its first ``max_raw`` distinct raw spellings. The count and the keys
add up, but the label and the raw spellings depend on where each sighting falls in that
order, and a day's shipment ids fall anywhere among the old ones. So each resolution
saves, beside the graph, the *ledger*: for every identifier node the shipment ids its
first sighting, its first canonical sighting and each of its raw spellings came from.

A delta then aggregates the new shipments' sightings alone and ``combined`` merges each
touched identifier's old node (read back from the store) with them, exactly as a recount
over every shipment would: the earlier first sighting and canonical sighting win, and the
raw spellings are the first ``max_raw`` distinct ones of both lists merged by shipment id.
(An old raw spelling missing from a full old list was first seen after its ``max_raw``
others, so it can never be among the first ``max_raw`` of the merge either.) Identifiers
whose keys changed alias are recounted instead (``graph_delta``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from graphintel.records import NodeRecord
from graphintel.resolve.arrow_ipc import table_with_schema, to_ipc
from graphintel.resolve.graph import IdentifierAggregate, LedgerRow

_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("first", pa.string()),
        ("canonical", pa.string()),
        ("raw_from", pa.list_(pa.string())),
    ]
)


def _table(rows: Iterable[LedgerRow]) -> pa.Table:
    """Most identifiers are seen first under their canonical key and show every raw
    spelling in their first shipment: ``canonical`` is then null and ``raw_from`` empty
    (a ledger holds an entry for every identifier node, millions at 1M shipments)."""
    ids: list[str] = []
    first: list[str] = []
    canonical: list[str | None] = []
    raw_from: list[Sequence[str]] = []
    for ident_id, head, canon, spelled in rows:
        ids.append(ident_id)
        first.append(head)
        canonical.append(None if canon == head else canon)
        own = len(spelled) < 2 and (not spelled or spelled[0] == head)
        raw_from.append(() if own or all(s == head for s in spelled) else spelled)
    return pa.table([ids, first, canonical, raw_from], schema=_SCHEMA)


def ledger_rows(
    aggregates: Iterable[tuple[str, IdentifierAggregate]],
) -> Iterator[LedgerRow]:
    """The ledger's view of aggregates held as objects (a delta's merged nodes)."""
    for ident_id, agg in aggregates:
        yield ident_id, agg.first, agg.canonical, agg.raw_from


class Ledger:
    """The saved ledger of every identifier node of the graph it was saved with."""

    def __init__(self, table: pa.Table) -> None:
        self._table = table

    @classmethod
    def decode(cls, data: bytes) -> Ledger | None:
        """The ledger saved as ``data``; ``None`` when it is unreadable."""
        found = table_with_schema(data, _SCHEMA)
        return None if found is None else cls(found)

    def before(
        self, nodes: Collection[NodeRecord], wanted: Collection[str]
    ) -> dict[str, IdentifierAggregate]:
        """The old aggregate of each of ``nodes`` (read back from the store) that the
        ledger has and ``wanted`` names."""
        ids = pa.array(sorted(wanted), pa.string())
        found = self._table.filter(pc.is_in(self._table["id"], value_set=ids)).to_pylist()
        order = {row["id"]: row for row in found}
        out: dict[str, IdentifierAggregate] = {}
        for node in nodes:
            row = order.get(node.id)
            if row is None or node.id not in wanted:
                continue
            props = node.props
            aliases = {a["key"]: a["why"] for a in props.get("aliases", ())}
            raw = tuple(props.get("raw", ()))
            head = row["first"]
            canonical = head if row["canonical"] is None else row["canonical"]
            out[node.id] = IdentifierAggregate(
                kind=node.kind.value,
                label=node.label,
                raw=raw,
                shipments=int(props.get("shipment_count", 0)),
                aliases=aliases or None,
                # with no canonical sighting, every sighting was a variant address key
                label_of_variant=not canonical,
                first=head,
                canonical=canonical,
                raw_from=list(row["raw_from"]) or [head] * len(raw),
            )
        return out

    def updated(
        self, removed: Collection[str], written: Iterable[tuple[str, IdentifierAggregate]]
    ) -> bytes:
        """This ledger with the nodes a delta removed dropped and those it wrote added."""
        gone = pa.array(sorted(removed), pa.string())
        kept = self._table.filter(pc.invert(pc.is_in(self._table["id"], value_set=gone)))
        return to_ipc(pa.concat_tables([kept, _table(ledger_rows(written))]).sort_by("id"))


def encode(rows: Iterable[LedgerRow]) -> bytes:
    """The ledger of a whole graph's identifier nodes, in id order (as ``updated`` leaves
    it: the saved state of a delta is the one a full run saves)."""
    return to_ipc(_table(rows).sort_by("id"))


def combined(
    before: IdentifierAggregate, after: IdentifierAggregate, max_raw: int
) -> IdentifierAggregate:
    """One identifier's aggregate over the shipments of ``before`` and those of ``after``
    (no shipment in both), as aggregating all of them in shipment-id order makes it."""
    first = before if before.first < after.first else after
    sides = [side for side in (before, after) if side.canonical]
    canonical = min(sides, key=lambda side: side.canonical) if sides else None
    # raw spelling -> (shipment id of its first sighting, side, place in that side's list):
    # spellings first seen in one shipment (so on one side) keep the order they were seen in
    spellings: dict[str, tuple[str, int, int]] = {}
    for side_number, side in enumerate((before, after)):
        for place, (raw, shipment_id) in enumerate(zip(side.raw, side.raw_from, strict=True)):
            seen = spellings.get(raw)
            if seen is None or shipment_id < seen[0]:
                spellings[raw] = (shipment_id, side_number, place)
    raws = sorted(spellings, key=spellings.__getitem__)[:max_raw]
    return IdentifierAggregate(
        kind=before.kind,
        label=(canonical or first).label,
        raw=tuple(raws),
        shipments=before.shipments + after.shipments,
        aliases={**(before.aliases or {}), **(after.aliases or {})} or None,
        label_of_variant=canonical is None and first.label_of_variant,
        first=first.first,
        canonical="" if canonical is None else canonical.canonical,
        raw_from=[spellings[raw][0] for raw in raws],
    )
