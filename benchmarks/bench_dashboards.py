"""Server time of the investigator app's heavy requests on a real store, against baselines.

Prints, for the store given (build one with ``graphintel synth`` + ``graphintel run``):

- networks page: the page's whole server-side render; baseline: the bare ``store.networks``
  listing it is built on;
- opening a network of about 300 nodes: the page render (element budget, seeded layout,
  communities); baseline: the bare reads (``network`` + ``nodes`` + ``edges_among``);
- search: the stored index's build time when the store has none yet (analysis normally
  builds it), the app's start time, then p50/p95 of misspelt queries drawn from the store's
  own party names; baseline: the store's substring ``search`` (LIKE) on the same queries,
  which finds the misspelt names far less often (its hit rate is printed too);
- overview page render.

    .venv/bin/python benchmarks/bench_dashboards.py --store sqlite:///graphintel.db
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from itertools import islice
from typing import Any

from dashboards.app import create_app
from dashboards.context import SEARCH_KEY
from dashboards.data import network_rows, row_countries
from dashboards.pages import network as network_page
from dashboards.pages import networks as networks_page
from dashboards.pages import overview as overview_page
from graphintel.model import NodeKind
from graphintel.store import open_store
from graphintel.store.base import GraphStore


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def line(name: str, values: list[float], baseline: list[float] | None = None) -> None:
    p50, p95 = statistics.median(values) * 1000, pct(values, 0.95) * 1000
    text = f"{name:<44} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms"
    if baseline:
        text += f"  ({p50 / (statistics.median(baseline) * 1000):.3g}x the baseline p50)"
    print(text)


def misspell(name: str, rng: random.Random) -> str:
    """Drop one letter and swap two neighbours: the kind of slip a typist makes."""
    chars = list(name)
    if len(chars) > 4:
        del chars[rng.randrange(1, len(chars) - 1)]
        i = rng.randrange(1, len(chars) - 2)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def network_near(store: GraphStore, run_id: str, size: int) -> tuple[str, int]:
    best = min(
        store.networks(run_id, limit=1000, with_members=False),
        key=lambda n: abs(n.n_shipments + n.n_entities - size),
    )
    return best.network_id, best.n_shipments + best.n_entities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--rebuild-index",
        action="store_true",
        help="time a rebuild of the stored search index (writes to the store: use a copy)",
    )
    args = parser.parse_args()
    store = open_store(args.store)
    run = store.latest_run("analyze")
    assert run is not None, "run graphintel analyze first"
    counts = store.counts()
    print(
        f"store {store.url}: {counts.get('shipments', 0):,} shipments, "
        f"{counts.get('edges', 0):,} edges, run {run.run_id}"
    )

    base = timed(lambda: store.networks(run.run_id, limit=1000, with_members=False), args.repeat)
    line("baseline: store.networks listing", base)
    line("networks page render", timed(lambda: networks_page.render(store), args.repeat), base)
    rows = network_rows(store, run.run_id)
    top_country = Counter(c for r in rows for c in row_countries(r)).most_common(2)
    chosen = [c for c, _ in top_country[1:]] or [c for c, _ in top_country]
    shown = networks_page.apply_filters(store, None, None, None, None, chosen)[1]
    line(
        f"networks country filter {chosen} ({shown})",
        timed(
            lambda: networks_page.apply_filters(store, None, None, None, None, chosen), args.repeat
        ),
        base,
    )

    net_id, members = network_near(store, run.run_id, 300)

    def raw_reads() -> None:
        net = store.network(run.run_id, net_id)
        assert net is not None
        ids = [*net.entity_ids, *(f"shipment:{s}" for s in net.shipment_ids)]
        store.nodes(ids)
        store.edges_among(ids)

    base = timed(raw_reads, args.repeat)
    line(f"baseline: reads of {net_id} ({members} members)", base)
    page = timed(lambda: network_page.render(store, run.run_id, net_id), args.repeat)
    line(f"open network {net_id} ({members} members)", page, base)

    if store.search_index_ready() and not args.rebuild_index:
        print("search index: already in the store (analysis built it)")
    else:
        start = time.perf_counter()
        entries = store.build_search_index()
        print(
            f"search index build: {time.perf_counter() - start:.1f} s for {entries:,} entries"
            " (persisted in the store, once per resolved graph)"
        )
    start = time.perf_counter()
    app = create_app(store)
    service = app.server.config[SEARCH_KEY]
    service.ensure_index()
    print(f"app start (create_app + search index check): {time.perf_counter() - start:.2f} s")
    rng = random.Random(7)
    parties = [n.label for batch in islice(store.iter_nodes([NodeKind.PARTY]), 3) for n in batch]
    picks = [rng.choice(parties) for _ in range(args.queries)]
    queries = [misspell(p, rng) for p in picks]
    hits = sum(
        any(h.label == want for h in service.search(q, limit=10))
        for q, want in zip(queries, picks, strict=True)
    )
    fuzzy = [t for q in queries for t in timed(lambda q=q: service.search(q), 1)]  # type: ignore[misc]
    like_hits = sum(
        any(n.label == want for n in store.search(q, limit=10))
        for q, want in zip(queries, picks, strict=True)
    )
    like = [t for q in queries for t in timed(lambda q=q: store.search(q), 1)]  # type: ignore[misc]
    line("baseline: store.search (substring LIKE)", like)
    line("fuzzy search (stored trigrams + rapidfuzz)", fuzzy, like)
    print(
        f"misspelt party found in the top 10: fuzzy {hits}/{len(queries)}, "
        f"substring {like_hits}/{len(queries)}"
    )
    line(
        "overview page render", timed(lambda: overview_page.render(store), max(3, args.repeat // 3))
    )
    store.close()


if __name__ == "__main__":
    main()
