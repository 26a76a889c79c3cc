"""Typo-tolerant search over the sample store, and the search and explore pages."""

from __future__ import annotations

from dashboards import search_index
from dashboards.pages import explore, search
from dashboards.search_index import SearchService
from graphintel.model import NodeKind
from graphintel.store import GraphStore
from tests.builders import IMG_NAME, AppSample
from tests.graph_writes import write_records

Sampled = tuple[GraphStore, AppSample]


def test_misspelt_names_and_reformatted_identifiers_are_found(sample_store: Sampled) -> None:
    store, sample = sample_store
    service = SearchService(store)

    def top(text: str) -> search_index.SearchHit:
        return service.search(text)[0]

    assert all(h.kind is not NodeKind.SHIPMENT for h in service.search("s"))
    assert top("shenzen huayo tradng").node_id == sample.main_shipper
    assert top("Jon Smth").label in ("John Smith", "Jon Smyth")
    assert top("201 555 0143").kind is NodeKind.PHONE
    assert top("dropbox77 mail").kind is NodeKind.EMAIL
    assert top("1200 industrial blvd newark").node_id == sample.shared_address
    assert top("globl expres consolidator").node_id == "party:bigco"
    assert service.search("qqqqxxxx") == []
    assert service.search("   ") == []


def test_service_builds_the_store_index_once_per_graph(sample_store: Sampled) -> None:
    store, sample = sample_store
    assert not store.search_index_ready()  # the sample store was written without one
    first = SearchService(store, recheck_seconds=0)
    assert first.search("shenzen huayo tradng")[0].node_id == sample.main_shipper
    assert first.built and store.search_index_ready()
    second = SearchService(store, recheck_seconds=0)
    assert second.search("shenzen huayo tradng") and not second.built  # persisted
    nodes = [n for batch in store.iter_nodes() for n in batch]
    edges = [e for batch in store.iter_edges() for e in batch]
    write_records(store, nodes, edges, [], [])  # a new resolution
    assert not store.search_index_ready()
    assert first.search("shenzen huayo tradng")[0].node_id == sample.main_shipper


def test_search_page_lists_matches_as_links_to_the_workspace(sample_store: Sampled) -> None:
    store, sample = sample_store
    page = search.render(SearchService(store), "<img src=x onerror=alert(1)>")
    text = str(page)
    assert search.explore_href(sample.img_party) in text
    assert IMG_NAME in text  # shown as text; the page tree holds no raw HTML components
    empty = search.render(SearchService(store), "")
    assert "misspellings are fine" in str(empty)


def test_explore_opens_the_node_with_its_neighbourhood(sample_store: Sampled) -> None:
    store, sample = sample_store
    built = explore.neighbourhood(store, sample.main_shipper)
    assert built is not None
    elements, note = built
    drawn = {e["data"]["id"] for e in elements if "source" not in e["data"]}
    assert sample.main_shipper in drawn
    assert sample.shared_address in drawn  # reached through the shipper's shipments
    assert "neighbours drawn" in note
    assert explore.neighbourhood(store, "party:nobody") is None
    assert search_index.normalise("+1 (201) 555-0143") == "1 201 555 0143"


def test_service_leaves_the_build_to_a_running_analysis(sample_store: Sampled) -> None:
    store, sample = sample_store
    run = store.start_run("analyze", {}, {})
    service = SearchService(store, recheck_seconds=0)
    hits = service.search("Shenzhen Huayu")  # the store's substring search meanwhile
    assert hits[0].node_id == sample.main_shipper
    assert not service.built and not store.search_index_ready()
    store.finish_run(run.run_id, {})
    assert service.search("shenzen huayo tradng")[0].node_id == sample.main_shipper
    assert service.built
