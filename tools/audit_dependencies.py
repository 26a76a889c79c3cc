"""Dependency vulnerability audit for CI: pip-audit over the pinned ``constraints.txt``.

A known vulnerability in any pinned package fails the run (exit 1): fix it by moving the pin
to a fixed version (``pip install -U PKG`` in the venv, then regenerate constraints.txt),
or, when no fix exists and the flaw cannot be reached from GraphIntel, by adding
``--ignore-vuln ID`` here with a comment saying why.

pip-audit asks PyPI's JSON API (or OSV) about every pin. Where that service cannot be reached
(a mirror-only network) every package comes back "not found" and nothing was audited: the
script says so loudly and, unless ``GRAPHINTEL_REQUIRE_AUDIT=1``, does not fail the run,
because a network limit is not a finding. CI with internet access sets the variable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
IGNORED: tuple[str, ...] = ()  # vulnerability ids reviewed and accepted, each with a reason


def main() -> int:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(ROOT / "constraints.txt"),
        "--no-deps",  # every package is pinned in the file; nothing to resolve
        "--disable-pip",
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    for vuln in IGNORED:
        command += ["--ignore-vuln", vuln]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        print(done.stderr or done.stdout, file=sys.stderr)
        print("dependency audit: pip-audit failed to run", file=sys.stderr)
        return 1
    code, lines = verdict(report, os.environ.get("GRAPHINTEL_REQUIRE_AUDIT") == "1")
    print("\n".join(lines))
    return code


def verdict(report: dict[str, Any], require: bool) -> tuple[int, list[str]]:
    """Exit status and message lines for a pip-audit JSON report: any finding fails; an
    audit that reached no package fails only when ``require`` is set."""
    deps = report.get("dependencies", [])
    found = [(d["name"], d["version"], v) for d in deps for v in d.get("vulns", [])]
    skipped = [d for d in deps if d.get("skip_reason")]
    lines = []
    for name, version, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "none yet"
        lines.append(f"VULNERABLE {name} {version}: {vuln['id']} (fixed in {fixes})")
    if found:
        lines.append(f"dependency audit: FAILED: {len(found)} known vulnerabilities")
        return 1, lines
    if not deps or len(skipped) == len(deps):
        lines.append(
            "dependency audit: NOT PERFORMED: the vulnerability service answered for none of "
            f"the {len(deps)} pins (no route to PyPI's JSON API?)"
        )
        return (1 if require else 0), lines
    lines += [
        f"not audited: {d['name']} {d.get('version', '')}: {d['skip_reason']}" for d in skipped
    ]
    lines.append(
        f"dependency audit: {len(deps) - len(skipped)} pins audited, no known vulnerabilities"
    )
    return 0, lines


if __name__ == "__main__":
    sys.exit(main())
