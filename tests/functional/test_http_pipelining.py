"""Answers on one connection keep their order and their bytes when several requests come
in one send (their writes are held to the end of the event loop's turn, httpguard)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MigratedTemplates, Server, make_server, premigrated

AGENT = "/enterprise/control/agent.php"


@pytest.fixture
def server(tmp_path: Path, migrated_templates: MigratedTemplates) -> Iterator[Server]:
    server = premigrated(make_server(tmp_path), migrated_templates)  # no first start
    yield server.start()
    server.stop()


def _request(server: Server, packet: str, last: bool) -> bytes:
    body = packet.encode()
    return (
        f"POST {AGENT} HTTP/1.1\r\nHost: panelkey\r\nHTTP_AUTH_LOGIN: admin\r\n"
        f"HTTP_AUTH_PASSWD: {server.admin_password}\r\nContent-Length: {len(body)}\r\n"
        + ("Connection: close\r\n" if last else "")
        + "\r\n"
    ).encode() + body


def test_pipelined_requests_are_answered_in_order_each_whole(server: Server) -> None:
    packets = [
        "<packet><server><get_protos/></server></packet>",
        "<packet><customer><get><filter><login>nobody</login></filter>"
        "<dataset><gen_info/></dataset></get></customer></packet>",
        "<packet><server><get_protos/></server></packet>",
    ]
    raw = b"".join(_request(server, p, n == len(packets) - 1) for n, p in enumerate(packets))
    with socket.create_connection(("127.0.0.1", server.http_port)) as sock:
        sock.sendall(raw)
        sock.settimeout(30)
        got = b""
        while chunk := sock.recv(65536):
            got += chunk
    answers = []
    rest = got
    while rest:
        head, _, rest = rest.partition(b"\r\n\r\n")
        length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))  # type: ignore[union-attr]
        assert head.startswith(b"HTTP/1.1 200 ")
        answers.append(rest[:length])
        rest = rest[length:]
    assert len(answers) == 3
    assert b"<get_protos>" in answers[0] and b"<proto>" in answers[0]
    assert b"<customer><get>" in answers[1] and b"<errcode>1013</errcode>" in answers[1]
    assert answers[2] == answers[0]
