"""What lives in a subscription goes with it: deleting a webspace removes its
subdomains, site aliases, FTP users, protected directories and their users, in the
delete's transaction, and no listing (XML or REST) shows them after; a site's own
content goes with the site; nobody else's is touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.panel import Panel
from tests import factories
from tests.conftest import CHEAP_HASHES
from tests.factories import World
from tests.functional.rest.rest_helpers import Api
from tests.functional.xml.xml_helpers import BOTH, XmlClient, one, results

LISTINGS = {
    "subdomain": "<subdomain><get><filter/></get></subdomain>",
    "site-alias": "<site-alias><get><filter/></get></site-alias>",
    "ftp-user": "<ftp-user><get><filter/></get></ftp-user>",
    "protected-dir": "<protected-dir><get><filter/></get></protected-dir>",
}


def _fill(xml: XmlClient, ws: int, site: int, tag: str) -> None:
    """A subdomain, an alias, an FTP user and a protected directory with a user."""
    names = {"ws": "carol.example" if tag == "c" else "dave.example"}
    assert (
        one(
            xml, "subdomain", "add", f"<parent>{names['ws']}</parent><name>sub{tag}</name>"
        ).findtext("status")
        == "ok"
    )
    assert (
        one(
            xml,
            "site-alias",
            "create",
            f"<site-id>{site}</site-id><name>alias-{tag}.example</name>",
        ).findtext("status")
        == "ok"
    )
    ftp = f"<name>ftp{tag}</name><password>pw-{tag}-123</password><home/>"
    ftp += f"<webspace-id>{ws}</webspace-id>"
    assert one(xml, "ftp-user", "add", ftp).findtext("status") == "ok"
    pd = one(xml, "protected-dir", "add", f"<site-id>{site}</site-id><name>private</name>")
    pd_id = pd.findtext("id")
    added = one(
        xml,
        "protected-dir",
        "add-user",
        f"<pd-id>{pd_id}</pd-id><login>u{tag}</login><password>pw-{tag}-123</password>",
    )
    assert added.findtext("status") == "ok"


def _ids(xml: XmlClient) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for operator, packet in LISTINGS.items():
        found = results(xml.call(packet), f"{operator}/get")
        out[operator] = [r.findtext("id") or "" for r in found if r.findtext("id")]
    return out


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_deleting_a_subscription_removes_its_site_content_from_every_listing(
    xml: XmlClient, world: World, panel: Panel, tmp_path: Path
) -> None:
    _fill(xml, world.carol_ws, world.carol_site, "c")
    _fill(xml, world.dave_ws, world.dave_ws, "d")
    before = _ids(xml)
    assert all(len(ids) == 2 for ids in before.values()), before
    gone = results(
        xml.call(f"<webspace><del><filter><id>{world.carol_ws}</id></filter></del></webspace>"),
        "webspace/del",
    )
    assert all(r.findtext("status") == "ok" for r in gone)
    after = _ids(xml)
    assert all(len(ids) == 1 for ids in after.values()), after
    assert all(after[k][0] in before[k] for k in after)
    who = factories.admin(panel)
    assert [u.name for u in panel.ftp_users.list(who)] == ["ftpd"]
    assert [s.ascii_name for s in panel.subdomains.list(who)] == ["subd.dave.example"]
    assert [a.name for a in panel.site_aliases.list(who)] == ["alias-d.example"]
    assert [u.login for u in panel.protected_dirs.users(who)] == ["ud"]
    # REST shows the same
    settings = load_settings({"data_dir": str(tmp_path), **CHEAP_HASHES}, {})
    api = Api(
        panel,
        Context(panel, settings, LivePanelIni(tmp_path / "panel.ini")),
        tmp_path / "panel.ini",
    )
    key = api.new_key()
    assert [u["name"] for u in api.get("/ftpusers", headers=key).json()] == ["ftpd"]
    domains = api.get("/domains", headers=key).json()
    assert [(d["name"], [a["name"] for a in d["aliases"]]) for d in domains] == [
        ("dave.example", ["alias-d.example"])
    ]
    # the names are free again
    assert (
        one(
            xml,
            "site-alias",
            "create",
            f"<site-id>{world.dave_ws}</site-id><name>alias-c.example</name>",
        ).findtext("status")
        == "ok"
    )
    deletes = {e.action for e in panel.events.list() if e.action.endswith("_delete")}
    assert {
        "subdomain_delete",
        "domain_alias_delete",
        "ftpuser_delete",
        "protected_dir_delete",
    } <= deletes


def test_deleting_a_site_removes_its_own_content_and_leaves_the_subscriptions(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    _fill(xml, world.carol_ws, world.carol_site, "c")
    assert (
        one(
            xml, "subdomain", "add", "<parent>blog.carol.example</parent><name>news</name>"
        ).findtext("status")
        == "ok"
    )
    gone = one(xml, "site", "del", f"<filter><id>{world.carol_site}</id></filter>")
    assert gone.findtext("status") == "ok"
    after = _ids(xml)
    assert after["site-alias"] == [] and after["protected-dir"] == []
    assert len(after["ftp-user"]) == 1  # FTP users belong to the subscription
    assert [s.ascii_name for s in panel.subdomains.list(factories.admin(panel))] == [
        "subc.carol.example"
    ]
