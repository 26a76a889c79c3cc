"""Why two mentions or entities are (not) one party: the pairwise comparison, spelled out.

``explain_pair`` takes two ids (party entity ids or mention ids "SHIP1#shipper"), reads
their mentions from the store, normalizes them as the resolver does, and compares every
distinct record of one side with every distinct record of the other under the match model
and hubs of the last resolution. The closest pair (highest match weight) is reported with
each field's level, weight, the total, the probability and the rule that made or blocked
the merge (``rules.model_verdict``; sellers: ``rules.decide``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from graphintel.errors import NotFoundError
from graphintel.normalize.name_compare import compare_names
from graphintel.records import Judgement
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import FeatureExtractor, PartyFeatures, shipment_mentions
from graphintel.resolve.judgements import judgement_mentions
from graphintel.resolve.rules import FIELDS, decide, is_seller_pair, model_verdict
from graphintel.resolve.runs import RUN_KIND, run_model
from graphintel.resolve.scoring import PairScorer
from graphintel.store.base import GraphStore

MAX_RECORDS = 200  # distinct records per side compared (the most-mentioned)


@dataclass(frozen=True, slots=True)
class FieldLine:
    field: str
    value_a: str
    value_b: str
    level: str
    weight: float


@dataclass(frozen=True, slots=True)
class PairExplanation:
    mention_a: str
    mention_b: str
    entity_a: str
    entity_b: str
    fields: tuple[FieldLine, ...]
    prior: float  # the model's prior weight (log2 of the prior odds)
    weight: float  # prior plus every field's weight
    probability: float
    merges: bool  # whether the pair rules accept this pair
    rule: str  # the rule that made or blocked it, in words
    name_note: str  # what the name comparison found (dropped words, typos)


def _mentions(store: GraphStore, ref: str) -> set[str]:
    found = judgement_mentions(store, [Judgement(ref, ref, "same", "", "")])
    return found.get(ref, set())


def _records(
    store: GraphStore, mention_ids: set[str], extract: FeatureExtractor
) -> list[tuple[PartyFeatures, str, int]]:
    """Distinct features of the mentions, most-mentioned first: (features, a mention, count)."""
    wanted: dict[str, set[str]] = {}
    for mid in mention_ids:
        shipment_id, _, role = mid.rpartition("#")
        wanted.setdefault(shipment_id, set()).add(role)
    counts: Counter[PartyFeatures] = Counter()
    first: dict[PartyFeatures, str] = {}
    for shipment in store.shipments(sorted(wanted)):
        for pm in shipment_mentions(shipment):
            if pm.mention.role.value in wanted[shipment.shipment_id]:
                f = extract.features(pm)
                counts[f] += 1
                first.setdefault(f, pm.mention.mention_id)
    return [(f, first[f], n) for f, n in counts.most_common(MAX_RECORDS)]


def _entity_of(store: GraphStore, mention_ids: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for batch in store.iter_mentions():
        for m in batch:
            if m.mention_id in mention_ids:
                out[m.mention_id] = m.entity_id
    return out


def explain_pair(
    store: GraphStore, ref_a: str, ref_b: str, config: ResolverConfig | None = None
) -> PairExplanation:
    """The closest comparison between ``ref_a`` and ``ref_b`` (entity or mention ids)."""
    config = config or ResolverConfig()
    run = store.latest_run(RUN_KIND)
    model = run_model(run) if run is not None else None
    if model is None:
        raise NotFoundError("no resolution with a match model in this store: run resolve")
    extract = FeatureExtractor()
    sides = []
    for ref in (ref_a, ref_b):
        mentions = _mentions(store, ref)
        found = _records(store, mentions, extract) if mentions else []
        if not found:
            raise NotFoundError(f"no mention found for {ref!r}")
        sides.append(found)
    state = store.resolver_state()
    hubs = set(json.loads(state["meta"]).get("hubs", ())) if "meta" in state else set()
    left, right = sides
    records = [f for f, _, _ in left] + [f for f, _, _ in right]
    scorer = PairScorer(records, config)
    scorer.prepare(model, hubs)
    best: tuple[float, int, int] | None = None
    for i in range(len(left)):
        for j in range(len(right)):
            k = len(left) + j
            weight = scorer.pair_weight(i, k)
            if best is None or weight > best[0]:
                best = (weight, i, k)
    assert best is not None
    weight, i, k = best
    a, b = records[i], records[k]
    ma, mb = left[i][1], right[k - len(left)][1]
    entities = _entity_of(store, {ma, mb})
    levels = scorer.levels(i, k)
    lines = tuple(
        FieldLine(name, va, vb, FIELDS[f].levels[level - 1], w)
        for f, name, va, vb, level, _, w, _ in scorer.values_of(i, k, levels)
    )
    if is_seller_pair(a, b):
        decision = decide(i, a, k, b, config, hubs)
        merges = decision is not None
        rule = decision.rule if decision is not None else "no seller rule applies"
    else:
        merges, rule = model_verdict(levels, a, b, weight, model.threshold_weight,
                                     scorer.rare_name(a))  # fmt: skip
    names = compare_names(a.name, b.name, a.is_company and b.is_company)
    note = f"name similarity {names.similarity:.0f} over aligned words, {names.edits} edit(s)"
    if names.dropped:
        note += f"; set aside (place or generic words one name lacks): {', '.join(names.dropped)}"
    if names.by_nickname:
        note += "; a given name matched its nickname (weighed as one typo)"
    if names.joined:
        note += "; two words of one name are one word of the other"
    if names.initials_differ:
        note += "; the middle initials differ (two identifiers in common needed)"
    elif not names.typo_words and names.wide_typos:
        note += "; a word is two typos from its match (two identifiers in common needed)"
    return PairExplanation(
        ma, mb, entities.get(ma, ""), entities.get(mb, ""), lines, model.prior_weight,
        weight, model.probability(weight), merges, rule, note,
    )  # fmt: skip


def render_pair(e: PairExplanation) -> str:
    """The explanation as the plain text ``graphintel explain`` prints."""
    same = e.entity_a and e.entity_a == e.entity_b
    out = [
        f"closest pair: {e.mention_a} ({e.entity_a or 'unresolved'}) vs "
        f"{e.mention_b} ({e.entity_b or 'unresolved'})",
        f"now {'one entity' if same else 'two entities'}",
        f"{'field':9s} {'level':15s} {'weight':>7s}  values",
        f"{'prior':9s} {'':15s} {e.prior:7.2f}",
    ]
    for line in e.fields:
        out.append(f"{line.field:9s} {line.level:15s} {line.weight:7.2f}  "
                   f"{line.value_a!r} | {line.value_b!r}")  # fmt: skip
    out.append(f"{'total':9s} {'':15s} {e.weight:7.2f}  probability {e.probability:.4f}")
    out.append(e.name_note)
    out.append(f"pair rules: {'merge' if e.merges else 'no merge'}: {e.rule}")
    if e.merges and not same:
        out.append("(the pair passes, but the chaining guard or a judgement kept the two apart)")
    return "\n".join(out)
