"""Opening a party or watchlist file: the checks a manifest gets (exists, a format we read,
a decodable start) and then the reader for its format, in one place."""

from __future__ import annotations

from pathlib import Path

from loaders.filetypes import (
    Format,
    check_exists,
    check_parquet,
    check_text_start,
    default_delimiter,
    detect_format,
    resolve_encoding,
)
from loaders.readers import Source, read_csv, read_jsonl, read_parquet

PARQUET_BATCH = 10_000


def open_table(
    path: Path,
    fmt: Format | None,
    encoding: str | None,
    delimiter: str | None,
    quotechar: str,
) -> Source:
    """The rows of ``path``; ``fmt``/``encoding``/``delimiter`` None means detect or default.
    A file that cannot be read at all raises ``InputFileError``."""
    size = check_exists(path)
    detected = detect_format(path, fmt)
    if detected is Format.PARQUET:
        check_parquet(path, size)
        return read_parquet(path, PARQUET_BATCH)
    codec = resolve_encoding(path, encoding)
    check_text_start(path, codec)
    if detected is Format.JSONL:
        return read_jsonl(path, codec, encoding)
    return read_csv(path, codec, encoding, delimiter or default_delimiter(path), quotechar)
