"""The web console in a real browser: Debian's Chromium driven by Playwright for Python.

One server and one browser for the module; each test gets a fresh browser context
(cookies, clipboard permission, time zone) and a session of its own. The login form is
driven by the tests that are about it (the cookie, logout, every page); the others log in
with the form's two requests sent by the context itself, which is cheaper than drawing the
form and the page it leads to. The server is seeded once: a reseller and a customer with a
subscription (DNS records, a mail name, a database, an FTP user), 60 keys and the requests
that made them (so keys and journal have several pages).

No fixed waits: Playwright waits for what a step needs, and a confirmation that is
dismissed is shown to send nothing by the requests the page made.

Screenshots land in build/test-artifacts/console/ (ignored by git, kept by CI).
"""

from __future__ import annotations

import json
import re
import shutil
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import (
    ADMIN_PASSWORD,
    MigratedTemplates,
    Server,
    make_server,
    premigrated,
    system_trust,
)

sync_api = pytest.importorskip("playwright.sync_api")

ARTIFACTS = Path(__file__).resolve().parents[3] / "build" / "test-artifacts" / "console"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AGENT = "/enterprise/control/agent.php"
HOSTILE = "<packet><server><get_protos/></server><script>alert('pwned')</script></packet>"
HOSTILE_KEY = "0badc0de-0000-1111-2222-333344445555"
CUSTOMER_PASSWORD = "cust-pw-in-console-31337"
BATCH = 60  # keys seeded: more than two pages of 25
ADMIN = ("admin", ADMIN_PASSWORD)
ZONE = "/Asia/Tokyo"[1:]  # nine hours from UTC, no daylight saving: a time shown must move

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (scripts/test installs it)"
)

Page = Any  # playwright's sync Page (its stubs are not typed for mypy --strict here)


def _xml(server: Server, body: str, **headers: str) -> str:
    auth = headers or {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD}
    return httpx.post(
        server.http_url + AGENT, headers=auth, content=body, verify=system_trust()
    ).text


def _cert(server: Server) -> ssl.SSLContext:
    """Trust in the server's own self-signed certificate, and nothing else."""
    return ssl.create_default_context(cafile=str(server.data_dir / "tls" / "cert.pem"))


def _rest(server: Server) -> httpx.Client:
    return httpx.Client(base_url=server.https_url + "/api/v2", verify=_cert(server), auth=ADMIN)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, migrated_templates: MigratedTemplates
) -> Iterator[Server]:
    """The module's server, its store a copy of the migrated one (no first start here)."""
    made = make_server(tmp_path_factory.mktemp("console"))
    live = premigrated(made, migrated_templates).start()
    try:
        _seed(live)
        yield live
    finally:
        live.stop()


def _seed(live: Server) -> None:
    seed = live.data_dir.parent / "seed.json"
    seed.write_text(
        json.dumps(
            {
                "accounts": [
                    {
                        "type": "reseller",
                        "login": "rita",
                        "password": "Rita-pass-2024",
                        "name": "Rita",
                    },
                    {
                        "type": "customer",
                        "login": "jo",
                        "password": CUSTOMER_PASSWORD,
                        "name": "Jo Bloggs",
                        "owner": "rita",
                    },
                ],
                "subscriptions": [
                    {
                        "name": "jo.example",
                        "owner": "jo",
                        "dns": [
                            {"type": "A", "host": "shop", "value": "192.0.2.77"},
                            {"type": "TXT", "host": "", "value": "v=spf1 -all"},
                        ],
                    }
                ],
            }
        )
    )
    made = live.command("seed", str(seed), tool="panelkey")
    assert made.returncode == 0, made.stderr
    with _rest(live) as rest:
        domain = next(d for d in rest.get("/domains").json() if d["name"] == "jo.example")
        ref = {"name": "jo.example"}
        ftp = {"name": "jo_ftp", "password": "Ftp-pass-2024", "parent_domain": ref}
        rest.post("/ftpusers", json=ftp).raise_for_status()
        db = {"name": "jo_shop", "type": "mysql", "parent_domain": ref}
        rest.post("/databases", json=db).raise_for_status()
        for n in range(BATCH):
            rest.post("/auth/keys", json={"description": f"batch-{n:02d}"}).raise_for_status()
    mail = (
        f"<packet><mail><create><filter><site-id>{domain['id']}</site-id><mailname>"
        "<name>info</name><mailbox><enabled>true</enabled></mailbox></mailname>"
        "</filter></create></mail></packet>"
    )
    assert "<status>ok</status>" in _xml(live, mail)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _context(browser: Any, server: Server, width: int = 1366) -> Any:
    context = browser.new_context(
        ignore_https_errors=True,
        viewport={"width": width, "height": 900},
        timezone_id=ZONE,
        # The format follows the browser's language; pinned so the clock reads 24-hour
        # whatever LANG the machine running the tests has (en-US would say "01:02 PM").
        locale="en-GB",
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.https_url)
    return context


def _login(page: Page, server: Server) -> None:
    page.goto(server.https_url + "/console/")
    assert page.url.endswith("/console/login")
    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/keys$"))


def _login_by_request(context: Any, server: Server) -> None:
    """What the login form sends, sent by the context (its cookies, no page drawn): the
    form's page for its CSRF token and login cookie, then the form's fields."""
    url = server.https_url + "/console/login"
    form = context.request.get(url)
    token = re.search(r'name="csrf" value="([^"]+)"', form.text())
    assert token, form.text()
    fields = {"csrf": token[1], "login": "admin", "password": ADMIN_PASSWORD}
    done = context.request.post(url, form=fields, max_redirects=0)
    assert done.status == 303 and done.headers["location"] == "/console/keys", done.status


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Page]:
    """A console page logged in with a session of its own, in a context of its own, on the
    keys page as after the form; it notes the Basic challenges it is sent."""
    context = _context(browser, server)
    _login_by_request(context, server)
    tab = context.new_page()
    tab.challenges = []
    tab.on(
        "response",
        lambda r: tab.challenges.append(r.url) if "www-authenticate" in r.headers else None,
    )
    tab.goto(server.https_url + "/console/keys")
    assert tab.url.endswith("/console/keys")  # logged in: not sent to the login
    yield tab
    context.close()


@pytest.fixture
def form_page(browser: Any, server: Server) -> Iterator[Page]:
    """A console page logged in through the login form, as a person does it."""
    context = _context(browser, server)
    tab = context.new_page()
    _login(tab, server)
    yield tab
    context.close()


def _posts(page: Page) -> list[str]:
    """The URLs of the POST requests `page` sends from now on."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    return sent


def _key_count(server: Server) -> int:
    with _rest(server) as rest:
        return len(rest.get("/auth/keys").json())


def _shot(page: Page, name: str, *, full: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


# -- the way in -------------------------------------------------------------------------


def test_the_servers_root_leads_to_the_console(server: Server) -> None:
    root = httpx.get(server.https_url + "/", verify=_cert(server))
    assert root.status_code == 303 and root.headers["location"] == "/console/"
    login = httpx.get(server.https_url + "/", verify=_cert(server), follow_redirects=True)
    assert login.url.path == "/console/login" and "Log in" in login.text
    assert (
        httpx.get(server.http_url + "/console/login", verify=system_trust()).status_code == 403
    )  # HTTPS only


def test_the_session_cookie_is_secure_and_pages_are_locked_down(
    form_page: Page, server: Server
) -> None:
    page = form_page  # the cookie as the browser took it from the form's answer
    cookie = next(c for c in page.context.cookies() if c["name"] == "pk_console")
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    shown = page.goto(server.https_url + "/console/keys")
    csp = shown.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and shown.headers["cache-control"] == "no-store"
    sheets = page.eval_on_selector_all("link[rel=stylesheet]", "ls => ls.map(l => l.href)")
    assert any("pico-2.1.1.min.css" in s for s in sheets)  # the vendored Pico CSS


# -- keys -------------------------------------------------------------------------------


def test_keys_are_paged_and_searched_on_the_server(page: Page, server: Server) -> None:
    rows = page.locator("#keys tbody tr[data-key-id]")
    assert rows.count() == 25
    total = _key_count(server)
    assert f"1–25 of {total} keys" in page.inner_text(".pager")
    page.click(".pager a[rel=next]")
    page.wait_for_url(re.compile(r".*/console/keys\?page=2$"))
    assert rows.count() == 25 and "26–50" in page.inner_text(".pager")
    page.fill("form.search input[name=q]", "batch-07")
    page.click("form.search input[type=submit]")
    page.wait_for_url(re.compile(r".*q=batch-07.*"))
    assert rows.count() == 1 and "batch-07" in rows.first.inner_text()
    page.fill("form.search input[name=q]", "no-such-key-anywhere")
    page.click("form.search input[type=submit]")
    assert "Nothing matches “no-such-key-anywhere”" in page.inner_text("#keys")
    page.click("#keys tr.empty a")  # "Clear the search"
    assert rows.count() == 25


def test_a_made_key_is_shown_once_copied_and_a_reload_makes_no_second(
    page: Page, server: Server
) -> None:
    before = _key_count(server)
    page.click("#new-key-form summary")
    for name in ("ips", "description", "login", "expires", "scope", "rate"):
        assert page.locator(f"#create-key [name={name}]").count() == 1, name
    page.fill("#create-key input[name=description]", "browser key")
    page.fill("#create-key input[name=ips]", "127.0.0.1, 10.0.0.0/8")
    page.fill("#create-key input[name=expires]", "30d")
    page.fill("#create-key input[name=scope]", "read, dns/*")
    page.fill("#create-key input[name=rate]", "100/m")
    page.click("#create-key button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/keys$"))  # redirected: a GET, no form to resend
    value = page.text_content("#key-value")
    assert value and re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", value)
    assert value not in page.url
    page.click("#copy-key")
    assert page.evaluate("navigator.clipboard.readText()") == value
    _shot(page, "keys-made-1366")
    answer = _xml(server, "<packet><server><get_protos/></server></packet>", KEY=value)
    assert "<status>ok</status>" in answer
    page.reload()
    assert _key_count(server) == before + 1  # the reload made no second key
    assert page.locator("#key-value").count() == 0 and value not in page.content()
    page.fill("form.search input[name=q]", "browser key")
    page.click("form.search input[type=submit]")
    shown = page.locator("#keys tbody tr", has_text="browser key").inner_text()
    assert "10.0.0.0/8" in shown and "read, dns/*" in shown and "100/m" in shown


def test_a_bad_form_says_why_and_makes_nothing(page: Page, server: Server) -> None:
    before = _key_count(server)
    page.click("#new-key-form summary")
    page.fill("#create-key input[name=description]", "bad rate")
    page.fill("#create-key input[name=rate]", "fast")
    page.click("#create-key button[type=submit]")
    assert "rate" in page.inner_text("#form-error").lower()
    assert page.input_value("#create-key input[name=description]") == "bad rate"  # kept
    assert _key_count(server) == before


def test_delete_asks_first_and_says_what_it_did(page: Page, server: Server) -> None:
    with _rest(server) as rest:
        made = rest.post("/auth/keys", json={"description": "doomed"}).json()["key"]
    page.fill("form.search input[name=q]", "doomed")
    page.click("form.search input[type=submit]")
    row = page.locator("#keys tbody tr[data-key-id]", has_text="doomed")
    key_id = row.get_attribute("data-key-id")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    posted = _posts(page)
    page.once("dialog", dismiss)
    row.locator("button[name=delete]").click()  # returns once the dialog is answered
    assert asked and f"Delete key {key_id}" in asked[0] and "cannot be undone" in asked[0]
    assert posted == [] and row.count() == 1  # dismissed: nothing sent
    page.once("dialog", lambda d: d.accept())
    row.locator("button[name=delete]").click()
    page.wait_for_selector("#message")
    assert f"Key {key_id} deleted" in page.inner_text("#message")
    assert "q=doomed" in page.url  # back on the list as it was
    assert row.count() == 0
    _shot(page, "keys-deleted-1366")
    assert "11003" in _xml(server, "<packet><server><get_protos/></server></packet>", KEY=made)
    page.reload()
    assert page.locator("#message").count() == 0  # the message, like the value, once


def test_rotate_shows_the_new_value_once(page: Page, server: Server) -> None:
    with _rest(server) as rest:
        old = rest.post("/auth/keys", json={"description": "rotating"}).json()["key"]
    page.fill("form.search input[name=q]", "rotating")
    page.click("form.search input[type=submit]")
    page.locator("#keys tbody tr", has_text="rotating").locator("button[name=rotate]").click()
    page.wait_for_selector("#key-value")
    rotated = page.text_content("#key-value")
    assert rotated and rotated != old and "rotated from key" in page.inner_text("#new-key")
    assert "11003" in _xml(server, "<packet><server><get_protos/></server></packet>", KEY=old)
    assert "<status>ok</status>" in _xml(
        server, "<packet><server><get_protos/></server></packet>", KEY=rotated
    )


def test_times_are_shown_in_the_browsers_zone_on_one_line(page: Page, server: Server) -> None:
    stamp = page.locator("#keys tbody time").first
    utc = stamp.get_attribute("datetime")
    assert utc and utc.endswith("Z")
    shown = stamp.inner_text()
    hour = (int(utc[11:13]) + 9) % 24  # Tokyo
    assert f"{hour:02d}:{utc[14:16]}" in shown and "GMT+9" in shown, (utc, shown)
    box = stamp.bounding_box()
    line = page.evaluate(
        "e => parseFloat(getComputedStyle(e).lineHeight) || 24", stamp.element_handle()
    )
    assert box["height"] <= line * 1.5  # not wrapped


# -- the journal ------------------------------------------------------------------------


def test_journal_is_paged_searched_and_an_entry_copies_as_curl(page: Page, server: Server) -> None:
    page.goto(server.https_url + "/console/journal")
    rows = page.locator("#journal tbody tr[data-id]")
    assert rows.count() == 25  # the seeding made well over 25 requests
    newest = int(rows.first.get_attribute("data-id"))
    page.click(".pager a[rel=next]")
    page.wait_for_url(re.compile(r".*/console/journal\?page=2$"))
    assert int(rows.first.get_attribute("data-id")) < newest - 24
    assert page.is_disabled("#live")  # live only on the newest page
    page.goto(server.https_url + "/console/journal?q=/api/v2/ftpusers")
    assert rows.count() == 1 and "POST /api/v2/ftpusers" in rows.first.inner_text()
    rows.first.locator("a").click()
    page.wait_for_selector("#curl")
    curl = page.text_content("#curl")
    assert "/api/v2/ftpusers" in curl and "-X POST" in curl
    assert '-u "admin:$PANELKEY_PASSWORD"' in curl and ADMIN_PASSWORD not in curl
    assert '"password":"\'"$PANELKEY_PASSWORD"\'"' in curl.replace(" ", "")
    page.click("#copy-curl")
    assert page.evaluate("navigator.clipboard.readText()") == curl.strip()
    _shot(page, "journal-entry-curl-1366")


def test_journal_entry_shows_a_hostile_packet_inert_and_keyed_curl(
    page: Page, server: Server
) -> None:
    _xml(server, HOSTILE)
    _xml(server, "<packet><server><get_protos/></server></packet>", KEY=HOSTILE_KEY)
    page.goto(server.https_url + "/console/journal?face=xml&outcome=error")
    row = page.locator("#journal tbody tr", has_text="1014").first
    row.wait_for()
    row.locator("a").first.click()
    page.wait_for_selector("#request")
    request_text = page.text_content("#request")
    assert "<script>alert('pwned')</script>" in request_text
    assert "<server>\n    <get_protos/>" in request_text  # pretty-printed
    assert "errcode" in page.text_content("#answer")
    sides = page.eval_on_selector_all(
        ".side-by-side section", "els => els.map(e => e.getBoundingClientRect().top)"
    )
    assert len(sides) == 2 and sides[0] == sides[1]  # the request and its answer, side by side
    own = page.eval_on_selector_all("script", "els => els.map(e => e.src)")
    assert all(src.startswith(server.https_url + "/console/") for src in own)
    page.goto(server.https_url + "/console/journal?face=xml&q=key")
    page.locator("#journal tbody tr", has_text="key").first.locator("a").first.click()
    curl = page.text_content("#curl")
    assert '-H "KEY: $PANELKEY_KEY"' in curl and HOSTILE_KEY not in curl
    assert "/enterprise/control/agent.php" in curl
    made = _xml(
        server, "<packet><secret_key><create><login>jo</login></create></secret_key></packet>"
    )
    made_key = made.split("<key>")[1].split("</key>")[0]
    page.goto(server.https_url + "/console/journal?q=secret_key/create")
    page.locator("#journal tbody tr[data-id]").first.locator("a").first.click()
    page.wait_for_selector("#answer")
    assert "<key>***</key>" in page.text_content("#answer")
    assert made_key not in page.content()  # neither in the answer nor in the curl command


def test_the_journal_page_is_live_and_filters(page: Page, server: Server) -> None:
    page.goto(server.https_url + "/console/journal")
    _xml(server, "<packet><ip><get/></ip></packet>", KEY=HOSTILE_KEY)
    httpx.get(
        server.https_url + "/api/v2/server",
        headers={"X-API-Key": HOSTILE_KEY},
        verify=_cert(server),
    )
    live = page.locator("#journal tbody tr", has_text="ip/get")
    live.wait_for(timeout=15000)  # added by the page itself, no reload
    assert "unknown key" in live.inner_text() and "11003" in live.inner_text()
    page.select_option("select[name=face]", "xml")
    page.select_option("select[name=outcome]", "error")
    page.click(".filters button[type=submit]")
    page.wait_for_url(re.compile(r".*face=xml.*outcome=error.*"))
    shown = page.inner_text("#journal tbody")
    assert "ip/get" in shown and "/api/v2/server" not in shown
    page.fill(".filters input[name=q]", "/api/v2/server")
    page.select_option("select[name=face]", "")
    page.click(".filters button[type=submit]")
    page.wait_for_url(re.compile(r".*q=.*server.*"))
    shown = page.inner_text("#journal tbody")
    assert "/api/v2/server" in shown and "ip/get" not in shown
    page.goto(server.https_url + "/console/journal?q=nothing-like-this")
    assert "No request matches these filters" in page.inner_text("#journal")


def test_refusals_show_the_reason_and_are_searched(page: Page, server: Server) -> None:
    with _rest(server) as rest:
        made = rest.post("/auth/keys", json={"ips": ["127.0.0.1"], "scope": ["read"]})
        reader = made.json()["key"]
    _xml(server, "<packet><secret_key><create/></secret_key></packet>", KEY=reader)
    _xml(server, "<packet><server><get_protos/></server></packet>", KEY=HOSTILE_KEY)
    page.goto(server.https_url + "/console/refusals")
    refusals = page.inner_text("#refusals")
    assert "scope read does not allow secret_key/create" in refusals and "unknown key" in refusals
    page.fill("form.search input[name=q]", "scope read")
    page.click("form.search input[type=submit]")
    shown = page.inner_text("#refusals tbody")
    assert "scope read" in shown and "unknown key" not in shown


# -- the object browser -----------------------------------------------------------------


def test_the_object_browser_goes_down_to_a_zones_records(page: Page, server: Server) -> None:
    page.goto(server.https_url + "/console/accounts")
    accounts = page.inner_text("#accounts")
    assert "rita" in accounts and "reseller" in accounts and "Jo Bloggs" in accounts
    page.click("#accounts a:text-is('jo')")
    page.wait_for_url(re.compile(r".*/console/accounts/\d+$"))
    assert "customer" in page.inner_text("hgroup") and "rita" in page.inner_text(
        "nav[aria-label=breadcrumb]"
    )
    page.click("#domains a:text-is('jo.example')")
    page.wait_for_url(re.compile(r".*/console/domains/\d+$"))
    records = page.inner_text("#records")
    assert "192.0.2.77" in records and "v=spf1 -all" in records
    _shot(page, "domain-records-1366")
    tabs = {"mail": "info@jo.example", "databases": "jo_shop", "ftp": "jo_ftp"}
    for tab, expected in tabs.items():
        page.click(f"nav.tabs a[href='?tab={tab}']")
        page.wait_for_url(re.compile(rf".*tab={tab}$"))
        assert expected in page.inner_text(f"#{tab}"), tab
    page.click("nav.tabs a[href='?tab=sites']")
    assert "Add one with site/add" in page.inner_text("#sites")  # the empty state says how
    page.goto(page.url.split("?")[0] + "?tab=records&q=spf")
    assert "v=spf1" in page.inner_text("#records") and "192.0.2.77" not in page.inner_text(
        "#records"
    )


# -- Swagger UI -------------------------------------------------------------------------


def test_swagger_try_it_out_runs_as_the_console_session(page: Page, server: Server) -> None:
    page.goto(server.https_url + "/console/api")
    page.wait_for_selector(".swagger-ui .info", timeout=20000)
    status = page.locator("#pk-auth")
    page.wait_for_selector("#pk-auth[data-key-id]", timeout=20000)
    key_id = status.get_attribute("data-key-id")
    sheets = page.eval_on_selector_all("link[rel=stylesheet]", "ls => ls.map(l => l.href)")
    assert not any("pico" in s or "console.css" in s for s in sheets)  # Swagger's own styles
    assert page.locator(".info .version").first.is_visible()  # the version badge
    assert '{"code": <HTTP status>, "message": "..."}' in page.inner_text(".info .description")
    operation = page.locator(".opblock-get", has=page.locator("[data-path='/server']")).first
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator("button.execute").click()
    code = operation.locator(".live-responses-table tbody .response-col_status").first
    code.wait_for(timeout=15000)
    assert code.inner_text().strip() == "200"
    assert "panel_version" in operation.locator(".live-responses-table").inner_text()
    operation.scroll_into_view_if_needed()
    _shot(page, "swagger-try-it-out-1366", full=False)
    keys = page.locator(".opblock-get", has=page.locator("[data-path='/auth/keys']")).first
    keys.locator(".opblock-summary").click()
    assert "203.0.113.0/24" in keys.inner_text()  # a real example, not drawn pattern text
    make = page.locator(".opblock-post", has=page.locator("[data-path='/auth/keys']")).first
    make.locator(".opblock-summary").click()
    make.locator(".try-out__btn").click()
    body = make.locator("textarea.body-param__text").input_value()
    assert json.loads(body)["description"] == "deploy pipeline"  # the example, ready to send
    make.locator("button.execute").click()
    made = make.locator(".live-responses-table tbody .response-col_status").first
    made.wait_for(timeout=15000)
    assert made.inner_text().strip() == "201"  # the example is a request the API takes
    assert page.challenges == []  # no Basic challenge reached the browser
    page.goto(server.https_url + "/console/journal?face=rest&q=/api/v2/server")
    assert f"key {key_id}" in page.inner_text("#journal tbody")  # journaled as that key


def test_the_swagger_pages_requests_get_no_basic_challenge(page: Page, server: Server) -> None:
    page.goto(server.https_url + "/console/api")
    page.wait_for_selector("#pk-auth[data-key-id]", timeout=20000)  # its key is made
    answer = page.evaluate(
        """async () => {
            const asked = {headers: {'X-Requested-With': 'XMLHttpRequest'}};
            const r = await fetch('/api/v2/server', asked);
            return [r.status, r.headers.get('www-authenticate')];
        }"""
    )
    assert answer == [401, None]
    plain = httpx.get(server.https_url + "/api/v2/server", verify=_cert(server))  # curl still asked
    assert plain.status_code == 401 and plain.headers["www-authenticate"].startswith("Basic")
    with _rest(server) as rest:
        labelled = [k for k in rest.get("/auth/keys").json() if "Swagger UI" in k["description"]]
    assert len(labelled) >= 1 and all(k["expires"] for k in labelled)  # short-lived


def test_logout_ends_the_sessions_swagger_keys(browser: Any, server: Server) -> None:
    context = _context(browser, server)
    tab = context.new_page()
    _login(tab, server)
    tab.goto(server.https_url + "/console/api")
    tab.wait_for_selector("#pk-auth[data-key-id]", timeout=20000)
    tab.reload()  # a second page of the same session replaces the first one's key
    tab.wait_for_selector("#pk-auth[data-key-id]", timeout=20000)
    key_id = int(tab.get_attribute("#pk-auth", "data-key-id"))
    with _rest(server) as rest:
        ids = {k["id"] for k in rest.get("/auth/keys").json()}
        label = next(k["description"] for k in rest.get("/auth/keys").json() if k["id"] == key_id)
        same = [k for k in rest.get("/auth/keys").json() if k["description"] == label]
    assert key_id in ids and len(same) == 1
    tab.goto(server.https_url + "/console/keys")
    tab.click("header button[type=submit]")  # Log out
    tab.wait_for_url(re.compile(r".*/console/login$"))
    with _rest(server) as rest:
        assert key_id not in {k["id"] for k in rest.get("/auth/keys").json()}
    context.close()


# -- faults and snapshots --------------------------------------------------------------


def test_a_fault_rule_is_added_fires_and_is_cleared_from_the_console(
    page: Page, server: Server
) -> None:
    page.goto(server.https_url + "/console/faults")
    assert "No rules: every operation runs as usual" in page.inner_text("#faults")
    page.fill("#add-fault input[name=operation]", "server/get_protos")
    page.fill("#add-fault input[name=errcode]", "1007")
    page.fill("#add-fault input[name=errtext]", "injected by the console test")
    page.click("#add-fault button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/faults$"))
    assert "answers errcode 1007" in page.inner_text("#message")
    row = page.locator("#faults tbody tr[data-rule-id]", has_text="server/get_protos")
    assert "every call" in row.inner_text()
    protos = "<packet><server><get_protos/></server></packet>"
    answer = _xml(server, protos)
    assert "<errcode>1007</errcode>" in answer and "injected by the console test" in answer
    page.reload()
    assert row.locator("td").nth(7).inner_text() == "1"  # one hit
    _shot(page, "faults-rule-1366")
    posted = _posts(page)
    page.once("dialog", lambda d: d.dismiss())
    row.locator("button[name=clear]").click()
    assert posted == [] and row.count() == 1  # dismissed: nothing sent
    page.once("dialog", lambda d: d.accept())
    row.locator("button[name=clear]").click()
    page.wait_for_selector("#message")
    assert "cleared" in page.inner_text("#message") and row.count() == 0
    assert "<status>ok</status>" in _xml(server, protos)
    page.fill("#add-fault input[name=operation]", "not an operation")
    page.fill("#add-fault input[name=errcode]", "1007")
    page.click("#add-fault button[type=submit]")
    assert "expected operator/operation" in page.inner_text("#form-error")
    assert page.input_value("#add-fault input[name=operation]") == "not an operation"


def test_a_snapshot_is_saved_restored_and_deleted_from_the_console(
    page: Page, server: Server
) -> None:
    page.goto(server.https_url + "/console/snapshots")
    page.fill("#save-snapshot input[name=name]", "before-temp")
    page.click("#save-snapshot button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/snapshots$"))
    assert "Snapshot 'before-temp' saved" in page.inner_text("#message")
    with _rest(server) as rest:
        temp = rest.post("/auth/keys", json={"description": "temporary"}).json()["key"]
    row = page.locator("#snapshots tbody tr", has_text="before-temp")
    _shot(page, "snapshots-1366")
    page.once("dialog", lambda d: d.accept())
    row.locator("button[name=restore]").click()
    page.wait_for_selector("#message")
    assert "back as snapshot 'before-temp'" in page.inner_text("#message")
    assert "11003" in _xml(server, "<packet><server><get_protos/></server></packet>", KEY=temp)
    page.goto(server.https_url + "/console/keys")  # the session lives on after a restore
    assert page.url.endswith("/console/keys")
    page.goto(server.https_url + "/console/snapshots")
    page.once("dialog", lambda d: d.accept())
    row.locator("button[name=delete]").click()
    page.wait_for_selector("#message")
    assert "deleted" in page.inner_text("#message") and row.count() == 0
    assert "No snapshots" in page.inner_text("#snapshots")


# -- every page, two widths -------------------------------------------------------------


def test_every_page_at_1366_and_800_pixels(browser: Any, server: Server) -> None:
    started = time.time() - 1  # file times may be coarser than the clock
    with _rest(server) as rest:
        domain = next(d for d in rest.get("/domains").json() if d["name"] == "jo.example")
        jo = next(c for c in rest.get("/clients").json() if c["login"] == "jo")
    pages = {
        "keys": "/console/keys",
        "keys-page-2": "/console/keys?page=2",
        "journal": "/console/journal",
        "refusals": "/console/refusals",
        "accounts": "/console/accounts",
        "account": f"/console/accounts/{jo['id']}",
        **{
            f"domain-{tab}": f"/console/domains/{domain['id']}?tab={tab}"
            for tab in ("records", "mail", "databases", "ftp", "certificates", "sites")
        },
        "faults": "/console/faults",
        "snapshots": "/console/snapshots",
        "journal-entry": "/console/journal/1",
        "not-found": "/console/journal/999999",
        "api": "/console/api",
    }
    # One context for both widths (the viewport is changed and every page loaded again
    # at the new width): one login, and Swagger UI's bundle fetched once.
    context = _context(browser, server)
    tab = context.new_page()
    fetched: list[str] = []
    tab.on("request", lambda r: fetched.append(r.url))
    for width in (1366, 800):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.goto(server.https_url + "/console/login")
        _shot(tab, f"login-{width}")
    _login(tab, server)
    for width in (1366, 800):
        tab.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            tab.goto(server.https_url + path)
            if name == "api":
                tab.wait_for_selector(".swagger-ui .info", timeout=20000)
            else:
                tab.wait_for_selector("main h1")
                # Usable at this width: the page itself never scrolls sideways (wide
                # tables scroll inside their own box).
                wide = tab.evaluate("document.documentElement.scrollWidth")
                assert wide <= width, (name, width, wide)
                assert tab.locator("header nav a[href='/console/keys']").is_visible()
            _shot(tab, f"{name}-{width}", full=name != "api")  # Swagger's page: its top
            html = tab.content()
            for secret in (ADMIN_PASSWORD, CUSTOMER_PASSWORD, HOSTILE_KEY):
                assert secret not in html, (name, secret)
    context.close()
    outside = [u for u in fetched if not u.startswith((server.https_url + "/", "data:"))]
    assert outside == []  # no CDN: every script, style and font is served by panelkey
    shots = [ARTIFACTS / f"{name}-{w}.png" for name in ("login", *pages) for w in (1366, 800)]
    assert all(shot.stat().st_mtime >= started for shot in shots)  # this run's, each one


# -- refused forms ----------------------------------------------------------------------


def test_a_form_posted_without_its_csrf_token_is_refused(page: Page, server: Server) -> None:
    before = _key_count(server)
    answer = page.request.post(server.https_url + "/console/keys", form={"description": "forged"})
    assert answer.status == 403
    answer = page.request.post(
        server.https_url + "/console/keys", form={"description": "forged", "csrf": "0" * 64}
    )
    assert answer.status == 403
    assert _key_count(server) == before
    with _rest(server) as rest:
        body = {"ips": ["127.0.0.1"], "description": "not to be forged"}
        key = rest.post("/auth/keys", json=body).json()["key"]
        listed = rest.get("/auth/keys").json()
    key_id = str(next(k["id"] for k in listed if k["description"] == "not to be forged"))
    for path in (
        f"/console/keys/{key_id}/rotate",
        f"/console/keys/{key_id}/delete",
        "/console/logout",
    ):
        answer = page.request.post(server.https_url + path, form={"grace": "1m"})
        assert answer.status == 403, path
    assert "<status>ok</status>" in _xml(
        server, "<packet><server><get_protos/></server></packet>", KEY=key
    )  # neither rotated nor deleted
    answer = page.request.post(server.https_url + "/console/api/key")
    assert answer.status == 403  # a Swagger key needs the page's CSRF header too
    page.goto(server.https_url + "/console/keys")  # still logged in: the logout was refused too
    assert page.url.endswith("/console/keys")
    page.context.clear_cookies()
    answer = page.request.post(
        server.https_url + "/console/login", form={"login": "admin", "password": ADMIN_PASSWORD}
    )
    assert answer.status == 403 and "pk_console=" not in answer.headers.get("set-cookie", "")
