"""The team deployment files: docker-compose.yml, .env.example and the app's Dockerfile.

No Docker engine runs here, so these tests read the files and check what a broken deploy
would get wrong: a missing healthcheck or volume, an app that starts before Neo4j is ready,
a password written into the compose file, a variable .env.example does not mention.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = re.compile(r"PASSWORD|AUTH|SECRET|TOKEN", re.IGNORECASE)
INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    return data


def _env_example() -> dict[str, str]:
    out = {}
    for line in (ROOT / ".env.example").read_text("utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def test_services_and_data_volume(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"neo4j", "app"}
    neo4j = services["neo4j"]
    image = neo4j["image"]
    tag = INTERPOLATION.sub(lambda m: m.group(3) or "", image).split(":", 1)[1]
    assert image.startswith("neo4j:") and int(re.match(r"\d+", tag).group()) >= 5  # type: ignore[union-attr]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in neo4j["volumes"]}
    assert mounts["/data"] in compose["volumes"], "Neo4j data must live on a named volume"
    assert "/backups" in mounts  # where neo4j-admin dumps land


def test_neo4j_healthcheck_queries_bolt(compose: dict[str, Any]) -> None:
    check = compose["services"]["neo4j"]["healthcheck"]
    assert check["test"][0] == "CMD-SHELL" and "cypher-shell" in check["test"][1]
    assert "RETURN 1" in check["test"][1]
    assert check["retries"] >= 10 and check["interval"] and check["start_period"]


def test_app_waits_for_healthy_neo4j_and_serves_on_8050(compose: dict[str, Any]) -> None:
    app = compose["services"]["app"]
    assert app["build"] == "."
    assert app["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    assert app["environment"]["GRAPHINTEL_STORE"] == "neo4j://neo4j:7687"
    assert any(str(p).endswith(":8050") for p in app["ports"])


def test_gds_is_an_option_not_a_requirement(compose: dict[str, Any]) -> None:
    env = compose["services"]["neo4j"]["environment"]
    assert env["NEO4J_PLUGINS"] == "${NEO4J_PLUGINS:-}"
    assert "graph-data-science" in (ROOT / ".env.example").read_text("utf-8")


def test_no_secret_is_written_inline(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for key, value in service.get("environment", {}).items():
            if SECRET_KEY.search(key):
                literal = INTERPOLATION.sub("", str(value)).replace("/", "")
                assert literal == "", f"{name}.{key} holds a literal secret: {value!r}"
    password = next(
        m
        for m in INTERPOLATION.finditer(compose["services"]["neo4j"]["environment"]["NEO4J_AUTH"])
        if m.group(1) == "NEO4J_PASSWORD"
    )
    assert password.group(2) == ":?", "a missing password must stop compose, not default"


def test_env_example_names_every_variable_and_holds_no_password(compose: dict[str, Any]) -> None:
    text = (ROOT / "docker-compose.yml").read_text("utf-8")
    used = {m.group(1) for m in INTERPOLATION.finditer(text)}
    example = _env_example()
    assert used <= set(example), used - set(example)
    assert example["NEO4J_PASSWORD"] == ""


def test_env_file_is_never_committed() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT, check=False)
    assert ignored.returncode == 0, ".env must be listed in .gitignore"


def test_dockerfile_installs_pinned_and_serves_on_all_interfaces() -> None:
    text = (ROOT / "Dockerfile").read_text("utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", text, re.MULTILINE)
    assert "pip install -c constraints.txt ." in text
    assert "EXPOSE 8050" in text
    assert 'CMD ["graphintel", "serve", "--host", "0.0.0.0", "--port", "8050"]' in text
    assert re.search(r"^USER (?!root)\w+", text, re.MULTILINE), "the app must not run as root"
    for copied in re.findall(r"^COPY (.+) \S+$", text, re.MULTILINE):
        for path in copied.split():
            assert (ROOT / path).exists(), f"Dockerfile copies {path}, which is missing"
