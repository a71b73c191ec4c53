"""Faults injected on purpose, against one running server with two workers: rules set
from the CLI, the pytest plugin and a seed file answer the next calls on every worker
(an errcode, an HTTP status, a delay, a drop, a share of calls, one key or one login),
write nothing, are marked in the journal, and are gone after their count."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from panelkey.journal import Journal
from panelkey.pytest_plugin import PanelkeyServer, PanelkeyServerError, start_server
from tests.conftest import run_tool, system_trust
from tests.functional.testing.worker_connections import AGENT, Pinned, children, per_worker, until

PROTOS = "<packet><server><get_protos/></server></packet>"


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PanelkeyServer]:
    server = start_server(tmp_path_factory.mktemp("faults"), ("--workers", "2"))
    until(lambda: len(children(server.pid)) == 2, "two workers")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _no_rule_left(two: PanelkeyServer) -> Iterator[None]:
    yield
    panelkey(two, "fault", "clear")


def _admin(server: PanelkeyServer) -> dict[str, str]:
    return {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": server.admin_password}


def panelkey(server: PanelkeyServer, *args: str, stdin: str = "") -> str:
    """The `panelkey` command on the server's store, run in this process (its `main`)."""
    done = run_tool(server.env, "panelkey", *args, stdin=stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _rules(server: PanelkeyServer) -> list[dict[str, object]]:
    """`panelkey fault list --json`: the rules not yet spent, with their hits."""
    return [json.loads(line) for line in panelkey(server, "fault", "list", "--json").splitlines()]


def _post(server: PanelkeyServer, packet: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(
        server.http_url + AGENT,
        content=packet.encode(),
        headers=headers,
        timeout=30,
        verify=system_trust(),
    )


def _rest(server: PanelkeyServer) -> httpx.Client:
    return httpx.Client(
        base_url=server.url + "/api/v2",
        auth=("admin", server.admin_password),
        verify=server.ssl_context(),
        timeout=30,
    )


def _add_site(name: str) -> str:
    site = f"<gen_setup><name>{name}</name></gen_setup>"
    return f"<packet><webspace><add>{site}</add></webspace></packet>"


def _site_exists(server: PanelkeyServer, name: str) -> bool:
    answer = _post(
        server,
        f"<packet><webspace><get><filter><name>{name}</name></filter>"
        "<dataset><gen_info/></dataset></get></webspace></packet>",
        _admin(server),
    ).text
    assert "<status>ok</status>" in answer or "<errcode>1013</errcode>" in answer, answer
    return "<status>ok</status>" in answer


def _settled(server: PanelkeyServer) -> int:
    """How many injected entries the journal holds once earlier tests' have all landed
    (the module shares one server; the journal is flushed every fifth of a second)."""
    count = len(_injected(server, 0))
    while True:
        time.sleep(0.25)
        again = len(_injected(server, 0))
        if again == count:
            return count
        count = again


def _injected(server: PanelkeyServer, rules: int) -> list[dict[str, object]]:
    """The journal's entries of injected answers, once `rules` of them are written (the
    journal is written in batches, off the request's path)."""
    book = Journal(server.data_dir / "journal.db", size=1)
    found: list[dict[str, object]] = []

    def enough() -> bool:
        found[:] = [
            e.as_dict() for e in book.entries(limit=1000) if e.reason.startswith("injected")
        ]
        return len(found) >= rules

    until(enough, f"{rules} injected entries in the journal", wait=10)
    return found


def _error(answer: str) -> tuple[str, str]:
    found = re.search(r"<errcode>(\d+)</errcode><errtext>([^<]*)</errtext>", answer)
    assert found is not None, answer
    return found.group(1), found.group(2)


@pytest.fixture
def pinned(two: PanelkeyServer) -> Iterator[Callable[[], list[Pinned]]]:
    """Makes a kept-alive connection to each of the two workers; closes them all."""
    made: list[Pinned] = []

    def pin() -> list[Pinned]:
        found = per_worker(int(two.http_url.rsplit(":", 1)[1]), two.pid, _admin(two))
        made.extend(found.values())
        return list(found.values())

    yield pin
    for conn in made:
        conn.close()


def test_an_errcode_answers_the_next_calls_on_both_workers_and_writes_nothing(
    two: PanelkeyServer, pinned: Callable[[], list[Pinned]]
) -> None:
    before = _settled(two)
    warmed = pinned()  # both workers have read the rules (none) and keep them
    for n, conn in enumerate(warmed):
        assert "<status>ok</status>" in conn.xml(_add_site(f"warm{n}.example"), _admin(two))
    panelkey(
        two, "fault", "add", "--operation", "webspace/add", "--errcode", "1007",
        "--errtext", "Domain already exists", "--times", "2",
    )  # fmt: skip
    conns = pinned()  # the same two workers; one kept idle over a command would be closed
    # one call on each worker: both see the rule at once, and it counts across them
    for n, conn in enumerate(conns):
        answer = conn.xml(_add_site(f"refused{n}.example"), _admin(two))
        assert "<webspace><add><result><status>error</status>" in answer, answer
        assert _error(answer) == ("1007", "Domain already exists")
    answer = conns[0].xml(_add_site("made.example"), _admin(two))
    assert "<status>ok</status>" in answer, answer
    for conn in conns:  # spent: gone from every worker
        assert "<status>ok</status>" in conn.xml(PROTOS, _admin(two))
    assert not _site_exists(two, "refused0.example")
    assert not _site_exists(two, "refused1.example")
    assert _site_exists(two, "made.example")
    assert panelkey(two, "fault", "list") == ""
    marked = _injected(two, before + 2)[before:]
    assert [(e["operation"], e["errcode"]) for e in marked] == [("webspace/add", "1007")] * 2
    assert all(str(e["reason"]).endswith("(errcode 1007)") for e in marked)


def test_an_http_status_answers_in_place_of_the_packet_or_the_rest_call(
    two: PanelkeyServer,
) -> None:
    before = _settled(two)
    panelkey(two, "fault", "add", "--operation", "webspace/add", "--http-status", "503",
             "--times", "1")  # fmt: skip
    refused = _post(two, _add_site("busy.example"), _admin(two))
    assert (refused.status_code, refused.text) == (503, "503 Service Unavailable\n")
    assert not _site_exists(two, "busy.example")
    assert "<status>ok</status>" in _post(two, _add_site("busy.example"), _admin(two)).text

    panelkey(two, "fault", "add", "--operation", "POST /api/v2/clients", "--http-status", "400",
             "--errtext", "Login is already taken", "--times", "1")  # fmt: skip
    body = {"name": "Jo", "login": "jo", "password": "pw-jo-12345", "email": "j@o.ex"}
    with _rest(two) as rest:
        taken = rest.post("/clients", json={**body, "type": "customer"})
        assert (taken.status_code, taken.json()) == (
            400,
            {"code": 400, "message": "Login is already taken"},
        )
        assert all(c["login"] != "jo" for c in rest.get("/clients").json())
        assert rest.post("/clients", json={**body, "type": "customer"}).status_code == 201
    marked = _injected(two, before + 2)[before:]
    assert {e["status"] for e in marked} == {503, 400}


def test_a_delay_waits_then_the_operation_runs(two: PanelkeyServer) -> None:
    before = _settled(two)
    panelkey(two, "fault", "add", "--operation", "webspace/add", "--delay", "1500ms",
             "--times", "1")  # fmt: skip
    started = time.monotonic()
    answer = _post(two, _add_site("slow.example"), _admin(two)).text
    assert time.monotonic() - started >= 1.5
    assert "<status>ok</status>" in answer and _site_exists(two, "slow.example")
    started = time.monotonic()
    assert "<status>ok</status>" in _post(two, _add_site("quick.example"), _admin(two)).text
    assert time.monotonic() - started < 1.5
    (entry,) = _injected(two, before + 1)[before:]
    assert entry["operation"] == "webspace/add" and entry["outcome"] == "ok"
    assert str(entry["reason"]).endswith("(delay 1.5s)")


def test_a_drop_closes_the_connection_unanswered(two: PanelkeyServer) -> None:
    before = _settled(two)
    panelkey(two, "fault", "add", "--operation", "GET /api/v2/clients", "--drop", "--times", "1")
    panelkey(two, "fault", "add", "--operation", "server/get_protos", "--drop", "--times", "1")
    with _rest(two) as rest, pytest.raises(httpx.RemoteProtocolError):
        rest.get("/clients")
    with pytest.raises(httpx.RemoteProtocolError):
        _post(two, PROTOS, _admin(two))
    with _rest(two) as rest:
        assert rest.get("/clients").status_code == 200
    assert "<proto>" in _post(two, PROTOS, _admin(two)).text
    log = (two.data_dir / "server.log").read_text()
    assert "Exception in ASGI" not in log and "without starting response" not in log
    assert {e["status"] for e in _injected(two, before + 2)[before:]} == {0}


def test_a_ratio_answers_a_share_of_the_calls(two: PanelkeyServer) -> None:
    panelkey(two, "fault", "add", "--operation", "server/get_protos", "--http-status", "503",
             "--ratio", "0.5")  # fmt: skip
    with httpx.Client(
        base_url=two.http_url, headers=_admin(two), timeout=30, verify=system_trust()
    ) as client:
        statuses = [client.post(AGENT, content=PROTOS.encode()).status_code for _ in range(40)]
    refused = statuses.count(503)
    assert 5 <= refused <= 35 and refused + statuses.count(200) == 40, statuses
    (rule,) = _rules(two)
    assert rule["hits"] == refused and rule["remaining"] is None


def test_a_rule_for_one_key_leaves_other_keys_and_logins_alone(two: PanelkeyServer) -> None:
    chosen, other = two.make_key(description="chosen"), two.make_key(description="other")
    # the key's value on stdin, never in the arguments
    panelkey(two, "fault", "add", "--operation", "server/get_protos", "--errcode", "1006",
             "--errtext", "Permission denied.", "--key", "-", stdin=chosen)  # fmt: skip
    for _ in range(2):
        assert _error(_post(two, PROTOS, {"KEY": chosen}).text)[0] == "1006"
        assert "<proto>" in _post(two, PROTOS, {"KEY": other}).text
        assert "<proto>" in _post(two, PROTOS, _admin(two)).text
    assert _rules(two)[0]["hits"] == 2


def test_the_plugin_and_a_seed_file_set_rules_too(two: PanelkeyServer, tmp_path: Path) -> None:
    value = "feedf00d-0000-1111-2222-333344445555"
    seed = {
        "accounts": [{"type": "customer", "login": "shop", "password": "pw-shop-1234"}],
        "keys": [{"value": value, "login": "shop", "ips": ["127.0.0.1"]}],
        "faults": [
            {"operation": "customer/get", "login": "shop", "errcode": 1013, "times": 1},
            {"operation": "server/get_protos", "key": value, "http_status": 502},
        ],
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    assert "2 faults" in panelkey(two, "seed", str(path))
    get = "<packet><customer><get><filter/><dataset><gen_info/></dataset></get></customer></packet>"
    assert _error(_post(two, get, {"KEY": value}).text)[0] == "1013"
    assert "<login>shop</login>" in _post(two, get, {"KEY": value}).text  # spent
    assert "<status>ok</status>" in _post(two, get, _admin(two)).text
    assert _post(two, PROTOS, {"KEY": value}).status_code == 502
    assert _post(two, PROTOS, _admin(two)).status_code == 200

    rule = two.fault("POST /api/v2/clients", errtext="Too many clients", http_status=409, times=1)
    assert (rule["operation"], rule["remaining"], rule["hits"]) == ("POST /api/v2/clients", 1, 0)
    body = {"name": "Al", "login": "al", "password": "pw-al-12345", "email": "a@l.ex"}
    with _rest(two) as rest:
        refused = rest.post("/clients", json={**body, "type": "customer"})
        assert refused.json() == {"code": 409, "message": "Too many clients"}
        assert rest.post("/clients", json={**body, "type": "customer"}).status_code == 201
    two.fault("customer/get", errcode=1023, errtext="Down for a moment", key=value)
    assert _error(_post(two, get, {"KEY": value}).text) == ("1023", "Down for a moment")
    assert "<status>ok</status>" in _post(two, get, _admin(two)).text
    assert len(two.faults()) == 2  # the seed's 502 and this one
    two.clear_faults()
    assert _rules(two) == []
    assert "<proto>" in _post(two, PROTOS, {"KEY": value}).text


def test_a_rule_that_makes_no_sense_is_refused_and_nothing_is_kept(
    two: PanelkeyServer,
) -> None:
    for args, said in [
        (("POST /api/v2/clients", "--errcode", "1007"), "--errcode is the XML API's"),
        (("webspace", "--errcode", "1007"), "operation 'webspace'"),
    ]:
        refused = run_tool(two.env, "panelkey", "fault", "add", "--operation", *args)
        assert refused.returncode == 1 and said in refused.stderr, refused.stderr
    # the plugin's own calls say why too
    with pytest.raises(PanelkeyServerError, match="needs an errcode"):
        two.fault("webspace/add")
    with pytest.raises(PanelkeyServerError, match=r"faults\[0\] \(customer/get\)"):
        two.seed({"faults": [{"operation": "customer/get", "errcode": "1013"}]})
    assert _rules(two) == []


def test_the_plugin_saves_and_restores_the_store_with_its_rules(two: PanelkeyServer) -> None:
    two.seed({"accounts": [{"type": "customer", "login": "kept", "password": "pw-kept-1234"}]})
    two.snapshot("plugin-base")
    made = two.make_key(description="made after the save")
    assert "<proto>" in _post(two, PROTOS, {"KEY": made}).text  # cached by a worker now
    with _rest(two) as rest:
        (kept,) = [c for c in rest.get("/clients").json() if c["login"] == "kept"]
        assert rest.delete(f"/clients/{kept['id']}").status_code == 200
    two.fault("server/get_protos", http_status=503)
    two.restore("plugin-base")
    assert _rules(two) == []  # the rule was made after the save: gone with the rest
    assert _error(_post(two, PROTOS, {"KEY": made}).text)[0] == "11003"
    with _rest(two) as rest:
        assert [c["id"] for c in rest.get("/clients").json() if c["login"] == "kept"] == [
            kept["id"]
        ]


def test_a_count_holds_across_workers_under_concurrent_calls(two: PanelkeyServer) -> None:
    panelkey(two, "fault", "add", "--operation", "server/get_protos", "--http-status", "503",
             "--times", "5")  # fmt: skip

    def call(_: int) -> int:
        return _post(two, PROTOS, _admin(two)).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(call, range(24)))
    assert sorted(statuses) == [200] * 19 + [503] * 5, statuses
    assert _rules(two) == []
