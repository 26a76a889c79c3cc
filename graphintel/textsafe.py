"""Neutralising untrusted manifest text at output boundaries (CSV, spreadsheets, terminals)."""

from __future__ import annotations

import re

# A spreadsheet evaluates a cell that starts with one of these as a formula (OWASP CSV
# injection); a leading apostrophe makes Excel, LibreOffice and Sheets show it as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """Text for a CSV cell that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


# Control characters a terminal acts on (ESC and CSI start colour, cursor, title and
# hyperlink sequences); tab and line feed are layout and stay.
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as an escape ("\\x1b") instead of run."""
    return _TERMINAL_CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
