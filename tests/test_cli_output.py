"""What the command line prints when its output is piped (CI logs, `| less`, files)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from graphintel.cli import cli

HEADER = "shipment_id,arrival_date,declared_value_usd,shipper_name,consignee_name\n"


def _store_with_a_load(tmp_path: Path) -> str:
    manifest = tmp_path / "carrier_export_of_house_bills_for_port_4701_march_2026.csv"
    manifest.write_text(HEADER + "S1,2026-03-01,25,Acme,=HYPERLINK(1)\nS2,not-a-date,5,A,B\n")
    url = f"sqlite:///{tmp_path / 'g.db'}"
    result = CliRunner().invoke(cli, ["--quiet", "--store", url, "load", str(manifest)])
    assert result.exit_code == 0, result.output
    return url


def test_quarantine_names_row_and_column(tmp_path: Path) -> None:
    url = _store_with_a_load(tmp_path)
    result = CliRunner().invoke(cli, ["--store", url, "quarantine", "--format", "json"])
    [entry] = json.loads(result.output)
    assert (entry["row"], entry["column"]) == (2, "arrival_date")


def test_csv_output_neutralises_formulas(tmp_path: Path) -> None:
    url = _store_with_a_load(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["--quiet", "--store", url, "resolve"]).exit_code == 0
    result = runner.invoke(cli, ["--store", url, "entities", "--format", "csv"])
    assert "'=HYPERLINK(1)" in result.output
    assert "\n=HYPERLINK" not in result.output and ",=HYPERLINK" not in result.output


def test_unknown_run_is_one_clear_line(tmp_path: Path) -> None:
    url = _store_with_a_load(tmp_path)
    result = CliRunner().invoke(cli, ["--store", url, "networks", "--run", "run-nope"])
    assert result.exit_code == 1
    assert "run-nope" in result.output
    assert "Traceback" not in result.output
