"""What can be checked of the Neo4j store without a server.

The statements themselves are linted by Neo4j's front end in ``test_cypher_lint.py``; here
we check the rules around them (declared labels and parameters only) and drive the store's
write paths through a recording stand-in for the driver, to see which statements run, in
which order, with which parameters and in how many batches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from graphintel.errors import StoreError
from graphintel.model import EdgeKind, NodeKind, Role
from graphintel.records import (
    EdgeRecord,
    LoadReport,
    MentionAssignment,
    Network,
    NodeRecord,
    QuarantineEntry,
)
from graphintel.store.neo4j import (
    Neo4jStore,
    credentials,
    cypher,
    fulltext_query,
    fuzzy_query,
    parse_url,
    runs,
)
from graphintel.store.neo4j.schema import schema_statements
from graphintel.store.neo4j.statements import all_statements
from tests.conftest import make_shipment
from tests.graph_writes import write_records

STATEMENTS = all_statements()
BY_TEXT = {s.text: s for s in STATEMENTS.values()}
LABELS = {k.value for k in NodeKind} | {k.value for k in cypher.StoreLabel}
REL_TYPES = {k.value for k in EdgeKind} | {k.value for k in cypher.StoreRel}


# -- URLs and credentials --------------------------------------------------------------------
def test_urls_split_into_driver_uri_and_database() -> None:
    assert parse_url("neo4j://db.example:7687") == ("neo4j://db.example:7687", None)
    assert parse_url("bolt+s://db.example:7687/cases") == ("bolt+s://db.example:7687", "cases")
    with pytest.raises(StoreError, match="credentials"):
        parse_url("neo4j://neo4j:secret@db.example:7687")
    with pytest.raises(StoreError):
        parse_url("http://db.example:7474")
    with pytest.raises(StoreError, match="no host"):
        parse_url("neo4j://")


def test_credentials_prefer_graphintel_variables() -> None:
    assert credentials({}) == ("neo4j", None)
    assert credentials({"NEO4J_USER": "u", "NEO4J_PASSWORD": "p"}) == ("u", "p")
    env = {"NEO4J_PASSWORD": "p", "GRAPHINTEL_NEO4J_USER": "gi", "GRAPHINTEL_NEO4J_PASSWORD": "q"}
    assert credentials(env) == ("gi", "q")


# -- statement hygiene -----------------------------------------------------------------------
def test_every_statement_declares_exactly_the_parameters_it_uses() -> None:
    for st in STATEMENTS.values():
        assert cypher.parameters_in(st.text) == st.params, st.name


def test_statements_use_only_declared_labels_and_relationship_types() -> None:
    labels = re.compile(r"\(\w*((?::\w+(?:\|\w+)*)+)")
    rels = re.compile(r"\[\w*:(\w+)")
    for st in STATEMENTS.values():
        for group in labels.findall(st.text):
            for label in re.split(r"[:|]", group):
                assert not label or label in LABELS, (st.name, label)
        for rel in rels.findall(st.text):
            assert rel in REL_TYPES, (st.name, rel)


def test_no_statement_embeds_a_data_value() -> None:
    # The only quoted literals are names from this module: the state key, the full-text
    # index, GDS property names and the projection's wildcard.
    allowed = {"graph", cypher.FULLTEXT_INDEX, "gds_component", "gds_community"}
    allowed |= {"gds_pagerank", "weight", "*", "{}", ""}
    for st in STATEMENTS.values():
        for literal in re.findall(r"'([^']*)'", st.text):
            assert literal in allowed, (st.name, literal)


def test_fulltext_query_keeps_only_words() -> None:
    assert fulltext_query("John SMITH") == "john* AND smith*"
    assert fulltext_query("'; DROP TABLE nodes; --") == "drop* AND table* AND nodes*"
    assert fulltext_query('name:"x" OR *') == "name* AND x* AND or*"
    assert fulltext_query("%") == ""
    assert fulltext_query("Шэньчжэнь 深圳") == "шэньчжэнь* AND 深圳*"


def test_fuzzy_query_allows_typos_in_words_and_keeps_only_words() -> None:
    assert fuzzy_query("Jon Smth") == "jon~ OR jon* OR smth~ OR smth*"
    assert fuzzy_query("1 mian st") == "1* OR mian~ OR mian* OR st*"
    assert fuzzy_query('name:"x" OR *') == "name~ OR name* OR x* OR or*"
    assert fuzzy_query("%") == ""


# -- a recording stand-in for the driver ------------------------------------------------------
class FakeRecord:
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def data(self) -> dict[str, Any]:
        return self._data


class FakeTx:
    def __init__(self, driver: FakeDriver) -> None:
        self.driver = driver

    def run(self, text: str, params: dict[str, Any]) -> Iterator[FakeRecord]:
        statement = BY_TEXT[text]  # KeyError: a statement not declared
        self.driver.calls.append((statement.name, params))
        self.driver.tx_of_call.append(self.driver.transactions)
        return iter(FakeRecord(r) for r in self.driver.answer(statement.name, params))


class FakeSession:
    def __init__(self, driver: FakeDriver) -> None:
        self.driver = driver

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute_read(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.driver.transactions += 1
        return work(FakeTx(self.driver), *args, **kwargs)

    execute_write = execute_read


class FakeDriver:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.tx_of_call: list[int] = []
        self.transactions = 0
        self.current_gen = 1

    def session(self, database: str | None = None) -> FakeSession:
        return FakeSession(self)

    def verify_connectivity(self) -> None:
        return None

    def close(self) -> None:
        return None

    def answer(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if name.startswith(("load_delete_", "purge_", "wipe")):
            return [{"deleted": 0}]
        if name.startswith(("node_write_", "edge_write_")):
            return [{"written": len(params["rows"])}]
        if name.startswith(("node_count_", "edge_count_")) or name.endswith("_count"):
            return [{"n": 0}]
        if name == "graph_begin":
            return [{"gen": self.current_gen + 1, "current": self.current_gen}]
        if name == "graph_state":
            return [
                {
                    "current": self.current_gen + 1,
                    "gens": [0, self.current_gen, self.current_gen + 1],
                    "counts_json": "{}",
                }
            ]
        return []

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


@pytest.fixture
def fake() -> Iterator[tuple[Neo4jStore, FakeDriver]]:
    driver = FakeDriver()
    store = Neo4jStore("neo4j://fake:7687/cases", batch_size=2, driver=driver)  # type: ignore[arg-type]
    assert store.database == "cases"
    driver.calls.clear()
    driver.tx_of_call.clear()
    yield store, driver


def test_opening_creates_every_constraint_and_index() -> None:
    driver = FakeDriver()
    Neo4jStore("neo4j://fake:7687", driver=driver)  # type: ignore[arg-type]
    expected = [s.name for s in schema_statements()] + ["graph_state_init"]
    assert driver.names() == expected


def test_a_load_is_staged_in_batches_then_committed(fake: tuple[Neo4jStore, FakeDriver]) -> None:
    store, driver = fake
    report = LoadReport(load_id="L1", file_id="F1", file_path="/f.csv")
    with store.load_transaction(report) as tx:
        tx.add_shipments(
            [make_shipment(f"S{i}", row=i, file_id="F1", load_id="L1") for i in range(5)]
        )
        tx.add_quarantine([QuarantineEntry("F1", "/f.csv", 9, "arrival_date", "bad", "{}", "L1")])
        report.status = "loaded"
    names = driver.names()
    assert names == [
        "load_get",
        "load_stale",
        "load_stage",
        "shipments_write",
        "shipments_write",
        "shipments_write",
        "quarantine_write",
        "load_commit",
    ]
    staged = dict(driver.calls)["load_stage"]
    assert staged["props"]["started_at"] and staged["props"]["status"] == "running"
    committed = driver.calls[-1][1]
    assert committed["props"]["status"] == "loaded"
    rows = [r for name, p in driver.calls if name == "shipments_write" for r in p["rows"]]
    assert [r["shipment_id"] for r in rows] == ["S0", "S1", "S2", "S3", "S4"]
    assert rows[0]["id"] == "shipment:S0" and rows[0]["load_id"] == "L1"


def test_an_abandoned_attempt_with_the_same_load_id_is_cleared_first(
    fake: tuple[Neo4jStore, FakeDriver],
) -> None:
    store, driver = fake
    answer = driver.answer
    driver.answer = lambda name, params: (  # type: ignore[method-assign]
        [{"committed": False}] if name == "load_get" else answer(name, params)
    )
    with store.load_transaction(LoadReport(load_id="L1", file_id="F1", file_path="/f.csv")):
        pass
    assert driver.names()[:5] == [
        "load_get",
        "load_delete_shipments",
        "load_delete_quarantine",
        "load_delete",
        "load_stale",
    ]
    driver.answer = lambda name, params: (  # type: ignore[method-assign]
        [{"committed": True}] if name == "load_get" else answer(name, params)
    )
    with (
        pytest.raises(StoreError, match="already committed"),
        store.load_transaction(LoadReport(load_id="L1", file_id="F1", file_path="/f.csv")),
    ):
        pass


def test_a_failed_load_is_deleted_and_never_committed(fake: tuple[Neo4jStore, FakeDriver]) -> None:
    store, driver = fake
    report = LoadReport(load_id="L1", file_id="F1", file_path="/f.csv")
    with pytest.raises(RuntimeError), store.load_transaction(report) as tx:
        tx.add_shipments([make_shipment("S1", file_id="F1", load_id="L1")])
        raise RuntimeError("parser died")
    names = driver.names()
    assert "load_commit" not in names
    assert names[-3:] == ["load_delete_shipments", "load_delete_quarantine", "load_delete"]


def test_a_resolution_is_staged_then_swapped_and_old_generations_purged(
    fake: tuple[Neo4jStore, FakeDriver],
) -> None:
    store, driver = fake
    write_records(
        store,
        nodes=[
            NodeRecord("shipment:S1", NodeKind.SHIPMENT, "S1"),
            NodeRecord("party:p1", NodeKind.PARTY, "A"),
            NodeRecord("party:p2", NodeKind.PARTY, "B"),
            NodeRecord("party:p3", NodeKind.PARTY, "C"),
        ],
        edges=[EdgeRecord("shipment:S1", "party:p1", EdgeKind.SHIPPED_BY)],
        assignments=[MentionAssignment("S1", Role.SHIPPER, "party:p1", "A")],
        evidence=[],
    )
    names = driver.names()
    assert names[0] == "graph_begin"
    flip = names.index("graph_flip")
    assert dict(driver.calls)["graph_flip"]["gen"] == 2
    writes = [n for n in names[:flip] if n.endswith("_write") or "_write_" in n]
    assert writes == [
        "node_write_shipment",
        "node_write_party",
        "node_write_party",
        "edge_write_shipped_by",
        "mentions_write",
    ]
    shipment_write = dict(driver.calls)["node_write_shipment"]
    assert (shipment_write["gen"], shipment_write["current"]) == (2, 1)
    purged = {p["gen"] for n, p in driver.calls[flip:] if n == "graph_forget_gen"}
    assert purged == {0, 1}  # every generation but the new one


def test_a_failed_resolution_removes_its_staged_generation(
    fake: tuple[Neo4jStore, FakeDriver],
) -> None:
    store, driver = fake

    def broken_nodes() -> Iterator[NodeRecord]:
        yield NodeRecord("party:p1", NodeKind.PARTY, "A")
        raise RuntimeError("resolver crashed")

    with pytest.raises(RuntimeError):
        write_records(store, broken_nodes(), [], [], [])
    names = driver.names()
    assert "graph_flip" not in names
    forgotten = [p["gen"] for n, p in driver.calls if n == "graph_forget_gen"]
    assert forgotten == [2]


def test_finish_run_writes_networks_and_status_in_one_transaction(
    fake: tuple[Neo4jStore, FakeDriver],
) -> None:
    store, driver = fake
    run_row = {f: "{}" if f.endswith("_json") else "x" for f in runs.RUN_FIELDS}
    answer = driver.answer
    driver.answer = lambda name, params: (  # type: ignore[method-assign]
        [{"run": run_row}] if name == "run_get" else answer(name, params)
    )
    nets = [
        Network(f"n{i}", "run-1", i, 1.0, ("r",), {"r": []}, (f"shipment:S{i}",), ())
        for i in range(5)
    ]
    store.finish_run("run-1", {"networks": 5}, iter(nets))
    writes = [
        (name, tx)
        for (name, _), tx in zip(driver.calls, driver.tx_of_call, strict=True)
        if name in ("networks_write", "run_update")
    ]
    assert [n for n, _ in writes] == ["networks_write"] * 3 + ["run_update"]
    assert len({tx for _, tx in writes}) == 1
    rows = [r for n, p in driver.calls if n == "networks_write" for r in p["rows"]]
    assert [r["network_id"] for r in rows] == ["n0", "n1", "n2", "n3", "n4"]


def test_a_statement_never_runs_with_missing_parameters(
    fake: tuple[Neo4jStore, FakeDriver],
) -> None:
    store, driver = fake
    with pytest.raises(StoreError, match="parameters"):
        store.write(runs.RUN_UPDATE, run_id="r")
    assert driver.calls == []


def test_replace_watchlist_is_one_transaction_in_batches(
    fake: tuple[Neo4jStore, FakeDriver],
) -> None:
    from graphintel.records import Watchlist, WatchlistEntry

    store, driver = fake
    entries = [WatchlistEntry("ofac", n, name=f"Party {n}") for n in range(1, 6)]
    saved = store.replace_watchlist(
        Watchlist("ofac", "bad", "bad.csv", "sha", "2026-01-01T00:00:00+00:00", 0), entries
    )
    assert saved.entries == 5
    assert driver.names() == [
        "watchlist_entries_delete",
        "watchlist_delete",
        "watchlist_create",
        "watchlist_entries_write",
        "watchlist_entries_write",
        "watchlist_entries_write",
    ]
    assert len(set(driver.tx_of_call)) == 1  # the old list goes only if the new one lands
    written = [
        row for name, p in driver.calls if name == "watchlist_entries_write" for row in p["rows"]
    ]
    assert [(r["list_name"], r["row_number"], r["name"]) for r in written] == [
        ("ofac", n, f"Party {n}") for n in range(1, 6)
    ]
