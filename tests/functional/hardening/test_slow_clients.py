"""Slow and greedy clients over real sockets: timeouts for the head and the body, and a
bound on the connections of one address. One server for the module; each test connects
from an address of its own, so that no test's connections count against another's."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import MigratedTemplates, Server, make_server, premigrated

AGENT = "/enterprise/control/agent.php"


@pytest.fixture(scope="module")
def strict(
    tmp_path_factory: pytest.TempPathFactory, migrated_templates: MigratedTemplates
) -> Iterator[Server]:
    server = premigrated(make_server(tmp_path_factory.mktemp("strict")), migrated_templates)
    server.env.update(
        PANELKEY_HEADER_TIMEOUT="1",
        PANELKEY_BODY_TIMEOUT="1",
        PANELKEY_MAX_CONNECTIONS_PER_SOURCE="3",
    )
    yield server.start()
    server.stop()


def _connect(server: Server, source: str) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.http_port), source_address=(source, 0))


def _client(source: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=30)


def _read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes; a generous socket timeout makes a
    server that never closes fail the test instead of hanging it."""
    sock.settimeout(30)
    got = b""
    while chunk := sock.recv(4096):
        got += chunk
    return got


def test_a_connection_that_stops_mid_headers_is_closed(strict: Server) -> None:
    with _connect(strict, "127.0.3.1") as sock:
        sock.sendall(f"POST {AGENT} HTTP/1.1\r\nHost: panelkey\r\nKEY: x".encode())
        answer = _read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408 ")


def test_a_connection_that_sends_nothing_is_closed(strict: Server) -> None:
    with _connect(strict, "127.0.3.2") as sock:
        assert _read_until_closed(sock).startswith(b"HTTP/1.1 408 ")


def test_a_body_that_stops_half_way_is_closed_and_never_runs(strict: Server) -> None:
    body = b"<packet><secret_key><create/></secret_key></packet>"
    head = (
        f"POST {AGENT} HTTP/1.1\r\nHost: panelkey\r\nHTTP_AUTH_LOGIN: admin\r\n"
        f"HTTP_AUTH_PASSWD: {strict.admin_password}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    with _connect(strict, "127.0.3.3") as sock:
        sock.sendall(head.encode() + body[:20])
        answer = _read_until_closed(sock)
    assert b"<packet" not in answer
    listed = strict.command("--list")
    assert listed.returncode == 0 and listed.stdout.strip() == ""  # no key was made


def test_one_address_holds_a_bounded_number_of_connections(strict: Server) -> None:
    held = [_connect(strict, "127.0.3.4") for _ in range(3)]
    try:
        with _connect(strict, "127.0.3.4") as extra:
            assert _read_until_closed(extra).startswith(b"HTTP/1.1 503 ")
    finally:
        for sock in held:
            sock.close()


def test_header_names_with_underscores_still_work(strict: Server) -> None:
    with _client("127.0.3.5") as client:
        answer = client.post(
            strict.http_url + AGENT,
            content=b"<packet><server><get_protos/></server></packet>",
            headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": strict.admin_password},
        )
    assert answer.status_code == 200 and b"<proto>" in answer.content


def test_a_big_body_sent_at_once_is_read_but_an_endless_head_is_refused(strict: Server) -> None:
    padding = "<!-- " + "p" * 200_000 + " -->"
    with _client("127.0.3.6") as client:
        answer = client.post(
            strict.http_url + AGENT,
            content=f"<packet>{padding}<server><get_protos/></server></packet>".encode(),
            headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": strict.admin_password},
        )
    assert answer.status_code == 200 and b"<proto>" in answer.content
    with _connect(strict, "127.0.3.6") as sock:
        sock.sendall(f"POST {AGENT} HTTP/1.1\r\nHost: panelkey\r\n".encode())
        sock.sendall(b"".join(b"X-Filler-%d: %s\r\n" % (n, b"f" * 1000) for n in range(80)))
        assert _read_until_closed(sock).startswith(b"HTTP/1.1 431 ")


_UNSIGNED = (
    f"POST {AGENT} HTTP/1.1\r\nHost: panelkey\r\nContent-Length: 47\r\n\r\n"
    "<packet><server><get_protos/></server></packet>"
).encode()


def _one_answer(sock: socket.socket) -> bytes:
    """The first answer on a kept-alive connection, read to its Content-Length."""
    sock.settimeout(30)
    got = b""
    while b"\r\n\r\n" not in got:
        got += sock.recv(4096)
    head, _, body = got.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += sock.recv(4096)
    assert len(body) == length, "nothing may follow an answer the client did not ask for"
    return head


def test_an_answered_connection_left_idle_is_closed_without_a_word_after_keep_alive(
    strict: Server,
) -> None:
    """The head timeout (1 s here) does not run between requests: an idle connection
    waits for the keep-alive timeout (uvicorn's 5 s), then closes with nothing sent."""
    with _connect(strict, "127.0.3.7") as sock:
        sock.sendall(_UNSIGNED)
        assert _one_answer(sock).startswith(b"HTTP/1.1 200 ")
        answered = time.monotonic()
        assert _read_until_closed(sock) == b""
        idle = time.monotonic() - answered
    assert 4.5 < idle < 30


def test_the_next_request_on_a_kept_alive_connection_has_the_head_timeout(
    strict: Server,
) -> None:
    with _connect(strict, "127.0.3.8") as sock:
        sock.sendall(_UNSIGNED)
        assert _one_answer(sock).startswith(b"HTTP/1.1 200 ")
        sock.sendall(f"POST {AGENT} HTTP/1.1\r\nHost: panelkey\r\nKEY: x".encode())
        began = time.monotonic()
        got = _read_until_closed(sock)
        assert got.startswith(b"HTTP/1.1 408 "), got
        waited = time.monotonic() - began
    assert waited < 4.5  # the head's 1 s, not the keep-alive's 5 s


def test_a_refused_head_s_answer_reaches_a_client_still_sending(strict: Server) -> None:
    """Refused past the head limit, the connection is not closed under a client still
    sending (which would meet a reset before it read the answer): it gets the 431 and the
    connection's end, and what it sends after is read and dropped."""
    with _connect(strict, "127.0.3.9") as sock:
        sock.sendall(f"POST {AGENT} HTTP/1.1\r\nHost: panelkey\r\n".encode())
        sock.sendall(b"".join(b"X-Filler-%d: %s\r\n" % (n, b"f" * 1000) for n in range(70)))
        time.sleep(0.5)  # refused and answered by now
        for n in range(20):  # a slower sender: each send after the first would meet a reset
            sock.sendall(b"X-More-%d: %s\r\n" % (n, b"m" * 1000))
            time.sleep(0.01)
        assert _read_until_closed(sock).startswith(b"HTTP/1.1 431 ")
