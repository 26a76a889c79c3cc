"""Where an export may be written: inside the folder the user chose, never outside it.

File names can come from case names and network ids (untrusted text), so they are reduced
to a safe basename and the resolved path (symlinks followed) is checked against the folder."""

from __future__ import annotations

import re
from pathlib import Path

from graphintel.export.registry import ExportError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 120


def safe_filename(name: str, extension: str) -> str:
    """A basename from untrusted text: no separators, no leading dots, bounded length."""
    stem = _UNSAFE.sub("_", name).strip("._") or "export"
    return stem[:MAX_NAME] + extension


def safe_output_path(folder: Path, filename: str) -> Path:
    """``folder/filename`` when it stays inside ``folder``; ``ExportError`` otherwise."""
    root = folder.resolve()
    if not root.is_dir():
        raise ExportError(f"output folder does not exist: {folder}")
    candidate = (root / filename).resolve()
    if candidate.parent != root:
        raise ExportError(f"output path {filename!r} leaves the folder {folder}")
    return candidate


def output_path(target: Path, default_name: str, extension: str) -> Path:
    """An existing folder gets a file named after the chart; any other target names the
    file itself, which must sit in an existing folder."""
    if target.is_dir():
        return safe_output_path(target, safe_filename(default_name, extension))
    return safe_output_path(target.parent, target.name)
