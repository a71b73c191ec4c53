"""Lockouts on real servers: the pytest plugin's server keeps making keys after wrong
passwords; with lockouts on, the console names the seconds left and `unlock()` (the
CLI, while the server runs) lifts the lockout."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from panelkey.pytest_plugin import PanelkeyServer, PanelkeyServerError, start_server


def _wrong_passwords(server: PanelkeyServer, count: int) -> None:
    for _ in range(count):
        answer = httpx.get(
            server.url + "/api/v2/server", auth=("admin", "wrong"), verify=server.ssl_context()
        )
        assert answer.status_code == 401


@pytest.fixture
def started() -> Iterator[list[PanelkeyServer]]:
    servers: list[PanelkeyServer] = []
    yield servers
    for server in servers:
        server.stop()


def test_the_plugins_make_key_works_after_wrong_passwords(
    started: list[PanelkeyServer], tmp_path: Path
) -> None:
    server = start_server(tmp_path)
    started.append(server)
    _wrong_passwords(server, 6)  # past the production limit of 5 from one source
    assert re.fullmatch(r"[0-9a-f-]{36}", server.make_key(description="after"))


def test_with_lockouts_on_the_console_names_the_seconds_left_and_unlock_lifts_it(
    started: list[PanelkeyServer], tmp_path: Path
) -> None:
    server = start_server(tmp_path, lockouts=True)
    started.append(server)
    server.make_key()  # 127.0.0.1 is familiar for admin now
    _wrong_passwords(server, 5)
    with pytest.raises(PanelkeyServerError, match="401"):
        server.make_key()
    with httpx.Client(base_url=server.url, verify=server.ssl_context()) as client:
        form = client.get("/console/login").text
        found = re.search(r'name="csrf" value="([^"]+)"', form)
        assert found, form
        answer = client.post(
            "/console/login",
            data={"csrf": found.group(1), "login": "admin", "password": server.admin_password},
        )
    assert answer.status_code == 401
    said = re.search(r"locked out for (\d+) more seconds", answer.text)
    assert said and 0 < int(said.group(1)) <= 600, answer.text
    server.unlock(source="127.0.0.1")
    assert server.make_key()
