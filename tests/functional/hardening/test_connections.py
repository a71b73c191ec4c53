"""Connection exhaustion without credentials, over real sockets: a connection counts from
its accept, TLS handshake or not; one address, or a few, cannot take a worker's last
connections; a refusal is logged once per address per interval. The tests on the
`bounded` server share it, each from addresses of its own."""

from __future__ import annotations

import functools
import resource
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import BIN, MigratedTemplates, Server, make_server, premigrated

AGENT = "/enterprise/control/agent.php"
FLOOD = "127.0.0.1"
PROXY = "127.0.4.9"  # a trusted proxy of the `bounded` server
INTERVAL = 2  # seconds between two refusal lines of one address (auditRefusalInterval)
PROTOS = b"<packet><server><get_protos/></server></packet>"


@functools.cache
def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _serves(server: Server, source: str) -> bool:
    """An XML request over HTTPS from `source` is answered."""
    transport = httpx.HTTPTransport(local_address=source, verify=False)
    with httpx.Client(transport=transport, timeout=10) as client:
        answer = client.post(
            server.https_url + AGENT,
            content=PROTOS,
            headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": server.admin_password},
        )
    return answer.status_code == 200 and b"<proto>" in answer.content


def _handshake_refused(port: int, source: str) -> bool:
    """A TLS connection from `source` is closed before its handshake ends; a server that
    holds it open instead makes the socket time out, which is not a refusal."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    try:
        with _tls_context().wrap_socket(raw) as tls:
            tls.sendall(b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
            return tls.recv(100) == b""
    except TimeoutError:
        return False
    except OSError:  # reset, or the TLS layer's "EOF in violation of protocol"
        return True
    finally:
        raw.close()


def _idle(port: int, source: str, count: int) -> list[socket.socket]:
    """`count` connections from `source` that never send a byte (no ClientHello)."""
    return [
        socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
        for _ in range(count)
    ]


def _plain(port: int, source: str) -> tuple[socket.socket, bytes]:
    """A kept-alive connection from `source` and the answer to a first request on it."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    sock.sendall(b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
    return sock, sock.recv(4096)


def _refusal_lines(server: Server, source: str) -> list[str]:
    return [
        line
        for line in server.log_text().splitlines()
        if f"connections from {source} refused" in line
    ]


@pytest.fixture(scope="module")
def bounded(
    tmp_path_factory: pytest.TempPathFactory, migrated_templates: MigratedTemplates
) -> Iterator[Server]:
    server = premigrated(make_server(tmp_path_factory.mktemp("bounded")), migrated_templates)
    server.env.update(
        PANELKEY_MAX_CONNECTIONS_PER_SOURCE="3",
        PANELKEY_HEADER_TIMEOUT="60",  # the idle connections outlive the test
        PANELKEY_AUDIT_REFUSAL_INTERVAL=str(INTERVAL),
    )
    (server.data_dir / "panel.ini").write_text(f"[panelkey]\ntrustedProxies = {PROXY}\n")
    yield server.start()
    server.stop()


def test_connections_that_never_say_hello_count_against_the_bound(bounded: Server) -> None:
    flood, other = "127.0.4.1", "127.0.4.2"
    held = _idle(bounded.https_port, flood, 3)
    try:
        assert _handshake_refused(bounded.https_port, flood)
        sock, answer = _plain(bounded.http_port, flood)  # one count for both listeners
        sock.close()
        assert answer.startswith(b"HTTP/1.1 503 ")
        assert _serves(bounded, other)
    finally:
        for sock in held:
            sock.close()


def _closed_at_once(port: int, source: str) -> bool:
    """A plain TCP connection from `source` is closed by the server without a byte read
    (how HTTPS refuses, before any handshake)."""
    with socket.create_connection(
        ("127.0.0.1", port), timeout=10, source_address=(source, 0)
    ) as sock:
        try:
            return sock.recv(100) == b""
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False


def test_a_refusal_is_logged_once_per_address_per_interval(bounded: Server) -> None:
    flood = "127.0.4.3"
    held = _idle(bounded.https_port, flood, 3)
    try:
        started = time.monotonic()
        for _ in range(6):
            assert _closed_at_once(bounded.https_port, flood)
        assert time.monotonic() - started < INTERVAL, "the machine is too slow for the test"
        assert len(_refusal_lines(bounded, flood)) == 1
        time.sleep(INTERVAL + 0.5 - (time.monotonic() - started))  # the interval is over
        late = 0  # refusals before the server's clock saw the interval end, if it lags
        while True:
            assert _closed_at_once(bounded.https_port, flood)
            lines = _refusal_lines(bounded, flood)
            if len(lines) > 1 or time.monotonic() - started > 6 * INTERVAL:
                break
            late += 1
            time.sleep(0.2)
        assert len(lines) == 2
        assert "3 already open" in lines[0]
        assert lines[1].endswith(f"{5 + late} more refused since the last line")
    finally:
        for sock in held:
            sock.close()


def _closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(30)  # a server that never closes fails the test, not hangs it
    try:
        return sock.recv(100) == b""
    except ConnectionResetError:
        return True


def test_a_handshake_that_never_ends_is_closed_by_the_header_timeout(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    server = premigrated(make_server(tmp_path), migrated_templates)
    server.env.update(PANELKEY_MAX_CONNECTIONS_PER_SOURCE="3", PANELKEY_HEADER_TIMEOUT="1")
    server.start()
    try:
        silent = _idle(server.https_port, FLOOD, 3)
        for sock in silent:
            with sock:
                sock.sendall(b"\x16\x03\x01")  # the start of a ClientHello, and no more
                assert _closed_by_server(sock)
        assert _refusal_lines(server, FLOOD) == []  # admitted, then timed out
        assert _serves(server, FLOOD)  # and the closed ones no longer count
    finally:
        server.stop()


FD_LIMIT = 160  # Limits.sized: 96 connections a worker, 6 an address, the last 24 reserved


def _start_with_fd_limit(server: Server, limit: int) -> Server:
    """`server.start()`, in a process whose descriptor limit, soft and hard, is `limit`."""

    def lower() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    cmd = [str(BIN / "panelkey"), "serve", "--https-port", str(server.https_port)]
    cmd += ["--http-port", str(server.http_port)]
    with open(server.data_dir.parent / f"serve-{server.https_port}.log", "a") as log:
        proc = subprocess.Popen(
            cmd, env=server.env, stdout=log, stderr=subprocess.STDOUT, text=True, preexec_fn=lower
        )
    server.proc = proc
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, server.log_text()
        try:
            with socket.create_connection(("127.0.0.1", server.http_port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"not listening in time: {server.log_text()}")


def test_a_few_addresses_cannot_take_the_last_connections(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    server = premigrated(make_server(tmp_path), migrated_templates)
    server.env.update(PANELKEY_HEADER_TIMEOUT="60")
    _start_with_fd_limit(server, FD_LIMIT)
    floods = [f"127.0.1.{n}" for n in range(1, 13)]
    held: list[socket.socket] = []
    try:
        for address in floods:  # twelve addresses, six each: up to the reserve
            held += _idle(server.https_port, address, 6)
        assert _handshake_refused(server.https_port, floods[0])  # the bound of 6
        assert _handshake_refused(server.https_port, floods[-1])
        newcomer = "127.0.2.1"
        for _ in range(2):  # in the reserve, a new address gets a share of two
            sock, answer = _plain(server.http_port, newcomer)
            held.append(sock)
            assert answer.startswith(b"HTTP/1.1 404 "), answer
        sock, answer = _plain(server.http_port, newcomer)
        sock.close()
        assert answer.startswith(b"HTTP/1.1 503 ")
        assert "the worker is in its reserve" in _refusal_lines(server, newcomer)[0]
        assert _serves(server, "127.0.2.2")
    finally:
        for sock in held:
            sock.close()
        server.stop()


def test_a_trusted_proxy_is_exempt_from_the_bound(bounded: Server) -> None:
    other = "127.0.4.4"
    held = _idle(bounded.https_port, PROXY, 4) + _idle(bounded.https_port, other, 3)
    try:
        assert _serves(bounded, PROXY)  # past the bound of 3: every client behind it
        assert _handshake_refused(bounded.https_port, other)
    finally:
        for sock in held:
            sock.close()
