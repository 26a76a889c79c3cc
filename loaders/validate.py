"""Check one mapped row against the canonical manifest and build its ``ShipmentRecord``.

A row either becomes a record or a list of problems (one per bad column), never both, so
the loader can count it exactly once.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from graphintel.manifest import (
    COLUMN_BY_NAME,
    COLUMN_NAMES,
    INSPECTION_OUTCOMES,
    REQUIRED_COLUMNS,
    ColumnType,
)
from graphintel.records import Provenance, ShipmentRecord
from loaders.mapping import MappedRow

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Nearly every number of a manifest: unsigned ASCII digits, short, no exponent. Such text
# skips the Decimal checks (a tenth of a row's load cost) with the same value.
_PLAIN_DECIMAL = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})?")
_PLAIN_INTEGER = re.compile(r"[0-9]{1,18}")
_TYPED_COLUMNS = tuple(c for c in COLUMN_NAMES if COLUMN_BY_NAME[c].type is not ColumnType.STRING)
_OUTCOMES = ", ".join(sorted(INSPECTION_OUTCOMES))
_INT64_MAX = 2**63 - 1
_MAX_EXPONENT = 300  # keeps every value a finite float and Decimal arithmetic exact
DEFAULT_CONSIGNEE_COUNTRY = "US"


@dataclass(frozen=True, slots=True)
class Problem:
    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class Rules:
    """Per-file conversion rules that come from the mapping."""

    date_format: str | None = None
    scale: dict[str, float] | None = None


def _show(value: str) -> str:
    return repr(value if len(value) <= 80 else value[:77] + "...")


class _Checker:
    """Collects problems while converting the typed columns of one row."""

    def __init__(self, row: MappedRow, rules: Rules) -> None:
        self.row = row
        self.rules = rules
        self.problems: list[Problem] = []

    def fail(self, column: str, message: str) -> None:
        source = self.row.origin(column)
        label = column if source == repr(column) else f"{column} (from {source})"
        self.problems.append(Problem(column, f"{label}: {message}"))

    def date(self, column: str) -> str:
        text = self.row.values.get(column, "")
        if not text:
            return ""
        fmt = self.rules.date_format
        try:
            if fmt is not None:
                return datetime.strptime(text, fmt).date().isoformat()
            if not _ISO_DATE.fullmatch(text):
                self.fail(column, f"{_show(text)} is not an ISO date (YYYY-MM-DD)")
                return ""
            return date.fromisoformat(text).isoformat()
        except ValueError:
            expected = f"a real date in format {fmt!r}" if fmt else "a real date"
            self.fail(column, f"{_show(text)} is not {expected}")
            return ""

    def _number(self, column: str) -> Decimal | None:
        text = self.row.values.get(column, "")
        if not text:
            return None
        if not _DECIMAL.fullmatch(text):
            self.fail(column, f"{_show(text)} is not a decimal number")
            return None
        try:
            number = Decimal(text)
            if not number.is_zero() and abs(number.adjusted()) > _MAX_EXPONENT:
                raise InvalidOperation
        except InvalidOperation:
            self.fail(column, f"{_show(text)} is out of range")
            return None
        if number < 0:
            self.fail(column, f"{_show(text)} is negative")
            return None
        return number

    def decimal(self, column: str) -> float | None:
        text = self.row.values.get(column, "")
        if _PLAIN_DECIMAL.fullmatch(text) is not None and not self.rules.scale:
            # float(text) rounds the digits once, as float(Decimal(text)) does; such short
            # unsigned text is never out of range or negative: the checks below pass it
            return float(text)
        number = self._number(column)
        if number is None:
            return None
        factor = (self.rules.scale or {}).get(column)
        value = float(number if factor is None else number * Decimal(repr(factor)))
        if not math.isfinite(value):
            self.fail(column, f"{_show(self.row.values[column])} is out of range")
            return None
        return value + 0.0  # turn -0.0 into 0.0

    def integer(self, column: str) -> int | None:
        text = self.row.values.get(column, "")
        if _PLAIN_INTEGER.fullmatch(text) is not None:
            return int(text)  # 18 digits or fewer: below 2**63, whole, not negative
        number = self._number(column)
        if number is None:
            return None
        text = _show(self.row.values[column])
        if number > _INT64_MAX:
            self.fail(column, f"{text} is out of range")
            return None
        if number != number.to_integral_value():
            self.fail(column, f"{text} is not a whole number")
            return None
        return int(number)


def validate(
    row: MappedRow, provenance: Provenance, rules: Rules
) -> ShipmentRecord | list[Problem]:
    """The row's record, or every problem found in it."""
    check = _Checker(row, rules)
    values = row.values
    for column in REQUIRED_COLUMNS:
        if not values.get(column):
            check.fail(column, "required value is missing or empty")
    arrival = check.date("arrival_date")
    declared = check.decimal("declared_value_usd")
    weight = check.decimal("weight_kg")
    quantity = check.integer("quantity")
    outcome = values.get("inspection_outcome", "").lower()
    if outcome and outcome not in INSPECTION_OUTCOMES:
        check.fail(
            "inspection_outcome",
            f"{_show(values['inspection_outcome'])} is not one of {_OUTCOMES} (or empty)",
        )
    if check.problems:
        return check.problems
    strings = dict(values)  # every key is a canonical column; absent ones default to ""
    for column in _TYPED_COLUMNS:
        strings.pop(column, None)
    strings["inspection_outcome"] = outcome
    strings["consignee_country"] = values.get("consignee_country") or DEFAULT_CONSIGNEE_COUNTRY
    assert declared is not None  # required, and no problem was found
    return ShipmentRecord(
        **strings,
        arrival_date=arrival,
        declared_value_usd=declared,
        quantity=quantity,
        weight_kg=weight,
        provenance=provenance,
        extra=row.extra,
    )
