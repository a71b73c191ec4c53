"""One kept-alive connection to each worker of a `--workers N` server, so a test can ask
every worker in turn. Which worker accepted a connection is read from /proc: the
server side's socket inode (/proc/net/tcp), found among that worker's open files."""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable
from pathlib import Path

AGENT = "/enterprise/control/agent.php"
WAIT = 30.0  # a deadline for the test to fail rather than hang, not a measure


def until(check: Callable[[], bool], what: str, wait: float = WAIT) -> None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {wait} s: {what}")


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(x) for x in (task / "children").read_text().split())
    return found


def _inode(server_port: int, client_port: int) -> int | None:
    local, remote = f":{server_port:04X}", f":{client_port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(local) and fields[2].endswith(remote):
                return int(fields[9])
    return None


def _owner(inode: int, pids: set[int]) -> int | None:
    wanted = f"socket:[{inode}]"
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if fd.readlink().as_posix() == wanted:
                    return pid
            except OSError:
                continue
    return None


def xml(conn: http.client.HTTPConnection, packet: str, headers: dict[str, str]) -> str:
    """Post a packet on this connection (kept alive) and read the whole answer."""
    conn.request("POST", AGENT, body=packet.encode(), headers=headers)
    answer = conn.getresponse()
    body = answer.read()
    assert answer.status == 200, (answer.status, body)
    return body.decode()


_CLOSED = (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected)


class Pinned:
    """A kept-alive connection to one worker. The server closes a connection left idle
    past its keep-alive timeout (seconds, which a busy machine spends on one command):
    then a new one is opened, until that same worker accepts it, and the request sent
    again (it was never read)."""

    def __init__(self, port: int, pid: int, conn: http.client.HTTPConnection) -> None:
        self.port, self.pid, self.conn = port, pid, conn

    def xml(self, packet: str, headers: dict[str, str]) -> str:
        try:
            return xml(self.conn, packet, headers)
        except _CLOSED:
            self.conn.close()
        for _ in range(200):
            conn, owner = _opened(self.port, {self.pid}, headers)
            if owner == self.pid:
                self.conn = conn
                return xml(conn, packet, headers)
            conn.close()
        raise AssertionError(f"worker {self.pid} accepted no new connection")

    def close(self) -> None:
        self.conn.close()


def _opened(
    port: int, workers: set[int], headers: dict[str, str]
) -> tuple[http.client.HTTPConnection, int | None]:
    """A new connection, and the worker that accepted it (once a request was answered)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    xml(conn, "<packet><server><get_protos/></server></packet>", headers)
    assert conn.sock is not None
    inode = _inode(port, conn.sock.getsockname()[1])
    return conn, None if inode is None else _owner(inode, workers)


def per_worker(
    port: int, parent: int, headers: dict[str, str], count: int = 2
) -> dict[int, Pinned]:
    """worker pid -> a connection that worker accepted, one for each of `count` workers."""
    workers = children(parent)
    assert len(workers) == count, workers
    found: dict[int, Pinned] = {}
    for _ in range(200):
        conn, owner = _opened(port, workers, headers)
        if owner is not None and owner not in found:
            found[owner] = Pinned(port, owner, conn)
            if len(found) == count:
                return found
        else:
            conn.close()
    for pinned in found.values():
        pinned.close()
    raise AssertionError(f"connections reached only workers {sorted(found)} of {workers}")
