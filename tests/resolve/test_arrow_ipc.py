"""The resolver state's Arrow parts are saved compressed, and a state saved uncompressed
(by an earlier version) still reads as the same state."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa

from graphintel.resolve.arrow_ipc import from_ipc, table_with_schema, to_ipc
from graphintel.resolve.state import LEDGER, PARTY_LEDGER, decode
from tests.resolve.helpers import resolved_synth

_ARROW_PARTS = ("records", "shipments", "aliases", LEDGER, PARTY_LEDGER)


def _plain(data: bytes) -> bytes:
    """The stream written again without compression, as versions before it saved it."""
    table = from_ipc(data)
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def test_a_table_round_trips_compressed() -> None:
    table = pa.table({"id": [f"party:{i % 97:08x}" for i in range(5_000)], "n": range(5_000)})
    data = to_ipc(table)
    assert len(data) < len(_plain(data)) / 3  # repetitive ids compress well
    assert from_ipc(data).equals(table)
    assert from_ipc(_plain(data)).equals(table)
    assert table_with_schema(_plain(data), table.schema) is not None


def test_a_state_saved_uncompressed_reads_as_the_same_state(tmp_path: Path) -> None:
    store = resolved_synth(tmp_path, 1_000, 3)
    parts = store.resolver_state()
    store.close()
    assert set(_ARROW_PARTS) <= parts.keys()
    plain = {k: _plain(v) if k in _ARROW_PARTS else v for k, v in parts.items()}
    assert sum(map(len, plain.values())) > sum(map(len, parts.values()))
    saved, before = decode(parts), decode(plain)
    assert saved is not None and before is not None
    assert saved.features == before.features and saved.entity_of == before.entity_of
    assert saved.shipments.table().equals(before.shipments.table())
    assert saved.aliases == before.aliases and saved.first_mention == before.first_mention
    # the ledgers: the same entries (written back out, the same tables)
    for name in (LEDGER, PARTY_LEDGER):
        assert from_ipc(parts[name]).equals(from_ipc(plain[name]))
    assert saved.ledger is not None and before.ledger is not None
    assert saved.party_ledger is not None and before.party_ledger is not None
    assert len(saved.party_ledger) == len(before.party_ledger)
