"""Paragraph styles and escaped cells for the PDF report: reportlab paragraphs parse a
markup of their own, so every piece of manifest text is escaped here, once."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import LongTable, Paragraph, TableStyle

from graphintel.export.text import xml_clean

_STYLES = getSampleStyleSheet()
H1 = ParagraphStyle("h1", parent=_STYLES["Title"], fontSize=17, leading=20, spaceAfter=2)
H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontSize=11, leading=13, spaceBefore=2,
                    spaceAfter=2)  # fmt: skip
BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=9, leading=11)
CELL = ParagraphStyle("cell", parent=_STYLES["BodyText"], fontSize=7.5, leading=9)
SMALL = ParagraphStyle("small", parent=CELL, fontSize=7, textColor=colors.HexColor("#444444"))


def p(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of ``text`` shown as written (escaped, control characters dropped)."""
    return Paragraph(escape(xml_clean(text)), style)


def mark(colour: str, symbol: str) -> Paragraph:
    """A coloured legend symbol (``colour`` and ``symbol`` are ours, never manifest text:
    ``symbol`` may hold markup)."""
    return Paragraph(f'<font color="{colour}">{symbol}</font>', BODY)


def _width(text: str) -> float:
    return float(stringWidth(text, CELL.fontName, CELL.fontSize))


def _break(line: str, room: float) -> list[str]:
    """A line with a word too long for its column (an id, a file:row@load reference) cut
    into pieces that fit, so nothing is drawn past the column."""
    out = [""]
    for ch in line:
        if out[-1] and _width(out[-1] + ch) > room:
            out.append("")
        out[-1] += ch
    return out


def _cell(value: object, width: float) -> str:
    """The cell as plain text (reportlab draws it as is: no markup parsed), wrapped to its
    column: much cheaper than a paragraph per cell in tables of thousands of rows."""
    text, room = xml_clean(value), width - 6
    if _width(text) < room:
        return text
    lines = simpleSplit(text, CELL.fontName, CELL.fontSize, room)
    return "\n".join(piece for line in lines for piece in (
        [line] if _width(line) <= room else _break(line, room)
    ))  # fmt: skip


def grid_table(
    rows: Sequence[Sequence[object]], widths: list[float], header: bool = False
) -> LongTable:
    """A table of plain-text cells, wrapped to their columns, with a light grid; a header
    row repeats on each page."""
    data = [[_cell(v, width) for v, width in zip(row, widths, strict=False)] for row in rows]
    table = LongTable(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), CELL.fontName, CELL.fontSize, CELL.leading),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")))
    table.setStyle(TableStyle(style))
    return table
