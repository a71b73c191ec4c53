"""Snapshots of the whole store, restored under a running server with two workers, on
SQLite and on PostgreSQL: every change undone, seen at once by both workers (their key
caches dropped), in well under a second."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from tests.conftest import (
    ADMIN_PASSWORD,
    PG_URL,
    MigratedTemplates,
    Server,
    _pg_unavailable,
    _schema_of,
    _schema_url,
    make_server,
    premigrated,
)
from tests.functional.testing.worker_connections import Pinned, children, per_worker, until

ADMIN = {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD}
PROTOS = "<packet><server><get_protos/></server></packet>"
JDOE_KEY = "5eed0000-aaaa-bbbb-cccc-ddddeeeeffff"
SEED = {
    "accounts": [{"type": "customer", "login": "jdoe", "password": "pw-jdoe-1234"}],
    "subscriptions": [
        {"name": "jdoe.example", "owner": "jdoe"},
        {"name": "admin.example", "dns": [{"type": "TXT", "host": "keep", "value": "kept"}]},
    ],
    "keys": [{"value": JDOE_KEY, "login": "jdoe", "ips": ["127.0.0.1"]}],
}
GET_JDOE = (
    "<packet><customer><get><filter><login>jdoe</login></filter>"
    "<dataset><gen_info/></dataset></get></customer></packet>"
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def two(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    migrated_templates: MigratedTemplates,
) -> Iterator[Server]:
    """A server with two workers, on a SQLite file or a PostgreSQL schema of its own,
    migrated."""
    url = None
    engine = None
    schema = f"pk_{uuid.uuid4().hex[:12]}"
    if request.param == "postgresql":
        reason = _pg_unavailable()
        if reason:
            pytest.skip(reason)
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        url = _schema_url(schema)
        _schema_of[url] = schema  # filled from the template, dropped here at the end
    server = premigrated(make_server(tmp_path_factory.mktemp("snapshots"), url), migrated_templates)
    _schema_of.pop(str(url), None)
    server.start("--workers", "2")
    try:
        assert server.proc is not None
        pid = server.proc.pid
        until(lambda: len(children(pid)) == 2, "two workers")
        yield server
    finally:
        server.stop()
        if engine is not None:
            with engine.begin() as conn:
                # the snapshots' schemas go with the store's
                for (name,) in conn.execute(
                    sa.text(f"SELECT location FROM {schema}.snapshots")  # noqa: S608 - ours
                ):
                    conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
                conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()


def _panelkey(server: Server, *args: str) -> str:
    done = server.command(*args, tool="panelkey")
    assert done.returncode == 0, done.stderr
    return done.stdout


def _ms(said: str) -> float:
    found = re.search(r"in ([\d.]+) ms", said)
    assert found is not None, said
    return float(found.group(1))


def _records(rest: httpx.Client) -> list[str]:
    answer = rest.get("/dns/records", params={"domain": "admin.example"})
    assert answer.status_code == 200, answer.text
    return sorted(f"{r['type']} {r['host']} {r['value']}" for r in answer.json())


def _state(conn: Pinned, made_key: str) -> tuple[bool, bool, bool]:
    """What this worker answers: (jdoe exists, jdoe's key works, the made key works)."""
    return (
        "<login>jdoe</login>" in conn.xml(GET_JDOE, ADMIN),
        "<proto>" in conn.xml(PROTOS, {"KEY": JDOE_KEY}),
        "<proto>" in conn.xml(PROTOS, {"KEY": made_key}),
    )


def test_a_restore_undoes_every_change_on_both_workers_at_once(two: Server, tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(SEED))
    _panelkey(two, "seed", str(seed))
    rest = httpx.Client(
        base_url=two.https_url + "/api/v2",
        auth=("admin", ADMIN_PASSWORD),
        verify=False,  # noqa: S501 - the test server's own certificate
    )
    assert two.proc is not None
    pid = two.proc.pid
    records = _records(rest)
    saved = _panelkey(two, "snapshot", "save", "base")
    assert "base" in _panelkey(two, "snapshot", "list")
    # Connections are pinned to a worker after each command: one kept alive across a
    # command (seconds on a busy machine) would meet the server's keep-alive timeout.
    conns = per_worker(two.http_port, pid, ADMIN)
    try:
        # the store changes: a customer deleted (its site and key with it), a key made,
        # records added
        gone = conns[min(conns)].xml(
            "<packet><customer><del><filter><login>jdoe</login></filter></del></customer></packet>",
            ADMIN,
        )
        assert "<status>ok</status>" in gone, gone
        made = rest.post("/auth/keys", json={"ips": ["127.0.0.1"]})
        assert made.status_code == 201, made.text
        made_key = made.json()["key"]
        for n in range(3):
            added = rest.post(
                "/dns/records",
                params={"domain": "admin.example"},
                json={"type": "TXT", "host": f"new{n}", "value": f"v{n}"},
            )
            assert added.status_code in (200, 201), added.text
        assert len(_records(rest)) == len(records) + 3
        for conn in conns.values():  # each worker caches the made key now
            assert _state(conn, made_key) == (False, False, True)

        for conn in conns.values():
            conn.close()
        restored = _panelkey(two, "snapshot", "restore", "base")
        conns = per_worker(two.http_port, pid, ADMIN)  # the same two worker processes
        for conn in conns.values():
            assert _state(conn, made_key) == (True, True, False)
        assert _records(rest) == records
        sites = rest.get("/domains").json()
        assert {"jdoe.example", "admin.example"} <= {d["name"] for d in sites}

        save_ms, restore_ms = _ms(saved), _ms(restored)
        print(f"\n{two.env.get('PANELKEY_DATABASE_URL', 'sqlite')[:10]}: {saved}{restored}")
        assert restore_ms < 1000 and save_ms < 1000
    finally:
        rest.close()
        for conn in conns.values():
            conn.close()


def test_a_snapshot_can_be_restored_again_and_deleted(two: Server) -> None:
    _panelkey(two, "snapshot", "save", "again")
    _panelkey(two, "snapshot", "restore", "again")
    _panelkey(two, "snapshot", "restore", "again")  # the snapshot stays as saved
    assert "Deleted snapshot again." in _panelkey(two, "snapshot", "delete", "again")
    assert "again" not in _panelkey(two, "snapshot", "list")
    missing = two.command("snapshot", "restore", "again", tool="panelkey")
    assert missing.returncode == 1 and "no snapshot named 'again'" in missing.stderr
    bad = two.command("snapshot", "save", "../etc", tool="panelkey")
    assert bad.returncode == 1 and "snapshot name" in bad.stderr
