"""One model behind both faces: a reseller, its customer and a subscription made
over XML are REST /clients and /domains; the same made over REST are XML objects, with
the plan's limits and the owner's domain list."""

from __future__ import annotations

from pathlib import Path

import pytest

from panelkey.context import Context
from panelkey.core.panel import Panel
from tests.functional.rest.rest_helpers import ADMIN, Api
from tests.functional.xml.xml_helpers import (
    BOTH,
    XmlClient,
    add_customer,
    add_reseller,
    error_of,
    named,
    one,
)


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_xml_made_objects_are_rest_clients_and_domains(
    xml: XmlClient, panel: Panel, ctx: Context, tmp_path: Path
) -> None:
    api = Api(panel, ctx, tmp_path / "panel.ini")
    rid = add_reseller(xml, "res1")
    cid = add_customer(xml, "cust1", owner="res1")
    # a reseller's customer is put on its reseller's plans
    one(xml, "service-plan", "add", "<name>Basic</name><owner-login>res1</owner-login>")
    ws = one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>xml-made.example</name><owner-login>cust1</owner-login></gen_setup>"
        "<plan-name>Basic</plan-name>",
    )
    assert ws.findtext("status") == "ok"
    clients = {c["login"]: c for c in api.get("/clients", auth=ADMIN).json()}
    assert clients["res1"]["id"] == rid and clients["res1"]["type"] == "reseller"
    assert clients["cust1"]["id"] == cid and clients["cust1"]["type"] == "customer"
    domain = api.get(f"/domains/{ws.findtext('id')}", auth=ADMIN)
    assert domain.status_code == 200, domain.text
    assert domain.json()["name"] == "xml-made.example"
    assert domain.json()["guid"] == ws.findtext("guid")
    # deleted over XML: gone from REST
    one(xml, "webspace", "del", "<filter><name>xml-made.example</name></filter>")
    assert api.get(f"/domains/{ws.findtext('id')}", auth=ADMIN).status_code == 404
    assert "xml-made.example" not in [d["name"] for d in api.get("/domains", auth=ADMIN).json()]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_rest_made_objects_are_xml_customers_and_webspaces(
    xml: XmlClient, panel: Panel, ctx: Context, tmp_path: Path
) -> None:
    api = Api(panel, ctx, tmp_path / "panel.ini")
    made = api.post(
        "/clients",
        auth=ADMIN,
        json={
            "name": "Rest Customer",
            "login": "restc",
            "password": "pw-rest-12345",
            "type": "customer",
            "email": "",
            "company": "",
        },
    )
    assert made.status_code == 201, made.text
    domain = api.post(
        "/domains",
        auth=ADMIN,
        json={
            "name": "rest-made.example",
            "hosting_type": "virtual",
            "owner_client": {"login": "restc"},
        },
    )
    assert domain.status_code == 201, domain.text
    got = one(
        xml,
        "webspace",
        "get",
        "<filter><name>rest-made.example</name></filter><dataset><gen_info/><limits/></dataset>",
    )
    assert got.findtext("status") == "ok"
    assert got.findtext("id") == str(domain.json()["id"])
    assert got.findtext("data/gen_info/owner-login") == "restc"
    assert named(got.find("data/limits"), "limit")["max_db"] == "-1"
    listed = one(xml, "customer", "get-domain-list", "<filter><login>restc</login></filter>")
    assert [d.findtext("name") for d in listed.findall("domains/domain")] == ["rest-made.example"]
    # put on a plan over XML, the REST-made subscription takes the plan's limits
    one(
        xml,
        "service-plan",
        "add",
        "<name>Small</name>"
        "<limits><limit><name>max_db</name><value>1</value></limit></limits>"
        "<external-id>ext-small</external-id>",
    )
    switched = one(
        xml,
        "webspace",
        "switch-subscription",
        "<filter><name>rest-made.example</name></filter>"
        "<plan-external-id>ext-small</plan-external-id>",
    )
    assert switched.findtext("status") == "ok"
    got = one(
        xml,
        "webspace",
        "get",
        "<filter><name>rest-made.example</name></filter><dataset><limits/></dataset>",
    )
    assert named(got.find("data/limits"), "limit")["max_db"] == "1"
    # deleted over REST: gone from XML
    gone = api.delete(f"/clients/{made.json()['id']}", auth=ADMIN)
    assert gone.status_code == 200, gone.text
    miss = one(
        xml,
        "customer",
        "get",
        "<filter><login>restc</login></filter><dataset><gen_info/></dataset>",
    )
    assert error_of(miss) == (1013, "Client does not exist")
    miss = one(
        xml,
        "webspace",
        "get",
        "<filter><name>rest-made.example</name></filter><dataset><gen_info/></dataset>",
    )
    assert error_of(miss) == (1013, "Webspace does not exist")
