"""Stable network ids and lineage: hand-made cases for each event, and the assignment
checked against networkx's maximum weight matching over random runs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from graphintel.daily.identity import (
    MATCH_THRESHOLD,
    Members,
    match_networks,
    network_members,
    serial_of,
)
from graphintel.records import Network


def m(*names: str | int) -> Members:
    return frozenset(f"party:{n}" for n in names)


def rng_members(start: int, stop: int) -> Members:
    return frozenset(f"shipment:{i}" for i in range(start, stop))


def events(identity_lineage: tuple[object, ...]) -> dict[str, str]:
    return {e.network_id: e.event for e in identity_lineage}  # type: ignore[attr-defined]


def test_the_same_networks_keep_their_ids_and_are_quiet() -> None:
    previous = [("net-0003", rng_members(0, 10)), ("net-0007", rng_members(10, 15))]
    result = match_networks(previous, [rng_members(10, 15), rng_members(0, 10)], serial=7)
    assert result.ids == ("net-0007", "net-0003")
    assert events(result.lineage) == {"net-0007": "quiet", "net-0003": "quiet"}
    assert result.serial == 7  # nothing issued


def test_a_first_run_numbers_its_networks_in_rank_order() -> None:
    result = match_networks([], [m(1), m(2), m(3)], serial=0, run_id="r1")
    assert result.ids == ("net-0001", "net-0002", "net-0003")
    assert {e.event for e in result.lineage} == {"new"}
    assert all(e.run_id == "r1" for e in result.lineage)


def test_new_ids_never_reuse_an_issued_number() -> None:
    previous = [("net-0002", m(1, 2))]
    result = match_networks(previous, [m(8, 9), m(1, 2)], serial=41)
    assert result.ids == ("net-0042", "net-0002")
    assert result.serial == 42
    assert serial_of("net-0042") == 42 and serial_of("case-1") == 0


def test_growth_shrinkage_and_same_size_change() -> None:
    previous = [
        ("a", rng_members(0, 10)),
        ("b", rng_members(100, 110)),
        ("c", rng_members(200, 210)),
    ]
    current = [rng_members(0, 13), rng_members(102, 110), rng_members(201, 211)]
    result = match_networks(previous, current, serial=3)
    assert result.ids == ("a", "b", "c")
    by_id = {e.network_id: e for e in result.lineage}
    assert (by_id["a"].event, by_id["a"].added, by_id["a"].removed) == ("grown", 3, 0)
    assert (by_id["b"].event, by_id["b"].added, by_id["b"].removed) == ("quiet", 0, 2)
    assert (by_id["c"].event, by_id["c"].added, by_id["c"].removed) == ("changed", 1, 1)
    grown_less = match_networks([("d", rng_members(0, 10))], [rng_members(5, 12)], serial=1)
    assert events(grown_less.lineage) == {"d": "shrunk"}


def test_a_split_keeps_the_id_on_the_larger_part() -> None:
    previous = [("net-0001", rng_members(0, 10))]
    result = match_networks(previous, [rng_members(0, 6), rng_members(6, 10)], serial=1)
    assert result.ids == ("net-0001", "net-0002")
    by_id = {e.network_id: e for e in result.lineage}
    assert (by_id["net-0001"].event, by_id["net-0001"].related) == ("split", ("net-0002",))
    assert (by_id["net-0002"].event, by_id["net-0002"].related) == ("split", ("net-0001",))


def test_a_merge_keeps_the_best_overlap_and_reports_the_absorbed_one_gone() -> None:
    previous = [("net-0001", rng_members(0, 10)), ("net-0002", rng_members(10, 14))]
    result = match_networks(previous, [rng_members(0, 14)], serial=2)
    assert result.ids == ("net-0001",)
    by_id = {e.network_id: e for e in result.lineage}
    assert (by_id["net-0001"].event, by_id["net-0001"].related) == ("merged", ("net-0002",))
    assert (by_id["net-0002"].event, by_id["net-0002"].related) == ("gone", ("net-0001",))


def test_a_vanished_network_is_gone_and_an_unrelated_one_is_new() -> None:
    previous = [("net-0001", rng_members(0, 10))]
    result = match_networks(previous, [rng_members(50, 60)], serial=1)
    assert result.ids == ("net-0002",)
    assert events(result.lineage) == {"net-0002": "new", "net-0001": "gone"}
    gone = result.lineage[-1]
    assert (gone.related, gone.removed, gone.size) == ((), 10, 0)


def test_below_the_threshold_a_network_that_swallowed_most_of_an_old_one_keeps_its_id() -> None:
    previous = [("net-0005", rng_members(0, 10))]
    result = match_networks(previous, [rng_members(0, 40)], serial=5)  # Jaccard 0.25
    assert result.ids == ("net-0005",)
    assert events(result.lineage) == {"net-0005": "grown"}


def test_a_small_overlap_does_not_carry_an_id() -> None:
    previous = [("net-0001", rng_members(0, 10))]
    result = match_networks(previous, [rng_members(8, 30)], serial=1)  # 2 of 10 shared
    assert result.ids == ("net-0002",)
    assert events(result.lineage) == {"net-0002": "new", "net-0001": "gone"}


def test_the_threshold_is_checked() -> None:
    with pytest.raises(ValueError, match="threshold"):
        match_networks([], [], serial=0, threshold=0)


def test_members_are_parties_and_shipments_not_identifiers() -> None:
    net = Network("x", "r", 1, 1.0, (), {}, ("shipment:S1", "S2"),
                  ("party:p1", "phone:+1555", "address:a"))  # fmt: skip
    assert network_members(net) == {"shipment:S1", "shipment:S2", "party:p1"}


def _random_partition(rng: np.random.Generator, universe: np.ndarray, groups: int) -> list[Members]:
    labels = rng.integers(0, groups, size=len(universe))
    parts = [frozenset(f"party:{u}" for u in universe[labels == g]) for g in range(groups)]
    return [p for p in parts if p]


@pytest.mark.parametrize("seed", range(25))
def test_the_assignment_maximises_summed_jaccard_like_networkx(seed: int) -> None:
    rng = np.random.default_rng(seed)
    universe = np.arange(rng.integers(20, 120))
    prev_parts = _random_partition(rng, universe, int(rng.integers(2, 12)))
    # the next run: a tenth of members move to another group, some leave, some arrive
    moved = rng.permutation(universe)
    kept = moved[: int(len(moved) * rng.uniform(0.7, 1.0))]
    arrived = np.arange(1000, 1000 + rng.integers(0, 30))
    next_universe = np.concatenate([kept, arrived])
    cur_parts = _random_partition(rng, next_universe, int(rng.integers(2, 12)))
    previous = [(f"net-{i + 1:04d}", p) for i, p in enumerate(prev_parts)]
    result = match_networks(previous, cur_parts, serial=len(previous))

    graph = nx.Graph()
    for i, (_, p) in enumerate(previous):
        for j, c in enumerate(cur_parts):
            jac = len(p & c) / len(p | c)
            if jac >= MATCH_THRESHOLD:
                graph.add_edge(("p", i), ("c", j), weight=jac)
    oracle = nx.max_weight_matching(graph)
    best = sum(graph.edges[a, b]["weight"] for a, b in oracle)
    prev_index = {pid: i for i, (pid, _) in enumerate(previous)}
    got = 0.0
    for j, nid in enumerate(result.ids):
        if nid in prev_index:
            p = previous[prev_index[nid]][1]
            jac = len(p & cur_parts[j]) / len(p | cur_parts[j])
            got += jac if jac >= MATCH_THRESHOLD else 0.0
    assert got == pytest.approx(best)
    # ids are unique, every previous id appears at most once, new ids are fresh numbers
    assert len(set(result.ids)) == len(result.ids)
    fresh = [n for n in result.ids if n not in prev_index]
    assert sorted(serial_of(n) for n in fresh) == list(
        range(len(previous) + 1, len(previous) + 1 + len(fresh))
    )
    # every previous network is either continued or reported gone, exactly once
    gone = {e.network_id for e in result.lineage if e.event == "gone"}
    assert gone == set(prev_index) - set(result.ids)
    assert len(result.lineage) == len(cur_parts) + len(gone)
