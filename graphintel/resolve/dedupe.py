"""Deduplicate a standalone party list (a watchlist, a seller list) with the pipeline's resolver.

Each record becomes one party mention in the role the list's parties play (the role picks
the normalization defaults, as on a manifest: a consignee's address and phone default to
the US, a shipper's country may be read from its city or phone, a seller has a marketplace
account). The records then go through the same ``FeatureExtractor``, ``RecordTable`` and
``resolve_records`` as ``resolve_store``, so a list clusters exactly as the same parties
would on shipments.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from typing import Any

from graphintel.model import Role
from graphintel.records import PARTY_FIELDS, Mention, MergeEvidence, PartyRecord, mention_id
from graphintel.resolve.config import ProgressCallback, ResolverConfig
from graphintel.resolve.features import (
    FeatureExtractor,
    FeatureValues,
    PartyFeatures,
    PartyMention,
    feature_values,
)
from graphintel.resolve.gc_pause import gc_paused
from graphintel.resolve.list_model import ListLink, ListLinkage, ListRecord, link_list
from graphintel.resolve.parallel import pool_context
from graphintel.resolve.resolver import resolve_records
from graphintel.resolve.table import RecordTable

logger = logging.getLogger(__name__)

PROFILES = ("list", "manifest")
LIST_MATCH_PROBABILITY = 0.5  # the list profile's decision threshold (Splink's default)
PARALLEL_MIN_RECORDS = 20_000  # below this, starting worker processes costs more than it saves
_CHUNK = 5_000

# The fields a party list can give; everything else in a source row is ignored.


@dataclass(frozen=True, slots=True)
class DedupeRow:
    """A record's cluster and, when it joined one, the link that put it there.

    ``cluster_id`` is the smallest record id of the cluster. ``matched_to`` is the record
    it was linked to (for an exact duplicate after normalization: the record it duplicates);
    ``score`` is that link's match probability (see ``_describe``; 1.0 for a duplicate, None
    for a record alone in its cluster); ``explanation`` lists the evidence.
    """

    record_id: str
    cluster_id: str
    cluster_size: int
    matched_to: str = ""
    score: float | None = None
    explanation: str = ""


@dataclass(frozen=True, slots=True)
class DedupeResult:
    rows: list[DedupeRow]
    records: int
    distinct_records: int
    candidate_pairs: int
    merges: int
    clusters: int
    unresolved: dict[str, str]  # record id -> why it was kept out of resolution (alone)
    model: dict[str, Any] | None = None  # the list profile's fitted model and threshold
    # the resolver's fitted Fellegi-Sunter model (both profiles; {} when nothing was scored)
    manifest_model: dict[str, Any] = field(default_factory=dict)
    profile: str = "list"
    threshold: float = LIST_MATCH_PROBABILITY  # the match probability a link needed


def model_document(result: DedupeResult) -> dict[str, Any]:
    """What ``graphintel dedupe`` saves as the run's model: the profile, the match
    probability a link needed (``threshold``), the fitted model that decided the links
    (``model``: m, u and weight per field level, lambda, term frequencies, fit counts) and,
    for the list profile, the resolver's model whose merges its links add to
    (``manifest_model``). A model is ``{}`` when the run had nothing to fit it on."""
    if result.profile == "list":
        return {"profile": result.profile, "threshold": result.threshold,
                "model": result.model or {}, "manifest_model": result.manifest_model}  # fmt: skip
    return {"profile": result.profile, "threshold": result.threshold,
            "model": result.manifest_model}  # fmt: skip


def _mention(record: PartyRecord, role: Role) -> PartyMention:
    seller = role is Role.SELLER
    mention = Mention(
        record.name,
        "" if seller else record.address, "" if seller else record.city,
        "" if seller else record.state, "" if seller else record.postal_code,
        record.country, "" if seller else record.phone, "" if seller else record.email,
        shipment_id=record.record_id, role=role,
    )  # fmt: skip
    if seller:
        return PartyMention(mention, record.seller_id.strip(), record.marketplace)
    return PartyMention(mention)


def _describe(rows: list[MergeEvidence]) -> tuple[float, str]:
    """A link's score and evidence text. A model link's score is its match probability (the
    resolver's closing ``match_probability`` row); a rule's, similarity x weight summed."""
    total = next((ev for ev in rows if ev.field == "match_probability"), None)
    fields = [ev for ev in rows if ev is not total]
    parts = [
        f"{ev.field}: {ev.value_a!r} ~ {ev.value_b!r} (similarity {ev.similarity:.2f},"
        f" weight {ev.weight:.2f})"
        for ev in fields
    ]
    if total is not None:
        score = total.similarity
        parts.append(f"match probability {total.similarity:.4f} (match weight {total.weight:.2f})")
    else:
        score = sum(ev.similarity * ev.weight for ev in fields)
    rules = sorted({ev.rule for ev in rows if ev.rule})
    if rules:
        parts.append("rule: " + ", ".join(rules))
    return round(score, 4), "; ".join(parts)


def _describe_link(link: ListLink) -> tuple[float, str]:
    """A list-model link's score (its match probability) and per-field evidence."""
    parts = [f"{name}: {a!r} ~ {b!r} ({level}, weight {w:.2f})"
             for name, a, b, level, w in link.fields]  # fmt: skip
    parts.append(f"match probability {link.probability:.4f} (match weight {link.weight:.2f})")
    parts.append("rule: fellegi_sunter_list")
    return round(link.probability, 4), "; ".join(parts)


def _list_links(
    records: list[PartyRecord],
    features: list[PartyFeatures],
    config: ResolverConfig | None,
    threshold: float,
    households_apart: bool,
) -> ListLinkage:
    rows = [ListRecord.of(f, r.address, r.city, r.state, r.postal_code)
            for r, f in zip(records, features, strict=True)]  # fmt: skip
    return link_list(rows, config or ResolverConfig(), threshold, households_apart=households_apart)


def _joined(entity: list[str], links: list[tuple[int, int]]) -> list[str]:
    """``entity`` (one per record) with the records of each link in one entity."""
    parent = list(range(len(entity)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[str, int] = {}
    for k, e in enumerate(entity):
        parent[k] = find(first.setdefault(e, k))
    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [entity[find(k)] for k in range(len(entity))]


_record_values = attrgetter(*PARTY_FIELDS)  # record_id, then PartyRecord's positional fields
_worker_extractor: FeatureExtractor | None = None


def _normalized(
    extractor: FeatureExtractor, rows: list[tuple[str, ...]], role: Role
) -> list[FeatureValues]:
    with gc_paused():  # the extractor's caches hold many objects: see gc_pause
        return [feature_values(extractor.features(
                    _mention(PartyRecord(*row[1:], record_id=row[0]), role)))
                for row in rows]  # fmt: skip


def _extract(role: Role, rows: list[tuple[str, ...]]) -> list[FeatureValues]:
    """Worker side of ``_features``: one extractor (and its caches) per worker process.
    Plain tuples travel both ways: they pickle several times faster than dataclasses."""
    global _worker_extractor
    if _worker_extractor is None:
        _worker_extractor = FeatureExtractor()
    return _normalized(_worker_extractor, rows, role)


def _features(
    records: list[PartyRecord], role: Role, workers: int, progress: ProgressCallback | None
) -> list[FeatureValues]:
    """Each record's normalized features (as ``table.feature_values``), in ``workers``
    processes for a long list (normalization, not comparison, dominates a list of mostly
    distinct parties)."""
    rows = [_record_values(r) for r in records]
    if workers <= 1 or len(records) < PARALLEL_MIN_RECORDS:
        return _normalized(FeatureExtractor(), rows, role)
    chunks = [rows[i : i + _CHUNK] for i in range(0, len(rows), _CHUNK)]
    out: list[FeatureValues] = []
    context = pool_context()
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for part in pool.map(partial(_extract, role), chunks):
            out.extend(part)
            if progress is not None:
                progress("normalizing records", len(out))
    return out


def dedupe_records(
    records: Iterable[PartyRecord],
    role: Role = Role.SHIPPER,
    config: ResolverConfig | None = None,
    progress: ProgressCallback | None = None,
    workers: int = 1,
    profile: str = "list",
    list_threshold: float = LIST_MATCH_PROBABILITY,
    households_apart: bool = True,
    explain: bool = True,
) -> DedupeResult:
    """Cluster ``records`` into parties. Record ids must be unique (``ValueError`` if not).

    ``explain=False`` leaves out each row's link (``matched_to``, ``score``, evidence
    text): the same clusters for a caller that needs only them, without writing out an
    explanation for every merge.

    ``profile="list"`` (the default) adds, on top of the manifest resolver's merges, the
    links of ``list_model.link_list``: a Fellegi-Sunter model on name and address
    sub-fields that merges typo'd duplicates at a match probability of ``list_threshold``
    (sellers keep the manifest rules; ``households_apart`` see ``list_model.link_list``).
    ``profile="manifest"`` clusters exactly as the same
    parties would on shipments.

    ``workers`` > 1 normalizes a list of at least ``PARALLEL_MIN_RECORDS`` records in that
    many processes (see ``pool_context``; where they are spawned, a calling script needs the
    ``if __name__ == "__main__":`` guard); the clusters are the same either way."""
    if profile not in PROFILES:
        raise ValueError(f"unknown dedupe profile {profile!r} (one of {', '.join(PROFILES)})")
    with gc_paused():
        return _dedupe(records, role, config, progress, workers, profile, list_threshold,
                       households_apart, explain)  # fmt: skip


def _dedupe(
    records: Iterable[PartyRecord],
    role: Role,
    config: ResolverConfig | None,
    progress: ProgressCallback | None,
    workers: int,
    profile: str,
    list_threshold: float,
    households_apart: bool,
    explain: bool,
) -> DedupeResult:
    listed = list(records)
    seen: set[str] = set()
    for record in listed:
        if record.record_id in seen:
            raise ValueError(f"record id {record.record_id!r} appears twice")
        seen.add(record.record_id)
    del seen
    suffix = mention_id("", role)  # a record's mention id: record id + suffix
    cut = len(suffix)
    table = RecordTable()
    ids: list[str] = []  # the resolved records' ids, in input order
    index_of: list[int] = []  # resolved record -> distinct record index
    kept: list[PartyRecord] = []  # the resolved records
    unresolved: dict[str, str] = {}
    for record, values in zip(listed, _features(listed, role, workers, progress), strict=True):
        record_id = record.record_id
        if not values[1]:  # no name key
            # Nothing to compare a name with: never merged, not even on a shared identifier.
            unresolved[record_id] = "no letters or digits in the name"
            continue
        index = table.add_values(values)
        table.count(index, record_id + suffix, 1)
        ids.append(record_id)
        index_of.append(index)
        kept.append(record)
    resolver_config = config or ResolverConfig()
    resolution = resolve_records(table, resolver_config, progress, explain=explain)
    # Each resolved record's entity: the resolver's, joined by the list model's links.
    entity = [resolution.entity_of[index] for index in index_of]
    linkage: ListLinkage | None = None
    if profile == "list" and role is not Role.SELLER and ids:
        linkage = _list_links(
            kept,
            [table.features[index] for index in index_of],
            config,
            list_threshold,
            households_apart,
        )
        entity = _joined(entity, [(link.a, link.b) for link in linkage.links])
    del kept

    # Evidence per linked pair of records (its mentions are the distinct records' first ones).
    evidence: dict[tuple[str, str], list[MergeEvidence]] = defaultdict(list)
    for ev in resolution.evidence if explain else ():
        evidence[(ev.mention_a[:-cut], ev.mention_b[:-cut])].append(ev)
    best: dict[str, tuple[float, str, str]] = {}  # record -> (score, partner, explanation)
    described = [(a, b, *_describe(rows)) for (a, b), rows in evidence.items()]
    if linkage is not None and explain:
        described += [(ids[link.a], ids[link.b], *_describe_link(link)) for link in linkage.links]
    for a, b, score, text in described:
        for mine, other in ((a, b), (b, a)):
            if mine not in best or score > best[mine][0]:
                best[mine] = (score, other, text)

    members: dict[str, list[str]] = defaultdict(list)
    for record_id, record_entity in zip(ids, entity, strict=True):
        members[record_entity].append(record_id)
    cluster_of: dict[str, tuple[str, int]] = {}
    for group_entity, group in members.items():
        cluster_of[group_entity] = (min(group), len(group))
    first_of_index = [m[:-cut] for m in table.first_mention]
    twin: dict[int, str] = {}  # distinct record -> another record identical to its first
    for record_id, index in zip(ids, index_of, strict=True):
        if explain and record_id != first_of_index[index]:
            twin.setdefault(index, record_id)

    by_id: dict[str, DedupeRow] = {}
    for record_id, index, record_entity in zip(ids, index_of, entity, strict=True):
        cluster_id, size = cluster_of[record_entity]
        first = first_of_index[index] if explain else record_id
        if first != record_id:
            by_id[record_id] = DedupeRow(record_id, cluster_id, size, first, 1.0,
                                         "identical after normalization")  # fmt: skip
        elif record_id in best:
            score, partner, text = best[record_id]
            by_id[record_id] = DedupeRow(record_id, cluster_id, size, partner, score, text)
        elif index in twin:
            by_id[record_id] = DedupeRow(record_id, cluster_id, size, twin[index], 1.0,
                                         "identical after normalization")  # fmt: skip
        else:
            by_id[record_id] = DedupeRow(record_id, cluster_id, size)
    for record_id, why in unresolved.items():
        by_id[record_id] = DedupeRow(record_id, record_id, 1, explanation=f"not resolved: {why}")
    rows = [by_id[record.record_id] for record in listed]
    if unresolved:
        logger.info("%d records not resolved (no usable name)", len(unresolved))
    logger.info(
        "deduplicated %d records (%d distinct) into %d clusters",
        len(rows), len(table), len(members) + len(unresolved),
    )  # fmt: skip
    return DedupeResult(
        rows=rows,
        records=len(rows),
        distinct_records=len(table),
        candidate_pairs=resolution.candidate_pairs,
        merges=resolution.merges,
        clusters=len(members) + len(unresolved),
        unresolved=unresolved,
        model=linkage.model.to_dict() if linkage is not None else None,
        manifest_model=resolution.model,
        profile=profile,
        threshold=list_threshold if profile == "list" else resolver_config.match_probability,
    )
