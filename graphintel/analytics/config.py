"""Every threshold and weight of an analysis in one frozen object, recorded with each run.

Defaults are chosen so that a household (2-4 people at one address, sharing a card or a
router) is never flagged and so that identifiers or parties shared at hub scale are cut
before they can join unrelated people into one network.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from graphintel.analytics.hubs import FED_KINDS
from graphintel.analytics.projection import HubSettings
from graphintel.errors import GraphIntelError
from graphintel.manifest import DE_MINIMIS_USD


class AnalysisConfigError(GraphIntelError, ValueError):
    """A threshold or weight of an ``AnalysisConfig`` is out of range."""


DEFAULT_TYPOLOGY_WEIGHTS: dict[str, float] = {
    "seizure": 2.5,
    "drop_address": 1.0,
    "shared_payment": 1.5,
    "shared_ip": 1.0,
    "split_shipment": 1.0,
    "identity_churn": 1.0,
    "first_seen_high_risk": 0.75,
    "watchlist_hit": 2.0,
}

# HTS headings of fentanyl precursors (2933 heterocyclics incl. piperidines, 2934 other
# heterocyclics) and tablet presses (8479 machines with individual functions).
DEFAULT_HIGH_RISK_HTS: tuple[str, ...] = ("2933", "2934", "8479")
DEFAULT_HIGH_RISK_TERMS: tuple[str, ...] = (
    "tablet press",
    "pill press",
    "tablet machine",
    "punch die",
    "piperidone",
    "anpp",
    "fentanyl",
)

# Seizure categories that mark the networks this tool exists to find.
DEFAULT_PRIORITY_CATEGORIES: tuple[str, ...] = (
    "fentanyl",
    "precursor",
    "pill press",
    "opioid",
    "methamphetamine",
    "nitazene",
)


HUB_RULES = ("adaptive", "fixed", "count")
CARVINGS = ("evidence", "components")


@dataclass(frozen=True)
class AnalysisConfig:
    """Thresholds of hub suppression, typologies and scoring (see each field's comment)."""

    # Hub suppression: an identifier shared by more distinct parties than this is cut.
    hub_limit: int = HubSettings.hub_limit
    # A party with more distinct counterparties than this (a consolidating shipper, a
    # marketplace) is a hub and left out of networks.
    party_hub_limit: int = HubSettings.party_hub_limit
    # ...except a delivery address with up to this many parties whose parcels come mostly
    # from a few non-hub shippers: a drop address of a large ring, not a tower.
    drop_address_max_parties: int = HubSettings.drop_address_max_parties
    # "count": the limits above (drop addresses spared); "fixed": also, under the limits, an
    # address fed by the whole market (a tower) and a phone or e-mail several merchants use
    # side by side (an agent's number) are hubs (``graphintel.analytics.hub_usage``);
    # "adaptive": also judged against the data's own tail and against who uses them
    # (``graphintel.analytics.hubs``). Fixed is the default: with evidence carving it
    # measured better on dev200k than adaptive (recall@2R 1.0 vs 0.90, precision@R 0.97 vs
    # 0.88; ``benchmarks/devset_networks_bench.py``).
    hub_rule: str = HubSettings.hub_rule
    # count and fixed rules: the identifier kinds ("address", "payment", "ip") kept over
    # ``hub_limit`` when a few non-hub shippers feed most of their parcels (a drop, a ring's
    # card or router); adaptive judges all three. The payment account was added for issue
    # 15: a payment-hub ring's card, cut by count, split its ring into fragments.
    fed_kinds: tuple[str, ...] = HubSettings.fed_kinds
    # "evidence": networks grown from typology hits and seizures through strong links
    # (``graphintel.analytics.carving``); "components": whole connected components.
    carving: str = "evidence"
    # drop_address / shared_payment / shared_ip: distinct consignee parties on one identifier.
    drop_address_min_consignees: int = 5
    shared_payment_min_consignees: int = 5
    shared_ip_min_consignees: int = 5
    # shared_payment / shared_ip: ...and at least this many distinct delivery addresses, so
    # a household (one home, one card, one router) is not a ring even when the resolver
    # splits one of its members into two parties.
    shared_min_addresses: int = 3
    # identity_churn: distinct shipper parties over one phone, e-mail or address.
    churn_min_shippers: int = 3
    # split_shipment: >= this many shipments, each at or under the limit, within
    # ``split_max_gap_days`` + 1 consecutive days, together over the limit.
    split_min_shipments: int = 2
    split_max_gap_days: int = 1
    split_value_limit_usd: float = DE_MINIMIS_USD
    # first_seen_high_risk: a shipper or seller whose first parcel comes at least
    # ``first_seen_after_days`` after the data starts and that ships high-risk goods
    # (HTS headings or description terms) within ``first_seen_window_days`` of it.
    high_risk_hts: tuple[str, ...] = DEFAULT_HIGH_RISK_HTS
    high_risk_terms: tuple[str, ...] = DEFAULT_HIGH_RISK_TERMS
    first_seen_after_days: int = 30
    first_seen_window_days: int = 30
    first_seen_min_shipments: int = 1
    # Network detection: "components" keeps every connected component whole; a community
    # algorithm of ``graphintel.analytics.algorithms`` ("leiden", "louvain",
    # "label_propagation") splits components with more than ``split_min_parties`` parties
    # into communities (at ``resolution``, reproducible with ``seed``). Modularity at 1.0
    # cuts a 20-party ring into its shipper and buyer halves; 0.5 keeps such rings whole
    # while still cutting the weak bridges between rings.
    algorithm: str = "components"
    resolution: float = 0.5
    seed: int = 0
    split_min_parties: int = 60
    # Evidence carving: regions grown from the hits with more parties than this are split
    # into communities (one ring each where the data allows) at ``carve_resolution``, each
    # region judged by its own modularity (``algorithms.leiden_each_labels``); a seized
    # parcel or split order ties in a party only when at least ``join_min_share`` of the
    # party's shipments are flagged by some hit (not a large seller's one bad parcel).
    carve_split_min_parties: int = 20
    carve_resolution: float = 0.2
    # ...and a community of fewer parties than this joins the community of its region it
    # shares the most link weight with (a ring's periphery is not a network of its own).
    carve_min_parties: int = 6
    # ...and a party sharing no identifier with its network, fewer than half of whose
    # parcels touch the network's other parties or are flagged (a consumer a ring's shell
    # shipped to), is left out of it (``carving.trim_recipients``), its other parcels too.
    carve_trim_recipients: bool = True
    join_min_share: float = 0.05
    # Detectors to run, by registry name (see ``graphintel.analytics.typologies``).
    typologies: tuple[str, ...] = tuple(DEFAULT_TYPOLOGY_WEIGHTS)
    # Typologies whose hits tie their parties into one network even without a shared
    # identifier: a seizure ties its shipper to its consignee, a split order the same, and
    # a first-seen shipper of high-risk goods the consignees of those parcels.
    join_typologies: tuple[str, ...] = ("seizure", "split_shipment", "first_seen_high_risk")
    # Scoring.
    typology_weights: dict[str, float] = field(
        default_factory=lambda: dict(DEFAULT_TYPOLOGY_WEIGHTS)
    )
    priority_categories: tuple[str, ...] = DEFAULT_PRIORITY_CATEGORIES
    # Seizures outside the priority categories (counterfeits, say) count this much: one
    # counterfeit parcel at a consumer must not outrank a drop address.
    minor_category_factor: float = 0.3
    violation_factor: float = 0.5
    diversity_bonus: float = 0.5
    structure_bonus: float = 0.25
    # Networks with more non-hub parties than this are damped, so that a sprawling
    # component cannot win by piling up weak hits.
    large_network_parties: int = 60
    # Watchlists: a listed name matches a party name at this similarity (0-100, every word
    # within a typo); a network holding a party or identifier on a trusted list (C-TPAT
    # members, say) has its score multiplied by ``trusted_factor``.
    watchlist_name_threshold: float = 88.0
    trusted_factor: float = 0.25
    # Risk flow (``graphintel.analytics.risk_flow``): personalized PageRank from seized
    # shipments and bad watchlist hits; a network receiving at least ``risk_flow_min_inflow``
    # seizure-equivalents from outside gets a reason weighted ``risk_flow_weight``.
    risk_flow_weight: float = 1.0
    risk_flow_min_inflow: float = 0.1
    risk_flow_alpha: float = 0.85
    # Reasons kept per network, strongest first, and evidence ids kept per reason.
    max_reasons: int = 12
    max_evidence: int = 200
    # Hubs listed by name in the run's counts (all are counted).
    max_reported_hubs: int = 50

    def __post_init__(self) -> None:
        for name in (
            "hub_limit",
            "party_hub_limit",
            "drop_address_max_parties",
            "drop_address_min_consignees",
            "shared_payment_min_consignees",
            "shared_ip_min_consignees",
            "shared_min_addresses",
            "churn_min_shippers",
            "split_min_shipments",
            "large_network_parties",
            "split_min_parties",
            "carve_split_min_parties",
            "carve_min_parties",
            "first_seen_min_shipments",
            "max_reasons",
            "max_evidence",
        ):
            if int(getattr(self, name)) < 1:
                raise AnalysisConfigError(f"{name} must be at least 1, not {getattr(self, name)}")
        if min(self.first_seen_after_days, self.first_seen_window_days) < 0:
            raise AnalysisConfigError("first_seen_after_days and _window_days must be >= 0")
        if self.split_max_gap_days < 0 or self.max_reported_hubs < 0:
            raise AnalysisConfigError("split_max_gap_days and max_reported_hubs must be >= 0")
        if self.hub_rule not in HUB_RULES:
            raise AnalysisConfigError(f"hub_rule must be one of {HUB_RULES}, not {self.hub_rule!r}")
        if not set(self.fed_kinds) <= set(FED_KINDS):
            raise AnalysisConfigError(f"fed_kinds must be among {tuple(FED_KINDS)}")
        if self.carving not in CARVINGS:
            raise AnalysisConfigError(f"carving must be one of {CARVINGS}, not {self.carving!r}")
        if self.resolution <= 0 or self.carve_resolution <= 0:
            raise AnalysisConfigError("resolution and carve_resolution must be positive")
        if not 0 <= self.join_min_share <= 1:
            raise AnalysisConfigError("join_min_share must be between 0 and 1")
        if self.split_value_limit_usd <= 0:
            raise AnalysisConfigError("split_value_limit_usd must be positive")
        if not 0 < self.watchlist_name_threshold <= 100:
            raise AnalysisConfigError("watchlist_name_threshold must be in (0, 100]")
        if not 0 < self.risk_flow_alpha < 1 or self.risk_flow_min_inflow <= 0:
            raise AnalysisConfigError("risk_flow_alpha must be in (0, 1), risk_flow_min_inflow > 0")
        if self.risk_flow_weight < 0:
            raise AnalysisConfigError("risk_flow_weight must be >= 0")
        if not 0 <= self.trusted_factor <= 1:
            raise AnalysisConfigError("trusted_factor must be between 0 and 1")
        for name in ("minor_category_factor", "violation_factor"):
            if getattr(self, name) < 0:
                raise AnalysisConfigError(f"{name} must be >= 0")
        for name, weight in self.typology_weights.items():
            if weight < 0:
                raise AnalysisConfigError(f"typology weight {name!r} must be >= 0")

    def weight(self, typology: str) -> float:
        """The scoring weight of a typology (1.0 for one the config does not name)."""
        return float(self.typology_weights.get(typology, 1.0))

    def hub_settings(self) -> HubSettings:
        """The settings a projection marks its hubs by."""
        return HubSettings(
            self.hub_limit,
            self.party_hub_limit,
            self.drop_address_max_parties,
            self.hub_rule,
            tuple(self.fed_kinds),
        )

    def to_params(self) -> dict[str, Any]:
        """JSON-ready parameters for the run record."""
        params = asdict(self)
        params["priority_categories"] = list(self.priority_categories)
        params["typologies"] = list(self.typologies)
        params["high_risk_hts"] = list(self.high_risk_hts)
        params["high_risk_terms"] = list(self.high_risk_terms)
        params["join_typologies"] = list(self.join_typologies)
        params["fed_kinds"] = list(self.fed_kinds)
        return params
