"""The pytest plugin's server: its plain HTTP port is picked before the server binds it,
and one taken in between starts the server again on another."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from panelkey import pytest_plugin
from panelkey.pytest_plugin import start_server


def test_a_taken_http_port_starts_the_server_on_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        picks = iter([port])
        free = pytest_plugin._free_port
        monkeypatch.setattr(pytest_plugin, "_free_port", lambda: next(picks, 0) or free())
        server = start_server(tmp_path)
        try:
            assert server.http_url and f":{port}" not in server.http_url
            answer = httpx.post(
                f"{server.http_url}/enterprise/control/agent.php",
                content=b"<packet><server><get_protos/></server></packet>",
                headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": server.admin_password},
            )
            assert b"<status>ok</status>" in answer.content
        finally:
            server.stop()
