"""An acknowledged write survives the server being killed at once (SIGKILL)."""

from __future__ import annotations

import signal
from collections.abc import Callable

import httpx
import pytest
from lxml import etree

from tests.conftest import Server, system_trust

AGENT = "/enterprise/control/agent.php"


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_keys_acknowledged_before_a_kill_are_kept(
    store: str, request: pytest.FixtureRequest, server_factory: Callable[..., Server]
) -> None:
    url = request.getfixturevalue("pg_url") if store == "postgresql" else None
    server = server_factory(url).start()
    admin = server.command("-c").stdout.strip()
    values = []
    with httpx.Client(timeout=10, verify=system_trust()) as client:
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
    listed = server.command("--list").stdout
    for i in range(10):
        assert f"Description: kept {i}" in listed
    with httpx.Client(timeout=10, verify=system_trust()) as client:
        for value in values:
            answer = client.post(
                server.http_url + AGENT,
                content=b"<packet><server><get_protos/></server></packet>",
                headers={"KEY": value},
            )
            assert b"<status>ok</status>" in answer.content, answer.text


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_dns_writes_acknowledged_before_a_kill_are_kept(
    store: str, request: pytest.FixtureRequest, server_factory: Callable[..., Server]
) -> None:
    """Clients add and delete records at once (writers queue for the store); the server
    is killed while they still write. Every add answered ok is there after the restart,
    and every delete answered ok is gone, each with its event."""
    import re
    import threading

    url = request.getfixturevalue("pg_url") if store == "postgresql" else None
    server = server_factory(url).start()
    admin = server.command("-c").stdout.strip()
    headers = {"KEY": admin}
    with httpx.Client(timeout=10, verify=system_trust()) as client:
        made = client.post(
            server.http_url + AGENT,
            headers=headers,
            content=b"<packet><webspace><add><gen_setup><name>kept.example</name>"
            b"<htype>vrt_hst</htype><ip_address>127.0.0.1</ip_address></gen_setup></add>"
            b"</webspace></packet>",
        )
    site_id = etree.fromstring(made.content).findtext("webspace/add/result/id")
    assert site_id, made.text
    added: list[str] = []
    deleted: list[str] = []
    tried: set[str] = set()
    stop = threading.Event()

    def writer(n: int) -> None:
        with httpx.Client(timeout=10, verify=system_trust()) as client:
            for i in range(10_000):
                if stop.is_set():
                    return
                try:
                    answer = client.post(
                        server.http_url + AGENT,
                        headers=headers,
                        content=f"<packet><dns><add_rec><site-id>{site_id}</site-id><type>TXT"
                        f"</type><host>w{n}</host><value>v{i}</value></add_rec></dns></packet>",
                    ).text
                    if "<status>ok</status>" not in answer:
                        return
                    new_id = re.search(r"<id>(\d+)</id>", answer)
                    assert new_id is not None
                    added.append(new_id.group(1))
                    if i % 2:
                        tried.add(new_id.group(1))  # maybe gone even if cut by the kill
                        answer = client.post(
                            server.http_url + AGENT,
                            headers=headers,
                            content=f"<packet><dns><del_rec><filter><id>{new_id.group(1)}</id>"
                            "</filter></del_rec></dns></packet>",
                        ).text
                        if "<status>ok</status>" in answer:
                            deleted.append(new_id.group(1))
                except httpx.HTTPError:  # the kill cut this request: not acknowledged
                    return

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    while len(added) < 60:
        assert any(t.is_alive() for t in threads), "the writers stopped before the kill"
        threading.Event().wait(0.01)
    assert server.proc is not None
    server.proc.send_signal(signal.SIGKILL)  # while the writers are still writing
    server.proc.wait()
    stop.set()
    for t in threads:
        t.join()
    acknowledged_adds, acknowledged_dels = list(added), set(deleted)
    server.start()
    with httpx.Client(timeout=10, verify=system_trust()) as client:
        zone = client.post(
            server.http_url + AGENT,
            headers=headers,
            content=f"<packet><dns><get_rec><filter><site-id>{site_id}</site-id></filter>"
            "</get_rec></dns></packet>",
        )
        logged = client.post(
            server.http_url + AGENT,
            headers=headers,
            content=b"<packet><event_log><get_events><lastId>0</lastId></get_events>"
            b"</event_log></packet>",
        )
    present = set(etree.fromstring(zone.content).xpath("//get_rec/result/id/text()"))
    events = {
        (e.findtext("type"), e.findtext("obj_id"))
        for e in etree.fromstring(logged.content).iter("event")
    }
    for record_id in acknowledged_adds:
        assert ("dns_zone_rec_create", record_id) in events
        if record_id in acknowledged_dels:
            assert record_id not in present
            assert ("dns_zone_rec_delete", record_id) in events
        elif record_id not in tried:
            assert record_id in present, f"acknowledged record {record_id} lost"
    assert len(acknowledged_dels) > 10
