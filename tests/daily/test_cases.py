"""Saved cases follow their network: what is new, and a refresh that draws it in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from graphintel.daily.cases import (
    REFRESH_LIMIT,
    case_nodes,
    follow_case,
    refreshed_payload,
)
from graphintel.errors import NotFoundError
from graphintel.records import CaseRecord, Network, RunRecord


class Runs:
    """The reads ``follow_case`` makes, over a fixed latest run."""

    def __init__(self, networks: list[Network]) -> None:
        self._networks = networks

    def latest_run(self, kind: str = "analyze") -> RunRecord | None:
        if not self._networks:
            return None
        return RunRecord("r2", kind, "succeeded", "", "", {}, {}, {})

    def network(self, run_id: str, network_id: str) -> Network | None:
        return next((n for n in self._networks if n.network_id == network_id), None)

    def networks(
        self, run_id: str, limit: int | None = None, offset: int = 0, with_members: bool = True
    ) -> list[Network]:
        return self._networks


def network(nid: str, rank: int, shipments: tuple[str, ...], entities: tuple[str, ...]) -> Network:
    return Network(nid, "r2", rank, 0.5, (), {}, shipments, entities)


def saved(network_id: str, *nodes: str) -> CaseRecord:
    elements: list[dict[str, Any]] = [
        {"data": {"id": n}, "position": {"x": 1, "y": 2}} for n in nodes
    ]
    elements.append({"data": {"id": "x", "source": nodes[0], "target": nodes[-1]}})
    source = {"run_id": "r1", "network_id": network_id}
    return CaseRecord("c1", "Ring", {"elements": elements, "source": source})


CURRENT = [
    network("net-0004", 1, ("S1", "S2", "S9"), ("party:a", "party:new", "phone:1", "email:e")),
    network("net-0007", 2, ("S5",), ("party:z",)),
]


def test_the_case_follows_its_network_id_and_lists_what_is_new_by_kind() -> None:
    follow = follow_case(Runs(CURRENT), saved("net-0004", "party:a", "phone:1", "shipment:S1"))
    assert (follow.run_id, follow.network_id, follow.saved_run) == ("r2", "net-0004", "r1")
    assert follow.shipments == ("shipment:S2", "shipment:S9")
    assert follow.parties == ("party:new",)
    assert follow.identifiers == ("email:e",)
    assert follow.new == ("party:new", "email:e", "shipment:S2", "shipment:S9")


def test_without_its_network_the_case_follows_the_one_holding_most_of_its_entities() -> None:
    follow = follow_case(Runs(CURRENT), saved("net-0001", "party:z", "party:a", "phone:1"))
    assert follow.network_id == "net-0004"  # two of its entities against one
    lonely = follow_case(Runs(CURRENT), saved("", "party:nobody"))
    assert (lonely.network_id, lonely.new) == ("", ())


def test_following_needs_an_analysis() -> None:
    with pytest.raises(NotFoundError, match="analyze"):
        follow_case(Runs([]), saved("net-0001", "party:a"))


def test_a_refresh_draws_the_new_nodes_and_moves_the_case_to_the_latest_run() -> None:
    case = saved("net-0004", "party:a", "phone:1", "shipment:S1")
    follow = follow_case(Runs(CURRENT), case)

    def draw(ids: Sequence[str], elements: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        return [*elements, *({"data": {"id": i}, "classes": "new"} for i in ids)]

    payload = refreshed_payload(case.payload, follow, draw, now="2026-01-01T00:00:00+00:00")
    assert case_nodes(payload) == case_nodes(case.payload) | set(follow.new)
    assert payload["source"] == {"run_id": "r2", "network_id": "net-0004"}
    assert payload["followed"]["new"] == list(follow.new)
    assert payload["followed"]["not_drawn"] == 0
    assert payload["elements"][0]["position"] == {"x": 1, "y": 2}  # drawn nodes stay put
    # refreshed, the case has nothing new any more
    again = follow_case(Runs(CURRENT), CaseRecord("c1", "Ring", payload))
    assert again.new == ()


def test_a_refresh_draws_a_bounded_number_of_nodes() -> None:
    big = [network("net-0001", 1, tuple(f"S{i}" for i in range(REFRESH_LIMIT + 50)), ("party:a",))]
    case = saved("net-0001", "party:a")
    follow = follow_case(Runs(big), case)
    payload = refreshed_payload(case.payload, follow, lambda ids, els: [*els], now="t")
    assert len(payload["followed"]["new"]) == REFRESH_LIMIT
    assert payload["followed"]["not_drawn"] == 50
