"""Run part of a test in a fresh interpreter.

The resolver forks its second process only while its process runs one thread. A pytest
worker may hold threads earlier tests left behind (the app's audit writer, a browser
driver's event loop), so a test of the forked path runs its scenario in a spawned process:
``run_isolated(scenario, *args)`` returns what ``scenario`` returns, or raises what it
raised (an ``AssertionError`` keeps its message). ``scenario`` must be a module-level
function of an importable module, its arguments and result picklable.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")


def _call(scenario: Callable[..., Any], args: tuple[Any, ...], conn: Connection) -> None:
    try:
        conn.send((True, scenario(*args)))
    except BaseException as error:  # sent back whole: the test fails with it
        conn.send((False, error))
    finally:
        conn.close()


def run_isolated(scenario: Callable[..., T], *args: Any) -> T:
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_call, args=(scenario, args, sending))
    process.start()
    sending.close()
    try:
        ok, value = receiving.recv()
    except EOFError:
        process.join()
        raise AssertionError(f"the isolated scenario died (exit code {process.exitcode})") from None
    finally:
        receiving.close()
    process.join()
    if not ok:
        raise value
    result: T = value
    return result
