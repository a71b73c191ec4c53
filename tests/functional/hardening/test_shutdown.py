"""SIGTERM under load, over real sockets: new connections are refused at once (with one
worker or several sharing the listeners), requests in flight finish and are answered
truthfully, idle connections hold nothing up, and one still running when the grace ends
is dropped, never answered 500."""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import sqlite3
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MigratedTemplates, Server, make_server, premigrated

AGENT = "/enterprise/control/agent.php"
WAIT = 30.0  # a deadline for the test to fail rather than hang, not a measure
EXITED = 10.0  # seconds within which a server with nothing left in flight has exited
GRACE = 1.5  # the shutdown's grace where the test waits for its end


def _packet(tag: str) -> bytes:
    return (
        f"<packet><secret_key><create><description>{tag}</description></create>"
        "</secret_key></packet>"
    ).encode()


def _begin_write(server: Server, tag: str) -> socket.socket:
    """A key's creation sent up to its body, which the server has asked for: the request
    is in flight, its handler waiting for the body (a slow upload)."""
    sock = _connect(server.http_port)
    head = (
        f"POST {AGENT} HTTP/1.1\r\nHost: panelkey\r\nHTTP_AUTH_LOGIN: admin\r\n"
        f"HTTP_AUTH_PASSWD: {server.admin_password}\r\nContent-Type: text/xml\r\n"
        f"Expect: 100-continue\r\nContent-Length: {len(_packet(tag))}\r\n\r\n"
    )
    sock.sendall(head.encode())
    assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
    return sock


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=WAIT)


def _read_all(sock: socket.socket) -> bytes:
    got = b""
    try:
        while chunk := sock.recv(65536):
            got += chunk
    except ConnectionResetError:
        pass
    return got


def _refused(port: int) -> bool:
    """A new connection is refused, not accepted (and then held or queued)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except ConnectionRefusedError:
        return True
    except TimeoutError:
        return False


def _until_refused(port: int) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if _refused(port):
            return
        time.sleep(0.05)
    raise AssertionError(f"port {port} still takes connections {WAIT} s after SIGTERM")


def _stored_tags(server: Server) -> set[str]:
    listed = server.command("--list", "-format", "json")
    assert listed.returncode == 0, listed.stderr
    return {key["description"] for key in json.loads(listed.stdout)}


def _idle_tls(server: Server) -> ssl.SSLSocket:
    """An HTTPS connection that had one answer and is kept alive, as a pooled client keeps
    it: nothing reads from it, so no TLS close_notify ever comes back from it."""
    context = ssl.create_default_context(cafile=str(server.data_dir / "tls" / "cert.pem"))
    context.check_hostname = False
    tls = context.wrap_socket(_connect(server.https_port))
    tls.sendall(b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
    assert tls.recv(4096).startswith(b"HTTP/1.1 404 ")
    return tls


@pytest.fixture(params=[1, 2], ids=["one worker", "two workers"])
def loaded(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    database_url: str,
    migrated_templates: MigratedTemplates,
) -> Iterator[Server]:
    server = premigrated(make_server(tmp_path, database_url), migrated_templates, forked=False)
    server.env["PANELKEY_SHUTDOWN_GRACE"] = "60"
    yield server.start("--workers", str(request.param))
    server.stop()


def test_sigterm_refuses_new_connections_and_answers_every_request_in_flight(
    loaded: Server,
) -> None:
    assert loaded.proc is not None
    tags = [f"in-flight-{n}" for n in range(8)]
    with contextlib.ExitStack() as opened:
        in_flight = {tag: opened.enter_context(_begin_write(loaded, tag)) for tag in tags}
        idle = opened.enter_context(_connect(loaded.http_port))
        idle.sendall(b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        assert idle.recv(4096).startswith(b"HTTP/1.1 404 ")  # answered, kept alive
        half = opened.enter_context(_connect(loaded.http_port))
        half.sendall(f"POST {AGENT} HTTP/1.1\r\nHost: x\r\n".encode())  # half a head
        opened.enter_context(_idle_tls(loaded))  # never read again
        loaded.proc.send_signal(signal.SIGTERM)
        # While requests are still in flight (their bodies not sent yet), both listeners
        # refuse: the port is closed in every process, the parent's included.
        _until_refused(loaded.http_port)
        _until_refused(loaded.https_port)
        assert _read_all(idle) == b""  # an idle kept-alive connection is closed
        assert _read_all(half) == b""  # and one whose request never came: none of it ran
        answered: set[str] = set()
        for tag, sock in in_flight.items():
            sock.sendall(_packet(tag))
            answer = _read_all(sock)
            assert b" 500 " not in answer.split(b"\r\n", 1)[0]
            if answer.startswith(b"HTTP/1.1 200 ") and b"<status>ok</status>" in answer:
                answered.add(tag)
        # The idle HTTPS connection, which will never answer the server's farewell, does
        # not hold the exit up to the grace (60 s), nor to TLS's own 30 s wait for it.
        assert loaded.proc.wait(EXITED) == 0
    assert answered == set(tags)  # every request in flight finished, within the grace
    assert _stored_tags(loaded) == answered  # and what was answered done is done


def test_when_the_grace_ends_a_request_being_handled_is_answered_and_one_uploading_dropped(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    """The grace ends with one request still uploading (dropped without an answer: none
    of it ran) and one whose write waits on the store (the test holds its write lock):
    that one is let finish and answered, its write not left unreported."""
    server = premigrated(make_server(tmp_path), migrated_templates, forked=False)
    server.env["PANELKEY_SHUTDOWN_GRACE"] = str(GRACE)
    server.start()
    assert server.proc is not None
    try:
        uploading = _begin_write(server, "never-finished")
        handled = _begin_write(server, "finished")
        lock = sqlite3.connect(server.data_dir / "panelkey.db", isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")  # the server's write waits (busy_timeout 30 s)
        handled.sendall(_packet("finished"))
        server.proc.send_signal(signal.SIGTERM)
        _until_refused(server.http_port)
        _until_logged(server, f"1 connection(s) still waiting on their client {GRACE} s after")
        lock.execute("ROLLBACK")  # the grace is over: now the write may go on
        lock.close()
        with handled:
            answer = _read_all(handled)
        assert answer.startswith(b"HTTP/1.1 200 ") and b"<status>ok</status>" in answer
        with uploading:
            uploading.settimeout(WAIT)
            assert _read_all(uploading) == b""  # dropped when the grace ended: no answer
        assert server.proc.wait(WAIT) == 0
        assert _stored_tags(server) == {"finished"}
    finally:
        server.stop()


def _until_logged(server: Server, text: str) -> None:
    deadline = time.monotonic() + WAIT
    while text not in server.log_text():
        assert time.monotonic() < deadline, f"never logged: {text}"
        time.sleep(0.05)
