"""``Background``: a generator's messages from a forked or spawned child are those of the
generator run here; whatever goes wrong in the child comes back as one ``ResolveError``."""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphintel.errors import ResolveError
from graphintel.resolve.background import Background, fork_is_safe

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the pipeline forks on Linux only")

_BIG = list(range(200_000))  # several pipe buffers' worth once pickled


# bytes values streamed through the pipe as they are (the encoded resolver state): one
# larger than a pickle frame, one smaller, and text a pickle frame splits
_STATE = {"records": bytes(range(256)) * 4_000, "meta": b"{}", "text": "\u00e9" * 100_000}


def _messages() -> Iterator[Any]:
    yield ("first", 1)
    yield {"nested": [1.5, None, ("a", b"b")], "set": frozenset({3, 4})}
    yield _BIG
    yield _STATE
    yield b""
    yield "last"


def _failing() -> Iterator[str]:
    yield "before"
    raise RuntimeError("the resolver broke on record 17")


def _dying() -> Iterator[str]:
    yield "before"
    os._exit(3)


def _hanging() -> Iterator[int]:
    yield os.getpid()
    threading.Event().wait()  # forever: only close() ends this process


def _all(job: Background[Any], count: int) -> list[Any]:
    try:
        return [job.receive() for _ in range(count)]
    finally:
        job.close()


@pytest.mark.parametrize("how", ["fork", "spawn", "here"])
def test_messages_are_the_same_forked_spawned_or_here(how: str, tmp_path: Path) -> None:
    spawn = str(tmp_path / "job.pickle") if how == "spawn" else None
    job = Background(_messages, how == "fork", spawn)
    assert job.forked is (how != "here")
    assert job.spawned is (how == "spawn")
    assert _all(job, 6) == list(_messages())


class _Pid:
    """A picklable generator owner, as the pipeline's job is: its own fields travel."""

    def __init__(self) -> None:
        self.parent = os.getpid()

    def messages(self) -> Iterator[tuple[int, int]]:
        yield self.parent, os.getpid()


def test_a_forked_or_spawned_generator_runs_in_another_process(tmp_path: Path) -> None:
    job = Background(lambda: iter([os.getpid()]), fork=True)
    assert _all(job, 1) != [os.getpid()]
    here = Background(lambda: iter([os.getpid()]), fork=False)
    assert _all(here, 1) == [os.getpid()]
    path = tmp_path / "job.pickle"
    [(parent, child)] = _all(Background(_Pid().messages, False, str(path)), 1)
    assert parent == os.getpid() != child
    assert not path.exists()  # the child removed its only copy once read


@pytest.mark.parametrize("spawned", [False, True])
def test_an_error_in_the_child_is_a_resolve_error_with_its_text(
    caplog: pytest.LogCaptureFixture, spawned: bool, tmp_path: Path
) -> None:
    job = Background(_failing, not spawned, str(tmp_path / "job.pickle") if spawned else None)
    try:
        assert job.receive() == "before"
        with (
            caplog.at_level(logging.DEBUG, logger="graphintel.resolve.background"),
            pytest.raises(ResolveError) as raised,
        ):
            job.receive()
    finally:
        job.close()
    text = str(raised.value)
    assert text == "the resolution process failed: RuntimeError: the resolver broke on record 17"
    assert "_failing" in caplog.text  # the child's traceback, logged for -vv, names where
    assert multiprocessing.active_children() == []


def test_an_error_here_propagates_as_it_was_raised() -> None:
    """In-process the generator is ordinary code: its exception keeps its type (the
    pipeline's callers see exactly what they saw before the second process existed)."""
    job = Background(_failing, fork=False)
    try:
        assert job.receive() == "before"
        with pytest.raises(RuntimeError, match="the resolver broke on record 17"):
            job.receive()
    finally:
        job.close()


def test_a_child_that_dies_without_a_word_names_its_exit_code() -> None:
    """A child killed outright may not even have sent what it had queued."""
    job = Background(_dying, fork=True)
    received: list[str] = []
    try:
        with pytest.raises(ResolveError, match=r"ended without a result \(exit code 3\)"):
            for _ in range(2):
                received.append(job.receive())
    finally:
        job.close()
    assert received in ([], ["before"])


def test_asking_past_the_last_message() -> None:
    """The pipeline asks for exactly as many messages as the job yields; asking for one
    more is an error either way (forked: the child left with code 0)."""
    job = Background(lambda: iter(["only"]), fork=True)
    try:
        assert job.receive() == "only"
        with pytest.raises(ResolveError, match=r"exit code 0"):
            job.receive()
    finally:
        job.close()
    here = Background(lambda: iter(["only"]), fork=False)
    assert here.receive() == "only"
    with pytest.raises(StopIteration):
        here.receive()


def test_close_stops_a_child_that_still_runs() -> None:
    job = Background(_hanging, fork=True)
    pid = job.receive()
    assert pid != os.getpid()
    os.kill(pid, 0)  # alive: it waits forever
    assert [p.pid for p in multiprocessing.active_children()] == [pid]
    job.close()
    assert multiprocessing.active_children() == []
    with pytest.raises(ProcessLookupError):  # terminated and reaped
        os.kill(pid, 0)
    job.close()  # twice is harmless


def test_close_before_any_message_is_read() -> None:
    job = Background(_hanging, fork=True)
    job.close()
    assert multiprocessing.active_children() == []
    here = Background(_hanging, fork=False)  # lazy: nothing has run, nothing to stop
    here.close()


def test_fork_is_unsafe_while_another_thread_runs() -> None:
    # Earlier tests in this worker may have left threads running (the app's audit writer).
    safe_before = sys.platform == "linux" and threading.active_count() == 1
    assert fork_is_safe() == safe_before
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not fork_is_safe()
    finally:
        stop.set()
        thread.join()
    assert fork_is_safe() == safe_before
