"""Party nodes and their identifier edges updated by a day's shipments without reading
the entity's old shipments back.

A party node aggregates its mentions in shipment-id order: the mention count, the roles
and countries seen (sets), and its names, of which it shows the ``max_names`` most
frequent, ties in the order first seen, with the count of distinct names. The counts and
sets add up, but the names shown need every name's count and where it was first seen,
which the node does not hold. So each resolution saves, beside the graph, the *ledger*:
for every party, each of its names (in the order first seen) with its count and the
shipment id of its first sighting, and the weight of each of its identifier edges (the
shipments that showed it).

A delta then builds an entity that only grew (every record it had kept, none whose
identifier key changed alias, the others new to this run) from the new shipments alone
and ``PartyGraph.extend`` adds its ledger entry, exactly as a count over every shipment
would: counts and weights add, and the names are ordered by (first sighting, side, place),
which is the order of a count in shipment-id order (a shipment is old or new, never both,
and the names first seen in one shipment keep their place in it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graphintel.resolve.arrow_ipc import table_with_schema, to_ipc

_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("names", pa.list_(pa.string())),
        ("counts", pa.list_(pa.int64())),
        ("first", pa.list_(pa.string())),
        ("roles", pa.list_(pa.string())),
        ("countries", pa.list_(pa.string())),
        ("mentions", pa.int64()),
        ("edge_kind", pa.list_(pa.string())),
        ("edge_target", pa.list_(pa.string())),
        ("edge_weight", pa.list_(pa.int64())),
    ]
)


@dataclass(frozen=True, slots=True)
class PartyEntry:
    """One party's aggregate over every shipment it was seen in. ``names``, ``counts`` and
    ``first`` run in parallel, in the order the names were first seen; ``edges`` are its
    (edge kind, identifier node id, weight)."""

    names: list[str]
    counts: list[int]
    first: list[str]
    roles: list[str]
    countries: list[str]
    mentions: int
    edges: list[tuple[str, str, int]]


def _lists(offsets: list[int], values: list[Any], kind: pa.DataType) -> pa.ListArray:
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(values, kind))


def table(entries: Iterable[tuple[str, PartyEntry]]) -> pa.Table:
    """The ledger rows of ``entries``, in id order. Each list column is built as one flat
    array of values and one of offsets: hundreds of thousands of parties, each a handful of
    short lists, convert several times faster that way than as nested Python lists."""
    ids: list[str] = []
    mentions: list[int] = []
    names: list[str] = []
    counts: list[int] = []
    first: list[str] = []
    roles: list[str] = []
    countries: list[str] = []
    edges: list[tuple[str, str, int]] = []
    at_name, at_role, at_country, at_edge = [0], [0], [0], [0]
    for entity_id, e in entries:
        ids.append(entity_id)
        mentions.append(e.mentions)
        names.extend(e.names)
        counts.extend(e.counts)
        first.extend(e.first)
        at_name.append(len(names))
        roles.extend(e.roles)
        at_role.append(len(roles))
        countries.extend(e.countries)
        at_country.append(len(countries))
        edges.extend(e.edges)
        at_edge.append(len(edges))
    string, integer = pa.string(), pa.int64()
    kinds, targets, weights = zip(*edges, strict=True) if edges else ((), (), ())
    columns = [
        pa.array(ids, string),
        _lists(at_name, names, string),
        _lists(at_name, counts, integer),
        _lists(at_name, first, string),
        _lists(at_role, roles, string),
        _lists(at_country, countries, string),
        pa.array(mentions, integer),
        _lists(at_edge, list(kinds), string),
        _lists(at_edge, list(targets), string),
        _lists(at_edge, list(weights), integer),
    ]
    return pa.Table.from_arrays(columns, schema=_SCHEMA).sort_by("id")


class PartyLedger:
    """The saved ledger of every party node of the graph it was saved with."""

    def __init__(self, data: pa.Table) -> None:
        self._table = data

    @classmethod
    def decode(cls, data: bytes) -> PartyLedger | None:
        """The ledger saved as ``data``; ``None`` when it is unreadable."""
        found = table_with_schema(data, _SCHEMA)
        return None if found is None else cls(found)

    def __len__(self) -> int:
        return int(self._table.num_rows)

    def entries(self, wanted: Collection[str]) -> dict[str, PartyEntry]:
        """The entries of the parties ``wanted`` names that the ledger has."""
        ids = pa.array(sorted(wanted), pa.string())
        found = self._table.filter(pc.is_in(self._table["id"], value_set=ids)).to_pylist()
        return {
            row["id"]: PartyEntry(
                names=row["names"],
                counts=row["counts"],
                first=row["first"],
                roles=row["roles"],
                countries=row["countries"],
                mentions=row["mentions"],
                edges=list(
                    zip(row["edge_kind"], row["edge_target"], row["edge_weight"], strict=True)
                ),
            )
            for row in found
        }

    def updated(self, dropped: Collection[str], written: pa.Table) -> bytes:
        """This ledger without the parties a delta removed or wrote, with those it wrote
        (``written``, from ``table``): in id order, as a full run saves it."""
        gone = pa.array(sorted(dropped), pa.string())
        kept = self._table.filter(pc.invert(pc.is_in(self._table["id"], value_set=gone)))
        return to_ipc(pa.concat_tables([kept, written]).sort_by("id"))


def encode(written: pa.Table) -> bytes:
    """The ledger of a whole graph's parties (``table``)."""
    return to_ipc(written)


def combined_names(
    before: PartyEntry, names: dict[str, int], first: list[str]
) -> tuple[list[str], list[int], list[str]]:
    """The names of ``before`` and those of a count over other shipments (``names`` in the
    order first seen, ``first`` the shipment id of each), as one count over all of them
    in shipment-id order: (names in the order first seen, counts, first sightings)."""
    seen: dict[str, tuple[str, int, int]] = {}  # name -> (first shipment, side, place)
    counts: dict[str, int] = {}
    sides = (
        zip(before.names, before.counts, before.first, strict=True),
        zip(names, names.values(), first, strict=True),
    )
    for side, rows in enumerate(sides):
        for place, (name, count, shipment_id) in enumerate(rows):
            counts[name] = counts.get(name, 0) + count
            key = (shipment_id, side, place)
            if name not in seen or key < seen[name]:
                seen[name] = key
    order = sorted(seen, key=seen.__getitem__)
    return order, [counts[n] for n in order], [seen[n][0] for n in order]
