"""Limits shared through the store: two cores (as two servers) on one SQLite file or one
PostgreSQL share one lockout, one key rate and one wrong-key throttle, and `panelkey
unlock` or `panelkey admin --set-password` lift a lockout on both at once."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.conftest import ADMIN_PASSWORD, CHEAP_HASHES, outside_env, run_tool
from tests.functional.xml.xml_helpers import XmlClient, system_error

PROTOS = "<server><get_protos/></server>"
Two = Callable[..., tuple[XmlClient, XmlClient]]


@pytest.fixture
def two(panel: Panel, admin: Identity, database_url: str, tmp_path: Path) -> Iterator[Two]:
    """XML clients of two cores on the `panel` store, each watching the change feed as a
    server does, with the given settings."""
    other = Panel.open(database_url, migrate=False)
    panel.watch()
    other.watch()

    def make(**flags: Any) -> tuple[XmlClient, XmlClient]:
        clients = []
        for n, core in enumerate((panel, other)):
            folder = tmp_path / f"server{n}"
            folder.mkdir(exist_ok=True)
            (folder / "panel.ini").write_text("")
            settings = load_settings(
                {"data_dir": str(folder), "lockout_delay": 0, **CHEAP_HASHES, **flags}, environ={}
            )
            ctx = Context(core, settings, LivePanelIni(settings.panel_ini))
            clients.append(XmlClient(ctx))
        return clients[0], clients[1]

    yield make
    other.close()


def _code(
    xml: XmlClient, address: str, *, key: str = "", login: str = "admin", password: str = ""
) -> int:
    headers = {"KEY": key} if key else {"HTTP_AUTH_LOGIN": login, "HTTP_AUTH_PASSWD": password}
    root = xml.call(PROTOS, address=address, headers=headers)
    return system_error(root)[0] if [c.tag for c in root] == ["system"] else 0


def _eventually(check: Callable[[], bool]) -> bool:
    # The change feed: a millisecond's poll on SQLite, a NOTIFY on PostgreSQL.
    for _ in range(50):
        if check():
            return True
        time.sleep(0.05)
    return False


def test_two_servers_share_one_lockout(two: Two) -> None:
    a, b = two(lockout_failures=4)
    for xml in (a, b, a, b):  # two wrong passwords on each: four in all, from one source
        assert _code(xml, "198.51.100.9", password="wrong") == 1001
    for xml in (a, b):
        assert _code(xml, "198.51.100.9", password=ADMIN_PASSWORD) == 1001
        assert _code(xml, "198.51.100.10", password=ADMIN_PASSWORD) == 0


def test_two_servers_share_one_key_rate(two: Two, panel: Panel, admin: Identity) -> None:
    a, b = two()
    value, _ = panel.keys.create(admin, addresses=None, face="cli", rate="5/h")
    codes = [_code(xml, "198.51.100.9", key=value) for xml in (a, b) * 5]
    assert codes.count(0) == 5 and codes.count(11004) == 5, codes
    assert codes[:5] == [0] * 5  # the first five, whichever core served them


def test_two_servers_share_one_wrong_key_throttle(two: Two, panel: Panel, admin: Identity) -> None:
    a, b = two(lockout_failures=1)  # wrong keys: 10 a minute
    value, _ = panel.keys.create(admin, addresses=None, face="cli")
    for n in range(5):
        for xml in (a, b):
            assert _code(xml, "203.0.113.66", key=f"00000000-0000-0000-0000-{n:012d}") == 11003
    assert _code(a, "203.0.113.66", key=value) == 0  # a's cache knows the key now
    for xml in (a, b, a):  # the flush each server runs every second: b's starts it
        xml.app.ctx.panel.auth.flush_usage()
    for xml in (a, b):  # one count: each server alone saw five, half its limit
        assert _code(xml, "203.0.113.66", key=value) == 11003
        assert _code(xml, "198.51.100.9", key=value) == 0


def _panelkey(url: str, folder: Path, *args: str, stdin: str = "") -> str:
    """The `panelkey` command, run in this process (its `main`), on the store at `url`."""
    flags = ("--database-url", url, "--data-dir", str(folder))
    done = run_tool(outside_env(), "panelkey", *args, *flags, stdin=stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("how", ["unlock", "unlock --login", "unlock --source", "set-password"])
def test_unlock_and_set_password_lift_a_lockout_on_every_server_at_once(
    two: Two, database_url: str, tmp_path: Path, how: str
) -> None:
    # --source lifts the source's lockout alone: here it is the only one.
    a, b = two(lockout_failures=3, lockout_login_failures=0 if "source" in how else 3)
    for _ in range(3):
        assert _code(a, "198.51.100.9", password="wrong") == 1001
    password = ADMIN_PASSWORD
    for xml in (a, b):
        assert _code(xml, "198.51.100.9", password=password) == 1001  # source and login
    if how == "set-password":
        password = "a-new-admin-password"
        out = _panelkey(database_url, tmp_path, "admin", "--set-password", stdin=password + "\n")
        assert "lockouts were lifted" in out
    else:
        command, *option = how.split()
        value = {"--login": "admin", "--source": "198.51.100.9"}
        args = [a for o in option for a in (o, value[o])]
        out = _panelkey(database_url, tmp_path, command, *args)
        assert out.startswith(("1 lockout", "2 lockouts")), out
    for xml in (a, b):
        assert _eventually(lambda x=xml: _code(x, "198.51.100.9", password=password) == 0), how
