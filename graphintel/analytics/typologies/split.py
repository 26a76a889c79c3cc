"""Split shipments: one order cut into parcels that each stay under the de minimis limit.

Two or more shipments from one shipper party to one consignee, on the same or adjacent
days, each at or under $800 and together over it, are the classic way to keep a
controlled or dutiable order on the Section 321 release-on-manifest path.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from graphintel.analytics.arrays import IntArray
from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import Projection
from graphintel.analytics.typologies.base import Finding, Hit, Typology, strength

_DATE_SPAN = 1 << 23  # larger than any date ordinal, to build (pair, date) sort keys


class SplitShipment(Typology):
    name = "split_shipment"
    description = "shipments from one shipper to one consignee on adjacent days, split under $800"

    def detect(self, projection: Projection, config: AnalysisConfig) -> list[Hit]:
        limit = config.split_value_limit_usd
        p = projection
        candidates = np.flatnonzero(
            (p.ship_consignee >= 0)
            & (p.ship_shipper >= 0)
            & (p.ship_date >= 0)
            & np.isfinite(p.ship_value)
            & (p.ship_value <= limit)
        )
        if len(candidates) < config.split_min_shipments:
            return []
        pair_key = p.ship_consignee[candidates] * max(p.n_parties, 1) + p.ship_shipper[candidates]
        _, pair_id = np.unique(pair_key, return_inverse=True)
        day_key = pair_id.reshape(-1) * _DATE_SPAN + p.ship_date[candidates]
        order = np.argsort(day_key, kind="stable")
        shipments, day_key = candidates[order], day_key[order]
        values = p.ship_value[shipments]

        # One row per (pair, day): its first shipment, count and value.
        row_start = np.flatnonzero(np.r_[True, day_key[1:] != day_key[:-1]])
        row_key = day_key[row_start]
        row_bounds = np.r_[row_start, len(shipments)]
        count_cum = np.r_[0, np.cumsum(np.diff(row_bounds))]
        value_cum = np.r_[0.0, np.cumsum(np.add.reduceat(values, row_start))]
        # Window of row i: rows of the same pair within split_max_gap_days days after it.
        window_end = np.searchsorted(row_key, row_key + config.split_max_gap_days, side="right")
        rows = np.arange(len(row_key))
        window_count = count_cum[window_end] - count_cum[rows]
        window_value = value_cum[window_end] - value_cum[rows]
        flagged = np.flatnonzero(
            (window_count >= config.split_min_shipments) & (window_value > limit)
        )

        hits: list[Hit] = []
        chain_start, chain_end = -1, -1
        for row in map(int, flagged):
            end = int(window_end[row])
            if row < chain_end:
                chain_end = max(chain_end, end)
                continue
            if chain_start >= 0:
                hits.append(self._hit(p, shipments, row_bounds, chain_start, chain_end, config))
            chain_start, chain_end = row, end
        if chain_start >= 0:
            hits.append(self._hit(p, shipments, row_bounds, chain_start, chain_end, config))
        return hits

    def summarize(
        self, hits: Sequence[Hit], projection: Projection, config: AnalysisConfig
    ) -> list[Finding]:
        """One reason per network: single splits read alike, so many are counted together."""
        if len(hits) <= 1:
            return super().summarize(hits, projection, config)
        shipments = sorted({s for h in hits for s in h.shipments})
        consignees = {int(projection.ship_consignee[s]) for s in shipments}
        total = float(projection.ship_value[shipments].sum())
        limit = config.split_value_limit_usd
        reason = (
            f"{len(hits)} split orders to {len(consignees)}"
            f" consignee{'s' if len(consignees) != 1 else ''}: {len(shipments)}"
            f" shipments each under ${limit:,.0f} on the same or adjacent days,"
            f" together ${total:,.0f}"
        )
        ranked = sorted((h.points for h in hits), reverse=True)
        points = sum(p / (k + 1) for k, p in enumerate(ranked))
        evidence = tuple(projection.shipment_ids[s] for s in shipments)
        return [Finding(self.name, reason, evidence[: config.max_evidence], points)]

    def _hit(
        self,
        p: Projection,
        shipments: IntArray,
        row_bounds: IntArray,
        first_row: int,
        end_row: int,
        config: AnalysisConfig,
    ) -> Hit:
        members = shipments[row_bounds[first_row] : row_bounds[end_row]]
        total = float(p.ship_value[members].sum())
        consignee = int(p.ship_consignee[members[0]])
        shipper = int(p.ship_shipper[members[0]])
        dates = p.ship_date[members]
        span = int(dates.max() - dates.min()) + 1
        days = {1: "on one day", 2: "on adjacent days"}.get(span, f"within {span} days")
        limit = config.split_value_limit_usd
        reason = (
            f"{len(members)} shipments to one consignee {days}, each under ${limit:,.0f},"
            f" together ${total:,.0f}"
        )
        return Hit(
            typology=self.name,
            reason=reason,
            evidence=(
                p.party_ids[consignee],
                p.party_ids[shipper],
                *(p.shipment_ids[s] for s in members),
            )[: config.max_evidence],
            anchors=(consignee, shipper),
            points=max(strength(total, limit), strength(len(members), config.split_min_shipments)),
            shipments=tuple(int(s) for s in members),
        )
