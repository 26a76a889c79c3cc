"""One analysis run: project, find components, detect typologies, score, record.

The run is recorded in the store from start to finish: its parameters and library
versions when it starts, its counts (cut hubs included) and ranked networks when it
succeeds, and its error when anything fails, so an earlier run's results are never
overwritten and a broken run is visible rather than silent. Source data is only read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata

import networkx as nx
import numpy as np
import scipy  # type: ignore[import-untyped]

from graphintel import faults
from graphintel.analytics import heap
from graphintel.analytics.algorithms import COMMUNITY_ALGORITHMS, algorithm_versions, get_algorithm
from graphintel.analytics.arrays import FloatArray, IntArray, concat_edges
from graphintel.analytics.carving import Trimmed, carve_networks
from graphintel.analytics.components import (
    Components,
    component_labels,
    network_edges,
    split_components,
    trade_edges,
)
from graphintel.analytics.config import AnalysisConfig, AnalysisConfigError
from graphintel.analytics.hubs import Hub
from graphintel.analytics.projection import Projection
from graphintel.analytics.projection_cache import ProjectionSource, project_store
from graphintel.analytics.risk_flow import risk_flow, seed_weights
from graphintel.analytics.scoring import score_networks, to_networks
from graphintel.analytics.search_job import SearchIndexJob
from graphintel.analytics.typologies import detect, get_typology
from graphintel.analytics.watchlist import match_watchlists
from graphintel.daily.after_run import AlertOptions, alert_run, bad_nodes, follow_run
from graphintel.store.base import GraphStore
from graphintel.store.runguard import exclusive_run

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int], None]


@dataclass(frozen=True)
class AnalysisSummary:
    """What a finished analysis run produced; ``str()`` gives the CLI's one-paragraph view."""

    run_id: str
    counts: dict[str, int]
    hubs: tuple[Hub, ...] = field(default=())  # the largest cut hubs, biggest first
    top_reasons: tuple[str, ...] = ()  # reasons of the rank-1 network
    alerts: int = 0  # alerts the run raised
    source: ProjectionSource | None = None  # how the graph was read (cache or in full)

    @property
    def networks(self) -> int:
        return self.counts.get("networks", 0)

    def __str__(self) -> str:
        c = self.counts
        text = (
            f"run {self.run_id}: {c.get('networks', 0):,} ranked networks"
            f" from {c.get('components', 0):,} components"
            f" ({c.get('parties', 0):,} parties, {c.get('identifiers', 0):,} identifiers,"
            f" {c.get('shipments', 0):,} shipments);"
            f" cut {c.get('hub_parties', 0):,} hub parties"
            f" (more than {c.get('party_hub_limit', 0)} counterparties)"
            f" and {c.get('hub_identifiers', 0):,} hub identifiers"
            f" (shared by more than {c.get('hub_limit', 0)} parties, or by parties reaching"
            f" more than {c.get('party_hub_limit', 0)} counterparties)"
        )
        changes = ", ".join(
            f"{v:,} {k.removeprefix('lineage:')}" for k, v in c.items() if k.startswith("lineage:")
        )
        if changes:
            text += f"; since the previous run: {changes}; {self.alerts:,} alert(s)"
        if self.hubs:
            listed = "; ".join(
                f"{h.kind.value} {h.label} ({h.reason or f'{h.count:,} {h.measure}'})"
                for h in self.hubs[:5]
            )
            text += f"; largest hubs: {listed}"
        if self.source is not None:
            text += f"; {self.source}"
        return text


def library_versions() -> dict[str, str]:
    """Versions that decide an analysis' result, recorded with every run."""
    try:
        own = metadata.version("graphintel")
    except metadata.PackageNotFoundError:
        own = "unknown"
    return {
        "graphintel": own,
        "numpy": np.__version__,
        "scipy": str(scipy.__version__),
        "networkx": nx.__version__,
        **algorithm_versions(),
    }


def find_networks(
    projection: Projection,
    joins: Iterable[Sequence[int]],
    config: AnalysisConfig,
    edges: tuple[IntArray, IntArray, FloatArray] | None = None,
    trade: tuple[IntArray, IntArray, FloatArray] | None = None,
) -> Components:
    """Connected components, with oversized ones split by the configured community algorithm.

    ``edges`` (``network_edges`` of the same joins) and ``trade`` (``trade_edges``) may be
    passed when the caller has them already.
    """
    if edges is None:
        edges = network_edges(projection, joins)
    components = component_labels(
        projection.n_nodes, edges[0], edges[1], keep=~projection.node_is_hub()
    )
    if config.algorithm == "components":
        return components
    labeller = get_algorithm(config.algorithm).labeller
    if labeller is None:  # checked by _check_algorithm before the run starts
        raise AnalysisConfigError(f"{config.algorithm!r} cannot split networks")
    if trade is None:
        trade = trade_edges(projection)
    with_trade = concat_edges(edges, trade)
    return split_components(
        projection,
        components,
        with_trade,
        labeller,
        min_parties=config.split_min_parties,
        resolution=config.resolution,
        seed=config.seed,
    )


def _check_algorithm(config: AnalysisConfig) -> None:
    if config.algorithm not in COMMUNITY_ALGORITHMS:
        known = ", ".join(COMMUNITY_ALGORITHMS)
        raise AnalysisConfigError(f"algorithm must be one of {known}, not {config.algorithm!r}")


def _counts(
    projection: Projection,
    n_components: int,
    largest: int,
    hits: dict[str, int],
    n_networks: int,
    hubs: list[Hub],
    config: AnalysisConfig,
) -> dict[str, int]:
    counts = {
        "parties": projection.n_parties,
        "identifiers": projection.n_identifiers,
        "shipments": projection.n_shipments,
        "links": len(projection.link_party),
        "active_links": int(projection.active_links().sum()),
        "components": n_components,
        "largest_component_parties": largest,
        "networks": n_networks,
        "hub_limit": config.hub_limit,
        "party_hub_limit": config.party_hub_limit,
        "hub_identifiers": int(projection.ident_is_hub.sum()),
        "hub_parties": int(projection.party_is_hub.sum()),
    }
    counts.update({f"hits:{name}": n for name, n in hits.items()})
    counts.update({f"hub:{h.node_id}": h.count for h in hubs[: config.max_reported_hubs]})
    return counts


def analyze_store(
    store: GraphStore,
    config: AnalysisConfig | None = None,
    progress: ProgressCallback | None = None,
    window_days: int | None = None,
    alerts: AlertOptions | None = None,
    full: bool = False,
) -> AnalysisSummary:
    """Analyze the store's resolved graph and record the run with its ranked networks under
    stable ids, their lineage and the alerts they raise (``graphintel.daily``); with
    ``window_days``, only shipments of the last that many days are analysed.

    The graph is read from the analysis cache brought up to date with the store's change
    journal when that is exact (``graphintel.analytics.projection_cache``); ``full`` reads
    it all again (and renews the cache). Either way the results are the same."""
    config = config or AnalysisConfig()
    for name in config.typologies:
        get_typology(name)  # an unknown name fails before a run is recorded
    _check_algorithm(config)
    if window_days is not None and window_days < 1:
        raise AnalysisConfigError(f"window_days must be at least 1, not {window_days}")
    with exclusive_run(store, "analyze"):
        return _run_analysis(store, config, progress, window_days, alerts or AlertOptions(), full)


def _run_analysis(
    store: GraphStore,
    config: AnalysisConfig,
    progress: ProgressCallback | None,
    window_days: int | None,
    alert_options: AlertOptions,
    full: bool,
) -> AnalysisSummary:
    report = progress or (lambda stage, count: None)
    heap.map_large_blocks()  # the stages' freed arrays go back to the system: see heap
    params = config.to_params()
    if window_days is not None:
        params["window_days"] = window_days
    run = store.start_run("analyze", params, library_versions())
    logger.info("analysis run %s started on %s", run.run_id, store.url)
    faults.hit("analyze.after_run_recorded")
    search_index = SearchIndexJob(store)  # beside the analysis: see search_job
    try:
        projection, source, keep_cache = project_store(
            store,
            window_days=window_days,
            full=full,
            build=lambda inputs: inputs.project(config.hub_settings()),
            progress=progress,
        )
        if "watchlist_hit" in config.typologies:
            listed = match_watchlists(
                store, projection, name_threshold=config.watchlist_name_threshold
            )
            projection = replace(projection, watchlist_hits=listed)
            report("watchlist hits", len(listed))
        hits = detect(projection, config)
        report("typology hits", sum(len(h) for h in hits.values()))
        faults.hit("analyze.mid_analysis")
        joins = [hit.anchors for name in config.join_typologies for hit in hits.get(name, ())]
        edges = network_edges(projection, joins)
        trade = trade_edges(projection)
        risk = risk_flow(
            projection,
            concat_edges(edges, trade),
            seed_weights(projection, hits, config),
            alpha=config.risk_flow_alpha,
        )
        links: dict[tuple[int, int], int] = {}
        trimmed: dict[int, Trimmed] = {}
        if config.carving == "evidence":
            carving = carve_networks(projection, hits, joins, trade, config, risk)
            components, links, trimmed = carving.components, carving.link_pairs, carving.trimmed
        else:
            components = find_networks(projection, joins, config, edges, trade)
        party_sizes = np.bincount(
            components.labels[: projection.n_parties][
                components.labels[: projection.n_parties] >= 0
            ],
            minlength=components.count,
        )
        largest = int(party_sizes.max()) if len(party_sizes) else 0
        n_components = int((party_sizes > 0).sum())
        report("components", n_components)
        scored = score_networks(projection, components, hits, config, risk, trimmed)
        search_index.wait()  # before this run's first write: no contention for the lock
        followed, lineage = follow_run(
            store, run.run_id, to_networks(scored, projection, run.run_id, links, trimmed)
        )
        networks = followed.networks
        report("ranked networks", len(networks))
        hubs = projection.hubs()
        counts = _counts(
            projection,
            n_components,
            largest,
            {name: len(h) for name, h in hits.items()},
            len(networks),
            hubs,
            config,
        )
        counts.update(lineage)
        counts["graph_from_cache"] = int(source.incremental)
        counts["graph_changed_nodes"] = source.changed_nodes
        counts["graph_changed_edges"] = source.changed_edges
        faults.hit("analyze.before_commit")
        store.finish_run(run.run_id, counts, networks)
    except BaseException as exc:
        search_index.cancel()
        message = f"{type(exc).__name__}: {exc}"
        logger.error("analysis run %s failed: %s", run.run_id, message)
        try:
            store.fail_run(run.run_id, message)
        except Exception:  # the original error matters more than the bookkeeping one
            logger.exception("could not record the failure of run %s", run.run_id)
        raise
    logger.info("analysis run %s: %d networks", run.run_id, len(networks))
    try:  # only a run that succeeded renews the analysis cache; a failure costs a full read
        keep_cache()
    except Exception:
        logger.exception("could not renew the analysis cache of %s", store.url)
    raised = alert_run(
        store, run.run_id, followed, bad_nodes(projection.watchlist_hits), alert_options
    )
    search_index.finish()
    return AnalysisSummary(
        run_id=run.run_id,
        counts=counts,
        hubs=tuple(hubs[: config.max_reported_hubs]),
        top_reasons=networks[0].reasons if networks else (),
        alerts=len(raised),
        source=source,
    )
