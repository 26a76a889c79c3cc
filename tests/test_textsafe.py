import pytest

from graphintel.textsafe import spreadsheet_safe, terminal_safe


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 415 555 0134", "'+1 415 555 0134"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Shenzhen Huayu Trading", "Shenzhen Huayu Trading"),
        ("", ""),
        (None, ""),
        (12.5, "12.5"),
    ],
)
def test_formula_cells_are_neutralised(raw: object, safe: str) -> None:
    assert spreadsheet_safe(raw) == safe


def test_terminal_controls_are_shown_not_run() -> None:
    raw = "Acme\x1b[2J\x1b]0;owned\x07 \x9b31m\tTrading\nLtd \u674e"
    assert terminal_safe(raw) == "Acme\\x1b[2J\\x1b]0;owned\\x07 \\x9b31m\tTrading\nLtd \u674e"
