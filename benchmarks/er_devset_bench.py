"""Entity resolution measured on a manifest with ground truth that GraphIntel did not make.

For each code tree (this checkout, and with ``--baseline REF`` the resolver of that git ref,
checked out into a temporary worktree) it loads the manifest into a SQLite store with that
tree's ``graphintel load``, runs its ``graphintel resolve --full`` and reads the clusters
with its ``graphintel entities``, exactly the commands a user runs. Then it prints:

* pairwise precision / recall / F1 of the clusters, as the devsets' README scores them:
  ``shipper_entity`` over the shipper mentions with ``via_consolidator == 0`` and no ring
  (a consolidator's name is not the seller's, and rings rotate names on purpose), and
  ``consignee_entity`` over all consignee mentions. A pair is two mentions of the scored
  set; true pairs share a truth entity, predicted pairs an ``entity_id``.
* duplicate identifier nodes per true value, for phones and addresses of the same scored
  mentions. The truth has no phone or address column, so the true value is derived from
  what no spelling changes: a phone's last 8 digits, an address's numbers (house number,
  unit, postal code) in order. A "true value" is (truth entity, that signature); its
  nodes are the distinct identifier node keys (``PartyFeatures.phone`` / ``.address``
  after ``identifier_aliases`` files variant keys under their canonical one: the keys the
  graph builder makes nodes of) that mentions with that signature get. The figure
  is nodes / true values (1.00: one node per number and per place). Two different places of
  one party with the same numbers would count as one true value (so the figure can only
  understate a split, not invent one).
* with ``--worst N``, the N true entities per role that lose the most pairs (split: each
  predicted piece with its size and commonest raw names) and the N predicted entities that
  join the most pairs of different true parties (merged): the error classes to read.

The store of each tree is kept in ``--work`` (reused when it exists, so iterating costs one
``resolve --full``; ``--reload`` starts over).

Usage::

    nice .venv/bin/python benchmarks/er_devset_bench.py \\
        ../shared/data/devsets/dev200k_manifest.csv.xz \\
        ../shared/data/devsets/dev200k_truth.csv.xz --work /tmp/er_dev200k --baseline 11e410d
"""

from __future__ import annotations

import argparse
import csv
import io
import lzma
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_RUN_CLI = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from graphintel.cli import main; main()"
)
_NODE_KEYS = """
import csv, sys
from collections import Counter
sys.path.insert(0, sys.argv[1])
from graphintel.resolve.features import FeatureExtractor, shipment_mentions
from graphintel.store import SqliteStore
store = SqliteStore(sys.argv[2])
extract = FeatureExtractor()
rows, counts = [], Counter()
for batch in store.iter_shipments():
    for shipment in batch:
        for pm in shipment_mentions(shipment)[:2]:
            f = extract.features(pm)
            counts[f] += 1
            m = pm.mention
            rows.append((m.shipment_id, m.role.value, f.phone, f.address, m.phone,
                         m.address, m.city, m.postal_code))
try:  # the graph files variant keys under a canonical node (trees that have the stage)
    from graphintel.resolve.identifier_aliases import identifier_aliases
    aliases = identifier_aliases(list(counts), list(counts.values()))
    phone_key, address_key = aliases.phone_key, aliases.address_key
except ImportError:
    phone_key = address_key = str
out = csv.writer(sys.stdout)
for r in rows:
    out.writerow((r[0], r[1], phone_key(r[2]), address_key(r[3])) + r[4:])
"""


@dataclass(frozen=True)
class Pairwise:
    precision: float
    recall: float
    f1: float
    mentions: int
    true_pairs: int
    predicted_pairs: int


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(truth: dict[str, str], predicted: dict[str, str]) -> Pairwise:
    """Pairwise scores of ``predicted`` (mention -> cluster) against ``truth`` over the
    mentions of ``truth``."""
    keys = [k for k in truth if k in predicted]
    both = Counter((truth[k], predicted[k]) for k in keys)
    true_pairs = sum(_pairs(n) for n in Counter(truth[k] for k in keys).values())
    pred_pairs = sum(_pairs(n) for n in Counter(predicted[k] for k in keys).values())
    hits = sum(_pairs(n) for n in both.values())
    p = hits / pred_pairs if pred_pairs else 1.0
    r = hits / true_pairs if true_pairs else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Pairwise(p, r, f1, len(keys), true_pairs, pred_pairs)


def _text(path: Path) -> io.TextIOBase:
    if path.suffix == ".xz":
        return io.TextIOWrapper(lzma.open(path), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")  # noqa: SIM115


def read_truth(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(shipper truth over direct non-ring mentions, consignee truth over all), by shipment."""
    shippers: dict[str, str] = {}
    consignees: dict[str, str] = {}
    with _text(path) as fh:
        for row in csv.DictReader(fh):
            sid = row["shipment_id"]
            consignees[sid] = row["consignee_entity"]
            # a truth without the column (graphintel synth's) scores every non-ring mention
            if row.get("via_consolidator", "0") == "0" and not row["ring_id"]:
                shippers[sid] = row["shipper_entity"]
    return shippers, consignees


def _cli(tree: Path, store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", _RUN_CLI, str(tree), "--store", f"sqlite:///{store}",
               "--quiet", *args]  # fmt: skip
    return subprocess.run(command, check=True, capture_output=True, text=True)


def _prepare_store(tree: Path, manifest: Path, store: Path, reload: bool) -> float:
    """Load the manifest into ``store`` unless it is there; the load's seconds (0 if kept)."""
    if store.exists() and not reload:
        return 0.0
    for stale in store.parent.glob(store.name + "*"):
        stale.unlink()
    source = manifest
    scratch = None
    if manifest.suffix == ".xz":  # the loader reads plain CSV: decompress once next to the store
        scratch = store.with_suffix(".manifest.csv")
        with lzma.open(manifest) as src, open(scratch, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        source = scratch
    start = time.perf_counter()
    _cli(tree, store, "load", str(source))
    if scratch is not None:
        scratch.unlink()
    return time.perf_counter() - start


def _entities(tree: Path, store: Path) -> tuple[dict[str, str], dict[str, str]]:
    out = _cli(tree, store, "entities").stdout
    shippers: dict[str, str] = {}
    consignees: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(out)):
        if row["role"] == "shipper":
            shippers[row["shipment_id"]] = row["entity_id"]
        elif row["role"] == "consignee":
            consignees[row["shipment_id"]] = row["entity_id"]
    return shippers, consignees


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def phone_signature(raw: str) -> str:
    digits = _digits(raw)
    return digits[-8:] if len(digits) >= 8 else ""


def address_signature(address: str, postal: str) -> str:
    numbers = re.findall(r"\d+", address)
    return " ".join(n.lstrip("0") or "0" for n in numbers) + "|" + _digits(postal)[:5]


def duplicate_nodes(
    truth: dict[str, str], rows: Iterable[tuple[str, str, str]]
) -> tuple[float, int, int]:
    """(nodes per true value, true values, nodes) over ``rows`` of (mention, signature,
    node key) whose mention is in ``truth``."""
    nodes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for mention, signature, node in rows:
        entity = truth.get(mention)
        if entity is None or not signature or not node:
            continue
        nodes[(entity, signature)].add(node)
    total = sum(len(v) for v in nodes.values())
    return (total / len(nodes) if nodes else 1.0), len(nodes), total


def _node_keys(tree: Path, store: Path) -> Iterator[list[str]]:
    command = [sys.executable, "-c", _NODE_KEYS, str(tree), str(store)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    yield from csv.reader(io.StringIO(out))


def measure(tree: Path, label: str, manifest: Path, truth_path: Path, work: Path,
            reload: bool) -> dict[str, object]:  # fmt: skip
    store = work / f"{label}.db"
    load_s = _prepare_store(tree, manifest, store, reload)
    start = time.perf_counter()
    _cli(tree, store, "resolve", "--full")
    resolve_s = time.perf_counter() - start
    shipper_truth, consignee_truth = read_truth(truth_path)
    shippers, consignees = _entities(tree, store)
    keys = list(_node_keys(tree, store))
    ship_rows = [r for r in keys if r[1] == "shipper"]
    cons_rows = [r for r in keys if r[1] == "consignee"]
    result: dict[str, object] = {
        "shipper": pairwise(shipper_truth, shippers),
        "consignee": pairwise(consignee_truth, consignees),
        "load_s": load_s,
        "resolve_s": resolve_s,
        "predicted": (shippers, consignees),
        "truth": (shipper_truth, consignee_truth),
    }
    for role, truth, rows in (("shipper", shipper_truth, ship_rows),
                              ("consignee", consignee_truth, cons_rows)):  # fmt: skip
        result[f"{role}_phone_nodes"] = duplicate_nodes(
            truth, ((r[0], phone_signature(r[4]), r[2]) for r in rows)
        )
        result[f"{role}_address_nodes"] = duplicate_nodes(
            truth, ((r[0], address_signature(r[5], r[7]), r[3]) for r in rows)
        )
    return result


def _raw_names(manifest: Path) -> dict[tuple[str, str], str]:
    """(shipment id, role) -> the raw name, phone and e-mail as written, for the error report."""
    out: dict[tuple[str, str], str] = {}
    with _text(manifest) as fh:
        for row in csv.DictReader(fh):
            for role in ("shipper", "consignee"):
                out[(row["shipment_id"], role)] = " | ".join(
                    row.get(f"{role}_{k}", "") for k in ("name", "phone", "email", "address")
                )
    return out


def worst(
    role: str, truth: dict[str, str], predicted: dict[str, str],
    raw: dict[tuple[str, str], str], n: int,
) -> None:  # fmt: skip
    """Print the ``n`` most split true entities and the ``n`` most merged predicted ones."""
    keys = [k for k in truth if k in predicted]
    pieces: dict[str, Counter[str]] = defaultdict(Counter)
    parts: dict[str, Counter[str]] = defaultdict(Counter)
    for k in keys:
        pieces[truth[k]][predicted[k]] += 1
        parts[predicted[k]][truth[k]] += 1
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for k in keys:
        members[(truth[k], predicted[k])].append(k)

    def lost(c: Counter[str]) -> int:
        return _pairs(sum(c.values())) - sum(_pairs(v) for v in c.values())

    def show(t: str, p: str, size: int) -> None:
        names = Counter(raw.get((k, role), "?") for k in members[(t, p)])
        common = "; ".join(f"{v}x {name}" for name, v in names.most_common(3))
        print(f"      {size:6d} in {p[:12]}: {common}")

    print(f"  -- {role}: most split true entities (missed pairs)")
    for t, c in sorted(pieces.items(), key=lambda kv: -lost(kv[1]))[:n]:
        print(f"    {t}: {sum(c.values())} mentions in {len(c)} entities, {lost(c):,} pairs lost")
        for p, size in c.most_common(6):
            show(t, p, size)
    print(f"  -- {role}: most merged predicted entities (false pairs)")
    for p, c in sorted(parts.items(), key=lambda kv: -lost(kv[1]))[:n]:
        print(f"    {p[:12]}: {sum(c.values())} mentions of {len(c)} true parties, "
              f"{lost(c):,} false pairs")  # fmt: skip
        for t, size in c.most_common(4):
            show(t, p, size)


def _report(label: str, r: dict[str, object]) -> None:
    print(f"== {label}: load {r['load_s']:.0f} s (0: store kept), resolve --full "
          f"{r['resolve_s']:.0f} s")  # fmt: skip
    for role in ("shipper", "consignee"):
        s = r[role]
        assert isinstance(s, Pairwise)
        print(f"  {role:9s} P {s.precision:.4f}  R {s.recall:.4f}  F1 {s.f1:.4f}  "
              f"({s.mentions:,} mentions, {s.true_pairs:,} true pairs, "
              f"{s.predicted_pairs:,} predicted)")  # fmt: skip
    for role in ("shipper", "consignee"):
        for kind in ("phone", "address"):
            found = r[f"{role}_{kind}_nodes"]
            assert isinstance(found, tuple)
            ratio, values, nodes = found
            print(f"  {role:9s} {kind:7s} nodes per true value {ratio:.4f} "
                  f"({nodes:,} nodes / {values:,} true values)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--work", type=Path, default=None, help="keep the stores here")
    parser.add_argument("--baseline", default=None, help="git ref of the baseline resolver")
    parser.add_argument("--reload", action="store_true", help="load the manifest again")
    parser.add_argument("--skip-current", action="store_true", help="only the baseline")
    parser.add_argument("--worst", type=int, default=0, help="print the N worst entities")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="er_devset_"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"manifest {args.manifest}, stores in {work}")
    if args.baseline:
        tree = work / "baseline_tree"
        if tree.exists():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           check=False, capture_output=True)  # fmt: skip
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree),
                        args.baseline], check=True, capture_output=True)  # fmt: skip
        try:
            r = measure(tree, "baseline", args.manifest, args.truth, work, args.reload)
            _report(f"baseline {args.baseline}", r)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           check=False, capture_output=True)  # fmt: skip
        sys.stdout.flush()
    if not args.skip_current:
        # named before measuring: the code that runs is the tree as it is now
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()  # fmt: skip
        label = f"this tree ({head}{', modified' if _dirty() else ''})"
        r = measure(ROOT, "current", args.manifest, args.truth, work, args.reload)
        _report(label, r)
        if args.worst:
            raw = _raw_names(args.manifest)
            truths, predictions = r["truth"], r["predicted"]
            assert isinstance(truths, tuple) and isinstance(predictions, tuple)
            for k, role in enumerate(("shipper", "consignee")):
                worst(role, truths[k], predictions[k], raw, args.worst)


def _dirty() -> bool:
    out = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "graphintel"],
                         capture_output=True, text=True).stdout  # fmt: skip
    return bool(out.strip())


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
