"""The identifier ledger: an identifier node merged from the aggregate of older shipments
and that of a day's shipments is the node a count over all of them in shipment-id order
makes (label, raw spellings, count, aliases, and the ledger entry itself), over seeds with
interleaved ids, variant address and phone keys and more raw spellings than are kept."""

from __future__ import annotations

import json
import random

import pytest

from graphintel.model import NodeKind
from graphintel.records import NodeRecord
from graphintel.resolve import identifier_ledger
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.graph import IdentifierAggregate, MentionLink, ShipmentGraph, identifier_row
from graphintel.resolve.identifier_aliases import IdentifierAliases
from graphintel.resolve.identifier_ledger import Ledger, combined

_MAX_RAW = 3  # fewer than the spellings drawn, so that the cut matters
_EMPTY_VALUES = ("",) * 11

Row = tuple[tuple[str, tuple[str, ...], str, str], list[MentionLink]]


def _shipments(rng: random.Random) -> tuple[list[Row], IdentifierAliases]:
    """Shipments in id order, each with a payment, an IP and a few mentions drawn from
    small pools; a third of the address and phone keys are variants of another key."""
    addresses = [f"A{k}" for k in range(6)]
    phones = [f"+1{k}" for k in range(5)]
    aliases = IdentifierAliases(
        {a: (addresses[0], f"{a} is A0") for a in addresses[4:]},
        {p: (phones[0], f"{p} is +10") for p in phones[3:]},
    )
    rows: list[Row] = []
    for n in range(rng.randint(5, 60)):
        links = []
        for _ in range(rng.randint(1, 3)):
            address, phone = rng.choice(addresses), rng.choice(phones)
            spelling = rng.randint(0, 5)
            role = rng.choice(("shipper", "consignee"))
            raw = (role, "name", f"{spelling} street", f"city{spelling % 2}", "", "", "US",
                   f"({phone}) {spelling}", f"e{spelling}@x", "", "")  # fmt: skip
            features = PartyFeatures(
                "name",
                "name",
                False,
                "US",
                phone if rng.random() < 0.8 else "",
                f"e{rng.randint(0, 3)}@x",
                address if rng.random() < 0.9 else "",
            )
            links.append(MentionLink(raw, features, f"label {address} {spelling}"))
        shipment = (
            f"S{n:03d}",
            _EMPTY_VALUES,
            f"pay{rng.randint(0, 3)}",
            f"10.0.0.{rng.randint(1, 4)}",
        )
        rows.append((shipment, links))
    return rows, aliases


def _graph(rows: list[Row], aliases: IdentifierAliases) -> ShipmentGraph:
    graph = ShipmentGraph(aliases=aliases, max_raw_variants=_MAX_RAW, only=_Everything())
    for shipment, links in rows:
        graph.sight(shipment, links)
    return graph


def _aggregated(rows: list[Row], aliases: IdentifierAliases) -> dict[str, IdentifierAggregate]:
    return _graph(rows, aliases).identifiers


class _Everything:
    """Aggregate every identifier but spool no edge."""

    def __contains__(self, item: object) -> bool:
        return True


def _node(ident_id: str, agg: IdentifierAggregate) -> NodeRecord:
    """The node as the store gives it back."""
    _, kind, label, props = identifier_row(ident_id, agg)
    return NodeRecord(ident_id, NodeKind(kind), label, json.loads(props))


def _seen(agg: IdentifierAggregate) -> tuple[object, ...]:
    return (identifier_row("x", agg), agg.first, agg.canonical, agg.raw_from)


@pytest.mark.parametrize("seed", range(40))
def test_old_and_new_sightings_merge_into_what_counting_all_makes(seed: int) -> None:
    rng = random.Random(seed)
    rows, aliases = _shipments(rng)
    old_rows: list[Row] = []
    new_rows: list[Row] = []
    for row in rows:  # the day's shipment ids fall anywhere among the old ones
        (old_rows if rng.random() < 0.6 else new_rows).append(row)
    everything = _aggregated(rows, aliases)
    before, after = _aggregated(old_rows, aliases), _aggregated(new_rows, aliases)
    # the old aggregates as the next run reads them back: node from the store, ledger
    ledger = Ledger.decode(identifier_ledger.encode(identifier_ledger.ledger_rows(before.items())))
    assert ledger is not None
    read_back = ledger.before([_node(i, a) for i, a in before.items()], set(after))
    assert set(read_back) == set(before) & set(after)
    for ident_id, agg in everything.items():
        if ident_id in read_back:
            merged = combined(read_back[ident_id], after[ident_id], _MAX_RAW)
        else:
            merged = after.get(ident_id) or before[ident_id]
        assert _seen(merged) == _seen(agg), ident_id


def test_the_ledger_drops_the_nodes_a_delta_removed_and_keeps_the_others() -> None:
    rows, aliases = _shipments(random.Random(3))
    aggregates = _aggregated(rows, aliases)
    saved = identifier_ledger.encode(identifier_ledger.ledger_rows(aggregates.items()))
    ledger = Ledger.decode(saved)
    assert ledger is not None
    removed = set(list(aggregates)[::2])
    rewritten = {i: aggregates[i] for i in list(removed)[:2]}
    updated = Ledger.decode(ledger.updated(removed, rewritten.items()))
    assert updated is not None
    nodes = [_node(i, a) for i, a in aggregates.items()]
    kept = updated.before(nodes, set(aggregates))
    assert set(kept) == (set(aggregates) - removed) | set(rewritten)


@pytest.mark.parametrize("seed", range(10))
def test_the_ledger_read_from_the_columns_is_the_one_made_from_each_aggregate(seed: int) -> None:
    rows, aliases = _shipments(random.Random(seed))
    graph = _graph(rows, aliases)
    from_columns = identifier_ledger.encode(graph.ledger_rows())
    from_objects = identifier_ledger.ledger_rows(graph.aggregates())
    assert from_columns == identifier_ledger.encode(from_objects)


def test_an_unreadable_ledger_is_none() -> None:
    assert Ledger.decode(b"not arrow") is None
