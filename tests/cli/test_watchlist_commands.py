"""``graphintel watchlist add | list | show | remove`` on a store, and bad input as one
line and exit status 1."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from graphintel.cli.commands import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "watchlists"


def _run(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--quiet", "--store", str(store), *args])
    return result.exit_code, result.stdout, result.stderr


def test_add_list_show_remove(tmp_path: Path) -> None:
    store = tmp_path / "g.db"
    code, out, err = _run(
        store,
        "watchlist",
        "add",
        str(EXAMPLES / "bad_parties.csv"),
        "--mapping",
        str(EXAMPLES / "bad_parties.toml"),
        "--kind",
        "bad",
        "--name",
        "partner-list",
    )
    assert code == 0, err
    assert "watchlist partner-list (bad): 4 entries" in out
    assert "names no party" in err  # the empty row 5 is reported, not dropped
    code, out, _ = _run(
        store,
        "watchlist",
        "add",
        str(EXAMPLES / "trusted_ctpat.csv"),
        "--mapping",
        str(EXAMPLES / "trusted_ctpat.toml"),
        "--kind",
        "trusted",
    )
    assert code == 0 and "watchlist trusted_ctpat (trusted): 2 entries" in out

    code, out, _ = _run(store, "watchlist", "list", "--format", "json")
    listed = {w["name"]: (w["kind"], w["entries"]) for w in json.loads(out)}
    assert listed == {"partner-list": ("bad", 4), "trusted_ctpat": ("trusted", 2)}
    code, out, _ = _run(store, "watchlist", "show", "partner-list", "--format", "json")
    rows = json.loads(out)
    assert [r["row_number"] for r in rows] == [1, 2, 3, 4]

    assert _run(store, "watchlist", "remove", "partner-list")[0] == 0
    code, _, err = _run(store, "watchlist", "remove", "partner-list")
    assert code == 1 and err.strip() == f"error: no watchlist 'partner-list' in sqlite:///{store}"


def test_bad_input_is_one_line_and_nothing_stored(tmp_path: Path) -> None:
    store = tmp_path / "g.db"
    empty = tmp_path / "empty.csv"
    empty.write_text("name,phone\n,\n")
    code, _, err = _run(store, "watchlist", "add", str(empty), "--kind", "bad")
    assert code == 1 and "no usable watchlist rows" in err and "Traceback" not in err
    code, _, err = _run(
        store, "watchlist", "add", str(empty), "--kind", "bad", "--mapping", str(tmp_path / "x")
    )
    assert code == 1 and err.startswith("error:") and len(err.strip().splitlines()) == 1
    assert json.loads(_run(store, "watchlist", "list", "--format", "json")[1]) == []
