"""RFC 4180 CSV from Arrow string columns, written chunk by chunk.

Rows are assembled by Arrow compute (quote where needed, join with commas, end with CRLF)
and the resulting buffer is written as is, which is several times faster than
``csv.writer`` and gives the same bytes: fields are quoted only when they contain a comma,
a quote or a line break, and quotes inside are doubled.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphintel.synth.arrowkit import Str, join

EOL = "\r\n"
_SPECIAL = np.zeros(256, dtype=bool)
_SPECIAL[[ord(","), ord('"'), ord("\r"), ord("\n")]] = True


def _offsets(values: Str) -> np.ndarray:
    _, offsets, _ = values.buffers()
    return np.frombuffer(offsets, dtype=np.int32, count=len(values) + 1, offset=values.offset * 4)


def csv_field(values: Str) -> Str:
    """Quote the values that hold a comma, quote or line break (found by a byte scan)."""
    data = values.buffers()[2]
    if data is None:
        return values
    off = _offsets(values)
    raw = np.frombuffer(data, dtype=np.uint8, count=int(off[-1]))
    hits = np.flatnonzero(_SPECIAL[raw[off[0] :]]) + off[0]
    if not len(hits):
        return values
    need = np.zeros(len(values), dtype=bool)
    need[np.searchsorted(off, hits, side="right") - 1] = True
    mask = pa.array(need)
    quoted = join('"', pc.replace_substring(values.filter(mask), '"', '""'), '"')
    return pc.replace_with_mask(values, mask, quoted)


def header(names: Sequence[str]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=EOL).writerow(names)
    return buf.getvalue().encode("utf-8")


def write_rows(out: BinaryIO, columns: Sequence[Str]) -> None:
    """Append one CSV line per row of ``columns`` (equal-length string arrays)."""
    lines = join(join(*[csv_field(c) for c in columns], sep=","), EOL)
    off = _offsets(lines)
    out.write(memoryview(lines.buffers()[2])[int(off[0]) : int(off[-1])])
