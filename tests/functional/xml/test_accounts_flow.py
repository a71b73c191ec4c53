"""The billing flow over accounts, the IP pool, the server and the event log, on both
stores; what XML writes REST reads, and the reverse (one model behind both faces)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.panel import Panel
from tests.conftest import CHEAP_HASHES
from tests.functional.rest.rest_helpers import ADMIN, Api
from tests.functional.xml.xml_helpers import (
    BOTH,
    XmlClient,
    add_customer,
    add_reseller,
    error_of,
    ok,
    only,
    results,
)


def _rest(panel: Panel, tmp_path: Path) -> Api:
    settings = load_settings({"data_dir": str(tmp_path), **CHEAP_HASHES}, {})
    return Api(
        panel,
        Context(panel, settings, LivePanelIni(tmp_path / "panel.ini")),
        tmp_path / "panel.ini",
    )


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_billing_flow_on_both_faces(xml: XmlClient, panel: Panel, tmp_path: Path) -> None:
    rest = _rest(panel, tmp_path)
    protos = ok(only(xml.call("<server><get_protos/></server>"), "server/get_protos"))
    assert protos.findall("protos/proto")[-1].text == "1.6.9.1"
    pool = ok(only(xml.call("<ip><get/></ip>"), "ip/get"))
    assert "127.0.0.1" in [i.findtext("ip_address") for i in pool.findall("addresses/ip_info")]
    start = ok(only(xml.call("<event_log><get-last-id/></event_log>"), "event_log/get-last-id"))

    # XML writes, REST reads
    rid = add_reseller(xml, "res1")
    ok(
        only(
            xml.call(
                f"<reseller><ippool-add-ip><reseller-id>{rid}</reseller-id><ip><ip-address>127.0.0.1"
                "</ip-address></ip></ippool-add-ip></reseller>"
            ),
            "reseller/ippool-add-ip",
        )
    )
    cid = add_customer(xml, "cust1", owner="res1")
    listed = {c["login"]: c for c in rest.get("/clients", auth=ADMIN).json()}
    assert listed["res1"]["type"] == "reseller" and listed["cust1"]["owner_login"] == "res1"

    # REST writes, XML reads
    made = rest.post(
        "/clients",
        auth=ADMIN,
        json={
            "name": "Rest Made",
            "login": "restc",
            "password": "pw-rest-123",
            "type": "customer",
            "email": "",
            "company": "",
        },
    )
    assert made.status_code == 201, made.text
    root = xml.call(
        "<customer><get><filter><login>restc</login></filter>"
        "<dataset><gen_info/></dataset></get></customer>"
    )
    assert ok(only(root, "customer/get")).findtext("data/gen_info/pname") == "Rest Made"
    made = rest.post(
        "/clients",
        auth=ADMIN,
        json={
            "name": "Rest Reseller",
            "login": "restr",
            "password": "pw-rest-123",
            "type": "reseller",
            "email": "",
            "company": "",
        },
    )
    assert made.status_code == 201, made.text
    root = xml.call(
        "<reseller><get><filter><login>restr</login></filter>"
        "<dataset><gen-info/></dataset></get></reseller>"
    )
    assert ok(only(root, "reseller/get")).findtext("id") == str(made.json()["id"])

    stat = ok(only(xml.call("<server><get><stat/></get></server>"), "server/get"))
    assert stat.findtext("stat/objects/clients") == "2"

    user_ip = base64.b64encode(b"198.51.100.2").decode()
    session = ok(
        only(
            xml.call(
                f"<server><create_session><login>cust1</login><data><user_ip>{user_ip}</user_ip>"
                "<source_server></source_server></data></create_session></server>"
            ),
            "server/create_session",
        )
    )
    assert panel.sessions.verify(session.findtext("id") or "") is not None

    ok(
        only(
            xml.call(f"<customer><del><filter><id>{cid}</id></filter></del></customer>"),
            "customer/del",
        )
    )
    ok(
        only(
            xml.call("<reseller><del><filter><login>res1</login></filter></del></reseller>"),
            "reseller/del",
        )
    )
    logins = {c["login"] for c in rest.get("/clients", auth=ADMIN).json()}
    assert logins == {"restc", "restr"}
    assert rest.get(f"/clients/{rid}", auth=ADMIN).status_code == 404
    root = xml.call(
        f"<reseller><get><filter><id>{rid}</id></filter><dataset><gen-info/></dataset></get></reseller>"
    )
    assert error_of(only(root, "reseller/get")) == (1013, "Reseller does not exist")
    # the session of a deleted customer is gone with it
    assert panel.sessions.verify(session.findtext("id") or "") is None

    events = results(
        xml.call(
            f"<event_log><get_events><lastId>{start.findtext('id')}</lastId></get_events></event_log>"
        ),
        "event_log/get_events",
    )[0].findall("event")
    assert [e.findtext("type") for e in events] == [
        "reseller_create",
        "reseller_ip_pool_create",
        "client_create",
        "client_create",
        "reseller_create",
        "client_delete",
        "reseller_delete",
    ]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_plesk_account_elements_on_both_stores(
    xml: XmlClient, panel: Panel, tmp_path: Path
) -> None:
    """power-user, a new GUID, plans on conversion and an address's service node: kept in
    one transaction each, answered back by XML, and the GUID seen by REST too."""
    rest = _rest(panel, tmp_path)
    ok(
        only(
            xml.call("<reseller-plan><add><name>RP</name></add></reseller-plan>"),
            "reseller-plan/add",
        )
    )
    rid = add_reseller(xml, "res1", "<plan-name>RP</plan-name>")
    ok(
        only(
            xml.call(
                "<reseller><set><filter><login>res1</login></filter><values><gen-info><guid/>"
                "<power-user>true</power-user></gen-info></values></set></reseller>"
            ),
            "reseller/set",
        )
    )
    got = ok(
        only(
            xml.call(
                "<reseller><get><filter><login>res1</login></filter><dataset><gen-info/>"
                "<subscriptions/></dataset></get></reseller>"
            ),
            "reseller/get",
        )
    )
    assert got.findtext("data/gen-info/power-user") == "true"
    assert got.findtext("data/subscriptions/subscription/plan/plan-guid")
    guid = got.findtext("data/gen-info/guid")
    assert rest.get(f"/clients/{rid}", auth=ADMIN).json()["guid"] == guid

    ok(
        only(
            xml.call(
                "<ip><add><type>shared</type><interface>eth0</interface><ip_address>192.0.2.33"
                "</ip_address><netmask>255.255.255.0</netmask><service-node><id>n1</id>"
                "</service-node></add></ip>"
            ),
            "ip/add",
        )
    )
    pool = ok(only(xml.call("<ip><get/></ip>"), "ip/get"))
    (info,) = [
        i for i in pool.findall("addresses/ip_info") if i.findtext("ip_address") == "192.0.2.33"
    ]
    assert info.findtext("service-node/id") == "n1"
    held = panel.ips.get("192.0.2.33")
    assert held is not None and panel.properties.get("ip_address", held.id) != {}
    ok(
        only(
            xml.call("<ip><del><filter><ip_address>192.0.2.33</ip_address></filter></del></ip>"),
            "ip/del",
        )
    )
    assert panel.properties.get("ip_address", held.id) == {}

    # deleting the reseller forgets what was kept of it
    ok(
        only(
            xml.call("<reseller><del><filter><login>res1</login></filter></del></reseller>"),
            "reseller/del",
        )
    )
    assert panel.properties.get("account", rid) == {}
