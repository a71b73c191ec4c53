"""The console's parts without a browser: the one-time flash on a real store (SQLite and
PostgreSQL), the pager, the curl command of a journal entry run by a real shell, and the
guard of every route."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
import sqlalchemy as sa
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from panelkey.console.app import PREFIX, Console
from panelkey.console.curl import as_curl
from panelkey.console.flash import Flashes
from panelkey.console.listing import paged, window
from panelkey.context import Context
from panelkey.core.panel import Panel
from panelkey.store import tables
from tests.conftest import ADMIN_PASSWORD

SECRET = "7867329a-1156-64d3-fb0c-910006ced23c"


def _meta_values(panel: Panel) -> list[str]:
    with panel.db.read() as conn:
        return [str(v) for v in conn.execute(sa.select(tables.meta.c.value)).scalars()]


def test_a_flash_opens_once_for_its_session_and_is_never_kept_in_clear(panel: Panel) -> None:
    flashes = Flashes(panel.db)
    cookie = flashes.put("nonce-a", {"made": {"value": SECRET, "id": 7}})
    assert SECRET not in cookie
    assert all(SECRET not in v for v in _meta_values(panel))  # sealed in the store
    assert flashes.take("nonce-b", cookie) == {}  # another session opens nothing
    second = flashes.put("nonce-a", {"message": "hello"})
    assert flashes.take("nonce-a", second) == {"message": "hello"}
    assert flashes.take("nonce-a", second) == {}  # once
    # The first one was read by the wrong session: still there, then taken only once.
    assert flashes.take("nonce-a", cookie) == {}  # the wrong session's try deleted it


def test_a_flash_cookie_alone_or_a_stale_one_opens_nothing(panel: Panel) -> None:
    flashes = Flashes(panel.db)
    cookie = flashes.put("n", {"message": "x"}, now=1000)
    assert flashes.take("n", cookie, now=1000 + 3600) == {}  # expired
    handle, _, key = cookie.rpartition(".")
    fresh = flashes.put("n", {"message": "y"})
    other_key = fresh.rpartition(".")[2]
    assert flashes.take("n", f"{fresh.rpartition('.')[0]}.{key}") == {}  # wrong key
    assert flashes.take("n", f"{handle}.{other_key}") == {}
    assert flashes.take("n", "garbage") == {} and flashes.take("n", None) == {}
    flashes.put("n", {"message": "z"}, now=10**9 + 10**8)  # a later write sweeps stale rows
    names = [str(n) for n in _meta_names(panel)]
    assert not any(n.startswith("console_flash:0000001") for n in names)


def _meta_names(panel: Panel) -> list[object]:
    with panel.db.read() as conn:
        return list(conn.execute(sa.select(tables.meta.c.name)).scalars())


def test_pages_cut_search_and_link_keeping_filters() -> None:
    rows = [f"row-{n:03d}" for n in range(60)]
    first = paged(rows, {}, lambda r: (r,))
    assert list(first.rows) == rows[:25] and first.pages == 3 and first.next == "?page=2"
    last = paged(rows, {"page": "99"}, lambda r: (r,))  # past the end: the last page
    assert last.number == 3 and list(last.rows) == rows[50:] and last.first == 51
    found = paged(rows, {"q": "ROW-04", "tab": "x"}, lambda r: (r,), keep={"tab": "mail"})
    assert found.total == 10 and found.link(1) == "?tab=mail&q=ROW-04"
    assert paged(rows, {"page": "-1"}, lambda r: (r,)).number == 1
    none = paged([], {"q": "x"}, lambda r: (r,))
    assert none.total == 0 and none.first == 0 and none.last == 0 and none.pages == 1


def test_a_window_reads_only_as_far_as_its_page() -> None:
    asked: list[int] = []
    newest = list(range(100, 0, -1))

    def fetch(n: int) -> list[int]:
        asked.append(n)
        return newest[:n]

    second = window(fetch, {"page": "2"})
    assert list(second.rows) == newest[25:50] and second.next == "?page=3"
    assert asked == [51]  # one row past the page, not the whole journal
    end = window(lambda n: newest[:n][:30], {"page": "5"})
    assert end.number == 2 and list(end.rows) == newest[25:30] and end.next is None


@pytest.mark.parametrize(
    ("face", "operation", "credential", "body", "expected"),
    [
        (
            "xml",
            "server/get_protos",
            "key 3",
            "<packet><x>it's $HOME `id`</x><passwd>***</passwd></packet>",
            [("-H", "KEY: <key>"), ("--data-binary",
             "<packet><x>it's $HOME `id`</x><passwd><password></passwd></packet>")],
        ),
        (
            "rest",
            "POST /api/v2/clients",
            "login ad$min",
            '{"login":"jo","password":"***"}',
            [("-u", "ad$min:<password>"), ("--data-binary",
             '{"login":"jo","password":"<password>"}')],
        ),
        ("rest", "GET /api/v2/server", "", "", [("-X", "GET")]),
    ],
)  # fmt: skip
def test_copy_as_curl_names_secrets_by_variables_a_shell_expands(
    face: str, operation: str, credential: str, body: str, expected: list[tuple[str, str]]
) -> None:
    command = as_curl("https://h.example:8443", face, operation, credential, body)
    assert "***" not in command
    # A real shell reads the command, with the variables set: what curl would be given.
    shown = subprocess.run(
        ["sh", "-c", "printf '%s\\n' " + command.removeprefix("curl ")],
        env={"PANELKEY_KEY": "<key>", "PANELKEY_PASSWORD": "<password>", "HOME": "/nowhere"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    pairs = list(zip(shown, shown[1:], strict=False))
    for pair in expected:
        assert pair in pairs, (pair, shlex.join(shown))
    assert any(a.startswith("https://h.example:8443/") for a in shown)


# What answers a visitor without the admin's session as it likes: the way in, and what a
# script asks (JSON of its own; the Swagger key wants a CSRF header).
_UNGUARDED = {"/", "/login", "/logout", "/journal.json", "/api/key"}


def _guarded(console: Console) -> list[tuple[str, str]]:
    """(method, path) of every page and form route, path parameters filled in."""
    mount = next(r for r in console.app.routes if isinstance(r, Mount))
    found = []
    for route in mount.routes:
        if not isinstance(route, Route) or route.path in _UNGUARDED:
            continue
        path = re.sub(r"\{\w+(:int)?\}", lambda m: "1" if m.group(1) else "base", route.path)
        found += [(m, PREFIX + path) for m in sorted(route.methods or ()) if m != "HEAD"]
    return found


def test_every_page_and_form_wants_the_admins_session_and_every_form_its_token(
    ctx: Context,
) -> None:
    console = Console(ctx)
    admin = ctx.panel.accounts.admin()
    assert admin is not None
    ctx.panel.keys.create(admin.identity(), addresses=None, face="cli")
    ctx.panel.faults.add("webspace/add", errcode=1007)
    before = (ctx.panel.keys.list(), ctx.panel.faults.list())
    routes = _guarded(console)
    assert ("GET", "/console/keys") in routes and ("POST", "/console/faults") in routes
    # No lifespan: the console is mounted in the server's app, which has it.
    client = TestClient(console, base_url="https://testserver", follow_redirects=False)
    for method, path in routes:
        answer = client.request(method, path, data={"name": "x", "description": "x"})
        assert answer.status_code == 303, (method, path)
        assert answer.headers["location"] == PREFIX + "/login", (method, path)
    shown = client.get(PREFIX + "/login")
    token = re.search(r'name="csrf" value="([^"]+)"', shown.text)
    assert token is not None
    logged_in = client.post(
        PREFIX + "/login",
        data={"csrf": token.group(1), "login": "admin", "password": ADMIN_PASSWORD},
    )
    assert logged_in.status_code == 303
    for method, path in routes:
        if method == "POST":
            answer = client.post(path, data={"name": "x", "csrf": "0" * 64})
            assert answer.status_code == 403, path
        else:
            assert client.get(path).status_code in (200, 404), path
    assert (ctx.panel.keys.list(), ctx.panel.faults.list()) == before
    assert ctx.panel.snapshots.list() == []
