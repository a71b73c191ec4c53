"""Password floods: lockouts per source and per login, no hashing while locked out, the
same argon2 work for a login that does not exist."""

from __future__ import annotations

import re
import time

from panelkey.core.access import passwords
from panelkey.core.access.throttle import Throttle
from panelkey.core.panel import Panel
from tests.conftest import ADMIN_PASSWORD
from tests.functional.hardening.conftest import MakeXml
from tests.functional.xml.xml_helpers import XmlClient, system_error

PROTOS = "<server><get_protos/></server>"


def _login(xml: XmlClient, login: str, password: str, address: str = "198.51.100.7") -> int:
    """The packet-level errcode of a password request, 0 when it was answered."""
    root = xml.call(
        PROTOS, address=address, headers={"HTTP_AUTH_LOGIN": login, "HTTP_AUTH_PASSWD": password}
    )
    if [c.tag for c in root] == ["system"]:
        return system_error(root)[0]
    return 0


def test_locked_out_source_is_refused_without_hashing_and_recovers(
    make_xml: MakeXml, panel: Panel
) -> None:
    xml = make_xml(lockout_failures=3, lockout_time=1, lockout_delay=0)
    before = passwords.verifications()
    for _ in range(3):
        assert _login(xml, "admin", "wrong") == 1001
    assert passwords.verifications() == before + 3  # each wrong password was hashed

    # Locked out now: even the right password is refused, and nothing is hashed.
    for _ in range(5):
        assert _login(xml, "admin", ADMIN_PASSWORD) == 1001
    assert passwords.verifications() == before + 3
    locked = [e for e in panel.audit.entries(failures_only=True) if e.reason == "locked out"]
    assert len(locked) == 1 and locked[0].count == 5
    assert locked[0].source_ip == "198.51.100.7" and locked[0].actor == "admin"

    # Another source is not locked out.
    assert _login(xml, "admin", ADMIN_PASSWORD, address="198.51.100.8") == 0

    time.sleep(1.5)  # past the one-second lockout of this test's settings
    assert _login(xml, "admin", ADMIN_PASSWORD) == 0


def test_a_login_is_locked_out_from_every_source(make_xml: MakeXml) -> None:
    xml = make_xml(lockout_failures=0, lockout_login_failures=2, lockout_delay=0)
    assert _login(xml, "admin", "wrong", address="203.0.113.1") == 1001
    assert _login(xml, "admin", "wrong", address="203.0.113.2") == 1001
    before = passwords.verifications()
    assert _login(xml, "admin", ADMIN_PASSWORD, address="203.0.113.3") == 1001
    assert passwords.verifications() == before


def test_unknown_login_runs_the_same_hashing_path(make_xml: MakeXml) -> None:
    xml = make_xml()
    before = passwords.verifications()
    assert _login(xml, "admin", "wrong") == 1001
    known = passwords.verifications() - before
    before = passwords.verifications()
    assert _login(xml, "nobody-by-this-name", "wrong") == 1001
    unknown = passwords.verifications() - before
    assert known == unknown == 1


def test_locked_out_rest_caller_gets_401(panel: Panel, make_xml: MakeXml) -> None:
    from tests.functional.rest.rest_helpers import Api

    xml = make_xml(lockout_failures=2, lockout_delay=0)
    api = Api(panel, xml.app.ctx, xml.app.ctx.settings.panel_ini, client_ip="192.0.2.50")
    for _ in range(2):
        assert api.get("/server", auth=("admin", "wrong")).status_code == 401
    before = passwords.verifications()
    answer = api.get("/server", auth=("admin", ADMIN_PASSWORD))
    assert answer.status_code == 401 and answer.json()["code"] == 401
    assert passwords.verifications() == before


def test_each_lockout_of_one_source_lasts_twice_as_long() -> None:
    now = [1000.0]
    throttle = Throttle(failures=2, window=60, lockout=10, max_lockout=35, clock=lambda: now[0])
    assert throttle.failed("a", "x") is None
    first = throttle.failed("a", "x")
    assert first is not None and first.seconds == 10
    now[0] += 11
    assert throttle.locked("a", "x") is None
    throttle.failed("a", "x")
    second = throttle.failed("a", "x")
    assert second is not None and second.seconds == 20
    now[0] += 21
    throttle.failed("a", "x")
    third = throttle.failed("a", "x")
    assert third is not None and third.seconds == 35  # capped at max_lockout


def test_a_spray_from_many_addresses_leaves_the_owners_familiar_address_able_to_log_in(
    make_xml: MakeXml,
) -> None:
    xml = make_xml(lockout_delay=0)  # defaults: 5 per source, 20 per login
    assert _login(xml, "admin", ADMIN_PASSWORD, address="192.0.2.10") == 0  # now familiar
    for n in range(20):  # one wrong password each from 20 addresses: no source reaches 5
        assert _login(xml, "admin", "wrong", address=f"127.0.0.{n + 100}") == 1001
    # The login is locked out of unfamiliar sources, even with the right password...
    assert _login(xml, "admin", ADMIN_PASSWORD, address="127.0.0.200") == 1001
    assert _login(xml, "admin", ADMIN_PASSWORD, address="203.0.113.40") == 1001
    # ...and not out of the address it logs in from.
    assert _login(xml, "admin", ADMIN_PASSWORD, address="192.0.2.10") == 0


def test_a_locked_out_address_is_refused_the_right_password_even_when_it_is_cached(
    make_xml: MakeXml, panel: Panel
) -> None:
    xml = make_xml(lockout_failures=3, lockout_delay=0)
    assert _login(xml, "admin", ADMIN_PASSWORD, address="192.0.2.10") == 0  # cached now
    for _ in range(3):
        assert _login(xml, "admin", "wrong", address="127.0.0.50") == 1001
    before = passwords.verifications()
    assert _login(xml, "admin", ADMIN_PASSWORD, address="127.0.0.50") == 1001
    assert passwords.verifications() == before  # refused before any check
    assert _login(xml, "admin", ADMIN_PASSWORD, address="192.0.2.10") == 0
    (locked,) = [e for e in panel.audit.entries(failures_only=True) if e.reason == "locked out"]
    assert re.fullmatch(r"locked out for \d+ more seconds \(source 127\.0\.0\.50\)", locked.detail)
    assert 0 < int(locked.detail.split()[3]) <= 600


def test_a_wrong_key_flood_from_one_source_is_throttled_while_another_sources_key_is_served(
    make_xml: MakeXml, panel: Panel
) -> None:
    xml = make_xml(lockout_failures=2, lockout_delay=0)  # wrong keys: 10 x 2 a minute
    flood = "203.0.113.66"
    wrong = [_key_errcode(xml, f"00000000-0000-0000-0000-{n:012d}", flood) for n in range(20)]
    assert wrong == [11003] * 20
    # Throttled now: even a right key from there is refused, and no lookup is counted.
    assert xml.key is not None
    assert _key_errcode(xml, xml.key, flood) == 11003
    assert _key_errcode(xml, xml.key, "198.51.100.7") == 0
    entries = panel.audit.entries(failures_only=True)
    unknown = [e for e in entries if e.source_ip == flood and e.reason == "unknown key"]
    assert sum(e.count for e in unknown) == 20
    (throttled,) = [e for e in entries if e.source_ip == flood and e.reason == "locked out"]
    assert "after repeated wrong keys" in throttled.detail and throttled.count == 1
    # Another source with wrong keys is not throttled by the first one's flood.
    assert _key_errcode(xml, "00000000-0000-0000-0000-000000000099", "198.51.100.8") == 11003
    assert _key_errcode(xml, xml.key, "198.51.100.8") == 0


def _key_errcode(xml: XmlClient, key: str, address: str) -> int:
    root = xml.call(PROTOS, key=key, address=address)
    if [c.tag for c in root] == ["system"]:
        return system_error(root)[0]
    return 0
