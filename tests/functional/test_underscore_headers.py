"""The HTTP server must keep header names with underscores: the XML API is reached with
HTTP_AUTH_LOGIN / HTTP_AUTH_PASSWD / HTTP_PRETTY_PRINT (nginx, for one, drops them)."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import Server

BODY = b"<packet><server><get_protos/></server></packet>"


@pytest.fixture(scope="module")
def server(module_server: Server) -> Server:
    """One server for the module: a key made by one test is no concern of another."""
    return module_server


def raw_post(server: Server, headers: list[str]) -> bytes:
    head = [
        "POST /enterprise/control/agent.php HTTP/1.1",
        "Host: 127.0.0.1",
        "Connection: close",
        f"Content-Length: {len(BODY)}",
        *headers,
    ]
    request = ("\r\n".join(head) + "\r\n\r\n").encode() + BODY
    with socket.create_connection(("127.0.0.1", server.http_port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "names", [("HTTP_AUTH_LOGIN", "HTTP_AUTH_PASSWD"), ("http_auth_login", "Http_Auth_Passwd")]
)
def test_login_headers_with_underscores_reach_the_api(
    server: Server, names: tuple[str, str]
) -> None:
    answer = raw_post(server, [f"{names[0]}: admin", f"{names[1]}: {server.admin_password}"])
    assert answer.startswith(b"HTTP/1.1 200")
    assert b"<get_protos><result><status>ok</status>" in answer, answer


def test_pretty_print_header_with_underscores_is_honoured(server: Server) -> None:
    key = server.command("-c").stdout.strip()
    compact = raw_post(server, [f"KEY: {key}"])
    pretty = raw_post(server, [f"KEY: {key}", "HTTP_PRETTY_PRINT: TRUE"])
    assert b'<packet version="1.6.9.1"><server>' in compact
    assert b'<packet version="1.6.9.1">\n  <server>' in pretty
