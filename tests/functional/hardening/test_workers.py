"""`--workers 2` supervised: a dead worker is replaced and logged, workers end with their
parent, SIGTERM drains."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import MigratedTemplates, Server, make_server, premigrated, system_trust

AGENT = "/enterprise/control/agent.php"
WAIT = 30.0  # generous: a deadline for the test to fail rather than hang, not a measure


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.update(int(x) for x in text)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {WAIT} s: {what}")


def _answers(server: Server) -> bool:
    response = httpx.post(
        server.http_url + AGENT,
        content=b"<packet><server><get_protos/></server></packet>",
        headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": server.admin_password},
        timeout=10,
        verify=system_trust(),
    )
    return response.status_code == 200 and b"<proto>" in response.content


@pytest.fixture
def two(tmp_path: Path, migrated_templates: MigratedTemplates) -> Iterator[Server]:
    server = premigrated(make_server(tmp_path), migrated_templates, forked=False)
    server.start("--workers", "2")
    assert server.proc is not None
    parent = server.proc.pid
    _until(lambda: len(_children(parent)) == 2, "two workers")
    yield server
    server.stop()


def test_a_killed_worker_is_replaced_and_logged(two: Server) -> None:
    assert two.proc is not None
    parent = two.proc.pid
    first = _children(parent)
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    _until(lambda: len(_children(parent) - first) == 1, "a new worker")
    assert victim not in _children(parent)
    _until(lambda: "killed by SIGKILL; starting a new one" in two.log_text(), "the log line")
    assert f"(pid {victim})" in two.log_text()
    assert _answers(two)


def test_killing_the_parent_ends_the_workers(two: Server) -> None:
    assert two.proc is not None
    workers = _children(two.proc.pid)
    two.proc.kill()
    two.proc.wait()
    _until(lambda: not any(_alive(pid) for pid in workers), "the workers to end")
    for port in (two.https_port, two.http_port):  # free again: a restart can listen there
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
            sock.listen()
    two.proc = None


def test_sigterm_drains_every_worker(two: Server) -> None:
    assert two.proc is not None
    workers = _children(two.proc.pid)
    two.proc.send_signal(signal.SIGTERM)
    assert two.proc.wait(WAIT) == 0
    assert not any(_alive(pid) for pid in workers)
    assert "starting a new one" not in two.log_text()
