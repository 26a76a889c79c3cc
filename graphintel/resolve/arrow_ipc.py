"""Arrow tables to and from the bytes a store keeps as resolver state.

The saved state and the two ledgers are each one Arrow IPC stream; writing and reading
one is the same for all three, and a ledger read back must have the schema its code
expects (a state saved by other code is unreadable, not misread).
"""

from __future__ import annotations

import io

import pyarrow as pa


def to_ipc(table: pa.Table) -> bytes:
    """``table`` as an Arrow IPC stream. Written into a ``BytesIO``, whose ``getvalue``
    hands over its own buffer: one copy of the stream, not an Arrow buffer and its copy
    (the state's records part is ~200 B a record, encoded at the resolution's peak)."""
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def from_ipc(data: bytes) -> pa.Table:
    """The table of an Arrow IPC stream (``pa.ArrowException`` when it is none)."""
    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


def table_with_schema(data: bytes, schema: pa.Schema) -> pa.Table | None:
    """The table ``data`` holds when it is readable and has ``schema``; else ``None``."""
    try:
        table = from_ipc(data)
    except pa.ArrowException:
        return None
    return table if table.schema.equals(schema) else None
