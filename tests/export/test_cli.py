"""``graphintel export`` from the shell: files land where asked, errors are one clear line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from graphintel.cli.commands import cli
from graphintel.store import GraphStore
from tests.builders import ExportSample


def _run(store: GraphStore, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--store", store.url, "export", *args])
    return result.exit_code, result.output


def test_export_anx_to_a_file_and_refuse_to_overwrite(
    export_store: tuple[GraphStore, ExportSample], tmp_path: Path
) -> None:
    store, sample = export_store
    target = tmp_path / "ring.anx"
    code, output = _run(store, "--network", sample.network, "--format", "anx", "-o", str(target))
    assert code == 0, output
    assert f"run {sample.run_id}" in output
    root = ET.parse(target).getroot()
    assert len(list(root.iter("Entity"))) == 19 + 1  # the nodes and the case narrative
    code, output = _run(store, "--network", sample.network, "--format", "anx", "-o", str(target))
    assert code == 1 and "exists (use --force" in output
    code, _ = _run(
        store, "--network", sample.network, "--format", "anx", "-o", str(target), "--force"
    )
    assert code == 0


def test_export_into_a_folder_names_the_file_after_the_network(
    export_store: tuple[GraphStore, ExportSample], tmp_path: Path
) -> None:
    store, sample = export_store
    code, output = _run(
        store, "--network", sample.network, "--run", sample.run_id, "--format", "pdf",
        "-o", str(tmp_path), "--analyst", "J. Doe",
    )  # fmt: skip
    assert code == 0, output
    assert (tmp_path / "net-0001.pdf").read_bytes().startswith(b"%PDF-")


def test_unknown_network_and_missing_folder_are_one_line_errors(
    export_store: tuple[GraphStore, ExportSample], tmp_path: Path
) -> None:
    store, sample = export_store
    out = tmp_path / "out"
    out.mkdir()
    code, output = _run(store, "--network", "net-9999", "--format", "svg", "-o", str(out))
    assert code == 1 and output.startswith("error: no network 'net-9999'")
    assert "Traceback" not in output and not list(out.iterdir())
    code, output = _run(
        store, "--network", sample.network, "--format", "svg", "-o", str(tmp_path / "no/x.svg")
    )
    assert code == 1 and "output folder does not exist" in output
    code, output = _run(store, "--network", sample.empty_network, "--format", "csv", "-o",
                        str(tmp_path))  # fmt: skip
    assert code == 1 and "has no nodes" in output


def test_narrative_file_and_letter_paper_reach_the_report(
    export_store: tuple[GraphStore, ExportSample], tmp_path: Path
) -> None:
    from reportlab.lib.pagesizes import LETTER, landscape

    from tests.export.test_formats import _pdf_text

    store, sample = export_store
    story = tmp_path / "narrative.txt"
    story.write_text("Who: seven shippers. Next: subpoena the carrier.", encoding="utf-8")
    target = tmp_path / "ring.pdf"
    code, output = _run(store, "--network", sample.network, "--format", "pdf", "-o",
                        str(target), "--narrative", str(story), "--paper", "letter")  # fmt: skip
    assert code == 0, output
    data = target.read_bytes()
    width, height = landscape(LETTER)
    assert f"/MediaBox [ 0 0 {width:g} {height:g} ]".encode() in data
    assert "subpoena the carrier" in _pdf_text(data)
    missing = str(tmp_path / "none.txt")
    code, output = _run(store, "--network", sample.network, "--format", "pdf", "-o",
                        str(tmp_path / "x.pdf"), "--narrative", missing)  # fmt: skip
    assert code != 0 and "none.txt" in output
