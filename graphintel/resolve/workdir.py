"""The resolver's scratch directory, and sweeping the ones that killed runs left behind.

A resolution spools shipments, staging databases and hand-off files into one temporary
directory and removes it when it ends. A run that is killed (power cut, OOM killer,
``kill -9``) cannot: its directory, often gigabytes at national scale, would stay in the
temporary directory for good. So each directory records its owner (process id and that
process's start time, which a reused process id does not share), and every new run first
removes the directories whose owner is gone. Directories of live runs, of other users or
without a readable owner record are left alone.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

PREFIX = "graphintel-resolve-"
OWNER_FILE = "owner"


def _start_time(pid: int) -> str | None:
    """The kernel's start time of process ``pid`` (field 22 of /proc/PID/stat), or None
    when the process does not exist or /proc is not there."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may itself hold spaces or ")".
    return stat[stat.rindex(")") + 2 :].split()[19]


def _owner_record(pid: int) -> str:
    return f"{pid} {_start_time(pid) or ''}".strip()


def _alive(record: str) -> bool:
    """Whether the process an owner record names still runs (and is that same process)."""
    parts = record.split()
    pid = int(parts[0])
    if Path("/proc").is_dir():
        started = _start_time(pid)
        return started is not None and (len(parts) < 2 or started == parts[1])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(parent: str | None = None) -> list[str]:
    """Remove the resolver directories under ``parent`` (the temporary directory by
    default) whose owning process is gone; return the paths removed."""
    removed: list[str] = []
    root = Path(parent or tempfile.gettempdir())
    for path in root.glob(PREFIX + "*"):
        try:
            if path.is_symlink() or not path.is_dir() or path.stat().st_uid != os.getuid():
                continue
            record = (path / OWNER_FILE).read_text().strip()
            if not record or _alive(record):
                continue
        except (OSError, ValueError):
            continue  # not ours to judge: no readable owner record
        shutil.rmtree(path, ignore_errors=True)
        removed.append(str(path))
    if removed:
        logger.info("removed %d scratch directories of killed resolve runs", len(removed))
    return removed


class Workdir:
    """A scratch directory for one resolution, owned by this process until ``cleanup``."""

    def __init__(self, parent: str | None = None) -> None:
        sweep_stale(parent)
        self.name = tempfile.mkdtemp(prefix=PREFIX, dir=parent)
        Path(self.name, OWNER_FILE).write_text(_owner_record(os.getpid()))

    def cleanup(self) -> None:
        shutil.rmtree(self.name, ignore_errors=True)
