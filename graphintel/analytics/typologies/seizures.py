"""Seizures as seeds: known enforcement results mark the networks around them.

Every seized or violation shipment is a hit anchored to its parties and identifiers, so
it lands in each network that shipped, sold, received, paid or ordered it. One network's
seizures read as one reason ("3 seized shipments: fentanyl"), not one per parcel.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import OUTCOME_SEIZED, OUTCOME_VIOLATION, Projection
from graphintel.analytics.typologies.base import Finding, Hit, Typology


class SeizureSeeds(Typology):
    name = "seizure"
    description = "seized or violation shipments (with their seizure category)"

    def detect(self, projection: Projection, config: AnalysisConfig) -> list[Hit]:
        p = projection
        seeds = np.flatnonzero(
            (p.ship_outcome == OUTCOME_SEIZED) | (p.ship_outcome == OUTCOME_VIOLATION)
        )
        hits = []
        for s in map(int, seeds):
            parties = (int(p.ship_shipper[s]), int(p.ship_consignee[s]), int(p.ship_seller[s]))
            idents = (int(p.ship_address[s]), int(p.ship_payment[s]), int(p.ship_ip[s]))
            anchors = tuple(x for x in parties if x >= 0) + tuple(
                p.n_parties + x for x in idents if x >= 0
            )
            seized = int(p.ship_outcome[s]) == OUTCOME_SEIZED
            category = p.ship_category[s]
            word = "seized" if seized else "violation"
            hits.append(
                Hit(
                    typology=self.name,
                    reason=f"{word}: {category}" if category else word,
                    evidence=(p.shipment_ids[s],),
                    anchors=anchors,
                    points=1.0 if seized else config.violation_factor,
                    shipments=(s,),
                )
            )
        return hits

    def summarize(
        self, hits: Sequence[Hit], projection: Projection, config: AnalysisConfig
    ) -> list[Finding]:
        findings = []
        priority = {c.casefold() for c in config.priority_categories}
        for outcome in (OUTCOME_SEIZED, OUTCOME_VIOLATION):
            group = [
                h.shipments[0]
                for h in hits
                if int(projection.ship_outcome[h.shipments[0]]) == outcome
            ]
            if not group:
                continue
            categories = Counter(
                projection.ship_category[s].casefold() for s in group if projection.ship_category[s]
            )
            n = len(group)
            if outcome == OUTCOME_SEIZED:
                head = f"{n} seized shipment{'s' if n != 1 else ''}"
                points = 1.0 + math.log2(n)
            else:
                head = f"{n} shipment{'s' if n != 1 else ''} with violations"
                points = config.violation_factor * (1.0 + math.log2(n))
            if not any(word in c for c in categories for word in priority):
                points *= config.minor_category_factor
            listed = ", ".join(c for c, _ in categories.most_common())
            findings.append(
                Finding(
                    typology=self.name,
                    reason=f"{head}: {listed}" if listed else head,
                    evidence=tuple(projection.shipment_ids[s] for s in sorted(group))[
                        : config.max_evidence
                    ],
                    points=points,
                )
            )
        return findings
