"""Load one manifest file into a store: streamed, idempotent, all-or-nothing.

The file's SHA-256 is its identity, so a second load of the same bytes adds nothing. Rows
stream in batches through ``store.load_transaction``; a whole-file error anywhere (even
after many batches) rolls the transaction back, so a store never holds half a file.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from graphintel import faults
from graphintel.records import LoadReport, Provenance, QuarantineEntry, ShipmentRecord
from graphintel.store.base import LoadStore, LoadWriter
from loaders.filetypes import (
    Format,
    check_exists,
    check_parquet,
    check_text_start,
    default_delimiter,
    detect_format,
    file_sha256,
    resolve_encoding,
)
from loaders.mapping import Mapping, canonical_mapping, read_mapping
from loaders.readers import (
    RawRow,
    Source,
    read_csv,
    read_jsonl,
    read_parquet,
    value_problem,
)
from loaders.validate import Rules, validate

logger = logging.getLogger(__name__)

ROW_COLUMN = "(row)"  # quarantine column for a row that could not be parsed at all


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_load_id() -> str:
    return "load-" + uuid.uuid4().hex[:12]


def load_file(
    store: LoadStore,
    path: Path,
    *,
    mapping: Path | None = None,
    encoding: str | None = None,
    batch_size: int = 5000,
    on_batch: Callable[[LoadReport], None] | None = None,
) -> LoadReport:
    """Load ``path`` (canonical layout, or any layout through a mapping file) into ``store``.

    Returns the load's report; ``rows_read`` always equals loaded + quarantined + duplicate.
    Raises ``InputFileError`` (or ``MappingError``) for a file that cannot be read as a
    whole, leaving the store unchanged. ``on_batch`` sees the running report after each
    batch (for progress bars).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    path = Path(path)
    spec = read_mapping(Path(mapping)) if mapping is not None else canonical_mapping()
    size = check_exists(path)
    fmt = detect_format(path, spec.format)
    given = encoding or spec.encoding
    codec = "" if fmt is Format.PARQUET else resolve_encoding(path, given)
    if fmt is Format.PARQUET:
        check_parquet(path, size)
    else:
        check_text_start(path, codec)

    file_id = file_sha256(path)
    report = LoadReport(new_load_id(), file_id, str(path), started_at=_utc_now())
    previous = store.completed_load(file_id)
    if previous is not None:
        return _already_loaded(report, previous)

    source = _open(path, fmt, spec, codec, given, batch_size)
    if source.columns is not None:
        spec.check_columns(source.columns, path)
    extra_columns = spec.extra_columns(source.columns) if source.columns is not None else None
    batches = _Batches(store, spec, report, extra_columns)
    try:
        with store.load_transaction(report) as tx:
            # A load of the same file in another process may have committed while this
            # one waited for the write lock: then this one writes nothing.
            previous = store.completed_load(file_id)
            if previous is not None:
                raise _LoadedMeanwhile(previous)
            while batch := list(islice(source.rows, batch_size)):
                batches.write(tx, batch)
                faults.hit("load.mid_file")
                if on_batch is not None:
                    on_batch(report)
            report.status = "loaded"
            report.finished_at = _utc_now()
            faults.hit("load.before_commit")
    except _LoadedMeanwhile as meanwhile:
        return _already_loaded(report, meanwhile.previous)
    finally:
        _close(source.rows)
    logger.info(
        "loaded %s as %s: %d read, %d loaded, %d quarantined, %d duplicate",
        path,
        report.load_id,
        report.rows_read,
        report.rows_loaded,
        report.rows_quarantined,
        report.rows_duplicate,
    )
    return report


class _LoadedMeanwhile(Exception):
    """Rolls back a load whose file another process finished loading first."""

    def __init__(self, previous: LoadReport) -> None:
        super().__init__(previous.load_id)
        self.previous = previous


def _already_loaded(report: LoadReport, previous: LoadReport) -> LoadReport:
    report.status = "already-loaded"
    report.rows_read = report.rows_duplicate = previous.rows_read
    report.finished_at = _utc_now()
    report.message = (
        f"same content as {previous.file_path} (load {previous.load_id}); nothing added"
    )
    logger.info("%s: %s", report.file_path, report.message)
    return report


def _open(
    path: Path, fmt: Format, spec: Mapping, codec: str, given: str | None, batch_size: int
) -> Source:
    if fmt is Format.PARQUET:
        return read_parquet(path, batch_size)
    if fmt is Format.JSONL:
        return read_jsonl(path, codec, given)
    delimiter = spec.delimiter or default_delimiter(path)
    return read_csv(path, codec, given, delimiter, spec.quotechar)


def _close(rows: Iterator[RawRow]) -> None:
    close = getattr(rows, "close", None)
    if close is not None:
        close()


@dataclass
class _Batches:
    """Turns batches of raw rows into shipments and quarantine entries, and counts them."""

    store: LoadStore
    spec: Mapping
    report: LoadReport
    extra_columns: tuple[str, ...] | None

    def __post_init__(self) -> None:
        self.rules = Rules(self.spec.date_format, self.spec.scale or None)

    def _quarantine(self, row_number: int, column: str, reason: str, raw: str) -> QuarantineEntry:
        r = self.report
        return QuarantineEntry(r.file_id, r.file_path, row_number, column, reason, raw, r.load_id)

    def write(self, tx: LoadWriter, rows: Sequence[RawRow]) -> None:
        report = self.report
        quarantined: list[QuarantineEntry] = []
        candidates: list[tuple[ShipmentRecord, RawRow]] = []
        for row in rows:
            report.rows_read += 1
            if row.values is None:
                report.rows_quarantined += 1
                quarantined.append(
                    self._quarantine(row.row_number, ROW_COLUMN, row.problem, row.raw_text())
                )
                continue
            problem = value_problem(row.values)
            if problem is not None:
                report.rows_quarantined += 1
                column, reason = problem
                quarantined.append(self._quarantine(row.row_number, column, reason, row.raw_text()))
                continue
            provenance = Provenance(report.file_id, row.row_number, report.load_id)
            mapped = self.spec.apply(row.values, self.extra_columns)
            result = validate(mapped, provenance, self.rules)
            if isinstance(result, list):
                report.rows_quarantined += 1
                raw = row.raw_text()
                quarantined.extend(
                    self._quarantine(row.row_number, p.column, p.reason, raw) for p in result
                )
                continue
            candidates.append((result, row))
        shipments = self._deduplicate(tx, candidates, quarantined)
        quarantined.sort(key=lambda e: e.row_number)
        tx.add_shipments(shipments)
        tx.add_quarantine(quarantined)
        report.rows_loaded += len(shipments)

    def _deduplicate(
        self,
        tx: LoadWriter,
        candidates: list[tuple[ShipmentRecord, RawRow]],
        quarantined: list[QuarantineEntry],
    ) -> list[ShipmentRecord]:
        """Keep the first row of each new shipment id; count or quarantine the others.

        An id stored by another load is a duplicate (counted, not quarantined). An id seen
        earlier in this file, in this batch or an earlier one, sends the row to quarantine
        naming the first row, which the store remembers (no per-file id set in memory).
        """
        report = self.report
        ids = list(dict.fromkeys(s.shipment_id for s, _ in candidates))
        existing = tx.existing_shipment_ids(ids) if ids else set()
        earlier = self._earlier_rows(existing)
        first_row: dict[str, int] = {}
        kept: list[ShipmentRecord] = []
        for shipment, row in candidates:
            sid = shipment.shipment_id
            if sid in existing:
                first = earlier[sid]
                if first is None:  # stored by another load
                    report.rows_duplicate += 1
                    continue
            else:
                first = first_row.get(sid)
            if first is None:
                first_row[sid] = row.row_number
                kept.append(shipment)
                continue
            report.rows_quarantined += 1
            where = f"row {first}" if first > 0 else "an earlier row"
            quarantined.append(
                self._quarantine(
                    row.row_number,
                    "shipment_id",
                    f"shipment_id {sid!r} repeats {where} of this file",
                    row.raw_text(),
                )
            )
        return kept

    def _earlier_rows(self, existing: set[str]) -> dict[str, int | None]:
        """For ids already stored: the row number if this load wrote them, else None.

        An id the store reports but cannot show (a backend that does not read its own
        uncommitted writes) can only come from this load; 0 stands for "row unknown".
        """
        if not existing:
            return {}
        load_id = self.report.load_id
        shown = {s.shipment_id: s.provenance for s in self.store.shipments(sorted(existing))}
        rows: dict[str, int | None] = {}
        for sid in existing:
            provenance = shown.get(sid)
            if provenance is None:
                rows[sid] = 0
            elif provenance.load_id == load_id:
                rows[sid] = provenance.row_number
            else:
                rows[sid] = None
        return rows
