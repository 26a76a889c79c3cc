"""Building a chart from the store, and where exports may be written."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphintel.errors import NotFoundError
from graphintel.export import (
    ExportError,
    chart_from_network,
    output_path,
    safe_filename,
    safe_output_path,
)
from graphintel.store import GraphStore
from tests.builders import ExportSample


def test_unknown_or_empty_network_is_a_clear_error(
    export_store: tuple[GraphStore, ExportSample],
) -> None:
    store, sample = export_store
    with pytest.raises(NotFoundError, match="no network 'net-9999'"):
        chart_from_network(store, "net-9999")
    with pytest.raises(NotFoundError, match="no analysis run 'run-x'"):
        chart_from_network(store, sample.network, "run-x")
    with pytest.raises(NotFoundError, match="has no nodes"):
        chart_from_network(store, sample.empty_network)


def test_no_analysis_run_is_a_clear_error(tmp_path: Path) -> None:
    from graphintel.store import SqliteStore

    store = SqliteStore(tmp_path / "blank.db")
    try:
        with pytest.raises(NotFoundError, match="no analysis run"):
            chart_from_network(store, "net-0001")
    finally:
        store.close()


def test_file_names_from_untrusted_text_stay_in_the_folder(tmp_path: Path) -> None:
    for hostile in ("../../etc/passwd", "/etc/passwd", "..", "a/../../b", "=cmd|x", "\x00evil"):
        name = safe_filename(hostile, ".anx")
        path = safe_output_path(tmp_path, name)
        assert path.parent == tmp_path.resolve() and "/" not in name and not name.startswith(".")
    with pytest.raises(ExportError, match="leaves the folder"):
        safe_output_path(tmp_path, "../x.anx")
    with pytest.raises(ExportError, match="does not exist"):
        safe_output_path(tmp_path / "missing", "x.anx")


def test_a_symlink_cannot_lead_out_of_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "chart.anx").symlink_to(outside / "chart.anx")
    with pytest.raises(ExportError, match="leaves the folder"):
        safe_output_path(folder, "chart.anx")


def test_output_path_names_the_file_inside_a_folder(tmp_path: Path) -> None:
    assert output_path(tmp_path, "../net 1", ".svg") == tmp_path.resolve() / "net_1.svg"
    assert output_path(tmp_path / "x.pdf", "ignored", ".pdf") == tmp_path.resolve() / "x.pdf"


def test_source_rows_are_capped_per_node_and_the_report_says_so(
    export_store: tuple[GraphStore, ExportSample],
) -> None:
    from graphintel.export import export_bytes
    from tests.export.test_formats import _pdf_text

    store, sample = export_store
    chart = chart_from_network(store, sample.network, sources_per_node=2)
    phone = chart.node(sample.phone)
    assert phone is not None and len(phone.sources) == 2
    assert chart.omitted_sources == 4  # phone, address, payment account, IP
    assert "4 entities have more source rows" in _pdf_text(export_bytes(chart, "pdf"))
