"""Records of daily operation: how a network changed between two analysis runs, and the
alerts a run raised."""

from __future__ import annotations

from dataclasses import dataclass

# What happened to a network between the previous run and this one (see ``identity``).
LINEAGE_EVENTS = ("new", "grown", "shrunk", "changed", "quiet", "merged", "split", "gone")
ALERT_KINDS = ("case", "watchlist", "network")


@dataclass(frozen=True, slots=True)
class LineageEntry:
    """One network's change in run ``run_id`` against ``previous_run``.

    ``network_id`` is the stable id (a ``gone`` entry names the previous network that has
    no successor). ``related`` lists the other networks involved: those a ``merged``
    network absorbed, the offshoots of a ``split`` one (or, for a new offshoot, where it
    split from), and where a ``gone`` network's members went. ``added`` and ``removed``
    count members (parties and shipments) against the previous network of that id.
    """

    run_id: str
    network_id: str
    event: str
    related: tuple[str, ...] = ()
    added: int = 0
    removed: int = 0
    size: int = 0  # members now (0 for a gone network)
    previous_run: str = ""


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert of run ``run_id`` about ``subject`` (a case id, a listed node id or a
    network id), with the new shipments behind it; open until a user acknowledges it."""

    alert_id: str
    run_id: str
    kind: str
    subject: str
    reasons: tuple[str, ...]
    shipment_ids: tuple[str, ...]
    network_ids: tuple[str, ...] = ()
    created_at: str = ""
    acknowledged_by: str = ""
    acknowledged_at: str = ""

    @property
    def open(self) -> bool:
        return not self.acknowledged_by
