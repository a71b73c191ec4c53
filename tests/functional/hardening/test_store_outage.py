"""A store outage answered in Plesk's shapes, logged once, and recovered from by itself
(issue 24, item 4).

Two honest outages of a running panelkey: SQLite on a disk that fills up (a small tmpfs
holding the store, its journal and nothing else), and PostgreSQL refusing our role
(`ALTER ROLE ... NOLOGIN` and its connections terminated, as a restart does to them).
The faces run in-process behind the journal's middleware, as the server runs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import ssl
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.panel import Panel
from panelkey.journal import AccessLog, Journal, JournalMiddleware, LogFormatter
from panelkey.server import AGENT_PATH, REST_PREFIX, USAGE_FLUSH_SECONDS, PanelkeyApp
from panelkey.store.outage import RETRY_AFTER, outage_of
from tests.conftest import (
    ADMIN_PASSWORD,
    CHEAP_HASHES,
    HASH_PROFILE,
    PG_URL,
    MigratedTemplates,
    Server,
    free_port,
)
from tests.factories import admin, key_of
from tests.functional.rest.rest_helpers import CUSTOMER
from tests.functional.xml.xml_helpers import packet

ADMIN = ("admin", ADMIN_PASSWORD)


@dataclass
class Store:
    panel: Panel
    data_dir: Path
    cut: Callable[[], None]
    mend: Callable[[], None]
    reads_fail: bool  # a full disk still reads; a refused connection does not
    url: str = ""
    journals: list[Journal] = field(default_factory=list)  # closed before the disk goes

    def close(self) -> None:
        for journal in self.journals:
            journal.close()
        self.panel.close()


# -- SQLite on a disk that fills up -----------------------------------------------------


@pytest.fixture
def full_disk(tmp_path: Path, migrated_templates: MigratedTemplates) -> Iterator[Store]:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    url = f"sqlite:///{disk / 'panelkey.db'}"
    migrated_templates.fill(url)
    panel = Panel.open(url)
    panel.bootstrap()
    filler = disk / "filler"

    def cut() -> None:
        # The write-ahead log emptied first, so that the next write must grow a file.
        with contextlib.closing(sa.create_engine(url).raw_connection()) as raw:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with open(filler, "wb") as out:
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC

    made = Store(panel, disk, cut, lambda: filler.unlink(missing_ok=True), False, url)
    try:
        yield made
    finally:
        try:
            made.mend()
            made.close()
        finally:  # the mount goes whatever happened to the test
            if subprocess.run(["umount", str(disk)], check=False).returncode != 0:
                subprocess.run(["umount", "-l", str(disk)], check=False)


# -- PostgreSQL refusing our role ----------------------------------------------------------


@pytest.fixture
def refused_role(
    pg_url: str, tmp_path: Path, migrated_templates: MigratedTemplates
) -> Iterator[Store]:
    migrated_templates.fill(pg_url)
    made = Panel.open(pg_url)
    made.bootstrap()
    made.close()
    schema = sa.engine.make_url(pg_url).query["options"]
    schema = str(schema).partition("search_path=")[2].split()[0]
    role = f"pk_outage_{uuid.uuid4().hex[:8]}"
    owner = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'"))
        conn.execute(sa.text(f"GRANT USAGE ON SCHEMA {schema} TO {role}"))
        conn.execute(sa.text(f"GRANT ALL ON ALL TABLES IN SCHEMA {schema} TO {role}"))
        conn.execute(sa.text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA {schema} TO {role}"))
    base = sa.engine.make_url(PG_URL).set(username=role, password="pw")
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    role_url = url.render_as_string(hide_password=False)
    panel = Panel.open(role_url, migrate=False)

    def as_owner(sql: str) -> None:
        with owner.connect() as conn:
            conn.execute(sa.text(sql))

    def cut() -> None:
        as_owner(f"ALTER ROLE {role} NOLOGIN")
        # The role's name is made above, not read from anywhere.
        ended = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = "
        as_owner(f"{ended}'{role}'")

    mend = lambda: as_owner(f"ALTER ROLE {role} LOGIN")  # noqa: E731 - one line
    made = Store(panel, tmp_path, cut, mend, True, role_url)
    try:
        yield made
    finally:
        try:
            made.close()
        finally:  # the role goes whatever happened to the test
            cut()
            as_owner(f"DROP OWNED BY {role}")
            as_owner(f"DROP ROLE {role}")
            owner.dispose()


@pytest.fixture(params=["sqlite-full-disk", "postgresql-refused"])
def store(request: pytest.FixtureRequest) -> Store:
    name = "full_disk" if request.param.startswith("sqlite") else "refused_role"
    found: Store = request.getfixturevalue(name)
    return found


# -- the server's app, in-process -----------------------------------------------------------


class App:
    """Every face behind the journal's middleware, as a worker serves them."""

    def __init__(self, store: Store) -> None:
        folder = store.data_dir
        settings = load_settings({"data_dir": str(folder), **CHEAP_HASHES}, environ={})
        ctx = Context(store.panel, settings, LivePanelIni(folder / "panel.ini"))
        self.journal = Journal(folder / "journal.db", 100)
        self.access = AccessLog()
        faces = PanelkeyApp(ctx)
        store.journals += [self.journal, faces.console.journal]
        self.asgi = JournalMiddleware(
            faces,
            self.journal,
            self.access,
            lambda scope: Context.client_address(scope, ctx.live()),
            AGENT_PATH,
            REST_PREFIX,
        )

    def request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.asgi, client=("127.0.0.1", 40000))
            async with httpx.AsyncClient(transport=transport, base_url="https://pk") as client:
                return await client.request(method, path, **kwargs)  # type: ignore[arg-type]

        answer = asyncio.run(go())
        self.access.flush()
        self.journal.flush()
        return answer

    def xml(self, inner: str, key: str) -> etree._Element:
        answer = self.request("POST", AGENT_PATH, content=packet(inner), headers={"KEY": key})
        assert answer.status_code == 200, answer.text  # Plesk answers errors in a packet
        assert answer.headers["content-type"] == "text/xml"
        root = etree.fromstring(answer.content)
        assert root.tag == "packet"
        return root


def _add(login: str) -> str:
    return (
        "<customer><add><gen_info><pname>P</pname>"
        f"<login>{login}</login><passwd>pw-{login}-123</passwd></gen_info></add></customer>"
    )


GET = "<customer><get><filter/><dataset><gen_info/></dataset></get></customer>"
UNAVAILABLE = "database is unavailable"


def _codes(root: etree._Element, path: str) -> list[tuple[int, str]]:
    return [
        (int(r.findtext("errcode") or 0), r.findtext("errtext") or "")
        for r in root.findall(f"{path}/result")
        if r.findtext("status") == "error"
    ]


def _system(root: etree._Element) -> tuple[int, str]:
    assert [c.tag for c in root] == ["system"], etree.tostring(root)
    return int(root.findtext("system/errcode") or 0), root.findtext("system/errtext") or ""


def _logins(panel: Panel) -> set[str]:
    return {a.login for a in panel.accounts.list()}


def test_a_store_outage_is_answered_in_plesks_shapes_logged_once_and_recovered(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    app = App(store)
    key = key_of(store.panel, admin(store.panel))
    assert not _codes(app.xml(GET, key), "customer/get")  # the key is checked and cached
    caplog.set_level(logging.INFO, logger="panelkey")
    caplog.clear()
    store.cut()
    refused = 0

    # XML: a write answers 1023 in its operation, and the packet's later operations do
    # not run; HTTP 200, a packet.
    for n in range(5):
        root = app.xml(_add(f"a{n}") + _add(f"b{n}") + GET, key)
        refused += 1
        (first, *rest) = _codes(root, "customer/add") + _codes(root, "customer/get")
        assert first[0] == 1023 and UNAVAILABLE in first[1]
        assert [code for code, _ in rest] == [1023, 1023]
    # A key the cache does not know is checked in the store: a packet-level 1023.
    for _ in range(3):
        code, text = _system(app.xml(GET, str(uuid.uuid4())))
        refused += 1
        assert code == 1023 and UNAVAILABLE in text
    # REST: 503, Retry-After, Plesk's error body.
    for n in range(5):
        made = app.request(
            "POST",
            "/api/v2/clients",
            auth=ADMIN,
            json={**CUSTOMER, "login": f"r{n}"},
        )
        refused += 1
        assert made.status_code == 503, made.text
        assert made.headers["retry-after"] == str(RETRY_AFTER)
        assert made.json() == {"code": 503, "message": made.json()["message"]}
        assert UNAVAILABLE in made.json()["message"]
    if store.reads_fail:
        listed = app.request("GET", "/api/v2/clients", auth=ADMIN)
        refused += 1
        assert listed.status_code == 503 and listed.headers["retry-after"]

    # One line for the whole outage; no traceback; the journal's writer says so once.
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    said = [r.getMessage() for r in problems if r.name == "panelkey.store"]
    assert len(said) == 1 and said[0].startswith("store unavailable: "), said
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    others = [r.getMessage() for r in problems if r.name not in ("panelkey.store",)]
    assert len(others) <= 1 and all(m.startswith("journal: cannot write") for m in others)
    assert outage_of(store.panel.db).refused == refused

    # Back: the first request that uses the store says so, with the count; nothing of
    # the refused writes was kept.
    store.mend()
    caplog.clear()
    for n in range(3):
        assert not _codes(app.xml(_add(f"c{n}"), key), "customer/add")
    made = app.request(
        "POST",
        "/api/v2/clients",
        auth=ADMIN,
        json={**CUSTOMER, "login": "r9"},
    )
    assert made.status_code == 201, made.text
    back = [r.getMessage() for r in caplog.records if r.name == "panelkey.store"]
    assert len(back) == 1 and back[0].endswith(f", {refused} requests refused"), back
    assert back[0].startswith("store back after ")
    logins = _logins(store.panel)
    assert {"c0", "c1", "c2", "r9"} <= logins
    assert not logins & {f"{p}{n}" for p in "abr" for n in range(5)}
    assert not [r for r in caplog.records if r.exc_info]
    # The journal was written again, and holds the refusals made after it could.
    assert any(e.errcode == "1023" for e in app.journal.entries(limit=100)) or not (
        store.reads_fail
    )


def test_a_terminated_connection_is_replaced_without_an_error(
    refused_role: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL ending our connections (pg_terminate_backend: what a restart does to
    them) costs no request: the pool and the readers reconnect."""
    store = refused_role
    app = App(store)
    key = key_of(store.panel, admin(store.panel))
    assert not _codes(app.xml(GET, key), "customer/get")
    store.cut()
    store.mend()  # the connections are gone; the role may log in again
    caplog.set_level(logging.INFO, logger="panelkey")
    for n in range(3):
        assert not _codes(app.xml(_add(f"t{n}") + GET, key), "customer/add")
        listed = app.request("GET", "/api/v2/clients", auth=ADMIN)
        assert listed.status_code == 200, listed.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_nothing_of_a_store_failure_is_half_written(
    full_disk: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """A write that fails midway leaves nothing: its transaction rolls back."""
    store = full_disk
    app = App(store)
    key = key_of(store.panel, admin(store.panel))
    before = {a.login for a in store.panel.accounts.list()}
    store.cut()
    root = app.xml(_add("half"), key)
    assert _codes(root, "customer/add")[0][0] == 1023
    store.mend()
    assert {a.login for a in store.panel.accounts.list()} == before
    assert not _codes(app.xml(_add("half"), key), "customer/add")  # the login is free
    assert os.path.exists(store.data_dir / "panelkey.db")


# -- a real server ------------------------------------------------------------------------


def test_a_running_server_answers_an_outage_logs_it_once_and_recovers(
    store: Store, tmp_path: Path
) -> None:
    """`panelkey serve` on the outage's store: its log holds one line for the outage and
    one for the recovery, no traceback, and its background writes (keys' last use) work
    again after it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    data = store.data_dir / "serve"
    env |= {
        "PANELKEY_DATA_DIR": str(data),
        "PANELKEY_DATABASE_URL": store.url,
        "PANELKEY_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "PANELKEY_PASSWORD_HASH_PROFILE": HASH_PROFILE,
    }
    server = Server(data, env, free_port(), free_port())
    # The log beside the tmpfs, not on it: what it says must be kept.
    server.data_dir = tmp_path / "logs" / "serve"
    server.data_dir.parent.mkdir()
    server.env = env
    try:
        server.start()
        trust = ssl.create_default_context(cafile=str(data / "tls" / "cert.pem"))
        with httpx.Client(base_url=server.https_url, verify=trust, timeout=60) as client:
            key = client.post("/api/v2/auth/keys", auth=ADMIN, json={}).json()["key"]

            def xml(inner: str) -> etree._Element:
                answer = client.post(AGENT_PATH, content=packet(inner), headers={"KEY": key})
                assert answer.status_code == 200
                assert answer.headers["content-type"] == "text/xml"
                return etree.fromstring(answer.content)

            assert not _codes(xml(GET), "customer/get")
            store.cut()
            for n in range(10):
                # In its operation, or for the packet when the key had to be checked in
                # the store again (PostgreSQL's change feed, lost too, drops the cache).
                root = xml(_add(f"s{n}"))
                codes = _codes(root, "customer/add") or [_system(root)]
                assert codes[0][0] == 1023 and UNAVAILABLE in codes[0][1]
                made = client.post(
                    "/api/v2/clients",
                    headers={"X-API-Key": key},
                    json={**CUSTOMER, "login": f"q{n}"},
                )
                assert made.status_code == 503 and made.headers["retry-after"]
                assert set(made.json()) == {"code", "message"}
            time.sleep(USAGE_FLUSH_SECONDS + 0.2)  # the usage flush runs, and fails
            store.mend()
            mended = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
            assert not _codes(xml(_add("after")), "customer/add")
            made = client.post(
                "/api/v2/clients", headers={"X-API-Key": key}, json={**CUSTOMER, "login": "q-after"}
            )
            assert made.status_code == 201, made.text
            deadline = time.monotonic() + 30  # the usage flush runs again, and writes
            while not any(k.last_used and k.last_used >= mended for k in store.panel.keys.list()):
                assert time.monotonic() < deadline, "no key's use written after the outage"
                time.sleep(0.1)
        log = server.log_text()
        assert log.count("store unavailable: ") == 1, log
        assert log.count("store back after ") == 1 and "20 requests refused" in log, log
        assert "Traceback" not in log and "Logging error" not in log, log
        (info,) = [k for k in store.panel.keys.list() if k.last_used]
        assert info.last_used is not None and info.last_used >= mended  # written after it
    finally:
        server.stop()


def test_an_access_log_on_a_full_disk_says_so_once_and_writes_again_after(
    full_disk: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    logger = logging.getLogger(f"panelkey.access.test_{uuid.uuid4().hex[:6]}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = logging.FileHandler(full_disk.data_dir / "access.log")
    handler.setFormatter(LogFormatter())
    logger.addHandler(handler)
    access = AccessLog(logger)
    line = b"<packet><server><get_protos/></server></packet>"

    def requests(n: int) -> None:
        for _ in range(n):
            access.add((time.time(), "xml", "127.0.0.1", "key 1", "", "", 200, "", 1.0, line, b""))
        access.flush()

    try:
        requests(1)
        capsys.readouterr()
        full_disk.cut()
        for _ in range(5):
            requests(200)  # a few KB a flush: more than the page cache takes on a full disk
        assert capsys.readouterr().err.count("--- Logging error ---") == 1
        full_disk.mend()
        requests(1)
        assert capsys.readouterr().err == ""
        full_disk.cut()
        requests(200)
        assert capsys.readouterr().err.count("--- Logging error ---") == 1  # a new failure
    finally:
        full_disk.mend()
        logger.removeHandler(handler)
        handler.close()
