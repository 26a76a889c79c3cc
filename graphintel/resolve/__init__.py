"""Party resolution and graph build: ``resolve_store`` is the entry point."""

from graphintel.resolve.config import ProgressCallback, ResolverConfig, ResolveSummary
from graphintel.resolve.features import FeatureExtractor, PartyFeatures, shipment_mentions
from graphintel.resolve.graph import ShipmentGraph
from graphintel.resolve.ids import entity_id_for
from graphintel.resolve.party_graph import PartyGraph
from graphintel.resolve.pipeline import ResolveOutcome, resolve_store, run_resolution
from graphintel.resolve.resolver import Resolution, resolve_records
from graphintel.resolve.table import RecordTable

__all__ = [
    "FeatureExtractor",
    "PartyFeatures",
    "PartyGraph",
    "ProgressCallback",
    "RecordTable",
    "ResolveOutcome",
    "ResolveSummary",
    "Resolution",
    "ResolverConfig",
    "ShipmentGraph",
    "entity_id_for",
    "resolve_records",
    "resolve_store",
    "run_resolution",
    "shipment_mentions",
]
