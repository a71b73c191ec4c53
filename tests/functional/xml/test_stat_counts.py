"""Every `stat` counts what lives in the domains: a subdomain, a mailbox with forwarding
and a database made over XML show in customer/get, reseller/get, site/get, server/get
and REST GET /clients/{id}/statistics, and go when the subscription goes."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.panel import Panel
from tests.conftest import CHEAP_HASHES
from tests.factories import World
from tests.functional.rest.rest_helpers import Api
from tests.functional.xml.xml_helpers import XmlClient, call, ok, one, results

BOTH = ["sqlite", "postgresql"]


def _stat(result: etree._Element, path: str) -> dict[str, str]:
    stat = ok(result).find(path)
    assert stat is not None, etree.tostring(result)
    return {str(c.tag): c.text or "" for c in stat}


def _fill(xml: XmlClient, ws: int) -> None:
    ok(one(xml, "subdomain", "add", "<parent>carol.example</parent><name>forum</name>"))
    ok(
        one(
            xml,
            "mail",
            "create",
            f"<filter><site-id>{ws}</site-id><mailname><name>bob</name>"
            "<mailbox><enabled>true</enabled></mailbox><forwarding><enabled>true</enabled>"
            "<address>bob@elsewhere.example</address></forwarding></mailname></filter>",
        )
    )
    ok(
        one(
            xml,
            "database",
            "add-db",
            f"<webspace-id>{ws}</webspace-id><name>shop</name><type>mysql</type>",
        )
    )


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_every_stat_counts_subdomains_mail_and_databases(
    xml: XmlClient, world: World, panel: Panel, tmp_path: Path
) -> None:
    carol = world.carol.account
    before = _stat(one(xml, "server", "get", "<stat/>"), "stat/objects")
    _fill(xml, world.carol_ws)

    customer = _stat(
        one(
            xml,
            "customer",
            "get",
            f"<filter><id>{carol.id}</id></filter><dataset><stat/></dataset>",
        ),
        "data/stat",
    )
    assert (customer["subdomains"], customer["postboxs"], customer["redirects"]) == ("1", "1", "1")
    assert customer["data_bases"] == "1"

    reseller = _stat(
        one(
            xml,
            "reseller",
            "get",
            f"<filter><id>{world.reseller.account.id}</id></filter><dataset><stat/></dataset>",
        ),
        "data/stat",
    )
    assert (reseller["subdomains"], reseller["data-bases"], reseller["postboxs"]) == ("1", "1", "1")

    site = _stat(
        one(
            xml,
            "site",
            "get",
            f"<filter><id>{world.carol_ws}</id></filter><dataset><stat/></dataset>",
        ),
        "data/stat",
    )
    assert (site["subdom"], site["box"], site["redir"]) == ("1", "1", "1")

    server = _stat(one(xml, "server", "get", "<stat/>"), "stat/objects")
    for name in ("mail_boxes", "mail_redirects", "databases"):
        assert int(server[name]) == int(before[name]) + 1, name

    settings = load_settings({"data_dir": str(tmp_path), **CHEAP_HASHES}, {})
    api = Api(panel, Context(panel, settings, LivePanelIni(tmp_path / "panel.ini")), tmp_path)
    rest = api.get(f"/clients/{carol.id}/statistics", headers=api.new_key()).json()
    assert (rest["subdomains"], rest["email_postboxes"], rest["databases"]) == (1, 1, 1)

    gone_root = call(xml, "webspace", "del", f"<filter><id>{world.carol_ws}</id></filter>")
    # the subscription and its site blog.carol.example, one result each
    assert {r.findtext("status") for r in results(gone_root, "webspace/del")} == {"ok"}
    gone = _stat(
        one(
            xml,
            "customer",
            "get",
            f"<filter><id>{carol.id}</id></filter><dataset><stat/></dataset>",
        ),
        "data/stat",
    )
    assert (gone["subdomains"], gone["postboxs"], gone["data_bases"]) == ("0", "0", "0")
    assert (
        _stat(one(xml, "server", "get", "<stat/>"), "stat/objects")["databases"]
        == before["databases"]
    )
