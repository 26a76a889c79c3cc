"""Give a run's networks their stable ids and record the lineage, at the end of an analysis.

The previous run is the newest succeeded analysis that issued stable ids (its counts hold
``network_serial``, the highest id number issued so far). A store analysed before stable
ids existed starts numbering after its last run's networks, so an old ``net-0003`` is never
mistaken for a new one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from graphintel.daily.alerts import new_shipments
from graphintel.daily.identity import Identity, match_networks, network_members
from graphintel.records import Network
from graphintel.store.base import RunStore

SERIAL_COUNT = "network_serial"  # the run count holding the highest id number issued


@dataclass(frozen=True)
class Followed:
    """A run's networks under their stable ids, how they were matched, and which of their
    shipments no network of the previous run held (what alerts look at)."""

    networks: list[Network]
    identity: Identity
    fresh: set[str]


def follow_networks(store: RunStore, networks: Sequence[Network], run_id: str) -> Followed:
    """``networks`` (this run's, in rank order) renamed to their stable ids; the caller saves
    ``identity.lineage`` once the run has finished (so a killed run leaves no lineage)."""
    previous = store.latest_run("analyze")
    before: list[tuple[str, frozenset[str]]] = []
    serial = 0
    previous_run = ""
    if previous is not None:
        if SERIAL_COUNT in previous.counts:
            serial = previous.counts[SERIAL_COUNT]
            previous_run = previous.run_id
            before = [(n.network_id, network_members(n)) for n in store.networks(previous.run_id)]
        else:  # analysed before stable ids: number on after its networks
            serial = previous.counts.get("networks", 0)
    identity = match_networks(
        before,
        [network_members(n) for n in networks],
        serial,
        run_id=run_id,
        previous_run=previous_run,
    )
    renamed = [replace(n, network_id=i) for n, i in zip(networks, identity.ids, strict=True)]
    seen = set().union(*(m for _, m in before)) if before else set()
    return Followed(renamed, identity, new_shipments(renamed, seen))


def lineage_counts(identity: Identity) -> dict[str, int]:
    """Run counts: the highest id issued and how many networks had each event."""
    events = Counter(e.event for e in identity.lineage)
    return {SERIAL_COUNT: identity.serial, **{f"lineage:{k}": v for k, v in sorted(events.items())}}
