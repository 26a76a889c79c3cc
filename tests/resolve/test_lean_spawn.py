"""A lean spawned child does not run the parent's main script again.

The ``graphintel`` command's script imports the whole CLI, ~105 MiB in every spawned
child; a plain spawn runs it again in the child (the control below), a lean one must not,
and the parent's ``__main__`` must come back whole.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import multiprocessing, sys
print("main script ran", flush=True)
from graphintel.resolve.lean_spawn import LEAN_SPAWN
if __name__ == "__main__":
    context = LEAN_SPAWN if sys.argv[1] == "lean" else multiprocessing.get_context("spawn")
    child = context.Process(target=print, args=("child ran",), kwargs={"flush": True})
    child.start()
    child.join()
    print("exit", child.exitcode, "file kept", __file__ == sys.argv[0], flush=True)
"""


@pytest.mark.parametrize(("start", "runs"), [("lean", 1), ("plain", 2)])
def test_a_lean_child_skips_the_main_script(tmp_path: Path, start: str, runs: int) -> None:
    script = tmp_path / "main_script.py"
    script.write_text(SCRIPT)
    out = subprocess.run(
        [sys.executable, str(script), start], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out.count("main script ran") == runs
    assert out.count("child ran") == 1
    assert out[-1] == "exit 0 file kept True"
