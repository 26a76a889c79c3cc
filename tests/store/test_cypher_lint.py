"""Every Cypher statement of the Neo4j store passes Neo4j's own Cypher front end.

The linter is the npm package ``@neo4j-cypher/language-support`` (installed by ``npm ci``
from the committed lock file). Each statement is checked as Cypher 5 (Neo4j 5 LTS) and as
Cypher 25 (Neo4j 2025+), against the declared schema: labels, relationship types, property
keys, the (source, type, target) triples of ``graphintel.model`` and the statement's own
parameters, so an undeclared label, a misspelt property or a stray ``$name`` fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from graphintel.model import EDGE_TYPES, EdgeKind, NodeKind
from graphintel.store.neo4j import cypher
from graphintel.store.neo4j.statements import all_statements

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "cypher_lint.mjs"
PACKAGE = ROOT / "node_modules" / "@neo4j-cypher" / "language-support"
VERSIONS = ("CYPHER 5", "CYPHER 25")

pytestmark = pytest.mark.skipif(
    not PACKAGE.exists() or shutil.which("node") is None,
    reason="Cypher linter not installed: run `npm ci` at the repo root (needs node and npm)",
)


def _schema() -> dict[str, Any]:
    return {
        "labels": [k.value for k in NodeKind] + [k.value for k in cypher.StoreLabel],
        "relationshipTypes": [k.value for k in EdgeKind] + [k.value for k in cypher.StoreRel],
        "propertyKeys": list(cypher.PROPERTY_KEYS),
        "graphSchema": [
            {"from": t.source.value, "to": t.target.value, "relType": t.kind.value}
            for t in EDGE_TYPES
        ]
        + [{"from": "Run", "to": "Network", "relType": cypher.StoreRel.HAS_NETWORK.value}],
    }


def run_linter(statements: list[cypher.Statement]) -> list[dict[str, Any]]:
    payload = {
        "statements": [
            {"name": s.name, "text": s.text, "params": sorted(s.params)} for s in statements
        ],
        "schema": _schema(),
        "versions": list(VERSIONS),
    }
    done = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


@cache
def _all_results() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    results = run_linter(list(all_statements().values()))
    return tuple(
        (
            r["name"],
            r["version"],
            tuple(f"{d['severity']}: {d['message']}" for d in r["diagnostics"]),
        )
        for r in results
    )


def test_every_statement_is_clean_in_cypher_5_and_25() -> None:
    results = _all_results()
    assert len(results) == len(all_statements()) * len(VERSIONS)
    problems = [f"{name} [{version}]: {d}" for name, version, diags in results for d in diags]
    assert problems == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MATCH (n:Shipment RETURN n", "Invalid input"),
        ("MATCH (n:Shipmnet) RETURN n.id", "Label Shipmnet is not present"),
        ("MATCH (n:Shipment) RETURN n.shipment_idd", "shipment_idd is not present"),
        ("MATCH (n:Shipment {id: $other}) RETURN n.id", "Parameter $other is not defined"),
        ("MATCH (a:Shipment)-[:HAS_PHONE]->(b:Phone) RETURN a.id", "HAS_PHONE"),
        ("CALL db.index.fulltext.queryNodes('x') YIELD node RETURN node", "queryNodes"),
        ("MATCH (n:Shipment) RETURN m", "Variable `m` not defined"),
    ],
)
def test_linter_catches_the_mistakes_it_is_here_for(text: str, expected: str) -> None:
    [five, twentyfive] = run_linter([cypher.Statement("probe", text, frozenset({"id"}))])
    for result in (five, twentyfive):
        assert any(expected in d["message"] for d in result["diagnostics"]), result
