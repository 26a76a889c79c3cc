"""Typo-tolerant search over the sample store, and the search and explore pages."""

from __future__ import annotations

from dashboards import search_index
from dashboards.pages import explore, search
from dashboards.search_index import SearchService, TrigramIndex
from graphintel.model import NodeKind
from graphintel.store import GraphStore
from tests.dashboards.sample import IMG_NAME, Sample

Sampled = tuple[GraphStore, Sample]


def test_misspelt_names_and_reformatted_identifiers_are_found(sample_store: Sampled) -> None:
    store, sample = sample_store
    index = TrigramIndex.from_store(store)
    assert all(k is not NodeKind.SHIPMENT for k in index.kinds)
    assert index.search("shenzen huayo tradng")[0].node_id == sample.main_shipper
    assert index.search("Jon Smth")[0].label in ("John Smith", "Jon Smyth")
    assert index.search("201 555 0143")[0].kind is NodeKind.PHONE
    assert index.search("dropbox77 mail")[0].kind is NodeKind.EMAIL
    assert index.search("1200 industrial blvd newark")[0].node_id == sample.shared_address
    assert index.search("globl expres consolidator")[0].node_id == "party:bigco"
    assert index.search("qqqqxxxx") == []
    assert index.search("   ") == []


def test_candidates_rank_by_shared_trigrams() -> None:
    index = TrigramIndex(
        ["party:a", "party:b", "party:c"],
        [NodeKind.PARTY] * 3,
        ["Maria Lopez", "Mario Lopes", "Kevin Tran"],
    )
    order = [index.ids[i] for i in index.candidates("maria lopez")]
    assert order[:2] == ["party:a", "party:b"] and "party:c" not in order[:2]


def test_service_rebuilds_after_a_new_resolve_run(sample_store: Sampled) -> None:
    store, _ = sample_store
    service = SearchService(store, recheck_seconds=0)
    first = service.index()
    assert service.index() is first  # cached while the graph is unchanged
    run = store.start_run("resolve", {}, {})
    store.finish_run(run.run_id, {})
    assert service.index() is not first


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
