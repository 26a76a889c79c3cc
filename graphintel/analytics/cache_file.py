"""The analysis cache's file: the projection inputs of a whole graph and the journal mark
they are current at (``graphintel.analytics.projection_cache`` says how they are used).

One uncompressed zip: a JSON header (format, a digest of the code that decides the cached
state, the mark), each text column as its strings joined by a control character none of
them holds (``str.join`` and ``str.split`` work in C without escaping: at a million
shipments ~10M strings, which as one JSON document cost about ten times as much to write)
and each numeric column as a ``.npy`` array, loaded without pickle. A file that is
unreadable, inconsistent or written by other code raises ``StaleCache``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Sized
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from graphintel.analytics.projection import ProjectionInputs
from graphintel.store.journal import JournalMark

CACHE_FORMAT = 2
# the modules whose code decides what a cache holds
_STATE_CODE = (
    "cache_file.py",
    "cache_update.py",
    "projection.py",
    "projection_cache.py",
    "reading.py",
)
_LIST_FIELDS = frozenset(
    f.name for f in fields(ProjectionInputs) if f.type == "list[str]"
)  # the rest are arrays or tuples of arrays


# what joins a text column's strings: the first of these that none of them holds
_SEPARATORS = tuple(map(chr, range(32)))


# shipment texts that repeat across shipments: one string object per distinct value, as
# ``ProjectionBuilder`` reads them (``json`` would make one per shipment)
_SHARED_FIELDS = frozenset({"ship_category", "ship_hts", "ship_description", "ship_country"})


def _shared(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    return [seen.setdefault(v, v) for v in values]


class StaleCache(Exception):
    """The cache cannot be brought up to date exactly; the message says why."""


class UnsavableCache(ValueError):
    """A text column holds every separator: the cache is not saved (the next run reads in
    full)."""


@dataclass(frozen=True)
class CachedGraph:
    """Projection inputs of the whole (unwindowed) graph as of ``mark``."""

    mark: JournalMark
    inputs: ProjectionInputs
    odd_days: dict[str, int]  # shipment id -> retention day of a non-text arrival date
    holder: str  # this cache's random token, recorded in the store when it is saved


def code_fingerprint() -> str:
    """A digest of the code that decides the cached state: a cache written by other code
    (another version of these modules) is not trusted."""
    digest = hashlib.sha256(str(CACHE_FORMAT).encode())
    for name in _STATE_CODE:
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()


def save_cache(path: Path, cached: CachedGraph) -> None:
    """Write the cache atomically (a temporary file renamed over the old one), one column
    at a time (at a million shipments a text column is ~100 MB once joined): the header,
    which says how each text column was joined, goes last."""
    inputs = cached.inputs
    texts: dict[str, list[Any]] = {}
    tmp = path.with_name(path.name + ".tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as zf:
            for f in fields(ProjectionInputs):
                value = getattr(inputs, f.name)
                if f.name in _LIST_FIELDS:
                    sep, data = _joined(f.name, value)
                    with zf.open(f"{f.name}.txt", "w", force_zip64=True) as fh:
                        fh.write(data)
                    del data
                    texts[f.name] = [len(value), sep]
                    continue
                columns = value if isinstance(value, tuple) else (value,)
                for n, column in enumerate(columns):
                    name = f"{f.name}.{n}" if isinstance(value, tuple) else f.name
                    with zf.open(f"{name}.npy", "w", force_zip64=True) as fh:
                        np.save(fh, column, allow_pickle=False)
            header = {
                "format": CACHE_FORMAT,
                "code": code_fingerprint(),
                "epoch": cached.mark.epoch,
                "seq": cached.mark.seq,
                "holder": cached.holder,
                "odd_days": cached.odd_days,
                "texts": texts,
            }
            zf.writestr("header.json", json.dumps(header))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def _joined(name: str, values: list[str]) -> tuple[str, bytes]:
    """The column's strings joined by the first separator none of them holds (joined by
    it, the text holds it exactly once between each two), and that separator."""
    for sep in _SEPARATORS:
        text = sep.join(values)
        if text.count(sep) == max(len(values) - 1, 0):
            return sep, text.encode("utf-8", "surrogatepass")
    raise UnsavableCache(f"every control character occurs in the column {name}")


def _split(text: str, count: int, sep: str) -> list[str]:
    """A text column back from ``_joined``'s text (``StaleCache`` when it does not hold
    ``count`` strings)."""
    values = text.split(sep) if count else []
    if len(values) != count:
        raise StaleCache("the cache is corrupt (a text column holds the wrong number of strings)")
    return values


def cache_mark(path: Path) -> tuple[JournalMark, str]:
    """The mark and token of the cache at ``path`` from its header alone, so that the
    store's changes since can be read while the rest loads; ``StaleCache`` as
    ``load_cache`` (``FileNotFoundError`` when there is none)."""
    try:
        with zipfile.ZipFile(path) as zf:
            header = _header(zf)
            return JournalMark(str(header["epoch"]), int(header["seq"])), str(header["holder"])
    except (FileNotFoundError, StaleCache):
        raise
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise StaleCache(f"the cache is unreadable ({type(exc).__name__}: {exc})") from exc


def _header(zf: zipfile.ZipFile) -> dict[str, Any]:
    header: dict[str, Any] = json.loads(zf.read("header.json"))
    if header.get("format") != CACHE_FORMAT or header.get("code") != code_fingerprint():
        raise StaleCache("the cache was written by another version of the analysis")
    return header


def load_cache(path: Path) -> CachedGraph:
    """The cache at ``path``; ``StaleCache`` when it is unreadable or from other code
    (``FileNotFoundError`` when there is none)."""
    try:
        with zipfile.ZipFile(path) as zf:
            header = _header(zf)
            shapes = header["texts"]

            def text(name: str) -> list[str]:
                count, sep = shapes[name]
                data = zf.read(f"{name}.txt").decode("utf-8", "surrogatepass")
                return _split(data, int(count), str(sep))

            def array(name: str) -> np.ndarray[Any, Any]:
                with zf.open(f"{name}.npy") as fh:
                    loaded: np.ndarray[Any, Any] = np.load(
                        io.BytesIO(fh.read()), allow_pickle=False
                    )
                    return loaded

            values: dict[str, Any] = {}
            for f in fields(ProjectionInputs):
                if f.name in _SHARED_FIELDS:
                    values[f.name] = _shared(text(f.name))
                elif f.name in _LIST_FIELDS:
                    values[f.name] = text(f.name)
                elif f.name in ("ship_roles", "ship_idents"):
                    values[f.name] = tuple(array(f"{f.name}.{n}") for n in range(3))
                else:
                    values[f.name] = array(f.name)
            inputs = ProjectionInputs(**values)
            mark = JournalMark(str(header["epoch"]), int(header["seq"]))
            holder = str(header["holder"])
            days = {str(k): int(v) for k, v in header["odd_days"].items()}
    except FileNotFoundError:
        raise
    except StaleCache:
        raise
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise StaleCache(f"the cache is unreadable ({type(exc).__name__}: {exc})") from exc
    _check_shapes(inputs)
    return CachedGraph(mark, inputs, days, holder)


def _check_shapes(inputs: ProjectionInputs) -> None:
    n_ship, n_party, n_ident = len(inputs.ship_ids), len(inputs.party_ids), len(inputs.ident_ids)
    ship_columns: list[Sized] = [
        inputs.ship_date,
        inputs.ship_value,
        inputs.ship_outcome,
        inputs.ship_category,
        inputs.ship_hts,
        inputs.ship_description,
        inputs.ship_country,
        *inputs.ship_roles,
        *inputs.ship_idents,
    ]
    ok = (
        all(len(c) == n_ship for c in ship_columns)
        and len(inputs.party_labels) == n_party
        and len(inputs.ident_labels) == n_ident == len(inputs.ident_kind)
        and len(inputs.has_party) == len(inputs.has_ident) == len(inputs.has_weight)
        and all(len(c) == 0 or int(c.max()) < n_party for c in inputs.ship_roles)
        and all(len(c) == 0 or int(c.max()) < n_ident for c in inputs.ship_idents)
        and (len(inputs.has_party) == 0 or int(inputs.has_party.max()) < n_party)
        and (len(inputs.has_ident) == 0 or int(inputs.has_ident.max()) < n_ident)
    )
    if not ok:
        raise StaleCache("the cache is corrupt (its columns disagree in length or range)")
