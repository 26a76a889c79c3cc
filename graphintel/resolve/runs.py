"""Every resolution is recorded as a run, with the match model it fitted.

The model is fitted anew on each run's own candidate pairs, so the merges of a resolution
can only be explained and reproduced from the model of that run: its m and u per level,
lambda, the term-frequency summary and the threshold are saved in the run's parameters
(JSON), beside the resolver settings, the library versions and the counts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict
from importlib import metadata
from typing import Any

from graphintel.records import RunRecord
from graphintel.resolve.config import ResolverConfig, ResolveSummary
from graphintel.resolve.fs_model import FSModel
from graphintel.resolve.rules import FIELDS
from graphintel.store.base import RunStore

logger = logging.getLogger(__name__)

RUN_KIND = "resolve"
_LIBRARIES = ("graphintel", "rapidfuzz", "numpy", "phonenumbers", "usaddress", "cleanco",
              "anyascii")  # fmt: skip


def resolver_versions() -> dict[str, str]:
    """Versions of the libraries that decide a resolution's result."""
    out: dict[str, str] = {}
    for name in _LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "unknown"
    return out


def record_resolve_run(
    store: RunStore,
    config: ResolverConfig,
    model: Mapping[str, Any],
    summary: ResolveSummary,
    unknown_values: Mapping[str, int],
) -> RunRecord:
    """Record a finished resolution: settings, fitted model, unknown-value counts, counts."""
    params = {
        "resolver": asdict(config),
        "model": dict(model),
        "unknown_values": dict(unknown_values),
    }
    run = store.start_run(RUN_KIND, params, resolver_versions())
    counts = summary.as_dict()
    counts["unknown_values"] = sum(unknown_values.values())
    finished = store.finish_run(run.run_id, counts)
    logger.info("resolve run %s recorded with its model", run.run_id)
    return finished


def run_model(run: RunRecord) -> FSModel | None:
    """The match model saved with a resolve run (``None`` for a run without one)."""
    doc = run.params.get("model")
    if not doc:
        return None
    return FSModel.from_dict(doc, FIELDS)
