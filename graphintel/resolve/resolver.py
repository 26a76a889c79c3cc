"""Resolve distinct party records into entities: block, decide, cluster, explain."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from graphintel.model import NodeKind, node_id
from graphintel.records import MergeEvidence
from graphintel.resolve.blocking import Blocker
from graphintel.resolve.cluster import cluster
from graphintel.resolve.config import ProgressCallback, ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.scoring import FIELD_WEIGHTS, Decision, decide
from graphintel.resolve.table import RecordTable

logger = logging.getLogger(__name__)

_PROGRESS_EVERY = 50_000


def entity_id_for(smallest_mention_id: str) -> str:
    """Party node id from the cluster's smallest mention id: stable across re-runs as long
    as that mention stays in the cluster."""
    digest = hashlib.blake2b(smallest_mention_id.encode("utf-8"), digest_size=8).hexdigest()
    return node_id(NodeKind.PARTY, digest)


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


def _evidence(
    entity_id: str, d: Decision, a: PartyFeatures, b: PartyFeatures, ma: str, mb: str
) -> list[MergeEvidence]:
    rows = [
        MergeEvidence(entity_id, ma, mb, "name", a.name, b.name, d.name_similarity / 100, 1.0,
                      d.rule)
    ]  # fmt: skip
    for field in d.agreements:
        rows.append(
            MergeEvidence(
                entity_id, ma, mb, field, str(getattr(a, field)), str(getattr(b, field)),
                1.0, FIELD_WEIGHTS[field], d.rule,
            )
        )  # fmt: skip
    return rows


def resolve_records(
    table: RecordTable,
    config: ResolverConfig | None = None,
    progress: ProgressCallback | None = None,
) -> Resolution:
    """Cluster the table's distinct records into party entities."""
    config = config or ResolverConfig()
    records = table.features
    blocker = Blocker(records, table.mention_count, config)
    decisions: list[Decision] = []
    compared = 0
    for i, j in blocker.pairs():
        decision = decide(i, records[i], j, records[j], config, blocker.hubs)
        if decision is not None:
            decisions.append(decision)
        compared += 1
        if progress is not None and compared % _PROGRESS_EVERY == 0:
            progress("comparing candidate pairs", compared)
    if progress is not None:
        progress("comparing candidate pairs", compared)
    clustering = cluster(records, table.mention_count, decisions, config)

    smallest: dict[int, str] = {}
    for index, root in enumerate(clustering.roots):
        mention = table.first_mention[index]
        if root not in smallest or mention < smallest[root]:
            smallest[root] = mention
    entity_by_root = {root: entity_id_for(m) for root, m in smallest.items()}
    entity_of = [entity_by_root[root] for root in clustering.roots]

    evidence: list[MergeEvidence] = []
    for d in clustering.accepted:
        evidence.extend(
            _evidence(
                entity_of[d.a], d, records[d.a], records[d.b],
                table.first_mention[d.a], table.first_mention[d.b],
            )
        )  # fmt: skip
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
    )
