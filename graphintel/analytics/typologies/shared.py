"""Many consignees behind one delivery address, payment account or IP address.

Counted from shipments (DELIVERED_TO / PAID_WITH / ORDERED_FROM with CONSIGNED_TO), so an
identifier counts the distinct consignee parties that actually received or paid with it.
Hubs (shared by more than ``hub_limit`` parties) were cut by the projection and are skipped;
the thresholds default above household size.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from graphintel.analytics.arrays import IntArray, distinct
from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import Projection
from graphintel.analytics.typologies.base import Hit, Typology, group_by, strength
from graphintel.normalize import normalize_party_name

_EVIDENCE_SHIPMENTS = 50


def _family_key(name: str) -> str:
    """A person's family name (their last normalized word); a company's whole name."""
    normalized = normalize_party_name(name)
    words = normalized.normalized.split()
    if normalized.is_company or not words:
        return normalized.normalized or name
    return words[-1]


class SharedIdentifierTypology(Typology):
    """Base of the three "one identifier, many consignees" detectors."""

    column: ClassVar[str]  # the Projection shipment column holding the identifier index
    threshold_field: ClassVar[str]  # the AnalysisConfig field with the minimum consignees

    # Whether the consignees must also be spread over ``shared_min_addresses`` delivery
    # addresses: a household shares its card and router, but not across several homes.
    spread: ClassVar[bool] = False

    def reason(self, count: int, label: str, addresses: int) -> str:
        raise NotImplementedError

    def distinct(self, parties: IntArray, projection: Projection) -> int:
        """How many of these consignee parties count as different people."""
        return len(parties)

    def detect(self, projection: Projection, config: AnalysisConfig) -> list[Hit]:
        threshold = int(getattr(config, self.threshold_field))
        idents: IntArray = getattr(projection, self.column)
        consignees = projection.ship_consignee
        mask = (idents >= 0) & (consignees >= 0)
        mask[mask] = ~projection.ident_is_hub[idents[mask]]
        n_party = max(projection.n_parties, 1)
        pairs = distinct(idents[mask] * n_party + consignees[mask])
        pair_ident, pair_consignee = pairs // n_party, pairs % n_party
        counts = np.bincount(pair_ident, minlength=projection.n_identifiers)
        flagged = np.flatnonzero(counts >= threshold)
        if len(flagged) == 0:
            return []
        masked_idents = np.where(mask, idents, -1)
        ship_order, ship_bounds = group_by(masked_idents, projection.n_identifiers)
        pair_bounds = np.searchsorted(pair_ident, np.arange(projection.n_identifiers + 1))
        hits = []
        for ident in map(int, flagged):
            parties = pair_consignee[pair_bounds[ident] : pair_bounds[ident + 1]]
            people = self.distinct(parties, projection)
            if people < threshold:
                continue
            shipments = ship_order[ship_bounds[ident] : ship_bounds[ident + 1]]
            addresses = len(distinct(projection.ship_address[shipments]))
            if -1 in projection.ship_address[shipments]:
                addresses -= 1
            if self.spread and addresses < config.shared_min_addresses:
                continue
            node = projection.n_parties + ident
            evidence = (
                projection.ident_ids[ident],
                *(projection.party_ids[p] for p in parties[: config.max_evidence]),
                *(projection.shipment_ids[s] for s in shipments[:_EVIDENCE_SHIPMENTS]),
            )
            hits.append(
                Hit(
                    typology=self.name,
                    reason=self.reason(people, projection.label(node), addresses),
                    evidence=evidence[: config.max_evidence],
                    anchors=(node,),
                    points=strength(people, threshold),
                    shipments=tuple(int(s) for s in shipments),
                )
            )
        return hits


class DropAddress(SharedIdentifierTypology):
    name = "drop_address"
    description = "many distinct consignees receiving at one delivery address (unit included)"
    column = "ship_address"
    threshold_field = "drop_address_min_consignees"

    def reason(self, count: int, label: str, addresses: int) -> str:
        return f"{count} consignees at one address: {label}"

    def distinct(self, parties: IntArray, projection: Projection) -> int:
        """Consignees under different family names: a household of Smiths (or one member
        the resolver split into "John Smith" and "J. Smith") is one family, not a drop
        address's stream of unrelated names."""
        return len({_family_key(projection.party_labels[int(p)]) for p in parties})


class SharedPayment(SharedIdentifierTypology):
    name = "shared_payment"
    description = "one payment account paying for many distinct consignees"
    column = "ship_payment"
    threshold_field = "shared_payment_min_consignees"
    spread = True

    def reason(self, count: int, label: str, addresses: int) -> str:
        return f"payment account {label} used by {count} consignees at {addresses} addresses"


class SharedIP(SharedIdentifierTypology):
    name = "shared_ip"
    description = "one buyer IP address ordering for many distinct consignees"
    column = "ship_ip"
    threshold_field = "shared_ip_min_consignees"
    spread = True

    def reason(self, count: int, label: str, addresses: int) -> str:
        return f"IP address {label} ordered for {count} consignees at {addresses} addresses"
