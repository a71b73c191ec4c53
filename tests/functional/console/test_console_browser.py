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
HOSTILE_KEY = "0badc0de-0000-1111-2222-333344445555"
CUSTOMER_PASSWORD = "cust-pw-in-console-31337"

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
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url))
        page.fetched = fetched  # type: ignore[attr-defined]
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
    shown = p.goto(server.https_url + "/console/keys")  # type: ignore[attr-defined]
    csp = shown.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and shown.headers["cache-control"] == "no-store"
    for name in ("ips", "description", "login", "expires", "scope", "rate"):
        assert p.locator(f"#create-key [name={name}]").count() == 1, name  # type: ignore[attr-defined]
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
    made = httpx.post(
        server.http_url + AGENT,
        headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD},
        content="<packet><customer><add><gen_info><pname>Jo</pname><login>jo</login>"
        f"<passwd>{CUSTOMER_PASSWORD}</passwd></gen_info></add></customer>"
        "<secret_key><create><login>jo</login></create></secret_key></packet>",
    ).text
    made_key = made.split("<key>")[1].split("</key>")[0]
    seed = server.data_dir.parent / "seed.json"
    seed.write_text('{"subscriptions": [{"name": "jo.example", "owner": "jo"}]}')
    assert server.cli("seed", str(seed), tool="panelkey").returncode == 0
    httpx.post(
        server.http_url + AGENT,
        headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD},
        content=HOSTILE,
    )
    httpx.post(
        server.http_url + AGENT,
        headers={"KEY": HOSTILE_KEY},
        content="<packet><server><get_protos/></server></packet>",
    )
    _login(p, server)
    p.goto(server.https_url + "/console/journal")  # type: ignore[attr-defined]
    p.wait_for_selector("#journal tbody tr")  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTIFACTS / "journal.png"), full_page=True)  # type: ignore[attr-defined]
    p.locator("#journal tbody tr", has_text="1014").locator("a").first.click()  # type: ignore[attr-defined]
    p.wait_for_selector("#request")  # type: ignore[attr-defined]
    request_text = p.text_content("#request")  # type: ignore[attr-defined]
    assert "<script>alert('pwned')</script>" in request_text
    assert "<server>\n    <get_protos/>" in request_text  # pretty-printed
    assert "errcode" in p.text_content("#answer")  # type: ignore[attr-defined]
    sides = p.eval_on_selector_all(  # type: ignore[attr-defined]
        ".side-by-side section", "els => els.map(e => e.getBoundingClientRect().top)"
    )
    assert len(sides) == 2 and sides[0] == sides[1]  # the request and its answer, side by side
    own_scripts = p.eval_on_selector_all("script", "els => els.map(e => e.src)")  # type: ignore[attr-defined]
    assert all(src.startswith(server.https_url + "/console/") for src in own_scripts)
    assert p.dialogs == []  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTIFACTS / "journal-entry.png"), full_page=True)  # type: ignore[attr-defined]
    p.goto(server.https_url + "/console/refusals")  # type: ignore[attr-defined]
    assert "unknown key" in p.inner_text("#refusals")  # type: ignore[attr-defined]
    p.goto(server.https_url + "/console/accounts")  # type: ignore[attr-defined]
    tree = p.locator("#tree li", has_text="jo.example").first  # type: ignore[attr-defined]
    assert "admin" in p.inner_text("#tree")  # type: ignore[attr-defined]
    assert "jo" in tree.inner_text() and "customer" in tree.inner_text()
    p.goto(server.https_url + "/console/api")  # type: ignore[attr-defined]
    p.wait_for_selector(".swagger-ui .info", timeout=20000)  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTIFACTS / "swagger.png"), full_page=True)  # type: ignore[attr-defined]
    entries = [e["id"] for e in _journal_rows(p, server)]
    pages = ["/console/keys", "/console/journal", "/console/refusals", "/console/accounts"]
    pages += [f"/console/journal/{n}" for n in entries]
    for path in pages:
        p.goto(server.https_url + path)  # type: ignore[attr-defined]
        html = p.content()  # type: ignore[attr-defined]
        for secret in (ADMIN_PASSWORD, CUSTOMER_PASSWORD, made_key, HOSTILE_KEY):
            assert secret not in html, (path, secret)
    outside = [u for u in p.fetched if not u.startswith(server.https_url + "/")]  # type: ignore[attr-defined]
    assert outside == []  # no CDN: every script, style and font is served by panelkey


def _journal_rows(p: object, server: Server) -> list[dict[str, object]]:
    answer = p.request.get(server.https_url + "/console/journal.json")  # type: ignore[attr-defined]
    assert answer.status == 200
    return answer.json()  # type: ignore[no-any-return]


def test_the_journal_page_is_live_and_filters(page: object, server: Server) -> None:
    p = page
    _login(p, server)
    p.goto(server.https_url + "/console/journal")  # type: ignore[attr-defined]
    assert p.locator("#journal tbody tr").count() == 0  # type: ignore[attr-defined]
    httpx.post(
        server.http_url + AGENT,
        headers={"KEY": HOSTILE_KEY},
        content="<packet><ip><get/></ip></packet>",
    )
    httpx.get(server.http_url + "/api/v2/server", headers={"X-API-Key": HOSTILE_KEY})
    live = p.locator("#journal tbody tr", has_text="ip/get")  # type: ignore[attr-defined]
    live.wait_for(timeout=15000)  # added by the page itself, no reload
    assert "unknown key" in live.inner_text() and "11003" in live.inner_text()
    p.screenshot(path=str(ARTIFACTS / "journal-live.png"), full_page=True)  # type: ignore[attr-defined]
    p.select_option("select[name=face]", "xml")  # type: ignore[attr-defined]
    p.select_option("select[name=outcome]", "error")  # type: ignore[attr-defined]
    p.click(".filters button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_url(re.compile(r".*face=xml.*outcome=error.*"))  # type: ignore[attr-defined]
    shown = p.inner_text("#journal tbody")  # type: ignore[attr-defined]
    assert "ip/get" in shown and "/api/v2/server" not in shown
    p.fill("input[name=q]", "server")  # type: ignore[attr-defined]
    p.select_option("select[name=face]", "")  # type: ignore[attr-defined]
    p.click(".filters button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_url(re.compile(r".*q=server.*"))  # type: ignore[attr-defined]
    shown = p.inner_text("#journal tbody")  # type: ignore[attr-defined]
    assert "/api/v2/server" in shown and "ip/get" not in shown
    reader = server.cli("-c", "-ip-address", "127.0.0.1", "-scope", "read").stdout.strip()
    httpx.post(
        server.http_url + AGENT,
        headers={"KEY": reader},
        content="<packet><secret_key><create/></secret_key></packet>",
    )
    p.goto(server.https_url + "/console/refusals")  # type: ignore[attr-defined]
    refusals = p.inner_text("#refusals")  # type: ignore[attr-defined]
    assert "scope read does not allow secret_key/create" in refusals and "unknown key" in refusals


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
    key = server.cli("-c", "-ip-address", "127.0.0.1").stdout.strip()
    for path in ("/console/keys/1/rotate", "/console/keys/1/delete", "/console/logout"):
        answer = p.request.post(server.https_url + path, form={"grace": "1m"})  # type: ignore[attr-defined]
        assert answer.status == 403, path
    assert '"id": 1' in server.cli("-l", "-format", "json").stdout  # neither rotated nor deleted
    works = httpx.post(
        server.http_url + AGENT, headers={"KEY": key}, content=b"<packet><server><get_protos/>"
        b"</server></packet>",
    )  # fmt: skip
    assert "<status>ok</status>" in works.text
    p.goto(server.https_url + "/console/keys")  # still logged in: the logout was refused too  # type: ignore[attr-defined]
    assert p.url.endswith("/console/keys")  # type: ignore[attr-defined]
    p.context.clear_cookies()  # type: ignore[attr-defined]
    answer = p.request.post(  # type: ignore[attr-defined]
        server.https_url + "/console/login", form={"login": "admin", "password": ADMIN_PASSWORD}
    )
    assert answer.status == 403 and "pk_console=" not in answer.headers.get("set-cookie", "")
    plain = httpx.get(server.http_url + "/console/login")
    assert plain.status_code == 403
