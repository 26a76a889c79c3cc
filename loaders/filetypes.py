"""What kind of file is this, and can it be read at all?

Whole-file problems (empty, binary, wrong encoding, not Parquet) are caught here, before a
load transaction opens where possible, and always reported as ``InputFileError`` naming the
file and, where it helps, the byte offset and line.
"""

from __future__ import annotations

import codecs
import hashlib
from enum import StrEnum
from pathlib import Path

from graphintel.errors import InputFileError

SNIFF_BYTES = 64 * 1024
_HASH_CHUNK = 1024 * 1024
PARQUET_MAGIC = b"PAR1"
_UTF16_32_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)


class Format(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"


_BY_SUFFIX: dict[str, Format] = {
    ".csv": Format.CSV,
    ".tsv": Format.CSV,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".parquet": Format.PARQUET,
    ".pq": Format.PARQUET,
}


def detect_format(path: Path, declared: Format | None) -> Format:
    """The mapping's declared format wins; otherwise the file extension decides."""
    if declared is not None:
        return declared
    found = _BY_SUFFIX.get(path.suffix.lower())
    if found is None:
        raise InputFileError(
            str(path),
            f"cannot tell the format from the extension {path.suffix!r}: use .csv, .jsonl,"
            " .ndjson or .parquet, or a mapping file with source.format",
        )
    return found


def default_delimiter(path: Path) -> str:
    return "\t" if path.suffix.lower() == ".tsv" else ","


def resolve_encoding(path: Path, encoding: str | None) -> str:
    """The codec to read with; UTF-8 always tolerates a byte order mark."""
    name = encoding or "utf-8"
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        raise InputFileError(str(path), f"unknown encoding {name!r}") from None
    return "utf-8-sig" if canonical == "utf-8" else canonical


def _is_wide(encoding: str) -> bool:
    return encoding.startswith(("utf-16", "utf-32"))


def check_exists(path: Path) -> int:
    """The file's size; a missing, unreadable or empty file is a whole-file error."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputFileError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    if not path.is_file():
        raise InputFileError(str(path), "not a regular file")
    if size == 0:
        raise InputFileError(str(path), "empty file")
    return size


def check_text_start(path: Path, encoding: str) -> None:
    """Refuse binary content and UTF-16/32 files read as something narrower."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if _is_wide(encoding):
        return
    if head.startswith(_UTF16_32_BOMS):
        raise InputFileError(
            str(path),
            f"starts with a UTF-16/UTF-32 byte order mark but is read as {encoding};"
            " pass --encoding utf-16 (or utf-32)",
        )
    if head.startswith(PARQUET_MAGIC):
        raise InputFileError(str(path), "is a Parquet file, not text; name it *.parquet")
    nul = head.find(b"\x00")
    if nul >= 0:
        raise InputFileError(
            str(path),
            f"binary content (NUL byte at byte offset {nul}); not a text manifest"
            + _utf16_hint(head),
        )


def _utf16_hint(head: bytes) -> str:
    """UTF-16 text without a byte order mark has a NUL in every other byte (ASCII range)."""
    pairs = len(head) // 2
    if pairs < 8:
        return ""
    for name, start in (("utf-16-le", 1), ("utf-16-be", 0)):
        if head[start::2].count(0) > 0.8 * pairs:
            return f", or UTF-16 without a byte order mark: try --encoding {name}"
    return ""


def check_parquet(path: Path, size: int) -> None:
    """A Parquet file starts and ends with the magic bytes ``PAR1``."""
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(max(size - 4, 0))
        tail = fh.read(4)
    if size < 12 or head != PARQUET_MAGIC or tail != PARQUET_MAGIC:
        raise InputFileError(str(path), "not a Parquet file (no PAR1 magic bytes)")


def file_sha256(path: Path) -> str:
    """Content hash: the file's identity for idempotent loads, whatever its name."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def locate_decode_error(path: Path, encoding: str) -> tuple[int, int]:
    """Byte offset and 1-based line of the first byte that ``encoding`` cannot decode.

    Called only after a decode failure, so the second pass costs nothing on good files.
    Returns (-1, -1) if the whole file decodes (which should not happen).
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    consumed = 0
    lines = 1
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                buffered = len(exc.object) - len(chunk)
                offset = consumed - buffered + exc.start
                good = bytes(exc.object[: exc.start]).decode(encoding, errors="replace")
                return max(offset, 0), lines + good.count("\n")
            consumed += len(chunk)
            lines += text.count("\n")
    return -1, -1


def decode_error(path: Path, encoding: str, given: str | None) -> InputFileError:
    """An ``InputFileError`` that says where decoding failed and what to try."""
    offset, line = locate_decode_error(path, encoding)
    where = f" at byte offset {offset} (line {line})" if offset >= 0 else ""
    hint = (
        "pass --encoding with the file's real encoding (e.g. cp1252, latin-1, euc-kr)"
        if given is None
        else f"the file is not {given}; pass --encoding with its real encoding"
    )
    label = given or "UTF-8"
    return InputFileError(str(path), f"not decodable as {label}{where}; {hint}")
