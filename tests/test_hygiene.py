"""Repository hygiene: no secret in any tracked file, placeholders only in .env.example,
every dependency pinned, and the CI dependency audit failing on a finding."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Built from parts so this file does not match itself.
_BEGIN = "-----BEGIN "
SECRET_PATTERNS: dict[str, re.Pattern[str]] = {
    "private key": re.compile(_BEGIN + r"(?:[A-Z]+ )*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "users-file password hash": re.compile(r"scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]{16,}\$"),
    # a user:password@ URL, unless the password is an obvious placeholder
    "URL with a password": re.compile(
        r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:(?!(?:secret|password|changeme|x+)@)[^/\s:@$<{]{6,}@"
    ),
}
# In configuration files a secret-named key must be empty, a ${VARIABLE} or a <placeholder>.
CONFIG_SUFFIXES = {".env", ".ini", ".cfg", ".toml", ".yml", ".yaml", ".json", ".conf"}
CONFIG_SECRET = re.compile(
    r"""(?ix)^\s*[\w.-]*(?:password|passwd|secret|token|api_?key)[\w.-]*\s*[:=]\s*
    ["']?(?!\$\{|<|["']?\s*$)[^\s"'#]{4,}"""
)


def scan(paths: list[Path]) -> list[str]:
    """``file:line: kind`` for every line that looks like a committed secret."""
    found: list[str] = []
    for path in paths:
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary files (images, wheels) carry no text secrets we could read
        is_config = path.suffix in CONFIG_SUFFIXES or path.name.startswith(".env")
        for number, line in enumerate(text.splitlines(), 1):
            kinds = [k for k, p in SECRET_PATTERNS.items() if p.search(line)]
            if is_config and CONFIG_SECRET.search(line):
                kinds.append("secret-named setting with a value")
            found += [f"{path.relative_to(ROOT)}:{number}: {k}" for k in kinds]
    return found


def tracked_files() -> list[Path]:
    done = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip("not a git checkout: no tracked files to scan")
    return [ROOT / name for name in done.stdout.split("\0") if name and (ROOT / name).is_file()]


def test_no_secret_in_any_tracked_file() -> None:
    files = tracked_files()
    assert len(files) > 50
    assert scan(files) == []


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    planted = {
        "key.pem": _BEGIN + "OPENSSH PRIVATE KEY-----\nabc\n",
        "deploy.yml": "db:\n  password: hunter22\n  token: ${TOKEN}\n  api_key: <your key>\n",
        ".env": "NEO4J_PASSWORD=correct-horse\nNEO4J_USER=neo4j\n",
        # split so that this file itself does not match
        "notes.md": "use neo4j://neo4j:" + "s3cretpw@db:7687 and AKIA" + "ABCDEFGHIJKLMNOP\n"
        "not neo4j://neo4j:secret@db:7687\n",
        "users.toml": '[users.a]\npassword = "scrypt$32768$8$1$' + 'c2FsdHNhbHRzYWx0==$aGFzaA=="\n',
    }
    paths = []
    for name, text in planted.items():
        (tmp_path / name).write_text(text)
        paths.append(tmp_path / name)
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = scan(paths)
    finally:
        ROOT = saved
    assert found == [
        "key.pem:1: private key",
        "deploy.yml:2: secret-named setting with a value",
        ".env:1: secret-named setting with a value",
        "notes.md:1: AWS access key",
        "notes.md:1: URL with a password",
        "users.toml:2: users-file password hash",
        "users.toml:2: secret-named setting with a value",
    ]


def test_env_example_holds_placeholders_only() -> None:
    for line in (ROOT / ".env.example").read_text("utf-8").splitlines():
        if line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        if re.search(r"PASSWORD|SECRET|TOKEN|KEY", name):
            assert value == "", f".env.example sets {name}: placeholders only"


def test_every_dependency_is_pinned() -> None:
    pins = [
        line
        for line in (ROOT / "constraints.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.+!-]+", p) for p in pins), [
        p for p in pins if "==" not in p
    ]
    names = {re.split(r"==", p)[0].lower().replace("_", "-") for p in pins}
    assert {"waitress", "flask", "dash", "pip-audit"} <= names


def _audit_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "audit_dependencies", ROOT / "tools/audit_dependencies.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dependency_audit_fails_on_a_finding_and_says_when_it_could_not_look() -> None:
    verdict = _audit_tool().verdict
    clean = {"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []}]}
    assert verdict(clean, True)[0] == 0
    vulnerable = {
        "dependencies": [
            {"name": "flask", "version": "3.1.3", "vulns": []},
            {
                "name": "jinja2",
                "version": "2.0",
                "vulns": [{"id": "GHSA-x", "fix_versions": ["3.1.6"]}],
            },
        ]
    }
    code, lines = verdict(vulnerable, False)
    assert code == 1 and "VULNERABLE jinja2 2.0: GHSA-x (fixed in 3.1.6)" in lines
    blind = {"dependencies": [{"name": "flask", "version": "3.1.3", "skip_reason": "not found"}]}
    assert verdict(blind, False)[0] == 0 and "NOT PERFORMED" in verdict(blind, False)[1][-1]
    assert verdict(blind, True)[0] == 1


# Small modules with one job: none over this many lines. Declarative tables (data written
# as Python) may be longer, each named here with its reason; none is that long today.
MAX_MODULE_LINES = 600
LONG_TABLES: dict[str, str] = {}
PACKAGES = ("graphintel", "loaders", "dashboards")


def oversized(root: Path, packages: tuple[str, ...], allowed: dict[str, str]) -> list[str]:
    """``path: N lines`` for every Python module under ``packages`` over the limit."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            lines = len(path.read_text("utf-8").splitlines())
            if lines > MAX_MODULE_LINES and name not in allowed:
                found.append(f"{name}: {lines} lines")
    return found


def test_no_module_is_over_the_line_limit() -> None:
    modules = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    assert len(modules) > 100
    assert all((ROOT / name).is_file() for name in LONG_TABLES)  # no stale allowance
    assert oversized(ROOT, PACKAGES, LONG_TABLES) == []


def test_the_line_limit_finds_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "short.py").write_text("x = 1\n" * MAX_MODULE_LINES)
    (tmp_path / "pkg" / "sub" / "long.py").write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    (tmp_path / "pkg" / "table.py").write_text("x = 1\n" * (MAX_MODULE_LINES + 5))
    assert oversized(tmp_path, ("pkg",), {"pkg/table.py": "a table"}) == [
        f"pkg/sub/long.py: {MAX_MODULE_LINES + 1} lines"
    ]
