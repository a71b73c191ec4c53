"""Seed files and reset: all or nothing, errors that name the entry, fixed key values."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from panelkey.core import seed
from panelkey.core.identity import Verified
from panelkey.core.panel import Panel
from panelkey.store import tables
from tests.conftest import Server

GOOD = {
    "accounts": [
        {"type": "reseller", "login": "res1", "password": "pw-reseller-1"},
        {"type": "customer", "login": "jdoe", "password": "pw-customer-1", "owner": "res1"},
    ],
    "subscriptions": [
        {
            "name": "example.com",
            "owner": "jdoe",
            "dns": [{"type": "TXT", "host": "_acme-challenge", "value": "token-1"}],
        }
    ],
    "keys": [
        {
            "value": "0123abcd-0000-1111-2222-333344445555",
            "login": "jdoe",
            "ips": ["127.0.0.1"],
            "description": "seeded",
        }
    ],
}


def _count(panel: Panel, table: object) -> int:
    import sqlalchemy as sa

    with panel.db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def test_a_seed_loads_and_its_fixed_key_verifies(panel: Panel) -> None:
    loaded = seed.load(panel, GOOD)
    assert loaded.counts == {"accounts": 2, "subscriptions": 1, "keys": 1}
    verdict = panel.auth.verify_key("0123abcd-0000-1111-2222-333344445555", "127.0.0.1", "xml")
    assert isinstance(verdict, Verified) and verdict.identity.login == "jdoe"
    domain = panel.domains.by_name(verdict.identity, "example.com")
    assert domain is not None
    hosts = {(r.type, r.host) for r in panel.dns.records(verdict.identity, domain)}
    assert ("TXT", "_acme-challenge.example.com.") in hosts


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"accounts": [{"type": "customer", "login": "x"}]}, "accounts[0] (x): field 'password'"),
        ({"keys": [{"value": "not-a-key"}]}, "keys[0]"),
        ({"subscriptions": [{"name": "a.example", "colour": "red"}]}, "unknown field 'colour'"),
        ({"customers": []}, "unknown section 'customers'"),
        (
            {**GOOD, "subscriptions": [*GOOD["subscriptions"], {"name": "example.com"}]},
            "subscriptions[1] (example.com)",
        ),
    ],
)
def test_a_bad_seed_names_the_entry_and_loads_nothing(
    panel: Panel, data: dict[str, object], named: str
) -> None:
    accounts_before = _count(panel, tables.accounts)
    with pytest.raises(seed.SeedError, match=re.escape(named)):
        seed.load(panel, data)
    assert _count(panel, tables.accounts) == accounts_before
    assert _count(panel, tables.domains) == 0
    assert _count(panel, tables.secret_keys) == 0


def test_reset_keeps_only_the_admin_with_its_password(panel: Panel) -> None:
    seed.load(panel, GOOD)
    seed.reset(panel)
    assert [a.login for a in panel.accounts.list()] == ["admin"]
    assert _count(panel, tables.domains) == 0
    assert _count(panel, tables.secret_keys) == 0
    assert isinstance(
        panel.auth.verify_password("admin", "admin-test-password", "127.0.0.1", "xml"), Verified
    )


def test_seed_and_reset_commands(server: Server, tmp_path: Path) -> None:
    good = tmp_path / "seed.json"
    good.write_text(json.dumps(GOOD))
    done = server.cli("seed", str(good), tool="panelkey")
    assert done.returncode == 0, done.stderr
    assert "2 accounts" in done.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "accounts:\n  - {type: customer, login: ok1, password: pw-123456}\n  - login: 7\n"
    )
    done = server.cli("seed", str(bad), tool="panelkey")
    assert done.returncode == 1
    assert "accounts[1]" in done.stderr and "nothing was loaded" in done.stderr
    assert "ok1" not in server.cli("-l").stdout
    assert server.cli("reset", tool="panelkey").returncode == 1  # no terminal: asks for --yes
    done = server.cli("reset", "--yes", tool="panelkey")
    assert done.returncode == 0, done.stderr
    assert server.cli("-l").stdout == ""
