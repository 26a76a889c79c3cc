"""First-seen parties shipping high-risk goods: a new shipper whose first weeks already
include precursor chemicals (HTS 2933, 2934) or tablet presses (HTS 8479).

Established chemical and machinery exporters ship these headings every week; a shipper
or seller that appears in the data only after an observation period and moves them within
days of its first parcel is the pattern of a shell set up for one run. Descriptions catch
what the HTS code hides ("tablet press" declared under a generic heading).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

import numpy as np

from graphintel.analytics.arrays import IntArray
from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import Projection
from graphintel.analytics.typologies.base import Finding, Hit, Typology, group_by, strength

_EVIDENCE_SHIPMENTS = 50


def high_risk_shipments(projection: Projection, config: AnalysisConfig) -> IntArray:
    """Indices of shipments whose HTS heading or description is on the config's lists."""
    headings = tuple(config.high_risk_hts)
    terms = tuple(t.casefold() for t in config.high_risk_terms)
    # Codes and descriptions repeat heavily (a catalogue, not free text): test each distinct
    # value once (a million shipments hold a few thousand).
    risky_hts = {h for h in set(projection.ship_hts) if h.startswith(headings)}
    risky_text = {d for d in set(projection.ship_description) if any(t in d for t in terms)}
    flags = np.fromiter(
        (
            hts in risky_hts or text in risky_text
            for hts, text in zip(projection.ship_hts, projection.ship_description, strict=True)
        ),
        dtype=bool,
        count=projection.n_shipments,
    )
    return np.flatnonzero(flags)


def _what(projection: Projection, ships: IntArray, config: AnalysisConfig) -> str:
    words: Counter[str] = Counter()
    for s in ships.tolist():
        hts = projection.ship_hts[s]
        heading = next((h for h in config.high_risk_hts if hts.startswith(h)), "")
        words[f"HTS {heading}" if heading else projection.ship_description[s][:40]] += 1
    return ", ".join(w for w, _ in words.most_common(4))


class FirstSeenHighRisk(Typology):
    name = "first_seen_high_risk"
    description = "shipper or seller new to the data shipping precursors or tablet presses early"

    def summarize(
        self, hits: Sequence[Hit], projection: Projection, config: AnalysisConfig
    ) -> list[Finding]:
        """One reason per network: a ring's rotating shells would otherwise fill the list."""
        if len(hits) <= 1:
            return super().summarize(hits, projection, config)
        shipments = np.array(sorted({s for h in hits for s in h.shipments}), dtype=np.int64)
        parties = [h.evidence[0] for h in hits]
        reason = (
            f"{len(hits)} shippers or sellers new to the data shipped {len(shipments)}"
            f" high-risk parcels within {config.first_seen_window_days} days of first"
            f" appearing: {_what(projection, shipments, config)}"
        )
        ranked = sorted((h.points for h in hits), reverse=True)
        points = sum(pt / (k + 1) for k, pt in enumerate(ranked))
        evidence = (*parties, *(projection.shipment_ids[s] for s in shipments))
        return [Finding(self.name, reason, evidence[: config.max_evidence], points)]

    def detect(self, projection: Projection, config: AnalysisConfig) -> list[Hit]:
        p = projection
        known = np.flatnonzero(p.ship_date >= 0)
        if len(known) == 0:
            return []
        start = int(p.ship_date[known].min())
        risky = np.zeros(p.n_shipments, dtype=bool)
        risky[high_risk_shipments(p, config)] = True
        hits = []
        for column, role in ((p.ship_shipper, "shipper"), (p.ship_seller, "seller")):
            rows = np.flatnonzero((column >= 0) & (p.ship_date >= 0))
            first = np.full(p.n_parties, np.iinfo(np.int64).max, dtype=np.int64)
            np.minimum.at(first, column[rows], p.ship_date[rows])
            # Parties absent for the observation period, shipping risky goods soon after.
            early = rows[
                risky[rows]
                & (first[column[rows]] - start >= config.first_seen_after_days)
                & (p.ship_date[rows] - first[column[rows]] <= config.first_seen_window_days)
                & ~p.party_is_hub[column[rows]]
            ]
            if len(early) == 0:
                continue
            keyed = np.full(p.n_shipments, -1, dtype=np.int64)
            keyed[early] = column[early]
            order, bounds = group_by(keyed, p.n_parties)
            for party in np.flatnonzero(np.diff(bounds) > 0).tolist():
                ships = order[bounds[party] : bounds[party + 1]]
                consignees = p.ship_consignee[ships]
                seen = date.fromordinal(int(first[party])).isoformat()
                n = len(ships)
                reason = (
                    f"{role} first seen {seen} shipped {n} high-risk parcel{'s' if n != 1 else ''}"
                    f" within {config.first_seen_window_days} days: {_what(p, ships, config)}"
                )
                evidence = (
                    p.party_ids[party],
                    *(p.shipment_ids[s] for s in ships[:_EVIDENCE_SHIPMENTS]),
                )
                hits.append(
                    Hit(
                        typology=self.name,
                        reason=reason,
                        evidence=evidence[: config.max_evidence],
                        # The consignees it shipped them to: joined into its network.
                        anchors=(party, *sorted(set(consignees[consignees >= 0].tolist()))),
                        points=strength(n, config.first_seen_min_shipments),
                        shipments=tuple(int(s) for s in ships),
                    )
                )
        return hits
