"""Load test: simulated investigators against the real served app, over HTTP.

Starts ``graphintel serve`` (waitress, the server the README recommends for deployment) on
a store, then runs 1, 5, 10 and 20 simulated users. Each user is a thread with its own HTTP
session that, like an investigator, keeps choosing one of:

- ``networks``: the ranked networks page (``/``);
- ``search``: a misspelt party name typed in the search box (``/search?q=...``);
- ``network``: one of the top networks opened as a link chart (``/network/<run>/<id>``);
- ``explore``: a search result opened with its neighbourhood (``/explore/<node>``);

each one the request the browser makes for it (Dash's page callback), with a think time
between clicks. It prints p50 and p95 latency per action and the errors at every level;
the named baseline is the 1-user level of the same run (the ratio column is p95 at N users
over p95 at 1 user), so contention shows apart from the cost of a request itself.

The app writes an audit row for every search and view, so point it at a COPY of a big store:

    cp --reflink=auto /tmp/m1/g.db /tmp/lt8/g.db
    nice -n 10 .venv/bin/python benchmarks/load_test.py --store sqlite:////tmp/lt8/g.db

The target is p95 under 500 ms at 20 users with no errors.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

from dashboards.data import network_href
from graphintel.model import NodeKind
from graphintel.store import open_store

ACTIONS = {"networks": 0.2, "search": 0.3, "network": 0.3, "explore": 0.2}
TARGET_P95_S = 0.5


@dataclass(frozen=True)
class Workload:
    """What simulated users click on, read from the store before the server starts."""

    network_paths: list[str]
    queries: list[str]
    explore_nodes: list[str]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first_error: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, action: str, seconds: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies[action].append(seconds)
            else:
                self.errors[action] += 1
                self.first_error.setdefault(action, error)


def misspell(name: str, rng: random.Random) -> str:
    """Drop one letter: the kind of slip a typist makes."""
    if len(name) <= 5:
        return name
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1 :]


def workload(store_url: str, seed: int, n_networks: int = 50, n_names: int = 200) -> Workload:
    rng = random.Random(seed)
    store = open_store(store_url)
    try:
        run = store.latest_run()
        if run is None:
            sys.exit(f"{store_url} has no analysis run: run `graphintel run` on it first")
        networks = store.networks(run.run_id, limit=n_networks, with_members=False)
        paths = [network_href(run.run_id, n.network_id) for n in networks]
        parties = next(store.iter_nodes([NodeKind.PARTY], batch_size=20_000))
        picked = rng.sample(parties, min(n_names, len(parties)))
    finally:
        store.close()
    return Workload(
        network_paths=paths,
        queries=[misspell(p.label, rng) for p in picked],
        explore_nodes=[p.id for p in picked],
    )


def page_body(pathname: str, search: str = "") -> dict[str, Any]:
    """The request Dash's page router makes when the browser goes to ``pathname``."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def request_for(action: str, load: Workload, rng: random.Random) -> dict[str, Any]:
    if action == "networks":
        return page_body("/")
    if action == "search":
        return page_body("/search", "?q=" + quote(rng.choice(load.queries)))
    if action == "network":
        return page_body(rng.choice(load.network_paths))
    return page_body("/explore/" + quote(rng.choice(load.explore_nodes), safe=""))


def user(
    base: str,
    load: Workload,
    results: Results,
    stop_at: float,
    think_s: float,
    timeout_s: float,
    seed: int,
) -> None:
    rng = random.Random(seed)
    names, weights = zip(*ACTIONS.items(), strict=True)
    with requests.Session() as http:
        http.get(base + "/", timeout=timeout_s)  # the app shell, as a browser loads it first
        while time.monotonic() < stop_at:
            action = rng.choices(names, weights)[0]
            body = request_for(action, load, rng)
            start = time.perf_counter()
            error: str | None = None
            try:
                response = http.post(base + "/_dash-update-component", json=body, timeout=timeout_s)
                if response.status_code != 200:
                    error = f"HTTP {response.status_code}: {response.text[:200]}"
                else:
                    response.json()
            except (requests.RequestException, ValueError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            results.add(action, time.perf_counter() - start, error)
            if think_s:
                time.sleep(rng.uniform(0.5, 1.5) * think_s)


def run_level(
    bases: list[str], load: Workload, users: int, seconds: float, think_s: float, timeout_s: float
) -> Results:
    """``users`` users for ``seconds``, spread over the servers like a proxy's upstreams."""
    results = Results()
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=user,
            args=(bases[i % len(bases)], load, results, stop_at, think_s, timeout_s, 1000 + i),
        )
        for i in range(users)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(store_url: str, port: int, threads: int, log_path: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-c",
        "from graphintel.cli import main; main()",
        "--store",
        store_url,
        "serve",
        "--port",
        str(port),
        "--threads",
        str(threads),
    ]
    with open(log_path, "wb") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(base: str, server: subprocess.Popen[bytes], load: Workload, limit_s: float) -> float:
    """Seconds until the app answers and a search has come back (the index is built)."""
    start = time.monotonic()
    body = page_body("/search", "?q=" + quote(load.queries[0]))
    while time.monotonic() - start < limit_s:
        if server.poll() is not None:
            sys.exit(f"the server exited with status {server.returncode}; see its log")
        try:
            if requests.get(base + "/", timeout=5).status_code == 200:
                done = requests.post(base + "/_dash-update-component", json=body, timeout=limit_s)
                if done.status_code == 200:
                    return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(1)
    sys.exit(f"the app was not ready after {limit_s:.0f} s")


def report(level: int, results: Results, baseline: dict[str, float] | None) -> dict[str, float]:
    p95s: dict[str, float] = {}
    for action in ACTIONS:
        values = results.latencies.get(action, [])
        errors = results.errors.get(action, 0)
        if not values:
            print(f"{level:>5}  {action:<9} {'-':>6} {'-':>9} {'-':>9} {errors:>6}")
            continue
        p50, p95 = statistics.median(values), pct(values, 0.95)
        p95s[action] = p95
        ratio = f"{p95 / baseline[action]:.2f}x" if baseline and baseline.get(action) else "base"
        print(
            f"{level:>5}  {action:<9} {len(values):>6} {p50 * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms "
            f"{errors:>6}  {ratio}"
        )
    every = [v for vs in results.latencies.values() for v in vs]
    n_errors = sum(results.errors.values())
    if every:
        p95 = pct(every, 0.95)
        verdict = "meets" if p95 < TARGET_P95_S and not n_errors else "MISSES"
        print(
            f"{level:>5}  {'all':<9} {len(every):>6} {statistics.median(every) * 1000:>7.0f}ms "
            f"{p95 * 1000:>7.0f}ms {n_errors:>6}  {verdict} the 500 ms p95 / no-error target"
        )
    for action, message in results.first_error.items():
        print(f"       first {action} error: {message}")
    return p95s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="Store URL (use a copy: audit rows)")
    parser.add_argument("--users", default="1,5,10,20", help="Levels of concurrent users")
    parser.add_argument("--seconds", type=float, default=45.0, help="Duration of each level")
    parser.add_argument("--think", type=float, default=1.0, help="Mean think time, seconds")
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="app processes (users spread over them, as a reverse proxy's upstreams would be)",
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="Per-request timeout, s")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server-log", default="load_test_server.log")
    args = parser.parse_args()

    started = time.monotonic()
    load = workload(args.store, args.seed)
    print(
        f"store {args.store}: {len(load.network_paths)} networks, {len(load.queries)} queries "
        f"(read in {time.monotonic() - started:.1f} s)"
    )
    bases: list[str] = []
    servers: list[subprocess.Popen[bytes]] = []
    for i in range(args.processes):
        port = free_port()
        bases.append(f"http://127.0.0.1:{port}")
        servers.append(start_server(args.store, port, args.threads, f"{args.server_log}.{i}"))
    try:
        ready = max(wait_ready(b, s, load, 1800) for b, s in zip(bases, servers, strict=True))
        print(f"app ready (first search answered) after {ready:.1f} s; logs {args.server_log}.*")
        print(
            f"{args.processes} waitress process(es) x {args.threads} threads; think time "
            f"{args.think:.1f} s (mean); {args.seconds:.0f} s per level"
        )
        header = f"{'users':>5}  {'action':<9} {'n':>6} {'p50':>9} {'p95':>9} {'errors':>6}"
        print(f"{header}  p95 vs 1 user")
        baseline: dict[str, float] | None = None
        for level in [int(u) for u in args.users.split(",")]:
            results = run_level(bases, load, level, args.seconds, args.think, args.timeout)
            p95s = report(level, results, baseline)
            if baseline is None:
                baseline = p95s
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
