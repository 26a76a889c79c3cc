"""Identity churn: several shipper identities over one phone, e-mail or address.

Rings rotate company names to shake off seizure history, but keep the phone, the mailbox
or the office; an identifier behind three or more shipper parties is that trace. Hub
identifiers (marketplace hotlines, shared warehouses) were cut by the projection.
"""

from __future__ import annotations

import numpy as np

from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import IDENTIFIER_KIND_ORDER, Projection
from graphintel.analytics.rotation import TAKING_TURNS, rotation
from graphintel.analytics.typologies.base import Hit, Typology, group_by, strength
from graphintel.model import NodeKind

_KIND_WORDS = {NodeKind.ADDRESS: "address", NodeKind.PHONE: "phone", NodeKind.EMAIL: "e-mail"}
_CHURN_CODES = np.array([IDENTIFIER_KIND_ORDER.index(k) for k in _KIND_WORDS])
_EVIDENCE_SHIPMENTS = 50


class IdentityChurn(Typology):
    name = "identity_churn"
    description = "three or more shipper parties behind one phone, e-mail or address"

    def detect(self, projection: Projection, config: AnalysisConfig) -> list[Hit]:
        threshold = config.churn_min_shippers
        is_shipper = np.zeros(projection.n_parties, dtype=bool)
        is_shipper[projection.ship_shipper[projection.ship_shipper >= 0]] = True
        is_shipper &= ~projection.party_is_hub
        party, ident = projection.link_party, projection.link_ident
        mask = (
            is_shipper[party]
            & ~projection.ident_is_hub[ident]
            & np.isin(projection.ident_kind[ident], _CHURN_CODES)
        )
        counts = np.bincount(ident[mask], minlength=projection.n_identifiers)
        flagged = np.flatnonzero(counts >= threshold)
        if len(flagged) == 0:
            return []
        link_order, link_bounds = group_by(np.where(mask, ident, -1), projection.n_identifiers)
        ship_order, ship_bounds = group_by(projection.ship_shipper, projection.n_parties)
        hits = []
        for i in map(int, flagged):
            shippers = np.sort(party[link_order[link_bounds[i] : link_bounds[i + 1]]])
            shipments = np.sort(
                np.concatenate([ship_order[ship_bounds[p] : ship_bounds[p + 1]] for p in shippers])
            )
            node = projection.n_parties + i
            what = f"{_KIND_WORDS[projection.ident_node_kind(i)]} {projection.label(node)}"
            evidence = (
                projection.ident_ids[i],
                *(projection.party_ids[p] for p in shippers),
                *(projection.shipment_ids[s] for s in shipments[:_EVIDENCE_SHIPMENTS]),
            )
            turns = rotation(projection.ship_date[shipments], projection.ship_shipper[shipments])
            reason = f"{len(shippers)} shipper names over one {what}"
            if turns >= TAKING_TURNS:
                reason += ", used one after another"
            hits.append(
                Hit(
                    typology=self.name,
                    reason=reason,
                    evidence=evidence[: config.max_evidence],
                    anchors=(node, *(int(p) for p in shippers)),
                    points=strength(len(shippers), threshold) * (0.5 + turns),
                    shipments=tuple(int(s) for s in shipments),
                )
            )
        return hits
