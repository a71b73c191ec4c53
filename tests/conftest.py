"""Fixtures every test shares: a store on SQLite and on PostgreSQL, and running servers.

PostgreSQL comes from PANELKEY_TEST_DATABASE_URL, or the local server at
127.0.0.1:5432 (user postgres, database test); each test gets a schema of its own.
Where none answers, PostgreSQL tests are skipped with that reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.access import passwords
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel

PG_URL = os.environ.get(
    "PANELKEY_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ADMIN_PASSWORD = "admin-test-password"
# Every hash the suite makes costs waiting and nothing else (docs/configuration.md).
HASH_PROFILE = "cheapest"
passwords.use_profile(HASH_PROFILE)
# For load_settings in tests: a Context applies its settings' profile to the whole
# process, and the default one costs ~150 ms a hash.
CHEAP_HASHES = {"password_hash_profile": HASH_PROFILE}
BIN = Path(sys.executable).parent
_pg_state: dict[str, str | None] = {}


def _pg_unavailable() -> str | None:
    """None when PostgreSQL answers, else the reason (checked once per session)."""
    if "reason" not in _pg_state:
        try:
            engine = sa.create_engine(PG_URL)
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            engine.dispose()
            _pg_state["reason"] = None
        except Exception as exc:  # noqa: BLE001 - any failure means: no PostgreSQL here
            _pg_state["reason"] = f"no PostgreSQL answers at {PG_URL}: {exc.__class__.__name__}"
    return _pg_state["reason"]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    reason = _pg_unavailable()
    if reason:
        pytest.skip(reason)
    schema = f"pk_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = _schema_url(schema)
    _schema_of[url] = schema
    yield url
    _schema_of.pop(url, None)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'panelkey.db'}"
    return str(request.getfixturevalue("pg_url"))


def _schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"


# The schema behind each URL pg_url handed out (for filling it from the template).
_schema_of: dict[str, str] = {}


def _first_start(url: str) -> None:
    """Migrate the store at `url` and make what a first start makes (the admin, with
    ADMIN_PASSWORD; the stock plans and their events; the host's addresses)."""
    saved = os.environ.get("PANELKEY_ADMIN_PASSWORD")
    os.environ["PANELKEY_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    try:
        made = Panel.open(url)
        made.bootstrap()
        made.close()
    finally:
        if saved is None:
            del os.environ["PANELKEY_ADMIN_PASSWORD"]
        else:
            os.environ["PANELKEY_ADMIN_PASSWORD"] = saved


class MigratedTemplates:
    """A store migrated and started once per test process, copied into each test's empty
    store, so that a test pays a file copy (SQLite) or one SQL script (PostgreSQL)
    instead of every migration, the admin's password hash and the stock plans. Stores a
    test makes itself (migration tests, first-start tests, servers) are left alone."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._sqlite: Path | None = None
        self._pg_script: str | None = None

    def fill(self, url: str) -> None:
        """Make the empty store at `url` a copy of a freshly migrated one."""
        if url.startswith("sqlite:///"):
            target = Path(url.removeprefix("sqlite:///"))
            if not target.exists():
                shutil.copyfile(self._sqlite_template(), target)
                target.chmod(0o600)
            return
        schema = _schema_of.get(url)
        if schema is None:
            return
        script = self._pg_template()
        if not script:
            return  # no pg_dump here: the store migrates itself
        engine = sa.create_engine(url)
        try:
            with engine.begin() as conn:
                if not sa.inspect(conn).get_table_names():
                    # the driver's own execute: one script, no placeholders read in it
                    driver = conn.connection.driver_connection
                    assert driver is not None
                    driver.execute(script.replace(_TEMPLATE_MARK, schema))
        finally:
            engine.dispose()

    def _sqlite_template(self) -> Path:
        if self._sqlite is None:
            path = self._folder / "template.db"
            _first_start(f"sqlite:///{path}")
            self._sqlite = path
        return self._sqlite

    def _pg_template(self) -> str:
        """The migrated schema as one SQL script, its schema name replaced by a mark."""
        if self._pg_script is None:
            schema = f"pk_tmpl_{uuid.uuid4().hex[:10]}"
            engine = sa.create_engine(PG_URL)
            with engine.begin() as conn:
                conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
            try:
                _first_start(_schema_url(schema))
                url = sa.engine.make_url(PG_URL)
                dump = subprocess.run(
                    [
                        "pg_dump",
                        "--no-owner",
                        "--no-privileges",
                        "--inserts",
                        f"--schema={schema}",
                        "-h",
                        url.host or "127.0.0.1",
                        "-p",
                        str(url.port or 5432),
                        "-U",
                        url.username or "postgres",
                        url.database or "test",
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=60,
                ).stdout
            except (OSError, subprocess.SubprocessError):
                dump = ""
            finally:
                with engine.begin() as conn:
                    conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
                engine.dispose()
            lines = [
                line
                for line in dump.splitlines()
                # the dump's own session settings and its CREATE SCHEMA: the test's
                # schema exists, and its search_path must stay
                if not line.startswith(("SET ", "SELECT pg_catalog.set_config", "CREATE SCHEMA"))
                and not line.startswith("\\")
            ]
            self._pg_script = "\n".join(lines) if dump else ""
            self._pg_script = self._pg_script.replace(f"{schema}.", f"{_TEMPLATE_MARK}.")
        return self._pg_script


_TEMPLATE_MARK = "__panelkey_template__"


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> MigratedTemplates:
    return MigratedTemplates(tmp_path_factory.mktemp("templates"))


@pytest.fixture
def panel(
    database_url: str, monkeypatch: pytest.MonkeyPatch, migrated_templates: MigratedTemplates
) -> Iterator[Panel]:
    monkeypatch.setenv("PANELKEY_ADMIN_PASSWORD", ADMIN_PASSWORD)
    migrated_templates.fill(database_url)
    p = Panel.open(database_url)
    p.bootstrap()
    yield p
    p.close()


@pytest.fixture
def ctx(panel: Panel, tmp_path: Path) -> Context:
    """What the faces are handed, over the `panel` fixture's store, with an empty panel.ini."""
    settings = load_settings({"data_dir": str(tmp_path), **CHEAP_HASHES}, environ={})
    return Context(panel, settings, LivePanelIni(settings.panel_ini))


@pytest.fixture
def admin(panel: Panel) -> Identity:
    account = panel.accounts.admin()
    assert account is not None
    return account.identity()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A `panelkey serve` process on free ports, with the environment to reach its store."""

    data_dir: Path
    env: dict[str, str]
    https_port: int
    http_port: int
    proc: subprocess.Popen[str] | None = None
    output: list[str] = field(default_factory=list)

    @property
    def https_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def admin_password(self) -> str:
        return ADMIN_PASSWORD

    def start(self, *extra: str) -> Server:
        cmd = [
            str(BIN / "panelkey"),
            "serve",
            "--https-port",
            str(self.https_port),
            "--http-port",
            str(self.http_port),
            *extra,
        ]
        with open(self.data_dir.parent / f"serve-{self.https_port}.log", "a") as log:
            # The child keeps its own copy of the descriptor; ours is closed at once.
            self.proc = subprocess.Popen(
                cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, text=True
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"panelkey serve exited: {self.log_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=0.2):
                    pass
                with socket.create_connection(("127.0.0.1", self.http_port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"panelkey serve did not listen in time: {self.log_text()}")

    def log_text(self) -> str:
        path = self.data_dir.parent / f"serve-{self.https_port}.log"
        return path.read_text() if path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def cli(self, *args: str, tool: str = "secret_key") -> subprocess.CompletedProcess[str]:
        """Run a console script (`secret_key`, `plesk`, `panelkey`) against this store."""
        return subprocess.run(
            [str(BIN / tool), *args], env=self.env, capture_output=True, text=True, timeout=60
        )


def make_server(tmp_path: Path, database_url: str | None = None) -> Server:
    data_dir = tmp_path / f"data-{uuid.uuid4().hex[:6]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    env["PANELKEY_DATA_DIR"] = str(data_dir)
    env["PANELKEY_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    env["PANELKEY_PASSWORD_HASH_PROFILE"] = HASH_PROFILE
    if database_url:
        env["PANELKEY_DATABASE_URL"] = database_url
    return Server(data_dir, env, free_port(), free_port())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A running server on SQLite in a fresh data folder."""
    s = make_server(tmp_path).start()
    yield s
    s.stop()


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[object]:
    """Makes servers (not started) on a given store; stops every one at the end."""
    made: list[Server] = []

    def factory(database_url: str | None = None) -> Server:
        s = make_server(tmp_path, database_url)
        made.append(s)
        return s

    yield factory
    for s in made:
        s.stop()


@pytest.fixture(autouse=True)
def _cheap_hashes_again() -> Iterator[None]:
    """Whatever profile a test switched the process to, the next test hashes cheaply."""
    yield
    passwords.use_profile(HASH_PROFILE)
