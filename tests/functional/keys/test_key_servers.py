"""Keys' limits over real servers: several workers of one server, two servers on one
PostgreSQL, and the metrics they add up."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from panelkey.core.access.keypolicy import expires_epoch
from tests.conftest import Server, free_port, system_trust
from tests.functional.rest.rest_helpers import https
from tests.functional.scale.test_revocation import (  # noqa: F401 - two_servers: a fixture
    fresh_connections,
    two_servers,
    works,
)

AGENT = "/enterprise/control/agent.php"
PROTOS = b"<packet><server><get_protos/></server></packet>"


def _make_key(server: Server, *options: str) -> str:
    out = server.command("-c", "-ip-address", "127.0.0.1", *options)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def _xml(server: Server, key: str) -> str:
    # A new connection each time, so that the kernel spreads them over the workers.
    return (
        fresh_connections().post(server.http_url + AGENT, content=PROTOS, headers={"KEY": key}).text
    )


def test_an_expiring_key_is_refused_by_both_servers_on_postgresql(
    two_servers: tuple[Server, Server],  # noqa: F811 - the fixture
) -> None:
    a, b = two_servers
    value = _make_key(a, "-expires", "3s")  # two to three seconds from now: whole seconds
    assert works(a, value) and works(b, value)
    (listed,) = json.loads(a.command("-l", "-format", "json").stdout)
    at = expires_epoch(listed["expires"])
    assert at is not None
    time.sleep(max(0.0, at - time.time()) + 0.3)  # just past it, however long the above took
    assert not works(a, value) and not works(b, value)
    audit = a.command("audit", "--failures", tool="panelkey").stdout
    assert audit.count("reason=expired") >= 2


def test_a_rate_holds_across_two_workers_and_metrics_add_them_up(
    server_factory: Callable[[], Server], tmp_path: Path
) -> None:
    metrics_port = free_port()
    server = server_factory().start("--workers", "2", "--metrics-port", str(metrics_port))
    limited = _make_key(server, "-rate", "6/h")
    plain = _make_key(server)
    # Past the limit, in pairs at once until both workers have answered the limited key: one
    # listening socket may give an idle worker every connection of a sequential client,
    # and on a loaded machine (three test workers) one worker took all of 40 in pairs.
    answers: list[str] = []
    spread: dict[str, float] = {}
    with ThreadPoolExecutor(2) as pool:
        while len(answers) < 14 or (
            len(answers) < 200 and not (len(spread) == 2 and all(spread.values()))
        ):
            answers += pool.map(lambda _: _xml(server, limited), range(2))
            scratch = tmp_path / f"spread-{len(answers)}"
            spread = _requests_per_worker(server.data_dir / "metrics", scratch)
    sent = len(answers)
    # A worker counts a request once its answer is on the way: the last one may not be
    # in its file yet when the answer has come (seen on a loaded machine: 13 of 14).
    deadline = time.monotonic() + 5
    while sum(spread.values()) < sent and time.monotonic() < deadline:
        time.sleep(0.05)
        spread = _requests_per_worker(
            server.data_dir / "metrics", tmp_path / f"late-{time.monotonic()}"
        )
    assert sum("<status>ok</status>" in a for a in answers) == 6
    assert sum("<errcode>11004</errcode>" in a for a in answers) == sent - 6
    # Both workers answered the limited key, so 6 in all is the one shared limit at work
    # (a count per worker would have let up to 12 through).
    assert len(spread) == 2 and all(spread.values()) and sum(spread.values()) == sent, spread
    with https(server) as client:
        rest = client.get("/server", headers={"X-API-Key": limited})
    assert rest.status_code == 429 and int(rest.headers["retry-after"]) > 0
    for _ in range(10):
        assert "<status>ok</status>" in _xml(server, plain)
    _xml(server, "00000000-1111-2222-3333-444444444444")
    for _ in range(12):  # wrong passwords past the lockout's 5, however the workers share them
        fresh_connections().post(
            server.http_url + AGENT,
            content=PROTOS,
            headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": "wrong"},
        )
    text = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", verify=system_trust()).text

    def value(pattern: str) -> float:
        found = re.search(pattern + r" ([0-9.e+]+)", text)
        assert found, pattern
        return float(found.group(1))

    assert value(r'panelkey_refusals_total\{reason="rate limited"\}') == sent - 6 + 1
    assert value(r'panelkey_refusals_total\{reason="unknown key"\}') == 1
    ok = r'panelkey_requests_total\{face="xml",operation="server/get_protos",outcome="ok"\}'
    assert value(ok) == 16
    rest = r'panelkey_requests_total\{face="rest",operation="server/get",outcome="error"\}'
    assert value(rest) == 1  # the 429
    assert value(r'panelkey_keys\{state="limited"\}') == 1
    assert value(r'panelkey_key_verifications_total\{result="verified"\}') == sent + 1 + 10
    assert value(r'panelkey_key_verifications_total\{result="refused"\}') == 1 + sent - 6 + 1
    assert value(r'panelkey_refusals_total\{reason="wrong password"\}') >= 5
    assert value(r"panelkey_lockouts_total") >= 1
    assert value(r'panelkey_keys\{state="plain"\}') == 1
    assert value(r'panelkey_request_seconds_count\{face="xml"\}') == sent + 10 + 1 + 12
    per_worker = _requests_per_worker(server.data_dir / "metrics", tmp_path / "end")
    assert len(per_worker) == 2 and all(per_worker.values()), per_worker
    # each worker's own count, added up above: the limited key's, the plain key's, the
    # unknown key's, the wrong passwords'
    assert sum(per_worker.values()) == sent + 10 + 1 + 12


def _requests_per_worker(folder: Path, scratch: Path) -> dict[str, float]:
    """XML operations each worker counted, read from its own multiprocess file alone."""
    from prometheus_client import CollectorRegistry, multiprocess

    counted: dict[str, float] = {}
    for db in folder.glob("counter_*.db"):
        alone = scratch / db.stem
        alone.mkdir(parents=True)
        shutil.copy(db, alone / db.name)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(alone))  # type: ignore[no-untyped-call]
        counted[db.stem] = sum(
            sample.value
            for family in registry.collect()
            if family.name == "panelkey_requests"
            for sample in family.samples
            if sample.name == "panelkey_requests_total" and sample.labels["face"] == "xml"
        )
    return counted
