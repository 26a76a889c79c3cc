"""Investigator judgements as clustering constraints.

A judgement names two mentions ("SHIP1#consignee") or party entities ("party:..."); entity
ids are translated to their mentions in the graph the store holds now (the one the
judgement was made against; an id merged away since stands for the mention it was named
after), then to distinct record indices. "different" becomes a
cannot-link between the two record groups, "same" a must-link applied before any scored
pair.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graphintel.model import NodeKind, kind_of
from graphintel.records import Judgement
from graphintel.resolve.ids import entity_id_for
from graphintel.store.base import GraphReader

logger = logging.getLogger(__name__)

RULE_JUDGED_SAME = "judgement:same"


@dataclass(frozen=True, slots=True)
class JudgedGroups:
    """One judgement with each side as the distinct record indices it stands for."""

    judgement: Judgement
    left: tuple[int, ...]
    right: tuple[int, ...]


def _is_entity(ref: str) -> bool:
    try:
        return kind_of(ref) is NodeKind.PARTY
    except (KeyError, ValueError):
        return False


def judgement_mentions(store: GraphReader, judgements: Sequence[Judgement]) -> dict[str, set[str]]:
    """Every side named in ``judgements`` -> the mention ids it stands for now."""
    out: dict[str, set[str]] = {}
    entities: set[str] = set()
    for j in judgements:
        for ref in (j.left, j.right):
            if _is_entity(ref):
                entities.add(ref)
                out.setdefault(ref, set())
            else:
                out[ref] = {ref}
    if entities:
        for batch in store.iter_mentions():
            for m in batch:
                if m.entity_id in entities:
                    out[m.entity_id].add(m.mention_id)
    gone = {e for e in entities if not out[e]}
    if gone:
        # An entity merged away by an earlier judgement lost its id; an entity id is the
        # hash of its smallest mention, so that mention still stands for it.
        for batch in store.iter_mentions():
            for m in batch:
                named = entity_id_for(m.mention_id)
                if named in gone:
                    out[named].add(m.mention_id)
    return out


def judged_groups(
    judgements: Sequence[Judgement],
    mentions_of: dict[str, set[str]],
    record_of: dict[str, int],
) -> list[JudgedGroups]:
    """Judgements whose both sides name at least one mention present in this resolution."""
    out: list[JudgedGroups] = []
    for j in judgements:
        left = _records(mentions_of.get(j.left, ()), record_of)
        right = _records(mentions_of.get(j.right, ()), record_of)
        if not left or not right:
            logger.warning("judgement %s %s %s names no current mention; skipped",
                           j.verdict, j.left, j.right)  # fmt: skip
            continue
        out.append(JudgedGroups(j, left, right))
    return out


def _records(mentions: Iterable[str], record_of: dict[str, int]) -> tuple[int, ...]:
    return tuple(sorted({record_of[m] for m in mentions if m in record_of}))
