"""Run a generator of messages in a forked or spawned process, or lazily in this one.

The pipeline resolves entities in a second process while this one writes the half of the
graph that needs no entity; the resolution's results come back as the messages of a
generator. With ``fork`` the generator runs in a child forked from this process (so it
starts with every structure already built, nothing pickled on the way in) and each
message is pickled back through a pipe; with ``spawn`` (a path) the generator's owner is
pickled to that file and a fresh interpreter loads it and runs it; without either the
generator simply runs here, a message at a time, when ``receive`` asks for it. Either way
the messages are the same.

Why spawn, when fork starts with everything built: at millions of shipments the reading
process holds gigabytes, much of it memory the read freed but the allocator keeps. A
forked child shares those pages only until either process writes to them: the child's
reference counts as it walks the record table, and the parent's new objects placed in
the freed blocks, copy nearly all of them (measured at 5M shipments: 6.4 GiB at the fork,
5.3 GiB private in each process a minute later). A spawned child holds only what it was
sent, packed anew, and the parent's freed memory is reused by the parent alone.

A fork is only safe where ``fork_is_safe`` says so: on Linux, while this process runs a
single thread (a fork copies no other thread, and a lock another thread held stays held
in the child). The child never touches this process's open store connections, and leaves
with ``os._exit`` (multiprocessing's fork start) so it never finalizes them either.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import pickle
import queue
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from graphintel.errors import ResolveError
from graphintel.resolve.lean_spawn import LEAN_SPAWN

logger = logging.getLogger(__name__)

M = TypeVar("M")

_MESSAGE, _ERROR = "message", "error"


def fork_is_safe() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


def _serve(messages: Callable[[], Iterator[Any]], conn: Connection) -> None:
    """The child's side: send each message, or the traceback of what went wrong.

    A thread sends, so the generator goes on while this process's parent is busy and not
    yet reading (a message bigger than the pipe's buffer would otherwise stall it)."""
    outbox: queue.SimpleQueue[tuple[str, Any] | None] = queue.SimpleQueue()

    def send() -> None:
        pipe = _PipeWriter(conn)
        while (item := outbox.get()) is not None:
            pickle.dump(item, pipe, pickle.HIGHEST_PROTOCOL)

    sender = threading.Thread(target=send, name="graphintel-resolve-sender", daemon=True)
    sender.start()
    failed = False
    try:
        for message in messages():
            outbox.put((_MESSAGE, message))
    except BaseException as error:
        # The parent reports it (once, without a traceback unless asked): no re-raise.
        outbox.put((_ERROR, (f"{type(error).__name__}: {error}", traceback.format_exc())))
        failed = True
    finally:
        outbox.put(None)
        sender.join()
        conn.close()
    if failed:
        sys.exit(1)


def _serve_pickled(path: str, conn: Connection) -> None:
    """A spawned child's side: load the generator's owner from ``path`` (the file is its
    only copy: removed once read), then serve as a forked child does. The collector stays
    off, as in a forked child of the resolution (it inherits the pipeline's pause): the
    child lives for one job, and walking its millions of records would only cost time."""
    gc.disable()
    with open(path, "rb") as handle:
        messages: Callable[[], Iterator[Any]] = pickle.load(handle)
    os.unlink(path)
    _serve(messages, conn)


class _PipeWriter:
    """A file over a pipe: each write is one ``send_bytes``. ``pickle.dump`` into it
    streams a message (large ``bytes`` values passed straight through) instead of
    ``Connection.send``'s whole pickled copy: the last message carries the encoded
    resolver state (~230 B a shipment), sent at the resolution process's peak."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def write(self, data: bytes) -> int:
        if len(data):
            self._conn.send_bytes(data)
        return len(data)


class _PipeReader:
    """The reading side of ``_PipeWriter``: what ``pickle.load`` reads, one message at a
    time (it reads exactly up to each message's end; what is left waits for the next)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._chunk = memoryview(b"")
        self._at = 0

    def readinto(self, buffer: memoryview | bytearray) -> int:
        target = memoryview(buffer).cast("B")
        done = 0
        while done < len(target):
            if self._at == len(self._chunk):
                self._chunk = memoryview(b"")  # let a large chunk go before the next
                self._chunk, self._at = memoryview(self._conn.recv_bytes()), 0
            take = min(len(target) - done, len(self._chunk) - self._at)
            target[done : done + take] = self._chunk[self._at : self._at + take]
            self._at += take
            done += take
        return done

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            raise ValueError("a pipe message is read by its size, not to its end")
        out = bytearray(size)
        self.readinto(out)
        return bytes(out)

    def readline(self) -> bytes:
        line = bytearray()
        while not line.endswith(b"\n"):
            line += self.read(1)
        return bytes(line)


class Background(Generic[M]):
    """``messages()``'s messages, one per ``receive``, from a forked or spawned child or
    from here. ``spawn`` names the file through which a spawned child gets ``messages``
    (a picklable callable, e.g. a bound method of a picklable object); it wins over
    ``fork``."""

    def __init__(
        self, messages: Callable[[], Iterator[M]], fork: bool, spawn: str | None = None
    ) -> None:
        self._local: Iterator[M] | None = None
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self.forked = fork or spawn is not None  # runs in another process
        self.spawned = spawn is not None
        if not self.forked:
            self._local = messages()
            return
        context = LEAN_SPAWN if spawn is not None else multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        if spawn is not None:
            with open(spawn, "wb") as handle:  # streamed: no whole pickled copy in memory
                pickle.dump(messages, handle, pickle.HIGHEST_PROTOCOL)
            target: Callable[..., None] = _serve_pickled
            args: tuple[Any, ...] = (spawn, sending)
        else:
            target, args = _serve, (messages, sending)
        self._process = context.Process(
            target=target, args=args, name="graphintel-resolve", daemon=True
        )
        self._process.start()
        sending.close()  # the child holds the sending end; EOF here once it is gone
        self._conn = receiving
        self._reader = _PipeReader(receiving)

    def receive(self) -> M:
        """The next message; ResolveError if the generator (or its process) failed."""
        if self._local is not None:
            return next(self._local)
        assert self._conn is not None and self._process is not None
        try:
            kind, payload = pickle.load(self._reader)
        except EOFError:
            self._process.join()
            raise ResolveError(
                f"the resolution process ended without a result (exit code "
                f"{self._process.exitcode})"
            ) from None
        if kind == _ERROR:
            summary, details = payload
            logger.debug("the resolution process failed:\n%s", details)
            raise ResolveError(f"the resolution process failed: {summary}")
        message: M = payload
        return message

    def close(self) -> None:
        """Stop the child if it still runs; wait for it."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
        self._local = None
