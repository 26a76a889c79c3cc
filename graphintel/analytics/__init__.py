"""Network analysis: project the resolved graph, find networks, flag typologies, rank them.

``analyze_store(store)`` is the one call most users need; the pieces are public for
notebooks and tests (``build_projection`` -> ``connected_components`` -> typology
``detect`` -> ``score_networks``).
"""

from graphintel.analytics.components import Components, component_labels, connected_components
from graphintel.analytics.config import AnalysisConfig, AnalysisConfigError
from graphintel.analytics.hubs import Hub
from graphintel.analytics.jobs import AnalysisSummary, analyze_store, library_versions
from graphintel.analytics.projection import Projection, ProjectionBuilder
from graphintel.analytics.reading import build_projection, to_networkx
from graphintel.analytics.scoring import ScoredNetwork, score_networks, to_networks
from graphintel.analytics.typologies import (
    Finding,
    Hit,
    Typology,
    UnknownTypologyError,
    detect,
    get_typology,
    typology_names,
)

__all__ = [
    "AnalysisConfig",
    "AnalysisConfigError",
    "AnalysisSummary",
    "Components",
    "Finding",
    "Hit",
    "Hub",
    "Projection",
    "ProjectionBuilder",
    "ScoredNetwork",
    "Typology",
    "UnknownTypologyError",
    "analyze_store",
    "build_projection",
    "component_labels",
    "connected_components",
    "detect",
    "get_typology",
    "library_versions",
    "score_networks",
    "to_networks",
    "to_networkx",
    "typology_names",
]
