"""Fixtures every test shares: a store on SQLite and on PostgreSQL, and running servers.

PostgreSQL comes from PANELKEY_TEST_DATABASE_URL, or the local server at
127.0.0.1:5432 (user postgres, database test); each test gets a schema of its own.
Where none answers, PostgreSQL tests are skipped with that reason.
"""

from __future__ import annotations

import contextlib
import functools
import graphlib
import itertools
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx
import psycopg
import pytest
import sqlalchemy as sa

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.access import passwords
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel

if TYPE_CHECKING:
    from tests.functional.cli.conftest import Done

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
def pg_url(migrated_templates: MigratedTemplates) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh, empty schema of its own; afterwards
    the schema is recycled as a ready copy of the template or dropped."""
    with pg_schema(migrated_templates) as url:
        yield url


@contextlib.contextmanager
def pg_schema(templates: MigratedTemplates) -> Iterator[str]:
    """What `pg_url` gives a test, for fixtures of a wider scope (skips where no
    PostgreSQL answers)."""
    reason = _pg_unavailable()
    if reason:
        pytest.skip(reason)
    schema = f"pk_{uuid.uuid4().hex[:12]}"
    templates.pg.execute(f"CREATE SCHEMA {schema}")
    url = _schema_url(schema)
    _schema_of[url] = schema
    try:
        yield url
    finally:
        _schema_of.pop(url, None)
        templates.release(schema)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'panelkey.db'}"
    return str(request.getfixturevalue("pg_url"))


def _schema_url(schema: str) -> str:
    """The test URL of `schema`. Its connections are named after it, so that a schema
    is recycled only when nothing is connected to it any more; commits do not wait for
    the WAL flush (what a test proves of a commit is that other connections see it, and
    a killed panelkey keeps it: both hold while PostgreSQL itself keeps running)."""
    options = f"-csearch_path={schema} -capplication_name={schema} -csynchronous_commit=off"
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(options)}"


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


# What makes two schemas' tables the same: relations, their columns (in order),
# constraints and indexes, and any other object in the schema. Found through pg_depend's
# index: the test database's catalogs may be large (every test makes and drops tables).
_SHAPE = """
WITH owned AS (
  SELECT d.classid, d.objid FROM pg_depend d
   WHERE d.refclassid = 'pg_namespace'::regclass
     AND d.refobjid = (SELECT oid FROM pg_namespace WHERE nspname = %(s)s)
), rels AS (
  SELECT c.oid, c.relname, c.relkind FROM owned o JOIN pg_class c ON c.oid = o.objid
   WHERE o.classid = 'pg_class'::regclass
)
SELECT md5(coalesce(string_agg(item, ' | ' ORDER BY item), '')) FROM (
  SELECT r.relname || ' ' || r.relkind::text || ' ' || a.attnum || ' ' || a.attname || ' '
         || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text AS item
    FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT r.relname || ' ' || k.conname || ' ' || k.contype::text || ' ' || k.conkey::text
         || ' ' || coalesce(f.relname, '') || ' ' || coalesce(k.confkey::text, '')
    FROM rels r JOIN pg_constraint k ON k.conrelid = r.oid
    LEFT JOIN pg_class f ON f.oid = k.confrelid
  UNION ALL
  SELECT r.relname || ' index ' || i.relname || ' ' || x.indkey::text || ' '
         || x.indisunique::text
    FROM rels r JOIN pg_index x ON x.indrelid = r.oid JOIN pg_class i ON i.oid = x.indexrelid
  UNION ALL
  SELECT 'object ' || o.classid::regclass::text || ' '
         || coalesce((SELECT typname FROM pg_type WHERE oid = o.objid), '')
    FROM owned o WHERE o.classid <> 'pg_class'::regclass
) AS shape
"""


class PgSchemas:
    """This test process's PostgreSQL schemas: the migrated template (kept for the
    session) and ready copies of it. A copy is made once with the template's dump (a
    second); a test's schema whose tables are still the template's is afterwards
    emptied, given the template's rows and sequences again, and kept as the next ready
    copy (a few hundredths of a second). Stores a test changed the shape of are
    dropped."""

    def __init__(self) -> None:
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None
        self.template: str | None = None
        self._shape = ""
        self._tables: list[str] = []
        self._filled: list[str] = []
        self._sequences: list[tuple[str, int, bool]] = []
        self._ready: list[str] = []
        self._names = (f"pk_ready_{os.getpid()}_{n}" for n in itertools.count())
        self._superuser = False

    def execute(self, sql: str, params: dict[str, str] | None = None) -> list[tuple[object, ...]]:
        """Run `sql` in one transaction of this process's own connection; its rows."""
        if self._conn is None:
            url = sa.engine.make_url(PG_URL)
            self._conn = psycopg.connect(
                host=url.host or "127.0.0.1",
                port=url.port or 5432,
                user=url.username or "postgres",
                password=url.password,
                dbname=url.database or "test",
                autocommit=True,
            )
        with self._conn.transaction():
            cur = self._conn.execute(sql.encode() if params is None else sql, params)
            return cur.fetchall() if cur.description else []

    def keep_template(self, schema: str) -> None:
        """Take `schema` (migrated and started) as the template rows are copied from."""
        self.template = schema
        self._shape = self._shape_of(schema)
        self._tables = [
            str(r[0])
            for r in self.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %(s)s", {"s": schema}
            )
        ]
        # referenced tables first, so that no row waits for one not copied yet
        refs = self.execute(
            "SELECT c.relname, f.relname FROM pg_constraint k"
            " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE k.contype = 'f' AND n.nspname = %(s)s AND c.oid <> f.oid",
            {"s": schema},
        )
        after: dict[str, set[str]] = {t: set() for t in self._tables}
        for table, referenced in refs:
            after[str(table)].add(str(referenced))
        self._filled = [
            t
            for t in graphlib.TopologicalSorter(after).static_order()
            if self.execute(f'SELECT 1 FROM {schema}."{t}" LIMIT 1')  # noqa: S608 - catalog names
        ]
        # read once: pg_sequences scans the whole catalog
        self._sequences = [
            (str(name), int(str(value)), bool(called))
            for name, value, called in self.execute(
                "SELECT sequencename, coalesce(last_value, start_value), last_value IS NOT NULL"
                " FROM pg_sequences WHERE schemaname = %(s)s",
                {"s": schema},
            )
        ]
        self._superuser = bool(
            self.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0][0]
        )

    def take(self, schema: str, script: str) -> bool:
        """Make the empty `schema` a ready copy of the template (False: no template
        here, the store migrates itself)."""
        if self._ready:
            ready = self._ready.pop()
        elif script:
            ready = next(self._names)
            self.execute(
                f"CREATE SCHEMA {ready}; SET LOCAL search_path = {ready};"
                + script.replace(_TEMPLATE_MARK, ready)
            )
        else:
            return False
        self.execute(f"DROP SCHEMA {schema}; ALTER SCHEMA {ready} RENAME TO {schema}")
        return True

    def release(self, schema: str) -> None:
        """Keep `schema` as a ready copy when its tables are the template's and nothing
        is connected to it any more; else drop it."""
        if (
            self.template is not None
            and self._idle(schema)
            and self._shape_of(schema) == self._shape
        ):
            ready = next(self._names)
            if self._superuser:
                # foreign keys are not checked while every table is emptied and refilled
                deletes = "".join(f'DELETE FROM {schema}."{n}";' for n in self._tables)  # noqa: S608
                empty = "SET LOCAL session_replication_role = replica;" + deletes
            else:
                empty = "TRUNCATE " + ", ".join(f'{schema}."{n}"' for n in self._tables) + ";"
            self.execute(
                empty + self.refill_sql(schema) + f"ALTER SCHEMA {schema} RENAME TO {ready}"
            )
            self._ready.append(ready)
            return
        self.execute(f"DROP SCHEMA {schema} CASCADE")

    def refill_sql(self, schema: str) -> str:
        """SQL giving the empty tables of `schema` the template's rows and sequences."""
        t = self.template
        refill = "".join(
            f'INSERT INTO {schema}."{n}" OVERRIDING SYSTEM VALUE SELECT * FROM {t}."{n}";'  # noqa: S608
            for n in self._filled
        )
        return refill + "".join(
            f"SELECT setval('{schema}.\"{name}\"', {value}, {called});"
            for name, value, called in self._sequences
        )

    def close(self) -> None:
        if self._conn is None:
            return
        for schema in [*self._ready, *([self.template] if self.template else [])]:
            self.execute(f"DROP SCHEMA {schema} CASCADE")
        self._ready.clear()
        self._conn.close()
        self._conn = None

    def _idle(self, schema: str) -> bool:
        """No connection of the test's (a store, a server) is left on `schema`; those
        just closed are waited for a moment."""
        for _ in range(25):
            if not self.execute(
                "SELECT 1 FROM pg_stat_activity WHERE application_name = %(s)s", {"s": schema}
            ):
                return True
            time.sleep(0.02)
        return False

    def _shape_of(self, schema: str) -> str:
        return str(self.execute(_SHAPE, {"s": schema})[0][0])


class MigratedTemplates:
    """A store migrated and started once per test process, copied into each test's empty
    store, so that a test pays a file copy (SQLite) or a schema rename (PostgreSQL, see
    PgSchemas) instead of every migration, the admin's password hash and the stock plans.
    Stores a test makes itself (migration tests, first-start tests, servers) are left
    alone."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._sqlite: Path | None = None
        self._pg_script: str | None = None
        self.pg = PgSchemas()

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
        if not self.pg.execute(
            "SELECT 1 FROM pg_tables WHERE schemaname = %(s)s LIMIT 1", {"s": schema}
        ):
            self.pg.take(schema, script)

    def release(self, schema: str) -> None:
        self.pg.release(schema)

    def _sqlite_template(self) -> Path:
        if self._sqlite is None:
            path = self._folder / "template.db"
            _first_start(f"sqlite:///{path}")
            self._sqlite = path
        return self._sqlite

    def _pg_template(self) -> str:
        """The migrated schema as one SQL script, its schema name replaced by a mark
        (empty where there is no pg_dump); the schema itself is kept as the template."""
        if self._pg_script is None:
            schema = f"pk_tmpl_{uuid.uuid4().hex[:10]}"
            self.pg.execute(f"CREATE SCHEMA {schema}")
            self.pg.template = schema  # dropped at the end, whatever fails below
            _first_start(_schema_url(schema))
            self.pg.keep_template(schema)
            url = sa.engine.make_url(PG_URL)
            try:
                dump = subprocess.run(
                    [
                        "pg_dump",
                        "--no-owner",
                        "--no-privileges",
                        "--schema-only",
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
                    env={**os.environ, **({"PGPASSWORD": url.password} if url.password else {})},
                ).stdout
            except (OSError, subprocess.SubprocessError):
                dump = ""
            lines = [
                line
                for line in dump.splitlines()
                # the dump's own session settings and its CREATE SCHEMA: the copy's
                # schema exists, and its search_path must stay
                if not line.startswith(("SET ", "SELECT pg_catalog.set_config", "CREATE SCHEMA"))
                and not line.startswith("\\")
            ]
            script = "\n".join(lines).replace(f"{schema}.", f"{_TEMPLATE_MARK}.")
            if script:
                # the template's rows and sequences, as a recycled copy gets them
                script += self.pg.refill_sql(_TEMPLATE_MARK)
            self._pg_script = script
        return self._pg_script


_TEMPLATE_MARK = "__panelkey_template__"


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedTemplates]:
    made = MigratedTemplates(tmp_path_factory.mktemp("templates"))
    yield made
    made.pg.close()


@pytest.fixture
def panel(
    database_url: str, monkeypatch: pytest.MonkeyPatch, migrated_templates: MigratedTemplates
) -> Iterator[Panel]:
    migrated_templates.fill(database_url)
    p = open_panel(database_url, monkeypatch)
    yield p
    p.close()


def open_panel(url: str, monkeypatch: pytest.MonkeyPatch) -> Panel:
    """The core over the store at `url`, started as a server starts it."""
    monkeypatch.setenv("PANELKEY_ADMIN_PASSWORD", ADMIN_PASSWORD)
    p = Panel.open(url)
    p.bootstrap()
    return p


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


@functools.cache
def system_trust() -> ssl.SSLContext:
    """httpx's default TLS context (the system's CA bundle), made once per process: a
    client made without `verify` loads the bundle again, a twentieth of a second of CPU,
    also for a plain-HTTP URL. The suite's clients share this one."""
    return httpx.create_ssl_context()


PORT_ATTEMPTS = 5


class PortTaken(RuntimeError):
    """A server could not listen: another process took its port first."""


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
    proc: subprocess.Popen[str] | ForkedProcess | None = None
    output: list[str] = field(default_factory=list)
    # Forked from the test process's zygote (tests/zygote.py) instead of
    # started as a process of its own: the same entry point, argv, environment and log,
    # without a second and a half of imports. `premigrated` servers are forked; a first
    # start, and a test about starting or stopping itself, keeps a real process.
    forked: bool = False

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
        """Start the server; on ports another process took between `free_port` and the
        server's bind (other test workers, other work on the machine), on new ones."""
        for _ in range(PORT_ATTEMPTS - 1):
            try:
                return self._start(extra)
            except PortTaken:
                self.https_port, self.http_port = free_port(), free_port()
        return self._start(extra)

    def _start(self, extra: tuple[str, ...]) -> Server:
        cmd = [
            str(BIN / "panelkey"),
            "serve",
            "--https-port",
            str(self.https_port),
            "--http-port",
            str(self.http_port),
            *extra,
        ]
        log_path = self.data_dir.parent / f"serve-{self.https_port}.log"
        if self.forked:
            self.proc = zygote().spawn(cmd, self.env, stdout=log_path, stderr=log_path)
        else:
            with open(log_path, "a") as log:
                # The child keeps its own copy of the descriptor; ours is closed at once.
                self.proc = subprocess.Popen(
                    cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, text=True
                )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                text = self.log_text()
                if "Address already in use" in text:
                    raise PortTaken(text)
                raise RuntimeError(f"panelkey serve exited: {text}")
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=0.2):
                    pass
                with socket.create_connection(("127.0.0.1", self.http_port), timeout=0.2):
                    pass
            except OSError:
                time.sleep(0.05)
                continue
            # Both ports answer; they are this server's only if it still runs.
            if self.proc.poll() is None:
                return self
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

    def cli(self, *args: str, tool: str = "secret_key") -> Done:
        """Run a console script (`secret_key`, `plesk`, `panelkey`) against this store, as
        a process (forked by the zygote, see tests/functional/cli/conftest.py)."""
        from tests.functional.cli.conftest import run_process  # which imports this module

        return run_process([tool, *args], self.env)

    def command(self, *args: str, tool: str = "secret_key", stdin: str = "") -> Done:
        """`cli`, run in this process (see `run_tool`)."""
        return run_tool(self.env, tool, *args, stdin=stdin)


class ForkedProcess:
    """A console script's process forked by the zygote, seen as the `Popen` a real start
    gives: pid, poll, wait, send_signal, terminate, kill, returncode (the zygote, its
    parent, writes the exit code to `status` when it ends)."""

    def __init__(self, args: list[str], pid: int, status: Path) -> None:
        self.args = args
        self.pid = pid
        self.returncode: int | None = None
        self._status = status

    def poll(self) -> int | None:
        if self.returncode is None and self._status.exists():
            self.returncode = int(self._status.read_text())
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            time.sleep(0.01)
        return code

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Zygote:
    """This test process's tests/zygote.py, started at its first forked process."""

    def __init__(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="panelkey-zygote-"))
        self._count = itertools.count()
        with open(self._folder / "zygote.log", "w") as log:
            self._proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("zygote.py"))],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=outside_env(),
                text=True,
            )

    def spawn(
        self,
        argv: list[str],
        env: Mapping[str, str],
        *,
        stdout: Path,
        stderr: Path,
        stdin: Path | None = None,
        cwd: Path | None = None,
    ) -> ForkedProcess:
        """`argv` (an installed script's path and its arguments) as a forked process;
        its output appended to `stdout` and `stderr` (one file for a server's log)."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        status = self._folder / f"status-{next(self._count)}"
        request = {
            "script": Path(argv[0]).name,
            "argv": argv,
            "env": dict(env),
            "cwd": None if cwd is None else str(cwd),
            "stdin": None if stdin is None else str(stdin),
            "stdout": str(stdout),
            "stderr": str(stderr),
            "status": str(status),
        }
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        answer = self._proc.stdout.readline()
        if not answer:
            raise RuntimeError(f"the zygote ended: {(self._folder / 'zygote.log').read_text()}")
        return ForkedProcess(argv, int(json.loads(answer)["pid"]), status)

    def close(self) -> None:
        """End the zygote (it sends SIGTERM to any server still running)."""
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        try:
            self._proc.wait(15)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        shutil.rmtree(self._folder, ignore_errors=True)


_zygote: list[Zygote] = []


def zygote() -> Zygote:
    if not _zygote:
        _zygote.append(Zygote())
    return _zygote[0]


def pytest_unconfigure(config: pytest.Config) -> None:
    while _zygote:
        _zygote.pop().close()


def run_tool(env: Mapping[str, str], tool: str, *args: str, stdin: str = "") -> Done:
    """The console script `tool` (`secret_key`, `plesk`, `panelkey`) with `args`, through
    its entry point in this process, in the environment `env`: its output and exit code
    as the process would give them, without the interpreter start and the imports (most
    of a second each). See tests/functional/cli/conftest.py `run_in_process`. Not for
    commands that run on (`serve`, `journal --follow`)."""
    from tests.functional.cli.conftest import run_in_process  # which imports this module

    with pytest.MonkeyPatch.context() as patch:
        return run_in_process(patch, [tool, *args], env, stdin=stdin)


def outside_env() -> dict[str, str]:
    """This process's environment without panelkey's settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}


def make_server(tmp_path: Path, database_url: str | None = None) -> Server:
    data_dir = tmp_path / f"data-{uuid.uuid4().hex[:6]}"
    env = outside_env()
    env["PANELKEY_DATA_DIR"] = str(data_dir)
    env["PANELKEY_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    env["PANELKEY_PASSWORD_HASH_PROFILE"] = HASH_PROFILE
    if database_url:
        env["PANELKEY_DATABASE_URL"] = database_url
    return Server(data_dir, env, free_port(), free_port())


def premigrated(server: Server, templates: MigratedTemplates, *, forked: bool = True) -> Server:
    """`server` (not started) with its store a copy of the migrated template, for tests
    that are not about a first start: the server starts without running the migrations,
    forked by the serve zygote unless `forked` is False (tests about starting, signals
    and worker processes keep a process started as a user starts it)."""
    url = server.env.get("PANELKEY_DATABASE_URL")
    if url is None:
        server.data_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
        url = f"sqlite:///{server.data_dir / 'panelkey.db'}"
    templates.fill(url)
    server.forked = forked
    return server


@pytest.fixture
def server(tmp_path: Path, migrated_templates: MigratedTemplates) -> Iterator[Server]:
    """A running server on SQLite in a fresh data folder, its store a migrated one."""
    s = premigrated(make_server(tmp_path), migrated_templates).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def module_server(
    tmp_path_factory: pytest.TempPathFactory, migrated_templates: MigratedTemplates
) -> Iterator[Server]:
    """`server`, shared by the tests of a module that asks for it (by overriding `server`
    with it): for tests that each make what they look at, and disturb no other."""
    s = premigrated(make_server(tmp_path_factory.mktemp("shared")), migrated_templates).start()
    yield s
    s.stop()


@pytest.fixture
def server_factory(tmp_path: Path, migrated_templates: MigratedTemplates) -> Iterator[object]:
    """Makes servers (not started) on a given store, migrated unless `fresh` (a store
    already there is left as it is); stops every one at the end."""
    made: list[Server] = []

    def factory(database_url: str | None = None, *, fresh: bool = False) -> Server:
        s = make_server(tmp_path, database_url)
        made.append(s)
        return s if fresh else premigrated(s, migrated_templates)

    yield factory
    for s in made:
        s.stop()


def pytest_configure(config: pytest.Config) -> None:
    """The Python processes the suite starts (test workers, servers, console scripts)
    keep the modules they compile: under PYTHONDONTWRITEBYTECODE each of them would
    compile panelkey's two hundred modules again, a third of a second of CPU a start.
    They write them where Python does (`__pycache__`, ignored by git and left out of the
    sdist), beside what the venv's install compiled: a cache folder of their own
    (PYTHONPYCACHEPREFIX) hid those, and a fresh checkout's first processes compiled
    every package they import again (schemathesis, pip, SQLAlchemy...: a sixth of the
    suite's CPU)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


@pytest.fixture(autouse=True)
def _cheap_hashes_again() -> Iterator[None]:
    """Whatever profile a test switched the process to, the next test hashes cheaply."""
    yield
    passwords.use_profile(HASH_PROFILE)


# Tests that start `panelkey serve` (or drive one) last seconds each; sent to the workers
# first, they do not leave one worker finishing alone at the end.
_SERVES = {
    "server",
    "server_factory",
    "module_server",
    "live",
    "two_servers",
    "two",
    "loaded",
    "strict",
    "bounded",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def first(item: pytest.Item) -> bool:
        names = set(getattr(item, "fixturenames", ()))
        return bool(names & _SERVES) or "schemathesis" in item.nodeid

    items.sort(key=lambda item: not first(item))
