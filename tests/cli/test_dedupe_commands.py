"""``graphintel dedupe`` from the shell: mapped lists in, spreadsheet-safe clusters out."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from graphintel.cli.commands import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--quiet", "dedupe", *args])


def _clusters(text: str) -> dict[str, dict[str, str]]:
    return {row["record_id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_shipped_person_example_clusters_one_household_member_once(tmp_path: Path) -> None:
    out = tmp_path / "clusters.csv"
    result = _run(str(EXAMPLES / "party_lists/persons.csv"), "--mapping",
                  str(EXAMPLES / "mappings/person_list.toml"), "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _clusters(out.read_text(encoding="utf-8"))
    assert list(next(iter(rows.values()))) == ["record_id", "cluster_id"]
    assert rows["P1"]["cluster_id"] == rows["P2"]["cluster_id"] == "P1"
    assert rows["P4"]["cluster_id"] == "P4"  # Mary Smith at John's address is not John
    assert rows["P7"]["cluster_id"] == rows["P8"]["cluster_id"]
    assert "0 problem rows" in result.output


def test_shipped_company_example_with_explanations() -> None:
    result = _run(str(EXAMPLES / "party_lists/companies.csv"), "--mapping",
                  str(EXAMPLES / "mappings/company_list.toml"), "--explain")  # fmt: skip
    assert result.exit_code == 0, result.output
    csv_text = result.stdout
    rows = _clusters(csv_text)
    assert rows["C1"]["cluster_id"] == rows["C2"]["cluster_id"] == "C1"
    assert rows["C3"]["cluster_id"] == "C3"  # Huaxin is not Huayu
    assert rows["C4"]["cluster_id"] == rows["C5"]["cluster_id"]
    assert rows["C2"]["matched_to"] == "C1" and float(rows["C2"]["score"]) > 0
    assert "name:" in rows["C2"]["explanation"] and rows["C6"]["explanation"] == ""


def test_bad_rows_are_reported_with_file_row_and_field(tmp_path: Path) -> None:
    data = tmp_path / "list.csv"
    data.write_text(
        "id,name,phone\n"
        "1,Acme Imports LLC,+1 562 555 0100\n"
        ",No Id Corp,\n"
        "1,Acme again,\n"
        "2,,+1 562 555 0100\n"
        "3,😀,+1 562 555 0100\n"
        "4,too,many,fields\n"
        '=cmd|" /C calc"!A0,=HYPERLINK("http://x"),\n',
        encoding="utf-8",
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\nrecord_id = "id"\nname = "name"\nphone = "phone"\n')
    problems = tmp_path / "problems.csv"
    result = _run(str(data), "--mapping", str(mapping), "--explain", "--problems", str(problems))
    assert result.exit_code == 0, result.output
    rows = _clusters(result.stdout)
    assert set(rows) == {"1", "2", "3", '\'=cmd|" /C calc"!A0'}  # formula cell neutralised
    assert rows["2"]["cluster_id"] == "2" and rows["3"]["cluster_id"] == "3"
    reported = list(csv.DictReader(problems.open(encoding="utf-8")))
    assert [(p["row"], p["field"]) for p in reported] == [
        ("2", "record_id"), ("3", "record_id"), ("4", "name"), ("5", "name"), ("6", "(row)")
    ]  # fmt: skip
    assert all(p["file"] == str(data) for p in reported)
    assert f"problem: {data}: row 3: record_id: record id '1' already on row 1" in result.stderr


def test_mapping_errors_are_one_line(tmp_path: Path) -> None:
    data = tmp_path / "list.csv"
    data.write_text("id,name\n1,Acme\n", encoding="utf-8")
    for text, message in [
        ('[columns]\nrecord_id = "id"\n', "no source for the party field 'name'"),
        ('[columns]\nname = "nom"\n', "not in the file's header"),
        ('[columns]\nname = "name"\nfax = "id"\n', "'fax' is not a party field"),
        ('[party]\nrole = "buyer"\n[columns]\nname = "name"\n', "[party] role must be"),
        ("[columns\n", "not valid TOML"),
    ]:
        mapping = tmp_path / "m.toml"
        mapping.write_text(text)
        result = _run(str(data), "--mapping", str(mapping))
        assert result.exit_code == 1, text
        assert message in result.output and "Traceback" not in result.output


def test_rows_without_a_record_id_column_use_the_row_number(tmp_path: Path) -> None:
    data = tmp_path / "list.csv"
    data.write_text("given,surname\nJohn,Smith\nJane,Doe\n", encoding="utf-8")
    mapping = tmp_path / "m.toml"
    mapping.write_text('[join]\nname = ["given", "surname"]\n')
    rows = _clusters(_run(str(data), "--mapping", str(mapping)).stdout)
    assert set(rows) == {"1", "2"}


def test_no_households_treats_a_different_given_name_at_one_address_as_a_typo() -> None:
    args = (str(EXAMPLES / "party_lists/persons.csv"), "--mapping",
            str(EXAMPLES / "mappings/person_list.toml"))  # fmt: skip
    apart = _clusters(_run(*args).stdout)
    together = _run(*args, "--no-households")
    assert together.exit_code == 0, together.output
    merged = _clusters(together.stdout)
    assert apart["P4"]["cluster_id"] == "P4"
    assert merged["P4"]["cluster_id"] == merged["P1"]["cluster_id"] == "P1"


def test_threshold_outside_zero_one_is_refused() -> None:
    result = _run(str(EXAMPLES / "party_lists/persons.csv"), "--mapping",
                  str(EXAMPLES / "mappings/person_list.toml"), "--threshold", "1.5")  # fmt: skip
    assert result.exit_code == 2
    assert "--threshold" in result.output


def _levels_have_m_and_u(model: dict[str, Any]) -> bool:
    levels = [level for f in model["fields"] for level in f["levels"]]
    return bool(levels) and all(0 < lv["m"] < 1 and 0 < lv["u"] < 1 for lv in levels)


def test_the_fitted_list_model_is_saved_beside_the_output(tmp_path: Path) -> None:
    args = (str(EXAMPLES / "party_lists/persons.csv"), "--mapping",
            str(EXAMPLES / "mappings/person_list.toml"), "--threshold", "0.7")  # fmt: skip
    first = _run(*args, "-o", str(tmp_path / "clusters.csv"))
    assert first.exit_code == 0, first.output
    saved = tmp_path / "clusters.model.json"
    assert f"model and threshold written to {saved}" in first.stderr
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["profile"] == "list" and doc["threshold"] == 0.7
    model = doc["model"]
    assert model["threshold_probability"] == 0.7 and 0 < model["lambda"] < 1
    assert [f["field"] for f in model["fields"]][:2] == ["given_name", "surname"]
    assert _levels_have_m_and_u(model)
    assert doc["manifest_model"]["model"] == "fellegi_sunter"  # the resolver's, linked on top
    again = _run(*args, "-o", str(tmp_path / "again.csv"))
    assert again.exit_code == 0, again.output
    assert json.loads((tmp_path / "again.model.json").read_text(encoding="utf-8")) == doc


def test_the_manifest_profile_saves_the_resolver_model_where_asked(tmp_path: Path) -> None:
    saved = tmp_path / "fs.json"
    result = _run(str(EXAMPLES / "party_lists/companies.csv"), "--mapping",
                  str(EXAMPLES / "mappings/company_list.toml"), "--profile", "manifest",
                  "--model", str(saved))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _clusters(result.stdout)["C1"]["cluster_id"] == "C1"  # the CSV still on stdout
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["profile"] == "manifest" and "manifest_model" not in doc
    model = doc["model"]
    assert doc["threshold"] == model["threshold_probability"] == 0.8
    assert [f["field"] for f in model["fields"]] == ["name", "phone", "email", "address",
                                                    "country"]  # fmt: skip
    assert 0 < model["lambda"] < 1 and _levels_have_m_and_u(model)


def test_without_an_output_file_no_model_is_written_unless_asked(tmp_path: Path) -> None:
    result = _run(str(EXAMPLES / "party_lists/persons.csv"), "--mapping",
                  str(EXAMPLES / "mappings/person_list.toml"))  # fmt: skip
    assert result.exit_code == 0 and "model and threshold" not in result.stderr
