"""``graphintel run`` of the synthetic national profile, stage by stage (issue 15: 1M
shipments in under 10 minutes and 8 GiB on 2 cores).

It takes a manifest (``--manifest``) or synthesizes one (``graphintel synth --profile
national``, ``--shipments``, ``--seed``; reused when already in ``--workdir``), then times
``graphintel run MANIFEST`` on a fresh store in a child process and prints its wall time,
CPU (the child and its own children: normalizing workers, the forked resolution process),
peak RSS of the largest process and each stage: load, resolve (with the resolver's own
stage laps from its log) and analyze. Named baselines, measured in the same script:

* ``floor``: the raw floor of the load stage, ``csv.reader`` over the manifest and one
  sqlite ``executemany`` into a table of its columns (``scale_bench``'s floor);
* ``--baseline PYTHON``: the same run by another checkout's interpreter (e.g. main before
  a change: ``OTHER_CHECKOUT/.venv/bin/python``), printed with the ratio of each stage to it,
  and the two stores compared (shipments, nodes, edges, mentions, merge evidence,
  networks: ``daily_bench``'s comparison), which must be identical;
* ``--reference DB``: an existing store of the same manifest to compare the result with
  (a baseline run kept from before), without running it again.

Usage (a 1M run holds the machine for ~10 minutes: take the shared lock)::

    .venv/bin/python benchmarks/national_bench.py \\
        --manifest /tmp/nat1m/manifest.csv --workdir /tmp/national
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import daily_bench  # noqa: E402  (a sibling script: its timed child and store comparison)
import load_floor  # noqa: E402

_HERE = Path(__file__).parent


def timed_run(
    python: str, name: str, manifest: Path, workdir: Path, own_code: bool = True
) -> dict[str, Any]:
    """``graphintel run MANIFEST`` on a fresh store by ``python``, timed stage by stage;
    ``own_code=False`` (a baseline) drops PYTHONPATH, so that ``python`` imports its own
    checkout's code even when this script runs a snapshot through PYTHONPATH."""
    store = workdir / f"{name}.db"
    for old in workdir.glob(f"{name}.db*"):
        old.unlink()
    out = workdir / f"{name}.stages.json"
    command = [python, str(_HERE / "daily_bench.py"), "_child", str(out), "--",
               "--quiet", "--store", f"sqlite:///{store}", "run", str(manifest)]  # fmt: skip
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with (workdir / f"{name}.log").open("w") as log:
        env = None if own_code else {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name} failed; see {workdir / f'{name}.log'}")
    result: dict[str, Any] = json.loads(out.read_text())
    result.update(load_before=load_before, load_after=os.getloadavg()[0], store=str(store))
    result.update(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mib=usage.ru_maxrss / 1024)
    return result


def floor(manifest: Path, workdir: Path) -> float:
    """Wall seconds of the load floor (``load_floor``: csv.reader + one executemany)."""
    db = workdir / "floor.db"
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, load_floor.SCRIPT, str(manifest), str(db)],
        check=True,
    )
    seconds = time.perf_counter() - started
    db.unlink(missing_ok=True)
    return seconds


def stage_ratios(result: dict[str, Any], baseline: dict[str, Any]) -> None:
    """Each stage's and lap's wall time against the baseline's."""
    print("\nagainst the baseline (wall time, this / baseline):")
    base_stages = dict(baseline["stages"])
    for stage, wall in result["stages"]:
        print(f"  {stage:<10} {wall:8.1f} s vs {base_stages.get(stage, 0.0):8.1f} s"
              f"  {wall / max(base_stages.get(stage, 0.0), 1e-9):.2f}")  # fmt: skip
    base_laps = {lap: wall for lap, wall, _ in baseline["laps"]}
    for lap, wall, _ in result["laps"]:
        if lap in base_laps:
            print(f"    {lap:<48} {wall:7.1f} s vs {base_laps[lap]:7.1f} s")
    print(f"  {'whole run':<10} {result['wall']:8.1f} s vs {baseline['wall']:8.1f} s"
          f"  {result['wall'] / baseline['wall']:.2f}; CPU {result['cpu']:.1f} s vs"
          f" {baseline['cpu']:.1f} s")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, help="use this manifest instead of synth")
    parser.add_argument("--shipments", type=int, default=200_000, help="synth: shipments")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/national_bench"))
    parser.add_argument("--baseline", help="another checkout's python, run the same way")
    parser.add_argument("--reference", type=Path, help="a store of the same manifest to match")
    parser.add_argument("--no-floor", action="store_true", help="skip the load floor")
    args = parser.parse_args(argv)
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    manifest = args.manifest
    if manifest is None:
        manifest = work / f"national{args.shipments}" / "manifest.csv"
        if not manifest.exists():
            from graphintel.synth import generate

            generate(manifest.parent, shipments=args.shipments, seed=args.seed, profile="national")
    print(f"manifest: {manifest}")
    if not args.no_floor:
        print(f"load floor (csv.reader + sqlite executemany): {floor(manifest, work):.1f} s wall")
    result = timed_run(sys.executable, "run", manifest, work)
    daily_bench.show("graphintel run MANIFEST (this checkout)", result)
    reference = args.reference
    if args.baseline:
        baseline = timed_run(args.baseline, "baseline", manifest, work, own_code=False)
        daily_bench.show(f"baseline: graphintel run MANIFEST ({args.baseline})", baseline)
        stage_ratios(result, baseline)
        reference = Path(baseline["store"])
    if reference is None:
        return 0
    same = same_result(Path(result["store"]), reference)
    print("results identical" if same else "results DIFFER")
    return 0 if same else 1


def same_result(store: Path, reference: Path) -> bool:
    """``daily_bench``'s fingerprints of both stores, table by table."""
    a, b = daily_bench.fingerprints(store), daily_bench.fingerprints(reference)
    print(f"\nsame result ({store} vs {reference}):")
    for name in a:
        same = a[name] == b[name]
        print(f"  {name:<15} {a[name][0]:>10,} rows  {'identical' if same else 'DIFFERENT'}"
              + ("" if same else f" (reference: {b[name][0]:,} rows)"))  # fmt: skip
    return a == b


if __name__ == "__main__":
    sys.exit(main())
