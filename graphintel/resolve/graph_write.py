"""The new graph as ``replace_graph_parts`` takes it, built while it is written.

The shipment half (shipments, identifiers and their edges) needs no entity: it is built
from the spool and streamed into the store's transaction while the resolution job runs.
Then come each mention's entity and the merges' evidence, once the job has resolved, and
last the party half the job built. Building and writing interleave so that no half of the
graph is ever held in memory whole.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from graphintel import faults
from graphintel.resolve import identifier_ledger
from graphintel.resolve.background import Background
from graphintel.resolve.config import ProgressCallback
from graphintel.resolve.graph import MentionLink, ShipmentGraph
from graphintel.resolve.laps import PROGRESS_EVERY, Laps, counted
from graphintel.resolve.party_graph import StagedPartyGraph
from graphintel.resolve.party_job import (
    MentionRecords,
    Message,
    PartyBuilt,
    Resolved,
    Spooled,
    StateEncoded,
)
from graphintel.resolve.spool import Spool
from graphintel.resolve.table import RecordTable
from graphintel.store.base import AssignmentRow, GraphPart, NodeRow


class JobGraph:
    """What a graph write takes from the resolution job, in the job's order: the
    resolution, the party half it built, the encoded state, each logged as a lap; and
    each shipment's mention links. ``GraphWrite`` and ``graph_delta.DeltaWrite`` differ
    only in what they build from these."""

    def __init__(
        self,
        rows: Spool[Spooled],
        records_of: MentionRecords,
        table: RecordTable,
        address_labels: dict[str, str],
        job: Background[Message],
        report: ProgressCallback,
        laps: Laps,
    ) -> None:
        self._rows = rows
        self._records_of = records_of
        self._features = table.features
        self._labels = address_labels
        self._job = job
        self._report = report
        self._laps = laps
        self._where = " in the second process" if job.forked else ""
        self._resolved: Resolved | None = None
        self._party: StagedPartyGraph | None = None

    @property
    def resolved(self) -> Resolved:
        assert self._resolved is not None, "the graph was not written"
        return self._resolved

    @property
    def party(self) -> StagedPartyGraph:
        assert self._party is not None, "the graph was not written"
        return self._party

    def state(self) -> dict[str, bytes]:
        """The resolver state the job encoded (after the graph was written)."""
        encoded = self._job.receive()
        assert isinstance(encoded, StateEncoded)
        self._laps.log("encoding the resolver state", encoded.wall, encoded.cpu, self._where)
        return encoded.state

    def _await_resolution(self) -> Resolved:
        """The job's resolution, once it has sent it."""
        resolved = self._job.receive()
        assert isinstance(resolved, Resolved)
        self._resolved = resolved
        self._laps.log("resolving parties", resolved.wall, resolved.cpu, self._where)
        self._laps.lap("waiting for the resolution" if self._job.forked else None)
        return resolved

    def _await_party(self, what: str) -> StagedPartyGraph:
        """The party half the job built (``what`` names it in the laps)."""
        built = self._job.receive()
        assert isinstance(built, PartyBuilt)
        self._laps.log(f"building {what}", built.wall, built.cpu, self._where)
        self._laps.lap(f"waiting for {what}" if self._job.forked else None)
        party = self._party = built.graph
        self._report("writing parties", len(party.nodes))
        return party

    def _links(self, row: Spooled, indices: tuple[int, ...]) -> list[MentionLink]:
        """A shipment's mentions with their features (and the address label, unless the
        shipment was resolved before: then it is made again if the address is new)."""
        features, labels = self._features, self._labels
        if row[1]:
            return [MentionLink(raw, features[i]) for raw, i in zip(row[3], indices, strict=True)]
        return [MentionLink(raw, features[i], labels.get(features[i].address))
                for raw, i in zip(row[3], indices, strict=True)]  # fmt: skip


class GraphWrite(JobGraph):
    """The graph's parts, in the order the store writes them, and what the job sent on
    the way (``resolved``, ``party``) for the run's summary."""

    def __init__(
        self,
        rows: Spool[Spooled],
        records_of: MentionRecords,
        table: RecordTable,
        address_labels: dict[str, str],
        shipments: ShipmentGraph,
        job: Background[Message],
        report: ProgressCallback,
        laps: Laps,
    ) -> None:
        super().__init__(rows, records_of, table, address_labels, job, report, laps)
        self._shipments = shipments
        # (shipment id, role, name as written, record) of every mention, for mention_rows:
        # spooled beside the shipment rows, as they are read once, after the resolution
        # (in memory they were the writing process's largest holder, ~200 B a mention).
        self._mentions: Spool[tuple[str, str, str, int]] = Spool(os.path.dirname(rows.path))

    def ledger(self) -> bytes:
        """The identifier ledger of the graph written, for the next delta."""
        return identifier_ledger.encode(self._shipments.ledger_rows())

    def parts(self) -> Iterator[GraphPart]:
        report, laps = self._report, self._laps
        yield GraphPart(self._shipment_nodes(), self._shipments.edge_rows(), (), ())
        laps.lap("building and writing shipments and identifiers")
        faults.hit("resolve.between_parts")
        resolved = self._await_resolution()
        mentions = counted(self._mention_rows(resolved.entity_of), "writing mentions", report)
        yield GraphPart((), (), mentions, resolved.evidence)
        laps.lap("writing the mentions and the merge evidence")
        party = self._await_party("the party half of the graph")
        yield GraphPart(party.nodes, party.edges, (), ())
        faults.hit("resolve.before_commit")  # the store asks for a next part before committing

    def _shipment_nodes(self) -> Iterator[NodeRow]:
        """Each shipment's node as the shipment is added, then the identifier nodes."""
        add, records_of, links = self._shipments.add, self._records_of, self._links
        report, mentions = self._report, self._mentions
        built = 0
        for built, row in enumerate(self._rows, 1):
            indices = records_of(row)
            shipment_id = row[0][0]
            for raw, i in zip(row[3], indices, strict=True):
                mentions.append((shipment_id, raw[0], raw[1], i))
            yield add(row[0], links(row, indices))
            if built % PROGRESS_EVERY == 0:
                report("building graph", built)
        report("building graph", built)
        yield from counted(self._shipments.identifier_rows(), "writing identifiers", report)

    def _mention_rows(self, entity_of: list[str]) -> Iterator[AssignmentRow]:
        """(shipment id, role, entity id, name as written) of every mention, in order."""
        for shipment_id, role, name, record in self._mentions:
            yield shipment_id, role, entity_of[record], name
        self._mentions.close()
