"""Why a party's mentions were merged, readable: the resolver records one row per field per
compared pair (dozens for a busy party, with internal mention ids); the panel shows one
block per field instead, in words: how the values compared, how often, and which values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dash import html
from dash.development.base_component import Component

from graphintel.records import MergeEvidence

PROBABILITY_FIELD = "match_probability"
VALUES_SHOWN = 4  # distinct value pairs listed per field; the rest are counted

FIELD_LABELS: dict[str, str] = {
    "name": "Name",
    "address": "Address",
    "phone": "Phone",
    "email": "E-mail",
    "country": "Country",
    "seller_id": "Seller account",
    "market": "Marketplace",
    "name_key": "Shop name",
}
FIELD_ORDER = tuple(FIELD_LABELS)

# How two values compared, by the rule (or the Fellegi-Sunter level after "fellegi_sunter:").
RULE_LABELS: dict[str, str] = {
    "exact": "identical",
    "one_typo": "one typo apart",
    "close": "close",
    "initial": "same with an initial",
    "same_street": "same street, other unit",
    "similar_street": "similar street",
    "different": "different",
    "same_seller_account": "same seller account",
    "same_shop_name_on_marketplace": "same shop name on one marketplace",
    "same_company_name_and_country": "same company name and country",
}


def rule_words(rule: str) -> str:
    """A rule in words (unknown rules are shown as they are recorded)."""
    return RULE_LABELS.get(rule.rpartition(":")[2], RULE_LABELS.get(rule, rule))


def mention_words(mention: str) -> str:
    """ "HAWB1#consignee" as "shipment HAWB1 (consignee)"."""
    shipment, _, role = mention.rpartition("#")
    return f"shipment {shipment} ({role})" if shipment and role else mention


@dataclass(frozen=True)
class ValuePair:
    left: str
    right: str
    outcome: str  # rule in words
    count: int  # compared pairs that showed these values
    example: str  # one pair of mentions, in words


@dataclass(frozen=True)
class FieldGroup:
    field: str
    label: str
    outcomes: list[tuple[str, int]]  # (rule in words, compared pairs), most first
    values: list[ValuePair]  # most frequent first
    more: int  # distinct value pairs not listed


@dataclass(frozen=True)
class MergeSummary:
    pairs: int  # mention pairs compared
    mentions: int
    probability: tuple[float, float] | None  # lowest and highest match probability
    groups: list[FieldGroup]


def summarize(evidence: Sequence[MergeEvidence]) -> MergeSummary:
    """The evidence rows grouped per field, fields in a fixed reading order."""
    pairs = {(e.mention_a, e.mention_b) for e in evidence}
    mentions = {m for pair in pairs for m in pair}
    probs = [e.similarity for e in evidence if e.field == PROBABILITY_FIELD]
    fields = sorted(
        {e.field for e in evidence} - {PROBABILITY_FIELD},
        key=lambda f: (FIELD_ORDER.index(f) if f in FIELD_ORDER else len(FIELD_ORDER), f),
    )
    groups: list[FieldGroup] = []
    for name in fields:
        rows = [e for e in evidence if e.field == name]
        outcomes = Counter(rule_words(e.rule) for e in rows)
        values: Counter[tuple[str, str, str]] = Counter()
        example: dict[tuple[str, str, str], str] = {}
        for e in rows:
            left, right = sorted((e.value_a, e.value_b))
            key = (left, right, rule_words(e.rule))
            values[key] += 1
            example.setdefault(
                key, f"{mention_words(e.mention_a)} and {mention_words(e.mention_b)}"
            )
        ranked = values.most_common()
        groups.append(
            FieldGroup(
                name,
                FIELD_LABELS.get(name, name.replace("_", " ")),
                outcomes.most_common(),
                [
                    ValuePair(a, b, o, n, example[(a, b, o)])
                    for (a, b, o), n in ranked[:VALUES_SHOWN]
                ],
                max(0, len(ranked) - VALUES_SHOWN),
            )
        )
    return MergeSummary(
        len(pairs), len(mentions), (min(probs), max(probs)) if probs else None, groups
    )


def _value_line(v: ValuePair) -> Component:
    shown = [html.Span(v.left or "—", className="gi-ev-value")]
    if v.right != v.left:
        shown += [html.Span(" ~ "), html.Span(v.right or "—", className="gi-ev-value")]
    shown.append(html.Span(f" {v.outcome}", className="gi-ev-rule"))
    if v.count > 1:
        shown.append(html.Span(f" ×{v.count}", className="gi-ev-count"))
    return html.Li(shown, title=f"e.g. {v.example}")


def merge_section(evidence: Sequence[MergeEvidence]) -> list[Component]:
    """The merge evidence of a party as readable blocks, one per field."""
    summary = summarize(evidence)
    head = (
        f"{summary.mentions} mentions merged over {summary.pairs} compared "
        f"pair{'s' if summary.pairs != 1 else ''}"
    )
    if summary.probability is not None:
        low, high = summary.probability
        head += (
            f"; match probability {low:.2f}"
            if low == high
            else f"; match probability {low:.2f}–{high:.2f}"
        )
    blocks: list[Component] = [html.P(head, className="gi-ev-summary")]
    for g in summary.groups:
        outcome_text = ", ".join(f"{o} ×{n}" for o, n in g.outcomes)
        items = [_value_line(v) for v in g.values]
        if g.more:
            items.append(html.Li(f"{g.more} more value pairs", className="gi-muted"))
        blocks.append(
            html.Div(
                [
                    html.Div(
                        [
                            html.Span(g.label, className="gi-ev-field"),
                            html.Span(outcome_text, className="gi-ev-score"),
                        ],
                        className="gi-ev-head",
                    ),
                    html.Ul(items, className="gi-ev-values"),
                ],
                className="gi-ev",
            )
        )
    return blocks
