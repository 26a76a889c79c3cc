"""The case narrative every export carries: who, what, why and next steps.

The analyst's own narrative (``Chart.narrative``: from ``graphintel export --narrative``
or a saved case's ``narrative``) comes first, word for word. Below it GraphIntel drafts
the four parts from the data so no hand-over goes out without them: who (the key parties
and the identifiers several parties share), what (shipments, dates, value, seizures),
why (the analysis run's reasons) and next steps (checks that follow from those facts),
plus every investigator note on the chart's nodes. The draft says that it is one."""

from __future__ import annotations

from dataclasses import dataclass

from graphintel.export.chart import Chart
from graphintel.export.summary import NetworkSummary
from graphintel.model import IDENTIFIER_KINDS, NodeKind

LISTED = 5  # key parties and shared identifiers named in the draft
DRAFT_NOTE = "Drafted by GraphIntel from the data; check it before relying on it."
_KIND_WORDS = {
    NodeKind.ADDRESS: "address",
    NodeKind.PHONE: "phone",
    NodeKind.EMAIL: "e-mail",
    NodeKind.PAYMENT_ACCOUNT: "payment account",
    NodeKind.IP_ADDRESS: "IP address",
}


@dataclass(frozen=True, slots=True)
class Narrative:
    analyst: str  # the analyst's narrative, as written ("" when none was given)
    who: tuple[str, ...]
    what: tuple[str, ...]
    why: tuple[str, ...]
    next_steps: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]  # (node label, note) for every noted node

    def sections(self) -> list[tuple[str, tuple[str, ...]]]:
        """(heading, lines) in reading order; empty parts left out."""
        parts = [
            ("Analyst's narrative", (self.analyst,) if self.analyst else ()),
            ("Who", self.who),
            ("What", self.what),
            ("Why", self.why),
            ("Next steps", self.next_steps),
            ("Notes", tuple(f"{label}: {text}" for label, text in self.notes)),
        ]
        return [(h, lines) for h, lines in parts if lines]

    def text(self) -> str:
        """The narrative as plain text (attributes, notes, cards)."""
        blocks = [f"{h}: " + " ".join(lines) for h, lines in self.sections()]
        return "\n".join([*blocks, DRAFT_NOTE])


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _who(summary: NetworkSummary) -> tuple[str, ...]:
    parties = [n for n in summary.nodes if n.kind is NodeKind.PARTY]
    key = sorted((n for n in parties if n.key), key=lambda n: (-n.shipments, -n.degree, n.label))[
        :LISTED
    ]
    lines = [
        f"{n.label}: {_count(n.shipments, 'shipment')}, linked to {n.degree} other nodes"
        + (f", {n.seized} seized" if n.seized else "")
        for n in key
    ]
    parties_of: dict[str, int] = {}
    for link in summary.links:
        node = summary.node(link.target)
        if node is not None and node.kind in IDENTIFIER_KINDS:
            parties_of[link.target] = parties_of.get(link.target, 0) + 1
    shared = sorted(
        ((count, ident) for ident, count in parties_of.items() if count > 1), reverse=True
    )[:LISTED]
    for count, ident in shared:
        node = summary.node(ident)
        if node is not None:
            lines.append(f"{_KIND_WORDS.get(node.kind, node.kind.value)} {node.label}: "
                         f"shared by {count} parties")  # fmt: skip
    if len(parties) > len(key):
        lines.append(f"{len(parties)} parties in all.")
    return tuple(lines)


def _what(summary: NetworkSummary) -> tuple[str, ...]:
    if not summary.shipments:
        return ()
    lines = [
        f"{summary.shipments} shipments from {summary.first_date} to {summary.last_date}, "
        f"declared value {_money(summary.value_usd)} in all."
    ]
    seized = summary.seized_shipment_ids
    if seized:
        shown = ", ".join(seized[:10]) + (" …" if len(seized) > 10 else "")
        lines.append(f"{len(seized)} seized: {shown}.")
    return tuple(lines)


def _next_steps(summary: NetworkSummary) -> tuple[str, ...]:
    steps: list[str] = []
    seized_parties = sorted(
        (n for n in summary.nodes if n.kind is NodeKind.PARTY and n.seized),
        key=lambda n: (-n.seized, n.label),
    )[:LISTED]
    for n in seized_parties:
        open_count = n.shipments - n.seized
        if open_count:
            steps.append(f"Review the {open_count} shipments of {n.label} that were not seized.")
    shared = sorted(
        (n for n in summary.nodes if n.kind in IDENTIFIER_KINDS and n.degree > 1),
        key=lambda n: (-n.degree, -n.shipments, n.id),
    )[:2]
    for n in shared:
        steps.append(
            f"Verify the {_KIND_WORDS.get(n.kind, 'identifier')} {n.label} "
            f"({n.degree} parties, {n.shipments} shipments) with its provider."
        )
    key = [n for n in summary.nodes if n.key and n.kind is NodeKind.PARTY]
    if key:
        steps.append(
            "Target future entries of " + ", ".join(n.label for n in key[:3]) + " for inspection."
        )
    return tuple(steps)


def narrative_of(chart: Chart, summary: NetworkSummary | None) -> Narrative:
    """The chart's narrative: the analyst's text, the drafted parts and every note."""
    notes = tuple(
        (n.label, str(n.props["note"])) for n in chart.nodes if str(n.props.get("note", "")).strip()
    )
    why = tuple(r.text for r in chart.reasons)
    if summary is None:
        return Narrative(chart.narrative, (), (), why, (), notes)
    return Narrative(
        chart.narrative, _who(summary), _what(summary), why, _next_steps(summary), notes
    )
