"""The web console in a real browser: Debian's Chromium driven by Playwright for Python.

Screenshots land in build/test-artifacts/console/ (kept by CI as artifacts).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, Server

playwright_api = pytest.importorskip("playwright.sync_api")

ARTIFACTS = Path(__file__).resolve().parents[3] / "build" / "test-artifacts" / "console"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AGENT = "/enterprise/control/agent.php"
HOSTILE = "<packet><server><get_protos/></server><script>alert('pwned')</script></packet>"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (scripts/test installs it)"
)


@pytest.fixture
def page(server: Server) -> Iterator[object]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(ignore_https_errors=True)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.dialogs = dialogs  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()


def _login(page: object, server: Server) -> None:
    page.goto(server.https_url + "/console/")  # type: ignore[attr-defined]
    assert page.url.endswith("/console/login")  # type: ignore[attr-defined]
    page.fill("input[name=login]", "admin")  # type: ignore[attr-defined]
    page.fill("input[name=password]", ADMIN_PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r".*/console/keys$"))  # type: ignore[attr-defined]


def test_keys_are_made_shown_once_listed_rotated_and_deleted(page: object, server: Server) -> None:
    p = page
    _login(p, server)
    cookie = next(c for c in p.context.cookies() if c["name"] == "pk_console")  # type: ignore[attr-defined]
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    p.fill("#create-key input[name=description]", "browser key")  # type: ignore[attr-defined]
    p.fill("#create-key input[name=ips]", "127.0.0.1, 10.0.0.0/8")  # type: ignore[attr-defined]
    p.fill("#create-key input[name=expires]", "30d")  # type: ignore[attr-defined]
    p.fill("#create-key input[name=scope]", "read, dns/*")  # type: ignore[attr-defined]
    p.fill("#create-key input[name=rate]", "100/m")  # type: ignore[attr-defined]
    p.click("#create-key button[type=submit]")  # type: ignore[attr-defined]
    value = p.text_content("#key-value")  # type: ignore[attr-defined]
    assert value and re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", value)
    p.screenshot(path=str(ARTIFACTS / "key-created.png"), full_page=True)  # type: ignore[attr-defined]
    answer = httpx.post(
        server.http_url + AGENT,
        headers={"KEY": value},
        content="<packet><server><get_protos/></server></packet>",
    )
    assert "<status>ok</status>" in answer.text
    p.goto(server.https_url + "/console/keys")  # type: ignore[attr-defined]
    listing = p.content()  # type: ignore[attr-defined]
    assert value not in listing  # shown once, never again
    row = p.locator("tr", has_text="browser key")  # type: ignore[attr-defined]
    shown = row.inner_text()
    assert "10.0.0.0/8" in shown and "read, dns/*" in shown and "100/m" in shown
    row.locator("button[name=rotate]").click()
    rotated = p.text_content("#key-value")  # type: ignore[attr-defined]
    assert rotated and rotated != value
    assert "rotated" in p.text_content("#new-key")  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTIFACTS / "key-rotated.png"), full_page=True)  # type: ignore[attr-defined]
    p.goto(server.https_url + "/console/keys")  # type: ignore[attr-defined]
    rows = p.locator("#keys tbody tr", has_text="browser key")  # type: ignore[attr-defined]
    for _ in range(rows.count()):
        rows.first.locator("button[name=delete]").click()
    assert "browser key" not in p.inner_text("#keys")  # type: ignore[attr-defined]
    refused = httpx.post(
        server.http_url + AGENT,
        headers={"KEY": rotated},
        content="<packet><server><get_protos/></server></packet>",
    )
    assert "11003" in refused.text


def test_journal_entry_shows_a_hostile_packet_inert(page: object, server: Server) -> None:
    p = page
    httpx.post(
        server.http_url + AGENT,
        headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD},
        content=HOSTILE,
    )
    httpx.post(
        server.http_url + AGENT,
        headers={"KEY": "0badc0de-0000-1111-2222-333344445555"},
        content="<packet><server><get_protos/></server></packet>",
    )
    _login(p, server)
    p.goto(server.https_url + "/console/journal")  # type: ignore[attr-defined]
    p.wait_for_selector("#journal tbody tr")  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTIFACTS / "journal.png"), full_page=True)  # type: ignore[attr-defined]
    p.locator("#journal tbody tr", has_text="1014").locator("a").first.click()  # type: ignore[attr-defined]
    p.wait_for_selector("#request")  # type: ignore[attr-defined]
    assert "<script>alert('pwned')</script>" in p.text_content("#request")  # type: ignore[attr-defined]
    assert "errcode" in p.text_content("#answer")  # type: ignore[attr-defined]
    own_scripts = p.eval_on_selector_all("script", "els => els.map(e => e.src)")  # type: ignore[attr-defined]
    assert all(src.startswith(server.https_url + "/console/") for src in own_scripts)
    assert p.dialogs == []  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTIFACTS / "journal-entry.png"), full_page=True)  # type: ignore[attr-defined]
    p.goto(server.https_url + "/console/refusals")  # type: ignore[attr-defined]
    assert "unknown key" in p.inner_text("#refusals")  # type: ignore[attr-defined]
    p.goto(server.https_url + "/console/accounts")  # type: ignore[attr-defined]
    assert "admin" in p.inner_text("#tree")  # type: ignore[attr-defined]
    p.goto(server.https_url + "/console/api")  # type: ignore[attr-defined]
    p.wait_for_selector(".swagger-ui .info", timeout=20000)  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTIFACTS / "swagger.png"), full_page=True)  # type: ignore[attr-defined]
    for path in ("/console/keys", "/console/journal", "/console/refusals", "/console/accounts"):
        p.goto(server.https_url + path)  # type: ignore[attr-defined]
        html = p.content()  # type: ignore[attr-defined]
        assert ADMIN_PASSWORD not in html
        assert "0badc0de-0000-1111-2222-333344445555" not in html


def test_a_form_posted_without_its_csrf_token_is_refused(page: object, server: Server) -> None:
    p = page
    _login(p, server)
    answer = p.request.post(  # type: ignore[attr-defined]
        server.https_url + "/console/keys", form={"description": "forged"}
    )
    assert answer.status == 403
    answer = p.request.post(  # type: ignore[attr-defined]
        server.https_url + "/console/keys", form={"description": "forged", "csrf": "0" * 64}
    )
    assert answer.status == 403
    p.goto(server.https_url + "/console/keys")  # type: ignore[attr-defined]
    assert "forged" not in p.inner_text("#keys")  # type: ignore[attr-defined]
    assert server.cli("-l").stdout == ""
    plain = httpx.get(server.http_url + "/console/login")
    assert plain.status_code == 403
