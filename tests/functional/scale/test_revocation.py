"""Several servers on one PostgreSQL, and several workers of one server: a key deleted
(or an owner disabled) anywhere is refused everywhere, within the bounds model.md sets."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from lxml import etree

from tests.conftest import MigratedTemplates, Server, premigrated

AGENT = "/enterprise/control/agent.php"
PROTOS = b"<packet><server><get_protos/></server></packet>"
REVOCATION_BOUND = 1.0  # model.md: other servers refuse a deleted key within one second


def post(server: Server, body: bytes, key: str) -> etree._Element:
    """One packet on a fresh connection (so that workers take turns)."""
    with httpx.Client(timeout=10) as client:
        response = client.post(server.http_url + AGENT, content=body, headers={"KEY": key})
    assert response.status_code == 200, response.text
    return etree.fromstring(response.content)


def works(server: Server, key: str) -> bool:
    root = post(server, PROTOS, key)
    if root.find("system") is not None:
        assert root.findtext("system/errcode") == "11003", etree.tostring(root)
        return False
    assert root.findtext("server/get_protos/result/status") == "ok"
    return True


def create_key(server: Server, admin_key: str, extra: str = "") -> str:
    root = post(
        server,
        f"<packet><secret_key><create><ip_address>127.0.0.1</ip_address>{extra}"
        f"</create></secret_key></packet>".encode(),
        admin_key,
    )
    value = root.findtext("secret_key/create/result/key")
    assert value, etree.tostring(root)
    return value


def delete_key(server: Server, admin_key: str, value: str) -> None:
    root = post(
        server,
        f"<packet><secret_key><delete><filter><key>{value}</key></filter></delete>"
        f"</secret_key></packet>".encode(),
        admin_key,
    )
    assert root.findtext("secret_key/delete/result/status") == "ok", etree.tostring(root)


def refused_within(check: Callable[[], bool], limit: float) -> tuple[float, int]:
    """(seconds from now to the start of the first request `check()` finds refused, how many
    were accepted before it); fails past `limit`. Timed at the request's start, since a
    refusal itself costs an audit write."""
    start = time.monotonic()
    accepted = 0
    while True:
        sent = time.monotonic()
        if not check():
            return sent - start, accepted
        accepted += 1
        if sent - start > limit:
            raise AssertionError(f"still accepted after {limit} s")
        time.sleep(0.002)


def admin_key(server: Server) -> str:
    out = server.cli("-c", "-description", "admin key for tests")
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.fixture
def two_servers(
    pg_url: str, server_factory: Callable[[str], Server], migrated_templates: MigratedTemplates
) -> tuple[Server, Server]:
    first = premigrated(server_factory(pg_url), migrated_templates).start()
    second = server_factory(pg_url).start()
    return first, second


def test_keys_deleted_on_one_server_are_refused_by_both(
    two_servers: tuple[Server, Server],
) -> None:
    a, b = two_servers
    admin = admin_key(a)
    delays, accepted = [], 0
    for _ in range(20):
        value = create_key(a, admin)
        assert works(a, value) and works(b, value)  # created anywhere, works everywhere
        delete_key(b, admin, value)
        # Measured from the delete's answer to the first request the other server refuses.
        delay, late = refused_within(lambda v=value: works(a, v), 5.0)
        delays.append(delay)
        accepted += late
        assert not works(b, value)  # the deleting server: its very next request
    print(
        f"\nrevocation on the other server, 20 keys: max {max(delays) * 1000:.1f} ms, "
        f"mean {sum(delays) / len(delays) * 1000:.1f} ms; requests still accepted after a "
        f"delete: {accepted}"
    )
    assert max(delays) < REVOCATION_BOUND


def test_disabling_an_owner_on_one_server_refuses_its_keys_on_both(
    two_servers: tuple[Server, Server],
) -> None:
    a, b = two_servers
    admin = admin_key(a)
    root = post(
        a,
        b"<packet><customer><add><gen_info><pname>J</pname><login>jdoe</login>"
        b"<passwd>pw-123456</passwd></gen_info></add></customer></packet>",
        admin,
    )
    assert root.findtext("customer/add/result/status") == "ok", etree.tostring(root)
    value = create_key(a, admin, "<login>jdoe</login>")
    assert works(a, value) and works(b, value)
    root = post(
        b,
        b"<packet><customer><set><filter><login>jdoe</login></filter><values><gen_info>"
        b"<status>16</status></gen_info></values></set></customer></packet>",
        admin,
    )
    assert root.findtext("customer/set/result/status") == "ok", etree.tostring(root)
    assert not works(b, value)
    delay, accepted = refused_within(lambda: works(a, value), 5.0)
    print(
        f"\nowner disabled: refused by the other server after {delay * 1000:.1f} ms, "
        f"{accepted} requests accepted in between"
    )
    assert delay < REVOCATION_BOUND


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_key_deleted_through_one_worker_is_refused_by_the_other_at_once(
    store: str, request: pytest.FixtureRequest, server_factory: Callable[..., Server]
) -> None:
    url = request.getfixturevalue("pg_url") if store == "postgresql" else None
    server = server_factory(url).start("--workers", "2")
    admin = admin_key(server)
    for _ in range(3):
        value = create_key(server, admin)
        for _ in range(12):  # fresh connections: the kernel spreads them over both workers
            assert works(server, value)
        delete_key(server, admin, value)
        for _ in range(12):
            assert not works(server, value)
    assert server.proc is not None and server.proc.poll() is None
