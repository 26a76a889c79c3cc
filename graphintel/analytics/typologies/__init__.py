"""Typology detectors by name: an explicit registry of ``Typology`` subclasses.

Add a detector by subclassing ``Typology`` and listing the class in ``TYPOLOGIES``;
``get_typology(name)`` returns a fresh instance, and the analysis runs the names its
``AnalysisConfig.typologies`` lists.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import Projection
from graphintel.analytics.typologies.base import Finding, Hit, Typology, strength
from graphintel.analytics.typologies.churn import IdentityChurn
from graphintel.analytics.typologies.goods import FirstSeenHighRisk
from graphintel.analytics.typologies.seizures import SeizureSeeds
from graphintel.analytics.typologies.shared import DropAddress, SharedIP, SharedPayment
from graphintel.analytics.typologies.split import SplitShipment
from graphintel.analytics.typologies.watchlist import WatchlistTypology
from graphintel.errors import GraphIntelError

__all__ = [
    "TYPOLOGIES",
    "Finding",
    "Hit",
    "Typology",
    "UnknownTypologyError",
    "detect",
    "get_typology",
    "strength",
    "typology_names",
]

TYPOLOGIES: tuple[type[Typology], ...] = (
    SeizureSeeds,
    DropAddress,
    SharedPayment,
    SharedIP,
    SplitShipment,
    IdentityChurn,
    FirstSeenHighRisk,
    WatchlistTypology,
)


class UnknownTypologyError(GraphIntelError, KeyError):
    """A typology name that the registry does not hold."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def typology_names() -> list[str]:
    return [t.name for t in TYPOLOGIES]


def get_typology(name: str) -> Typology:
    """A new instance of the detector registered as ``name``."""
    for typology in TYPOLOGIES:
        if typology.name == name:
            return typology()
    raise UnknownTypologyError(f"unknown typology {name!r}; known: {', '.join(typology_names())}")


def detect(
    projection: Projection, config: AnalysisConfig, names: Iterable[str] | None = None
) -> dict[str, list[Hit]]:
    """Run the named detectors (default: those the config lists), hits by typology name."""
    selected = list(config.typologies if names is None else names)
    detectors = [get_typology(name) for name in selected]
    return {d.name: d.detect(projection, config) for d in detectors}
