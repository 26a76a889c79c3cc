"""Access control over HTTP: sign-in when GRAPHINTEL_AUTH is set, roles enforced on the
server (a viewer's export is a 403 whatever the page shows), the reverse-proxy header
believed only from the configured proxy, and the audit rows every action leaves."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import dash
import flask
import pytest
from flask.testing import FlaskClient

from dashboards import audit, auth, export_control, ids
from dashboards.app import create_app, serve
from dashboards.data import network_href
from graphintel.errors import GraphIntelError
from graphintel.records import AuditEntry
from graphintel.store import GraphStore
from graphintel.users import set_user
from tests.builders import AppSample
from tests.page_request import page_request

PASSWORDS = {"vic": "viewer-pass-1", "ana": "analyst-pass-1", "adm": "admin-pass-11"}
ROLES = {"vic": "viewer", "ana": "analyst", "adm": "admin"}
Sampled = tuple[GraphStore, AppSample]


@pytest.fixture(scope="module")
def users_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.toml"
    for name, password in PASSWORDS.items():
        set_user(path, name, ROLES[name], password)
    return path


def _config(users_path: Path, **overrides: Any) -> auth.AuthConfig:
    values: dict[str, Any] = {
        "mode": "users",
        "users_file": users_path,
        "secret_key": b"k" * 64,
    }
    return auth.AuthConfig(**(values | overrides))


@pytest.fixture
def secured(sample_store: Sampled, users_path: Path) -> dash.Dash:
    return create_app(sample_store[0], _config(users_path))


def _csrf(client: FlaskClient) -> str:
    page = client.get("/login").data.decode()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def _login(client: FlaskClient, name: str, password: str, next_path: str = "/") -> Any:
    return client.post(
        f"/login?next={next_path}",
        data={"username": name, "password": password, "csrf": _csrf(client)},
    )


def _export_body(sample: AppSample, fmt: str = "graphml") -> dict[str, Any]:
    request: dict[str, Any] = {
        "format": fmt,
        "positions": {sample.script_party: [0, 0], sample.shared_address: [10, 10]},
        "edges": [[sample.script_party, sample.shared_address, "HAS_ADDRESS", 1]],
    }
    if fmt == "png":  # drawn by the browser, only announced to the server
        request = {"format": fmt, "browser": True}
    return {
        "output": f"..{ids.EXPORT_DOWNLOAD}.data...{ids.EXPORT_STATUS}.children..",
        "outputs": [
            {"id": ids.EXPORT_DOWNLOAD, "property": "data"},
            {"id": ids.EXPORT_STATUS, "property": "children"},
        ],
        "inputs": [{"id": ids.EXPORT_REQUEST, "property": "data", "value": request}],
        "state": [
            {
                "id": ids.WORKSPACE_CONTEXT,
                "property": "data",
                "value": {"run_id": sample.run_id, "network_id": sample.ring},
            }
        ],
        "changedPropIds": [f"{ids.EXPORT_REQUEST}.data"],
    }


def _audit(app: dash.Dash, store: GraphStore, **filters: Any) -> list[AuditEntry]:
    app.server.config[audit.AUDIT_KEY].flush()
    return store.audit_log(**filters)


# -- sign-in ---------------------------------------------------------------------------------------
def test_everything_needs_sign_in_when_configured(secured: dash.Dash) -> None:
    client = secured.server.test_client()
    page = client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 302 and page.headers["Location"] == "/login?next=/"
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-dependencies").status_code == 401
    assert client.post("/_dash-update-component", json={}).status_code == 401
    login = client.get("/login")
    assert login.status_code == 200 and b'type="password"' in login.data


def test_wrong_password_refused_right_one_lets_in(
    secured: dash.Dash, sample_store: Sampled
) -> None:
    client = secured.server.test_client()
    refused = _login(client, "ana", "not-her-password")
    assert refused.status_code == 401 and b"Wrong user name or password" in refused.data
    assert _login(client, "nobody", "whatever-pass").status_code == 401
    assert client.get("/_dash-layout").status_code == 401
    done = _login(client, "ana", PASSWORDS["ana"], "/overview")
    assert done.status_code == 302 and done.headers["Location"] == "/overview"
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/logout").status_code == 302
    assert client.get("/_dash-layout").status_code == 401
    actions = [(e.user, e.action) for e in _audit(secured, sample_store[0])]
    assert actions == [
        ("ana", "login_failed"),
        ("nobody", "login_failed"),
        ("ana", "login"),
        ("ana", "logout"),
    ]


def test_login_form_needs_its_csrf_token(secured: dash.Dash) -> None:
    client = secured.server.test_client()
    client.get("/login")
    forged = client.post("/login", data={"username": "ana", "password": PASSWORDS["ana"]})
    assert forged.status_code == 400
    assert client.get("/_dash-layout").status_code == 401


def test_repeated_failures_are_throttled(secured: dash.Dash) -> None:
    client = secured.server.test_client()
    for _ in range(5):
        assert _login(client, "vic", "wrong-password").status_code == 401
    blocked = _login(client, "vic", PASSWORDS["vic"])
    assert blocked.status_code == 429
    assert client.get("/_dash-layout").status_code == 401


def test_sign_in_never_redirects_off_site(secured: dash.Dash) -> None:
    client = secured.server.test_client()
    for target in (
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
    ):
        response = _login(client, "adm", PASSWORDS["adm"], target)
        assert response.headers["Location"] == "/"


def test_session_cookie_is_httponly_samesite_and_secure_when_asked(
    sample_store: Sampled, users_path: Path
) -> None:
    for secure in (False, True):
        app = create_app(sample_store[0], _config(users_path, cookie_secure=secure))
        client = app.server.test_client()
        cookie = _login(client, "ana", PASSWORDS["ana"]).headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure


def test_changed_password_or_removed_user_ends_the_session(
    sample_store: Sampled, tmp_path: Path
) -> None:
    path = tmp_path / "users.toml"
    set_user(path, "ana", "analyst", PASSWORDS["ana"])
    set_user(path, "bo", "viewer", "bo-password-1")
    app = create_app(sample_store[0], _config(path))
    client = app.server.test_client()
    _login(client, "ana", PASSWORDS["ana"])
    assert client.get("/_dash-layout").status_code == 200
    set_user(path, "ana", "analyst", "a-new-password")
    assert client.get("/_dash-layout").status_code == 401


# -- roles -----------------------------------------------------------------------------------------
def test_viewer_gets_403_on_export_analyst_gets_the_file(
    secured: dash.Dash, sample_store: Sampled
) -> None:
    store, sample = sample_store
    viewer = secured.server.test_client()
    _login(viewer, "vic", PASSWORDS["vic"])
    refused = viewer.post("/_dash-update-component", json=_export_body(sample))
    assert refused.status_code == 403
    png = viewer.post("/_dash-update-component", json=_export_body(sample, "png"))
    assert png.status_code == 403
    analyst = secured.server.test_client()
    _login(analyst, "ana", PASSWORDS["ana"])
    allowed = analyst.post("/_dash-update-component", json=_export_body(sample))
    assert allowed.status_code == 200
    assert ".graphml" in allowed.json["response"][ids.EXPORT_DOWNLOAD]["data"]["filename"]
    assert (
        analyst.post("/_dash-update-component", json=_export_body(sample, "png")).status_code == 200
    )
    exports = _audit(secured, store, action="export")
    target = f"{sample.run_id}/{sample.ring}"
    assert [(e.user, e.target) for e in exports] == [("ana", target), ("ana", target)]
    assert exports[0].detail.startswith("graphml ") and exports[1].detail == "png"


def _note_body(node: str, text: str) -> dict[str, Any]:
    return {
        "output": f"{ids.NOTE_STATUS}.children",
        "outputs": {"id": ids.NOTE_STATUS, "property": "children"},
        "inputs": [{"id": ids.BTN_SAVE_NOTE, "property": "n_clicks", "value": 1}],
        "state": [
            {"id": ids.NOTE_TEXT, "property": "value", "value": text},
            {"id": ids.NOTE_NODE, "property": "data", "value": node},
        ],
        "changedPropIds": [f"{ids.BTN_SAVE_NOTE}.n_clicks"],
    }


def test_viewer_cannot_write_notes_analyst_can_and_is_audited(
    secured: dash.Dash, sample_store: Sampled
) -> None:
    store, sample = sample_store
    viewer = secured.server.test_client()
    _login(viewer, "vic", PASSWORDS["vic"])
    body = _note_body(sample.script_party, "seen at the Newark hub")
    assert viewer.post("/_dash-update-component", json=body).status_code == 403
    assert store.notes([sample.script_party]) == {}
    analyst = secured.server.test_client()
    _login(analyst, "ana", PASSWORDS["ana"])
    saved = analyst.post("/_dash-update-component", json=body)
    assert saved.status_code == 200
    assert store.notes([sample.script_party]) == {sample.script_party: "seen at the Newark hub"}
    notes = _audit(secured, store, action="note")
    assert [(e.user, e.target, e.detail) for e in notes] == [("ana", sample.script_party, "saved")]


def test_case_writes_need_the_analyst_role(secured: dash.Dash, sample_store: Sampled) -> None:
    """Saving, renaming and deleting cases are refused to viewers in the callbacks."""
    from werkzeug.exceptions import Forbidden

    from dashboards.pages import cases

    store, sample = sample_store
    saved = store.save_case("case-1", "Kept", {"elements": []})
    rename = {"type": ids.CASE_RENAME, "case": saved.case_id}
    intent = {"op": ids.BTN_SAVE_CASE, "positions": {}}
    element = {"data": {"id": sample.script_party, "label": "x", "kind": "Party"}}
    with secured.server.test_request_context("/"):
        flask.g.graphintel_user = auth.User("vic", "viewer")
        with pytest.raises(Forbidden):
            cases.case_actions(store, rename, {saved.case_id: "Renamed"}, True)
        with pytest.raises(Forbidden):
            cases.save_case(store, intent, "New", [element], {}, None, None, None, None)
    assert [c.name for c in store.cases()] == ["Kept"]
    with secured.server.test_request_context("/"):
        flask.g.graphintel_user = auth.User("ana", "analyst")
        cases.case_actions(store, rename, {saved.case_id: "Renamed"}, True)
    assert [c.name for c in store.cases()] == ["Renamed"]


def test_export_control_shows_only_for_analysts(secured: dash.Dash) -> None:
    for name, shown in (("vic", False), ("ana", True), ("adm", True)):
        with secured.server.test_request_context("/"):
            flask.g.graphintel_user = auth.User(name, ROLES[name])
            control = export_control.control()
        assert (ids.BTN_EXPORT in str(control)) is shown


def test_require_role_is_a_403_for_lower_roles(secured: dash.Dash) -> None:
    """What the judge callbacks call: a viewer's judgement is refused on the server."""

    @secured.server.route("/test-judge", methods=["POST"])
    def judge() -> str:
        return auth.require_role("analyst").name

    for name, status in (("vic", 403), ("ana", 200), ("adm", 200)):
        client = secured.server.test_client()
        _login(client, name, PASSWORDS[name])
        assert client.post("/test-judge").status_code == status
    anonymous = secured.server.test_client()
    assert anonymous.post("/test-judge").status_code == 401


def test_without_auth_the_local_user_has_every_role(app: dash.Dash) -> None:
    with app.server.test_request_context("/"):
        assert auth.current_user() == auth.local_user()
        assert auth.has_role("admin")
        assert auth.require_role("analyst") == auth.local_user()
    assert auth.local_user().role == "admin"


# -- the reverse proxy ---------------------------------------------------------------------------
def test_proxy_header_ignored_unless_configured(
    secured: dash.Dash, app: dash.Dash, sample_store: Sampled
) -> None:
    header = {"X-Forwarded-User": "adm"}
    assert secured.server.test_client().get("/_dash-layout", headers=header).status_code == 401
    client = app.server.test_client()  # no GRAPHINTEL_AUTH: the header means nothing
    client.post("/_dash-update-component", json=page_request("/search", "?q=huayu"), headers=header)
    [entry] = _audit(app, sample_store[0], action="search")
    assert entry.user == auth.local_user().name


def test_proxy_header_believed_only_from_the_trusted_proxy(
    sample_store: Sampled, users_path: Path, tmp_path: Path
) -> None:
    config = _config(users_path, mode="proxy", proxy_trusted=(auth._network("10.0.0.5/32"),))
    app = create_app(sample_store[0], config)
    proxy = app.server.test_client()
    proxy.environ_base["REMOTE_ADDR"] = "10.0.0.5"
    direct = app.server.test_client()  # 127.0.0.1: went around the proxy
    assert direct.get("/_dash-layout", headers={"X-Forwarded-User": "adm"}).status_code == 403
    assert proxy.get("/_dash-layout").status_code == 401
    assert proxy.get("/_dash-layout", headers={"X-Forwarded-User": "mallory"}).status_code == 403
    assert proxy.get("/_dash-layout", headers={"X-Forwarded-User": "ana"}).status_code == 200
    _, sample = sample_store
    body = _export_body(sample)
    viewer = proxy.post("/_dash-update-component", json=body, headers={"X-Forwarded-User": "vic"})
    assert viewer.status_code == 403
    # without a users file every proxied user gets the configured default role
    open_config = _config(
        tmp_path / "none.toml",
        mode="proxy",
        proxy_trusted=(auth._network("10.0.0.5"),),
        proxy_role="analyst",
    )
    open_app = create_app(sample_store[0], open_config)
    client = open_app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.5"
    ok = client.post("/_dash-update-component", json=body, headers={"X-Forwarded-User": "zoe"})
    assert ok.status_code == 200
    [entry] = _audit(open_app, sample_store[0], action="export")
    assert entry.user == "zoe"


# -- configuration ---------------------------------------------------------------------------------
def test_config_from_env(users_path: Path, tmp_path: Path) -> None:
    assert auth.AuthConfig.from_env({}) is None
    secret = {"GRAPHINTEL_SECRET_KEY": "s" * 40}
    env = {"GRAPHINTEL_AUTH": "users", "GRAPHINTEL_USERS_FILE": str(users_path)} | secret
    config = auth.AuthConfig.from_env(env)
    assert config is not None and config.mode == "users" and config.secret_key == b"s" * 40
    with pytest.raises(auth.AuthConfigError, match="GRAPHINTEL_PROXY_TRUSTED"):
        auth.AuthConfig.from_env({"GRAPHINTEL_AUTH": "proxy"} | secret)
    with pytest.raises(auth.AuthConfigError, match="no users"):
        empty = {"GRAPHINTEL_USERS_FILE": str(tmp_path / "none.toml")}
        auth.AuthConfig.from_env({"GRAPHINTEL_AUTH": "users"} | empty | secret)
    with pytest.raises(auth.AuthConfigError, match="must be one of"):
        auth.AuthConfig.from_env({"GRAPHINTEL_AUTH": "yes"})
    proxy = auth.AuthConfig.from_env(
        {"GRAPHINTEL_AUTH": "proxy", "GRAPHINTEL_PROXY_TRUSTED": "127.0.0.1,10.1.0.0/16"} | secret
    )
    assert proxy is not None and len(proxy.proxy_trusted) == 2


def test_secret_key_file_is_generated_private_and_refused_when_readable(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "secret_key"
    key = auth.secret_key({"GRAPHINTEL_SECRET_FILE": str(path)})
    assert len(key) >= 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert auth.secret_key({"GRAPHINTEL_SECRET_FILE": str(path)}) == key  # reused
    os.chmod(path, 0o644)
    with pytest.raises(auth.AuthConfigError, match="chmod 600"):
        auth.secret_key({"GRAPHINTEL_SECRET_FILE": str(path)})
    assert auth.secret_key({"GRAPHINTEL_SECRET_KEY": "e" * 32}) == b"e" * 32


def test_serve_refuses_a_public_address_without_auth(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("GRAPHINTEL_AUTH", raising=False)
    store_path = tmp_path / "never.db"
    with pytest.raises(GraphIntelError, match="--insecure"):
        serve(f"sqlite:///{store_path}", host="0.0.0.0")
    assert not store_path.exists()  # refused before anything was opened


# -- audit rows from the app -----------------------------------------------------------------------
def test_search_and_views_are_audited_with_the_signed_in_user(
    secured: dash.Dash, sample_store: Sampled
) -> None:
    store, sample = sample_store
    client = secured.server.test_client()
    _login(client, "vic", PASSWORDS["vic"])
    query = "<script>alert(1)</script> huayu"
    for body in (
        page_request("/search", f"?q={query}"),
        page_request(network_href(sample.run_id, sample.ring)),
        page_request(f"/explore/{sample.shared_address}"),
    ):
        assert client.post("/_dash-update-component", json=body).status_code == 200
    detail = {
        "output": f"{ids.DETAIL}.children",
        "outputs": {"id": ids.DETAIL, "property": "children"},
        "inputs": [
            {"id": ids.GRAPH, "property": "tapNodeData", "value": {"id": sample.main_shipper}},
            {"id": ids.GRAPH, "property": "tapEdgeData", "value": None},
            [],
        ],
        "state": [{"id": ids.WORKSPACE_CONTEXT, "property": "data", "value": {}}],
        "changedPropIds": [f"{ids.GRAPH}.tapNodeData"],
    }
    assert client.post("/_dash-update-component", json=detail).status_code == 200
    rows = [(e.user, e.action, e.target, e.detail) for e in _audit(secured, store)]
    assert rows[1:] == [
        ("vic", "search", query, ""),
        ("vic", "view", f"{sample.run_id}/{sample.ring}", "network"),
        ("vic", "view", sample.shared_address, "explore"),
        ("vic", "view", sample.main_shipper, "detail"),
    ]
