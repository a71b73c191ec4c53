"""An acknowledged write survives the server being killed at once (SIGKILL)."""

from __future__ import annotations

import signal
from collections.abc import Callable

import httpx
import pytest
from lxml import etree

from tests.conftest import Server

AGENT = "/enterprise/control/agent.php"


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_keys_acknowledged_before_a_kill_are_kept(
    store: str, request: pytest.FixtureRequest, server_factory: Callable[..., Server]
) -> None:
    url = request.getfixturevalue("pg_url") if store == "postgresql" else None
    server = server_factory(url).start()
    admin = server.cli("-c").stdout.strip()
    values = []
    with httpx.Client(timeout=10) as client:
        for i in range(10):
            body = (
                f"<packet><secret_key><create><ip_address>127.0.0.1</ip_address>"
                f"<description>kept {i}</description></create></secret_key></packet>"
            )
            answer = client.post(server.http_url + AGENT, content=body, headers={"KEY": admin})
            value = etree.fromstring(answer.content).findtext("secret_key/create/result/key")
            assert value, answer.text
            values.append(value)
    assert server.proc is not None
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait()
    server.start()
    listed = server.cli("--list").stdout
    for i in range(10):
        assert f"Description: kept {i}" in listed
    with httpx.Client(timeout=10) as client:
        for value in values:
            answer = client.post(
                server.http_url + AGENT,
                content=b"<packet><server><get_protos/></server></packet>",
                headers={"KEY": value},
            )
            assert b"<status>ok</status>" in answer.content, answer.text
