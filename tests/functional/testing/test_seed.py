"""Seed files and reset: all or nothing, errors that name the entry, fixed key values."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from panelkey.core.identity import Verified
from panelkey.core.panel import Panel
from panelkey.core.server import seed
from panelkey.core.server.stock import STOCK_PLANS
from panelkey.store import tables
from tests.conftest import MigratedTemplates, Server, premigrated, system_trust
from tests.functional.cli.conftest import Done, run_in_process

GOOD = {
    "accounts": [
        {"type": "reseller", "login": "res1", "password": "pw-reseller-1"},
        {"type": "customer", "login": "jdoe", "password": "pw-customer-1", "owner": "res1"},
    ],
    "plans": [
        {"name": "Basic", "owner": "res1", "limits": {"max_site": 5}},
        {"name": "Everything", "limits": {"max_site": -1}, "permissions": {"manage_dns": True}},
    ],
    "subscriptions": [
        {
            "name": "example.com",
            "owner": "jdoe",
            "plan": "Basic",
            "dns": [{"type": "TXT", "host": "_acme-challenge", "value": "token-1"}],
        },
        {"name": "admin.example", "plan": "Everything"},
    ],
    "keys": [
        {
            "value": "0123abcd-0000-1111-2222-333344445555",
            "login": "jdoe",
            "ips": ["127.0.0.1"],
            "description": "seeded",
        },
        {"value": "0123abcd-9999-1111-2222-333344445555", "scope": ["read"], "rate": "100/m"},
    ],
}


def _count(panel: Panel, table: object) -> int:
    import sqlalchemy as sa

    with panel.db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def test_a_seed_loads_and_its_fixed_key_verifies(panel: Panel) -> None:
    loaded = seed.load(panel, GOOD)
    assert loaded.counts == {"accounts": 2, "plans": 2, "subscriptions": 2, "keys": 2}
    verdict = panel.auth.verify_key("0123abcd-0000-1111-2222-333344445555", "127.0.0.1", "xml")
    assert isinstance(verdict, Verified) and verdict.identity.login == "jdoe"
    domain = panel.domains.by_name(verdict.identity, "example.com")
    assert domain is not None
    hosts = {(r.type, r.host) for r in panel.dns.records(verdict.identity, domain)}
    assert ("TXT", "_acme-challenge.example.com.") in hosts
    plan, _addons = panel.subscriptions.plans_of(domain.id)
    assert plan is not None and plan.name == "Basic" and plan.owner_login == "res1"
    assert panel.subscriptions.effective(domain)["limits"]["max_site"] == "5"
    limited = panel.keys.find("0123abcd-9999-1111-2222-333344445555")
    assert limited is not None and limited.scope == ["read"] and limited.rate == "100/m"


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"accounts": [{"type": "customer", "login": "x"}]}, "accounts[0] (x): field 'password'"),
        ({"keys": [{"value": "not-a-key"}]}, "keys[0]"),
        ({"subscriptions": [{"name": "a.example", "colour": "red"}]}, "unknown field 'colour'"),
        ({"customers": []}, "unknown section 'customers'"),
        ({**GOOD, "plans": [{"name": "X", "limits": {"max_nothing": 1}}]}, "plans[0] (X)"),
        (
            {**GOOD, "subscriptions": [{"name": "b.example", "plan": "Missing"}]},
            "subscriptions[0] (b.example)",
        ),
        ({**GOOD, "keys": [{"scope": ["dns"]}]}, "keys[0]"),
        (
            {**GOOD, "subscriptions": [*GOOD["subscriptions"], {"name": "example.com"}]},
            "subscriptions[2] (example.com)",
        ),
    ],
)
def test_a_bad_seed_names_the_entry_and_loads_nothing(
    panel: Panel, data: dict[str, object], named: str
) -> None:
    accounts_before = _count(panel, tables.accounts)
    plans_before = _count(panel, tables.plans)  # the stock plans of a first start
    with pytest.raises(seed.SeedError, match=re.escape(named)):
        seed.load(panel, data)
    assert _count(panel, tables.accounts) == accounts_before
    assert _count(panel, tables.domains) == 0
    assert _count(panel, tables.secret_keys) == 0
    assert _count(panel, tables.plans) == plans_before == len(STOCK_PLANS)


def test_reset_keeps_only_the_admin_with_its_password(panel: Panel) -> None:
    seed.load(panel, GOOD)
    seed.reset(panel)
    assert [a.login for a in panel.accounts.list()] == ["admin"]
    assert _count(panel, tables.domains) == 0
    assert _count(panel, tables.secret_keys) == 0
    assert isinstance(
        panel.auth.verify_password("admin", "admin-test-password", "127.0.0.1", "xml"), Verified
    )


def test_seed_and_reset_commands(
    server_factory: Callable[[], Server],
    migrated_templates: MigratedTemplates,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The seeded key is tried on a running server; the commands run beside it, the first
    # seed and the terminal's resets as processes, the others through the same entry
    # point in this process (tests/functional/cli/conftest.py).
    server = premigrated(server_factory(), migrated_templates).start()

    def cli(*args: str, tool: str = "secret_key") -> Done:
        return run_in_process(monkeypatch, [tool, *args], server.env)

    good = tmp_path / "seed.json"
    good.write_text(json.dumps(GOOD))
    done = server.cli("seed", str(good), tool="panelkey")
    assert done.returncode == 0, done.stderr
    assert "2 accounts" in done.stdout
    answer = httpx.post(
        server.http_url + "/enterprise/control/agent.php",
        headers={"KEY": "0123abcd-0000-1111-2222-333344445555"},
        content="<packet><webspace><get><filter/><dataset><gen_info/></dataset></get>"
        "</webspace></packet>",
        verify=system_trust(),
    ).text
    assert "<status>ok</status>" in answer and "<name>example.com</name>" in answer
    assert "admin.example" not in answer  # the seeded key is jdoe's, and sees only its own
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "accounts:\n  - {type: customer, login: ok1, password: pw-123456}\n  - login: 7\n"
    )
    refused = cli("seed", str(bad), tool="panelkey")
    assert refused.returncode == 1
    assert "accounts[1]" in refused.stderr and "nothing was loaded" in refused.stderr
    assert "ok1" not in cli("-l").stdout
    assert cli("reset", tool="panelkey").returncode == 1  # no terminal: asks for --yes
    assert _reset_on_a_terminal(server, "n\n") == 1
    assert "jdoe" in cli("-l").stdout  # answered no: nothing changed
    assert _reset_on_a_terminal(server, "y\n") == 0
    assert cli("-l").stdout == ""
    assert cli("seed", str(good), tool="panelkey").returncode == 0
    again = cli("seed", str(good), tool="panelkey")
    assert again.returncode == 1 and "already exists" in again.stderr
    reset = cli("reset", "--yes", tool="panelkey")
    assert reset.returncode == 0, reset.stderr
    assert cli("-l").stdout == ""
    assert cli("seed", str(good), tool="panelkey").returncode == 0  # all gone before


def _reset_on_a_terminal(server: Server, answer: str) -> int:
    """`panelkey reset` with a terminal for standard input, answering its question."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "panelkey"), "reset"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=server.env,
    )
    os.close(follower)
    os.write(leader, answer.encode())
    try:
        out, _ = proc.communicate(timeout=60)
    finally:
        os.close(leader)
    assert b"[y/N]" in out
    return proc.returncode
