"""Contract: the resolver state a resolution saves for the next, incremental one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graphintel.store import GraphStore
from graphintel.store.base import STATE_CHUNK
from tests.store.contract import BACKENDS, open_backend


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    yield from open_backend(request.param, tmp_path)


def test_a_fresh_store_has_no_resolver_state(store: GraphStore) -> None:
    assert store.resolver_state() == {}


def test_resolver_state_round_trips_parts_larger_than_a_chunk(store: GraphStore) -> None:
    big = bytes(range(256)) * (STATE_CHUNK // 256 * 2 + 3)  # three pieces
    parts = {"records": big, "meta": b'{"v": 1}', "empty": b"", "nul": b"\x00\xff\x00"}
    store.save_resolver_state(parts)
    assert store.resolver_state() == parts


def test_saving_replaces_the_whole_state_and_empty_clears_it(store: GraphStore) -> None:
    store.save_resolver_state({"a": b"1", "b": b"2"})
    store.save_resolver_state({"b": b"3"})
    assert store.resolver_state() == {"b": b"3"}
    store.save_resolver_state({})
    assert store.resolver_state() == {}
