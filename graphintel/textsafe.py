"""Neutralising untrusted manifest text at output boundaries (CSV and spreadsheets)."""

from __future__ import annotations

# A spreadsheet evaluates a cell that starts with one of these as a formula (OWASP CSV
# injection); a leading apostrophe makes Excel, LibreOffice and Sheets show it as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """Text for a CSV cell that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
