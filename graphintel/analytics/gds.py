"""Analysis inside Neo4j with the Graph Data Science library (``analyze --engine gds``).

When the server has GDS, the resolved graph is projected in the database (identifiers
linked to more than ``hub_limit`` shipments or parties are cut, as in the embedded
analytics), then weakly connected components, Leiden communities and weighted PageRank run
there and are written back as node properties (``gds_component``, ``gds_community``,
``gds_pagerank``). Communities are ranked in the database and only the top ones, with a
bounded number of members each, reach Python; they are recorded as the run's networks.

Leiden here optimises modularity with resolution ``gamma``: on large graphs a high
resolution is what keeps rings apart (see DESIGN.md), so pick it for your data. The
ranking is deliberately simple (seizures first, then PageRank mass) and says so in each
network's reasons; the typology detectors of the embedded analytics do not run here.
Networks keep their ids across runs and raise case and score alerts exactly as in the
embedded analytics (``graphintel.daily``); watchlists are matched only by the embedded
engine, so a GDS run raises no watchlist alert.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from graphintel.daily.after_run import AlertOptions, alert_run, follow_run
from graphintel.errors import GraphIntelError
from graphintel.model import NodeKind, kind_of
from graphintel.records import Network
from graphintel.store.base import GraphStore
from graphintel.store.neo4j import gds as q

log = logging.getLogger(__name__)

SEIZED = "seized"


class GdsUnavailable(GraphIntelError):
    """The store is not Neo4j, or the Neo4j server has no Graph Data Science library."""


@dataclass(frozen=True)
class GdsConfig:
    """Parameters of one GDS analysis, recorded with its run."""

    hub_limit: int = 20
    gamma: float = 1.0  # Leiden resolution
    seed: int = 7
    max_iterations: int = 40  # PageRank
    tolerance: float = 1e-7  # PageRank; the GDS default is too loose on large graphs
    min_shipments: int = 2  # smallest community reported as a network
    top: int = 500  # networks recorded per run
    max_members: int = 2_000  # member ids kept per network and kind

    def __post_init__(self) -> None:
        if self.hub_limit < 1 or self.top < 1 or self.max_members < 1 or self.min_shipments < 1:
            raise GdsUnavailable(f"invalid GDS analysis settings: {self}")
        if not self.gamma > 0:
            raise GdsUnavailable("the Leiden resolution gamma must be positive")


@dataclass(frozen=True)
class GdsSummary:
    run_id: str
    counts: dict[str, int]
    alerts: int = 0

    def __str__(self) -> str:
        c = self.counts
        return (
            f"run {self.run_id} (GDS): {c.get('networks', 0):,} ranked networks from"
            f" {c.get('communities', 0):,} Leiden communities and"
            f" {c.get('components', 0):,} components over {c.get('nodes', 0):,} nodes and"
            f" {c.get('relationships', 0):,} relationships (hub limit {c.get('hub_limit', 0)});"
            f" {self.alerts} alerts"
        )


def _neo4j_store(store: GraphStore) -> Any:
    from graphintel.store.neo4j import Neo4jStore

    if not isinstance(store, Neo4jStore):
        raise GdsUnavailable(
            f"--engine gds runs inside Neo4j; {store.url} is not a Neo4j store"
            " (use --store neo4j://host:7687, or the default engine)"
        )
    return store


def gds_version(store: GraphStore) -> str:
    """The GDS version on the store's server, found with the ``graphdatascience`` client."""
    neo = _neo4j_store(store)
    try:
        from graphdatascience import GraphDataScience
        from graphdatascience.error.gds_not_installed import GdsNotFound
        from graphdatascience.error.unable_to_connect import UnableToConnectError
    except ImportError as exc:
        raise GdsUnavailable(
            "the graphdatascience client is not installed: pip install graphdatascience"
        ) from exc
    try:
        gds = GraphDataScience(neo.driver, database=neo.database, arrow=False, show_progress=False)
    except GdsNotFound as exc:
        raise GdsUnavailable(
            f"the Neo4j server at {neo.url} has no Graph Data Science library: start it with"
            " NEO4J_PLUGINS='[\"graph-data-science\"]' (see docs/neo4j.md)"
        ) from exc
    except UnableToConnectError as exc:
        raise GdsUnavailable(f"could not ask {neo.url} for its GDS version: {exc}") from exc
    return str(gds.server_version())


def _versions(gds: str) -> dict[str, str]:
    out = {"gds": gds}
    for package in ("graphdatascience", "neo4j"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            continue
    return out


def analyze_gds(
    store: GraphStore,
    config: GdsConfig | None = None,
    progress: Callable[[str, int], None] | None = None,
    alerts: AlertOptions | None = None,
) -> GdsSummary:
    """Run components, Leiden and PageRank in Neo4j and record the ranked communities under
    stable network ids, with their lineage and the alerts they raise."""
    config = config or GdsConfig()
    report = progress or (lambda stage, count: None)
    neo = _neo4j_store(store)
    server_gds = gds_version(neo)
    run = neo.start_run("analyze", {"engine": "gds", **asdict(config)}, _versions(server_gds))
    graph_name = f"graphintel-{run.run_id}"
    projected = False
    try:
        [proj] = neo.write(q.GDS_PROJECT, hub_limit=config.hub_limit, graph_name=graph_name)
        projected = True
        report("projected nodes", int(proj["node_count"]))
        [wcc] = neo.write(q.GDS_WCC, graph_name=graph_name)
        report("components", int(wcc["components"]))
        [leiden] = neo.write(
            q.GDS_LEIDEN, graph_name=graph_name, gamma=config.gamma, seed=config.seed
        )
        report("communities", int(leiden["communities"]))
        neo.write(
            q.GDS_PAGERANK,
            graph_name=graph_name,
            max_iterations=config.max_iterations,
            tolerance=config.tolerance,
        )
        followed, lineage = follow_run(neo, run.run_id, _ranked_networks(neo, run.run_id, config))
        networks = followed.networks
        report("ranked networks", len(networks))
        counts = {
            "nodes": int(proj["node_count"]),
            "relationships": int(proj["relationship_count"]),
            "components": int(wcc["components"]),
            "communities": int(leiden["communities"]),
            "networks": len(networks),
            "hub_limit": config.hub_limit,
            **lineage,
        }
        neo.finish_run(run.run_id, counts, networks)
    except BaseException as exc:
        neo.fail_run(run.run_id, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        if projected:
            try:
                neo.write(q.GDS_DROP, graph_name=graph_name)
            except Exception:  # an orphan projection only costs server memory until restart
                log.exception("could not drop GDS projection %s", graph_name)
    raised = alert_run(neo, run.run_id, followed, {}, alerts or AlertOptions())
    return GdsSummary(run.run_id, counts, len(raised))


def _ranked_networks(neo: Any, run_id: str, config: GdsConfig) -> list[Network]:
    communities = neo.read(
        q.GDS_COMMUNITIES,
        seized=SEIZED,
        min_shipments=config.min_shipments,
        top=config.top,
        max_members=config.max_members,
    )
    members: dict[int, list[str]] = defaultdict(list)
    ids = [c["community"] for c in communities]
    for kind in NodeKind:
        for row in neo.read(q.gds_members(kind), communities=ids, max_members=config.max_members):
            members[int(row["community"])].append(row["id"])
    scored = []
    for c in communities:
        seized = int(c["seized_count"])
        pagerank = float(c["pagerank"] or 0.0)
        score = 10.0 * seized + math.log1p(pagerank)
        scored.append((score, c))
    scored.sort(key=lambda sc: (-sc[0], sc[1]["community"]))
    networks = []
    for rank, (score, c) in enumerate(scored, start=1):
        community = int(c["community"])
        shipment_ids = tuple(m for m in members[community] if kind_of(m) is NodeKind.SHIPMENT)
        entity_ids = tuple(m for m in members[community] if kind_of(m) is not NodeKind.SHIPMENT)
        reasons: list[str] = []
        evidence: dict[str, list[str]] = {}
        if c["seized_count"]:
            categories = ", ".join(sorted(c["categories"])) or "category not recorded"
            reason = f"{c['seized_count']} seized shipments: {categories}"
            reasons.append(reason)
            evidence[reason] = list(c["seized_ids"])
        linked = (
            f"{c['n_shipments']} shipments linked through {len(entity_ids)} shared parties and"
            f" identifiers (Leiden community {community})"
        )
        reasons.append(linked)
        evidence[linked] = list(entity_ids[:50])
        reasons.append(f"PageRank mass {float(c['pagerank'] or 0.0):.4f} (ranks ties)")
        networks.append(
            Network(
                network_id=f"gds-{community}",
                run_id=run_id,
                rank=rank,
                score=round(score, 6),
                reasons=tuple(reasons),
                evidence=evidence,
                shipment_ids=shipment_ids,
                entity_ids=entity_ids,
                first_date=c["first_date"] or "",
                last_date=c["last_date"] or "",
                seized_count=int(c["seized_count"]),
                n_shipments=int(c["n_shipments"]),
                n_entities=len(entity_ids),
            )
        )
    return networks
