"""Resolve distinct party records into entities: block, decide, cluster, explain."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphintel.evidence_weights import JUDGED_ROW, EvidenceWeights
from graphintel.normalize.name_compare import compare_names_cached
from graphintel.records import MergeEvidence
from graphintel.resolve.blocking import Blocker
from graphintel.resolve.cluster import cluster
from graphintel.resolve.config import ProgressCallback, ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.gc_pause import gc_paused
from graphintel.resolve.ids import entity_id_for
from graphintel.resolve.judgements import RULE_JUDGED_SAME, JudgedGroups
from graphintel.resolve.merge_trail import JUDGED, EvidenceChange, MergeTrail, merge_entry
from graphintel.resolve.pair_cache import CachingScorer, ComparisonCache
from graphintel.resolve.rules import Decision
from graphintel.resolve.scoring import decision_evidence
from graphintel.resolve.table import RecordTable

logger = logging.getLogger(__name__)

_PROGRESS_EVERY = 50_000
# each record's entity and the merge trail -> the entities whose evidence to write out
EvidenceScope = Callable[[Sequence[str], MergeTrail], EvidenceChange | None]


@dataclass(frozen=True, slots=True)
class Resolution:
    """Entity id per distinct record, the evidence of every merge, and counts."""

    entity_of: list[str]
    evidence: list[MergeEvidence]
    candidate_pairs: int
    merges: int
    entities: int
    oversized_blocks: int
    refused_by_guard: int
    hub_identifiers: int
    model: dict[str, Any] = field(default_factory=dict)  # the fitted match model (JSON)
    hubs: frozenset[str] = frozenset()  # the hub identifiers the pairs were compared under
    # what stored evidence rows are weighed with (None: no model was fitted)
    weights: EvidenceWeights | None = None
    # every merge behind the evidence, in its order (``merge_trail``)
    trail: MergeTrail = field(default_factory=lambda: MergeTrail.of([]))
    # what ``evidence_of`` answered: the merges (trail positions) spelled out (None: all)
    evidence_of: EvidenceChange | None = None


def _evidence(
    entity_id: str, d: Decision, a: PartyFeatures, b: PartyFeatures, ma: str, mb: str
) -> list[MergeEvidence]:
    return decision_evidence(entity_id, d, a, b, ma, mb)


def _judged_evidence(entity_id: str, g: JudgedGroups, table: RecordTable) -> MergeEvidence:
    j = g.judgement
    return MergeEvidence(
        entity_id, table.first_mention[g.left[0]], table.first_mention[g.right[0]],
        f"judged same by {j.user} at {j.created_at}", j.left, j.right, 1.0, 1.0,
        RULE_JUDGED_SAME, JUDGED_ROW,
    )  # fmt: skip


def resolve_records(
    table: RecordTable,
    config: ResolverConfig | None = None,
    progress: ProgressCallback | None = None,
    judged: Sequence[JudgedGroups] = (),
    cache: ComparisonCache | None = None,
    saved_hubs: set[str] | None = None,
    explain: bool = True,
    evidence_of: EvidenceScope | None = None,
) -> Resolution:
    """Cluster the table's distinct records into party entities, obeying ``judged``.

    ``cache`` supplies the comparison vectors of pairs compared before (and records this
    run's); ``saved_hubs`` are the hubs they were compared under: records holding an
    identifier whose hub status changed since are compared afresh. ``explain=False``
    skips writing out the merges' evidence (``Resolution.evidence`` stays empty) for a
    caller that needs only the clusters; ``evidence_of``, told each record's entity and the
    merge trail, says which merges' evidence to write out (None: every one), as a day that
    keeps the rest as stored needs.
    """
    try:
        with gc_paused():
            return _resolve(table, config or ResolverConfig(), progress, judged, cache,
                            saved_hubs, explain, evidence_of)  # fmt: skip
    finally:
        compare_names_cached.cache_clear()


def _resolve(
    table: RecordTable,
    config: ResolverConfig,
    progress: ProgressCallback | None,
    judged: Sequence[JudgedGroups],
    cache: ComparisonCache | None,
    saved_hubs: set[str] | None,
    explain: bool,
    evidence_of: EvidenceScope | None,
) -> Resolution:
    records = table.features
    blocker = Blocker(records, table.mention_count, config)
    cache = cache if cache is not None else ComparisonCache(len(records))
    if saved_hubs is not None:
        cache.forget(blocker.members(blocker.find_hubs() ^ saved_hubs))
    scorer = CachingScorer(records, config, cache)
    left, right = blocker.pairs()
    decisions = scorer.score(left, right, blocker.hubs, progress, _PROGRESS_EVERY)
    must_link: list[tuple[int, int]] = []
    must_owner: list[int] = []  # judgement behind each must-link pair
    for k, g in enumerate(judged):
        if g.judgement.verdict == "same":
            anchor = g.left[0]
            for r in (*g.left[1:], *g.right):
                must_link.append((anchor, r))
                must_owner.append(k)
    cannot_link = [(g.left, g.right) for g in judged if g.judgement.verdict == "different"]
    clustering = cluster(records, table.mention_count, decisions, config, must_link, cannot_link)

    smallest: dict[int, str] = {}
    for index, root in enumerate(clustering.roots):
        mention = table.first_mention[index]
        if root not in smallest or mention < smallest[root]:
            smallest[root] = mention
    entity_by_root = {root: entity_id_for(m) for root, m in smallest.items()}
    entity_of = [entity_by_root[root] for root in clustering.roots]

    judged_kept = sorted({must_owner[i] for i in clustering.judged})
    trail = MergeTrail.of(
        [merge_entry(d, records, scorer.term_count) for d in clustering.accepted]
        + [(judged[k].left[0], judged[k].right[0], JUDGED, 0, 0) for k in judged_kept]
    )
    change = None if evidence_of is None else evidence_of(entity_of, trail)
    wanted = None if change is None else change.written
    evidence: list[MergeEvidence] = []
    for k, d in enumerate(clustering.accepted if explain else ()):
        if wanted is None or k in wanted:
            evidence.extend(
                _evidence(entity_of[d.a], d, records[d.a], records[d.b],
                          table.first_mention[d.a], table.first_mention[d.b])
            )  # fmt: skip
    for n, k in enumerate(judged_kept if explain else (), len(clustering.accepted)):
        if wanted is None or n in wanted:
            evidence.append(_judged_evidence(entity_of[judged[k].left[0]], judged[k], table))
    if clustering.refused_by_judgement:
        logger.info("%d joins refused by 'different' judgements", clustering.refused_by_judgement)
    logger.info(
        "resolved %d distinct records: %d candidate pairs, %d accepted, %d merges, "
        "%d refused by the chaining guard, %d entities",
        len(records), blocker.candidate_pairs, len(decisions), len(clustering.accepted),
        clustering.refused_by_guard, len(entity_by_root),
    )  # fmt: skip
    return Resolution(
        entity_of=entity_of,
        evidence=evidence,
        candidate_pairs=blocker.candidate_pairs,
        merges=len(clustering.accepted),
        entities=len(entity_by_root),
        oversized_blocks=blocker.oversized_blocks,
        refused_by_guard=clustering.refused_by_guard,
        hub_identifiers=len(blocker.hubs),
        model=scorer.model.to_dict() if scorer.model is not None else {},
        hubs=frozenset(blocker.hubs),
        # (fixed rules only: no weights, but their row says the rows are in the new form)
        weights=scorer.evidence_weights() or EvidenceWeights(0.0, {}, {}),
        trail=trail,
        evidence_of=change,
    )
