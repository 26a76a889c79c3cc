"""Graph Data Science statements (run inside the database by ``graphintel.analytics.gds``)."""

from __future__ import annotations

from graphintel.model import NodeKind
from graphintel.store.neo4j.cypher import (
    CURRENT_GEN,
    GRAPH_KINDS,
    Statement,
    declare,
    in_gen,
    snake_case,
)

# -- Graph Data Science (run inside the database; see graphintel.analytics.gds) -------------
_IDENTIFIER_LABELS = "|".join(k.value for k in GRAPH_KINDS if k is not NodeKind.PARTY)
GDS_PROJECT = declare(
    "gds_project",
    # Identifiers linked to more than $hub_limit shipments or parties are cut, as in the
    # embedded analytics: consolidators and marketplace hotlines would join everything.
    f"{CURRENT_GEN} MATCH (a)-[r]->(b) WHERE r.gen = gen"
    f" AND (NOT b:{_IDENTIFIER_LABELS} OR COUNT {{ (b)<-[x]-() WHERE x.gen = gen }} <= $hub_limit)"
    " WITH gds.graph.project($graph_name, a, b, {relationshipProperties: {weight: r.weight}},"
    " {undirectedRelationshipTypes: ['*']}) AS g"
    " RETURN g.graphName AS graph_name, g.nodeCount AS node_count,"
    " g.relationshipCount AS relationship_count",
    "hub_limit",
    "graph_name",
)
GDS_WCC = declare(
    "gds_wcc",
    "CALL gds.wcc.write($graph_name, {writeProperty: 'gds_component'})"
    " YIELD componentCount, nodePropertiesWritten"
    " RETURN componentCount AS components, nodePropertiesWritten AS written",
    "graph_name",
)
GDS_LEIDEN = declare(
    "gds_leiden",
    "CALL gds.leiden.write($graph_name, {writeProperty: 'gds_community',"
    " relationshipWeightProperty: 'weight', gamma: $gamma, randomSeed: $seed, concurrency: 1})"
    " YIELD communityCount, modularity, ranLevels"
    " RETURN communityCount AS communities, modularity, ranLevels AS levels",
    "graph_name",
    "gamma",
    "seed",
)
GDS_PAGERANK = declare(
    "gds_pagerank",
    "CALL gds.pageRank.write($graph_name, {writeProperty: 'gds_pagerank',"
    " relationshipWeightProperty: 'weight', maxIterations: $max_iterations,"
    " tolerance: $tolerance}) YIELD ranIterations, didConverge"
    " RETURN ranIterations AS iterations, didConverge AS converged",
    "graph_name",
    "max_iterations",
    "tolerance",
)
GDS_DROP = declare(
    "gds_drop",
    "CALL gds.graph.drop($graph_name, false) YIELD graphName RETURN graphName AS graph_name",
    "graph_name",
)
GDS_COMMUNITIES = declare(
    "gds_communities",
    # Ranked in the database so only the top communities ever reach the driver.
    f"{CURRENT_GEN} MATCH (s:Shipment) WHERE gen IN coalesce(s.gens, [])"
    " AND s.gds_community IS NOT NULL"
    " WITH s.gds_community AS community, count(s) AS n_shipments,"
    " sum(CASE WHEN s.inspection_outcome = $seized THEN 1 ELSE 0 END) AS seized_count,"
    " sum(coalesce(s.gds_pagerank, 0.0)) AS pagerank,"
    " min(s.arrival_date) AS first_date, max(s.arrival_date) AS last_date,"
    " collect(DISTINCT s.seizure_category) AS categories,"
    " collect(DISTINCT s.gds_component) AS components,"
    " collect(CASE WHEN s.inspection_outcome = $seized THEN s.id END) AS seized_ids"
    " WHERE n_shipments >= $min_shipments"
    " RETURN community, n_shipments, seized_count, pagerank,"
    " toString(first_date) AS first_date, toString(last_date) AS last_date,"
    " [c IN categories WHERE c <> ''] AS categories, components,"
    " seized_ids[..$max_members] AS seized_ids"
    " ORDER BY seized_count DESC, pagerank DESC, community LIMIT $top",
    "seized",
    "min_shipments",
    "top",
    "max_members",
)


def gds_members(kind: NodeKind) -> Statement:
    """Up to ``$max_members`` members of kind ``kind`` of each of the given communities."""
    return declare(
        f"gds_members_{snake_case(kind.value)}",
        f"{CURRENT_GEN} UNWIND $communities AS c"
        f" CALL (c, gen) {{ MATCH (n:{kind.value}) WHERE n.gds_community = c"
        f" AND {in_gen('n', kind)} RETURN n.id AS id ORDER BY id LIMIT $max_members }}"
        " RETURN c AS community, id",
        "communities",
        "max_members",
    )
