"""Several servers on one PostgreSQL, and several workers of one server: a key deleted
(or an owner disabled) anywhere is refused everywhere, within the bounds model.md sets."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from lxml import etree

from tests.conftest import (
    MigratedTemplates,
    Server,
    make_server,
    pg_schema,
    premigrated,
    system_trust,
)

AGENT = "/enterprise/control/agent.php"
PROTOS = b"<packet><server><get_protos/></server></packet>"
REVOCATION_BOUND = 1.0  # model.md: other servers refuse a deleted key within one second


@functools.cache
def fresh_connections() -> httpx.Client:
    """A client that opens a new connection for each request (so that workers take
    turns), made once: making a client costs more than a request."""
    return httpx.Client(
        timeout=10, limits=httpx.Limits(max_keepalive_connections=0), verify=system_trust()
    )


def post(server: Server, body: bytes, key: str) -> etree._Element:
    """One packet on a fresh connection."""
    response = fresh_connections().post(server.http_url + AGENT, content=body, headers={"KEY": key})
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
    out = server.command("-c", "-description", "admin key for tests")
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.fixture(scope="module")
def two_servers(
    tmp_path_factory: pytest.TempPathFactory, migrated_templates: MigratedTemplates
) -> Iterator[tuple[Server, Server]]:
    """Two servers on one PostgreSQL store (migrated before the first starts), for the
    module: each test makes keys and accounts of its own."""
    with pg_schema(migrated_templates) as url:
        folder = tmp_path_factory.mktemp("two")
        made = [premigrated(make_server(folder, url), migrated_templates) for _ in range(2)]
        try:
            yield made[0].start(), made[1].start()
        finally:
            for server in made:
                server.stop()


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
