"""`secret_key` and `plesk bin secret_key` as Plesk's documents write them, run as processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n$")
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    env["PANELKEY_DATA_DIR"] = str(tmp_path / "data")
    env["PANELKEY_ADMIN_PASSWORD"] = "admin-pass"
    env["PANELKEY_CREATE_STORE"] = "1"  # each test starts on a store of its own
    if not database_url.startswith("sqlite"):
        env["PANELKEY_DATABASE_URL"] = database_url
    return env


@pytest.fixture
def run(env: dict[str, str]) -> Run:
    def run(command_line: str) -> subprocess.CompletedProcess[str]:
        import shlex

        args = shlex.split(command_line)
        return subprocess.run(
            [str(BIN / args[0]), *args[1:]], env=env, capture_output=True, text=True, timeout=60
        )

    return run


def listed(run: Run) -> list[dict[str, object]]:
    out = run("secret_key --list -format json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_plesk_document_examples_run_verbatim(run: Run) -> None:
    first = run("plesk bin secret_key -c -ip-address 192.168.1.100")
    assert first.returncode == 0 and KEY.match(first.stdout), first
    second = run('plesk bin secret_key --create -ip-address 192.168.1.100 -description "test key"')
    assert second.returncode == 0 and KEY.match(second.stdout)
    listing = run("plesk bin secret_key --list")
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


def test_lists_ipv6_cidr_and_several_addresses(run: Run) -> None:
    out = run("secret_key -c -ip-address '192.168.1.100, 2001:DB8::/32,10.0.0.0/8,::1'")
    assert out.returncode == 0, out.stderr
    assert listed(run)[0]["ips"] == ["192.168.1.100", "2001:db8::/32", "10.0.0.0/8", "::1"]
    assert "Ip: 192.168.1.100,2001:db8::/32,10.0.0.0/8,::1" in run("secret_key -l").stdout


def test_key_without_addresses_says_so_on_stderr_only(run: Run) -> None:
    out = run("secret_key --create")
    assert KEY.match(out.stdout)
    assert "any address" in out.stderr
    assert listed(run)[0]["ips"] == []


def test_list_never_shows_a_value_and_json_has_the_rest_fields(run: Run) -> None:
    value = run("secret_key -c -ip-address 127.0.0.1 -description 'd'").stdout.strip()
    text = run("secret_key --list").stdout
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


@pytest.mark.parametrize(
    "command_line",
    [
        "secret_key -c -ip-address 192.168.1.100,999.1.1.1",
        "secret_key -c -ip-address bad",
        "secret_key -c -login nobody",
        "secret_key --delete -key 42",
        "secret_key --delete -key 778a476a-cf1c-7434-ea47-9f229d70e934",
    ],
)
def test_refused_requests_exit_1_with_one_line_and_change_nothing(
    run: Run, command_line: str
) -> None:
    run("secret_key -c -ip-address 127.0.0.1")
    before = listed(run)
    out = run(command_line)
    assert out.returncode == 1
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert listed(run) == before


@pytest.mark.parametrize(
    "command_line",
    [
        "secret_key",
        "secret_key --frobnicate",
        "secret_key -c -colour red",
        "secret_key -c -ip-address",
        "secret_key --delete",
        "secret_key -c -l",
        "secret_key --list -format xml",
        "plesk bin",
    ],
)
def test_usage_errors_exit_2(run: Run, command_line: str) -> None:
    out = run(command_line)
    assert out.returncode == 2, out
    assert out.stdout == ""
    assert "Usage" in out.stderr
    assert listed(run) == []


def test_unknown_login_and_inactive_login_are_refused(run: Run, env: dict[str, str]) -> None:
    from panelkey.config import load_settings
    from panelkey.core.panel import Panel

    run("secret_key --list")  # creates the store
    panel = Panel.open(load_settings(environ=env).database_url)
    admin = panel.accounts.admin()
    assert admin is not None
    c = panel.accounts.create(admin.identity(), type="customer", login="jdoe", password="x")
    assert run("secret_key -c -login jdoe").returncode == 0
    panel.accounts.update(admin.identity(), c, {"status": 16})
    panel.close()
    out = run("secret_key -c -login jdoe")
    assert out.returncode == 1 and "not active" in out.stderr


def test_twenty_concurrent_creates_make_twenty_distinct_keys(run: Run) -> None:
    with ThreadPoolExecutor(20) as pool:
        outs = list(pool.map(lambda _: run("secret_key -c -ip-address 127.0.0.1"), range(20)))
    assert all(o.returncode == 0 for o in outs), [o.stderr for o in outs if o.returncode]
    values = {o.stdout.strip() for o in outs}
    assert len(values) == 20
    keys = listed(run)
    assert sorted(k["id"] for k in keys) == list(range(1, 21))


def test_no_file_holds_a_key_value_and_the_database_is_private(
    run: Run, env: dict[str, str], database_url: str
) -> None:
    values = [run("secret_key -c").stdout.strip() for _ in range(3)]
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
