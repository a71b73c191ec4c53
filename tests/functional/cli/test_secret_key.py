"""`secret_key` and `plesk bin secret_key` as Plesk's documents write them: the command a
test is about runs as a process, its set-up and checks call the same entry point in this
process (conftest.py). The store has had its first start (a copy of the session's
template), unless the test is about a store the commands make."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD, MigratedTemplates
from tests.functional.cli.conftest import Done, Run, run_process, store_in

KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n$")


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The environment of a command on the test's store (SQLite: in the data folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    env["PANELKEY_DATA_DIR"] = str(tmp_path / "data")
    env["PANELKEY_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    if not database_url.startswith("sqlite"):
        env["PANELKEY_DATABASE_URL"] = database_url
    return env


@pytest.fixture
def env(tmp_path: Path, database_url: str, migrated_templates: MigratedTemplates) -> dict[str, str]:
    """Each test's own store, as its first start left it."""
    if database_url.startswith("sqlite"):
        store_in(tmp_path / "data", migrated_templates)
    else:
        migrated_templates.fill(database_url)
    return _env(tmp_path, database_url)


class Commands:
    """Command lines run with one environment: in this process, or as a process."""

    def __init__(self, env: dict[str, str], in_process: Run) -> None:
        self.env = env
        self._in_process = in_process

    def __call__(self, command_line: str, process: bool = False) -> Done:
        args = shlex.split(command_line)
        return (run_process if process else self._in_process)(args, self.env)


@pytest.fixture
def run(env: dict[str, str], in_process: Run) -> Commands:
    return Commands(env, in_process)


def listed(run: Commands) -> list[dict[str, object]]:
    out = run("secret_key --list -format json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_plesk_document_examples_run_verbatim(run: Commands) -> None:
    # The first as the installed script runs from nothing (a new interpreter).
    command = shlex.split("plesk bin secret_key -c -ip-address 192.168.1.100")
    first = run_process(command, run.env, fresh=True)
    assert first.returncode == 0 and KEY.match(first.stdout), first
    second = run('plesk bin secret_key --create -ip-address 192.168.1.100 -description "test key"')
    assert second.returncode == 0 and KEY.match(second.stdout)
    listing = run("plesk bin secret_key --list", process=True)
    assert listing.returncode == 0
    blocks = listing.stdout.strip().split("\n\n")
    assert len(blocks) == 2
    assert blocks[1].splitlines()[:4] == [
        "Key: 2",
        "Ip: 192.168.1.100",
        "Description: test key",
        "Login: admin",
    ]
    assert re.match(r"Created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", blocks[1].splitlines()[4])
    assert blocks[1].splitlines()[5] == "Last used: never"
    by_value = run(f"plesk bin secret_key --delete -key {first.stdout.strip()}")
    assert by_value.returncode == 0, by_value.stderr
    by_id = run("plesk bin secret_key --delete -key 2")
    assert by_id.returncode == 0, by_id.stderr
    assert run("plesk bin secret_key --list").stdout == ""
    helped = run("plesk bin secret_key -h")
    assert helped.returncode == 0 and "--create" in helped.stdout and helped.stderr == ""


def test_lists_ipv6_cidr_and_several_addresses(run: Commands) -> None:
    out = run(
        "secret_key -c -ip-address '192.168.1.100, 2001:DB8::/32,10.0.0.0/8,::1'", process=True
    )
    assert out.returncode == 0, out.stderr
    assert listed(run)[0]["ips"] == ["192.168.1.100", "2001:db8::/32", "10.0.0.0/8", "::1"]
    assert "Ip: 192.168.1.100,2001:db8::/32,10.0.0.0/8,::1" in run("secret_key -l").stdout


def test_key_without_addresses_says_so_on_stderr_only(run: Commands) -> None:
    out = run("secret_key --create", process=True)
    assert KEY.match(out.stdout)
    assert "any address" in out.stderr
    assert listed(run)[0]["ips"] == []


def test_list_never_shows_a_value_and_json_has_the_rest_fields(run: Commands) -> None:
    value = run("secret_key -c -ip-address 127.0.0.1 -description 'd'").stdout.strip()
    text = run("secret_key --list", process=True).stdout
    data = run("secret_key --list -format json").stdout
    assert value not in text and value not in data
    (entry,) = json.loads(data)
    assert set(entry) == {
        "id",
        "ips",
        "description",
        "login",
        "created",
        "last_used",
        "last_used_ip",
    }
    assert entry["id"] == 1 and entry["description"] == "d" and entry["last_used"] is None


REFUSED = [
    "secret_key -c -ip-address 192.168.1.100,999.1.1.1",
    "secret_key -c -ip-address bad",
    "secret_key -c -login nobody",
    "secret_key --delete -key 42",
    "secret_key --delete -key 778a476a-cf1c-7434-ea47-9f229d70e934",
]


@pytest.mark.parametrize("command_line", REFUSED)
def test_refused_requests_exit_1_with_one_line_and_change_nothing(
    run: Commands, command_line: str
) -> None:
    run("secret_key -c -ip-address 127.0.0.1")
    before = listed(run)
    out = run(command_line, process=command_line == REFUSED[0])
    assert out.returncode == 1
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert listed(run) == before


USAGE_ERRORS = [
    "secret_key",
    "secret_key --frobnicate",
    "secret_key -c -colour red",
    "secret_key -c -ip-address",
    "secret_key --delete",
    "secret_key -c -l",
    "secret_key --list -format xml",
    "plesk bin",
]


@pytest.mark.parametrize("command_line", USAGE_ERRORS)
def test_usage_errors_exit_2(run: Commands, command_line: str) -> None:
    out = run(command_line, process=command_line in ("secret_key", "plesk bin"))
    assert out.returncode == 2, out
    assert out.stdout == ""
    assert "Usage" in out.stderr
    assert listed(run) == []


def test_unknown_login_and_inactive_login_are_refused(run: Commands, env: dict[str, str]) -> None:
    from panelkey.config import load_settings
    from panelkey.core.panel import Panel

    panel = Panel.open(load_settings(environ=env).database_url)
    admin = panel.accounts.admin()
    assert admin is not None
    c = panel.accounts.create(admin.identity(), type="customer", login="jdoe", password="x")
    assert run("secret_key -c -login jdoe").returncode == 0
    panel.accounts.update(admin.identity(), c, {"status": 16})
    panel.close()
    out = run("secret_key -c -login jdoe", process=True)
    assert out.returncode == 1 and "not active" in out.stderr


# Eight `secret_key -c` at once, each a process of its own with its own connections:
# forked from one that has loaded panelkey, and alembic for the store's first start,
# already (eight interpreters loading them would spread the eight over seconds), and let
# go together once all are there. The store is new: they race to make it, then to add
# their keys.
CONCURRENT = textwrap.dedent(
    """
    import json, os, sys
    import alembic.command, alembic.config, alembic.runtime.migration
    from panelkey.cli.secret_key import main

    folder, count = sys.argv[1], int(sys.argv[2])
    go, ready = os.pipe()
    children = []
    for n in range(count):
        pid = os.fork()
        if pid == 0:
            os.close(ready)
            for fd, name in ((1, "out"), (2, "err")):
                os.dup2(os.open(f"{folder}/{n}.{name}", os.O_WRONLY | os.O_CREAT, 0o600), fd)
            os.read(go, 1)
            try:
                code = main(["-c", "-ip-address", "127.0.0.1"])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        children.append(pid)
    os.write(ready, b"." * count)
    print(json.dumps([os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]))
    """
)


def test_eight_concurrent_creates_make_eight_distinct_keys(
    tmp_path: Path, database_url: str, in_process: Run
) -> None:
    env = {**_env(tmp_path, database_url), "PANELKEY_CREATE_STORE": "1"}
    outs = tmp_path / "outs"
    outs.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", CONCURRENT, str(outs), "8"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    codes = json.loads(done.stdout)
    errors = [(outs / f"{n}.err").read_text() for n in range(8)]
    assert codes == [0] * 8, [e for c, e in zip(codes, errors, strict=True) if c]
    values = {(outs / f"{n}.out").read_text() for n in range(8)}
    assert len(values) == 8 and all(KEY.match(v) for v in values)
    keys = listed(Commands(env, in_process))
    assert sorted(k["id"] for k in keys) == list(range(1, 9))


def test_no_file_holds_a_key_value_and_the_database_is_private(
    tmp_path: Path, database_url: str, in_process: Run, migrated_templates: MigratedTemplates
) -> None:
    env = _env(tmp_path, database_url)
    if database_url.startswith("sqlite"):
        env["PANELKEY_CREATE_STORE"] = "1"  # its files as secret_key makes them
    else:
        migrated_templates.fill(database_url)
    run = Commands(env, in_process)
    values = [run("secret_key -c", process=n == 0).stdout.strip() for n in range(3)]
    run(f"secret_key --delete -key {values[0]}")
    data_dir = Path(env["PANELKEY_DATA_DIR"])
    contents = [(str(p), p.read_bytes()) for p in data_dir.rglob("*") if p.is_file()]
    if not database_url.startswith("sqlite"):
        contents.append(("postgresql", dump_database(database_url)))
    assert any(len(content) > 0 for _, content in contents)
    for where, content in contents:
        for value in values:
            assert value.encode() not in content, where
            assert value.replace("-", "").encode() not in content, where
    if database_url.startswith("sqlite"):
        for name in ("panelkey.db", "panelkey.db-wal", "panelkey.db-shm"):
            path = data_dir / name
            if path.exists():
                assert path.stat().st_mode & 0o077 == 0, (name, oct(path.stat().st_mode))


def dump_database(url: str) -> bytes:
    """Every row of every table, as text."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    rows: list[str] = []
    with engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            query = sa.text(f"SELECT * FROM {table}")  # noqa: S608 - names from the inspector
            rows += [repr(tuple(r)) for r in conn.execute(query)]
    engine.dispose()
    return "\n".join(rows).encode()
