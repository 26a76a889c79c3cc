"""Time and memory of ``graphintel run`` as the manifest grows, projected to 5M and 10M
shipments against one 24 GiB machine (issue 15: 10M must fit; issue 17: base 5M).

For each size in ``--sizes`` it synthesizes a manifest (``graphintel synth``, ``--seed``,
reused when already in ``--workdir``) and runs the three steps of ``graphintel run`` (load,
resolve, analyze), each as its own child process on a fresh store, so that every stage has
its own peak. While a step runs, the PSS of the child and of every process descending from
it (the normalizing workers, the forked resolution process; threads are not processes and
are not counted twice) is summed every ``--interval`` seconds from /proc/PID/smaps_rollup.
PSS, not RSS: pages a fork shares are split between the processes sharing them, so the sum
is what the tree really costs the machine.

It prints per size and stage the wall time, CPU (the child and all its reaped children),
peak PSS and bytes per shipment, then per stage a least-squares line ``peak = a + b * n``
and its projection to 5M and 10M shipments against 24 GiB.

Named baselines, measured in the same script and the same way:

* ``floor``: the raw floor of a load, ``csv.reader`` over the manifest and one sqlite
  ``executemany`` into a table of its columns (what no loader can beat);
* ``--baseline PYTHON``: the same three steps run by another checkout's interpreter (e.g.
  ``OTHER_CHECKOUT/.venv/bin/python``: main before a change), printed with the ratio of each
  stage's peak and wall time to it.

Usage (1M-scale runs hold the machine: take the shared lock)::

    .venv/bin/python benchmarks/scale_bench.py \\
        --sizes 250000,500000,1000000 --workdir /tmp/scale
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import load_floor  # a sibling script: the raw floor every load benchmark shares

GIB = 1 << 30
MACHINE = 24 * GIB
PROJECT_TO = (5_000_000, 10_000_000)
STAGES = ("load", "resolve", "analyze")
_CLI = "import sys; from graphintel.cli import main; sys.argv[0] = 'graphintel'; main()"


# -- sampling ------------------------------------------------------------------------------
def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (the kernel's children lists, which name
    processes, not threads)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
            except OSError:
                continue
    return found


def pss(pid: int) -> int:
    """Proportional set size of one process in bytes (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class TreeSampler:
    """Peak of the summed PSS of a process tree, sampled in a thread until ``stop``."""

    def __init__(self, pid: int, interval: float) -> None:
        self.peak = 0
        self._pid, self._interval = pid, interval
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, sum(pss(p) for p in descendants(self._pid)))
            self._done.wait(self._interval)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak


# -- steps ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Step:
    """One measured child process."""

    wall: float
    cpu: float
    peak: int  # bytes, summed PSS of the process tree


def measured(command: Sequence[str], log: Path, interval: float) -> Step:
    """Run ``command`` with its output in ``log``; its wall, CPU and peak tree PSS."""
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid, interval)
        _, status, usage = os.wait4(proc.pid, 0)
    peak = sampler.stop()
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command[:4])}... failed; see {log}")
    return Step(wall, usage.ru_utime + usage.ru_stime, peak)


def run_steps(python: str, manifest: Path, store: Path, interval: float) -> dict[str, Step]:
    """Load, resolve and analyze ``manifest`` into a fresh ``store`` (``graphintel run``'s
    three steps, with its defaults), each measured in its own child."""
    for leftover in store.parent.glob(store.name + "*"):
        leftover.unlink()
    args = {"load": ["load", str(manifest)], "resolve": ["resolve"], "analyze": ["analyze"]}
    return {
        stage: measured(
            [python, "-c", _CLI, "--quiet", "--store", f"sqlite:///{store}", *args[stage]],
            store.with_suffix(f".{stage}.log"),
            interval,
        )
        for stage in STAGES
    }


def floor_step(manifest: Path, folder: Path, interval: float) -> Step:
    db = folder / "floor.db"
    db.unlink(missing_ok=True)
    command = [sys.executable, load_floor.SCRIPT, str(manifest), str(db)]
    step = measured(command, folder / "floor.log", interval)
    db.unlink(missing_ok=True)
    return step


def synthesized(python: str, size: int, seed: int, workdir: Path) -> Path:
    folder = workdir / f"s{size}"
    manifest = folder / "manifest.csv"
    if not manifest.exists():
        subprocess.run(
            [python, "-c", _CLI, "synth", "-o", str(folder), "--shipments", str(size),
             "--seed", str(seed)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return manifest


# -- report --------------------------------------------------------------------------------
def fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Least-squares ``y = a + b x`` (a flat line through one point)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return my, 0.0
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    return my - b * mx, b


def gib(n: float) -> str:
    return f"{n / GIB:6.2f} GiB"


def verdict(peak: float) -> str:
    return "fits" if peak < MACHINE else "DOES NOT fit"


def show_size(size: int, name: str, steps: dict[str, Step], floor: Step | None) -> None:
    print(f"\n{name}, {size:,} shipments (load average {os.getloadavg()[0]:.2f}):")
    for stage, s in steps.items():
        print(f"  {stage:<8} {s.wall:8.1f} s wall {s.cpu:8.1f} s CPU  peak {gib(s.peak)}"
              f"  {s.peak / size:8,.0f} B/shipment")  # fmt: skip
    total = sum(s.wall for s in steps.values())
    print(f"  {'run':<8} {total:8.1f} s wall  peak {gib(max(s.peak for s in steps.values()))}")
    if floor is not None:
        load = steps["load"]
        print(f"  floor (csv.reader + sqlite executemany): {floor.wall:.1f} s, peak "
              f"{gib(floor.peak)}; load is {load.wall / floor.wall:.1f}x its time, "
              f"{load.peak / max(floor.peak, 1):.1f}x its memory")  # fmt: skip


def show_projection(name: str, results: dict[int, dict[str, Step]]) -> None:
    sizes = sorted(results)
    print(f"\n{name}: peak PSS per stage, least squares over {len(sizes)} sizes, "
          f"projected against the {gib(MACHINE).strip()} machine:")  # fmt: skip
    for stage in STAGES:
        a, b = fit([float(n) for n in sizes], [float(results[n][stage].peak) for n in sizes])
        projected = "  ".join(
            f"{n / 1e6:.0f}M: {gib(a + b * n)} ({verdict(a + b * n)})" for n in PROJECT_TO
        )
        print(f"  {stage:<8} {b:8,.0f} B/shipment + {gib(a)}   {projected}")
    for n in PROJECT_TO:
        a, b = fit([float(s) for s in sizes], [sum(st.wall for st in results[s].values())
                                               for s in sizes])  # fmt: skip
        print(f"  run wall at {n / 1e6:.0f}M (linear): {(a + b * n) / 60:.0f} min")


def compare(results: dict[int, dict[str, Step]], baseline: dict[int, dict[str, Step]]) -> None:
    print("\nthis checkout vs the baseline interpreter (ratio < 1: this one is smaller/faster):")
    for size in sorted(results):
        cells = "  ".join(
            f"{stage} peak {results[size][stage].peak / baseline[size][stage].peak:.2f}x "
            f"wall {results[size][stage].wall / baseline[size][stage].wall:.2f}x"
            for stage in STAGES
        )
        print(f"  {size:>10,}: {cells}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="250000,500000,1000000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/scale_bench"))
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between samples")
    parser.add_argument("--baseline", help="another checkout's python, run the same way")
    parser.add_argument("--keep", action="store_true", help="keep the stores")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    args.workdir.mkdir(parents=True, exist_ok=True)
    runners = {"this checkout": sys.executable}
    if args.baseline:
        runners["baseline"] = args.baseline
    results: dict[str, dict[int, dict[str, Step]]] = {name: {} for name in runners}
    for size in sizes:
        manifest = synthesized(sys.executable, size, args.seed, args.workdir)
        floor = floor_step(manifest, args.workdir, args.interval)
        for name, python in runners.items():
            store = args.workdir / f"{name.split()[0]}-{size}.db"
            steps = results[name][size] = run_steps(python, manifest, store, args.interval)
            show_size(size, name, steps, floor)
            if not args.keep:
                for path in store.parent.glob(store.name + "*"):
                    path.unlink()
    for name, by_size in results.items():
        show_projection(name, by_size)
    if args.baseline:
        compare(results["this checkout"], results["baseline"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
