"""Operator mail, the service preferences: get_prefs and set_prefs (a row each, from
tests/functional/xml/rows.py), and the DKIM flow: spam-protect-sign on publishes the
site's ``default._domainkey`` TXT record in its zone (get_prefs shows it on), off
removes it."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.rows import Case, ok, run
from tests.functional.xml.xml_helpers import XmlClient, error_of, results
from tests.functional.xml_domains.conftest import World
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture

SITE = "<filter><site-id>{carol_site}</site-id></filter>"
PREFS = "<prefs><webmail>horde</webmail><greylisting>false</greylisting></prefs>"

CASES = [
    Case(
        "mail",
        "get_prefs",
        SITE,
        "<get_prefs><x/>" + SITE + "</get_prefs>",
        "x",
        "<filter><site-id>99999</site-id></filter>",
        "Site does not exist",
        "dave",
        denied=1013,
    ),
    Case(
        "mail",
        "set_prefs",
        SITE + PREFS,
        "<set_prefs>" + PREFS + SITE + "</set_prefs>",
        "prefs",
        "<filter><site-id>99999</site-id></filter>" + PREFS,
        "Site does not exist",
        "dave",
        denied=1013,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_operation(xml: XmlClient, panel: Panel, admin: Identity, world: World, case: Case) -> None:
    run(xml, panel, admin, world, case)


def _prefs(xml: XmlClient, site: int, key: str | None = None) -> etree._Element:
    root = xml.call(
        f"<mail><get_prefs><filter><site-id>{site}</site-id></filter></get_prefs></mail>", key=key
    )
    (found,) = ok(root, "mail/get_prefs")
    prefs = found.find("prefs")
    assert prefs is not None
    return prefs


def _set(xml: XmlClient, site: int, prefs: str, key: str | None = None) -> etree._Element:
    root = xml.call(
        f"<mail><set_prefs><filter><site-id>{site}</site-id></filter>"
        f"<prefs>{prefs}</prefs></set_prefs></mail>",
        key=key,
    )
    (found,) = results(root, "mail/set_prefs")
    return found


def _dkim(xml: XmlClient, site: int, name: str) -> list[str]:
    root = xml.call(f"<dns><get_rec><filter><site-id>{site}</site-id></filter></get_rec></dns>")
    return [
        r.findtext("data/value") or ""
        for r in results(root, "dns/get_rec")
        if r.findtext("data/host") == f"default._domainkey.{name}."
        and r.findtext("data/type") == "TXT"
    ]


def test_answer_is_in_plesks_order(xml: XmlClient, world: World) -> None:
    prefs = _prefs(xml, world.carol_site)
    assert [c.tag for c in prefs] == [
        "nonexistent-user",
        "webmail",
        "spam-protect-sign",
        "greylisting",
        "mailservice",
        "outgoing-messages-mbox-limit",
        "outgoing-messages-domain-limit",
    ]
    assert prefs.findtext("mailservice") == "true"


def test_dkim_on_publishes_the_key_record_and_off_removes_it(xml: XmlClient, world: World) -> None:
    name = "blog.carol.example"
    assert _dkim(xml, world.carol_site, name) == []
    # the customer sets it on its own site
    on = "<spam-protect-sign>true</spam-protect-sign>"
    done = _set(xml, world.carol_site, on, world.carol.key)
    assert [(c.tag, c.text) for c in done] == [
        ("status", "ok"),
        ("site-id", str(world.carol_site)),
    ]
    assert _prefs(xml, world.carol_site).findtext("spam-protect-sign") == "true"
    (value,) = _dkim(xml, world.carol_site, name)
    assert value.startswith("v=DKIM1; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A")
    # on again: still one record, the same key
    _set(xml, world.carol_site, "<spam-protect-sign>true</spam-protect-sign>")
    assert _dkim(xml, world.carol_site, name) == [value]
    _set(xml, world.carol_site, "<spam-protect-sign>false</spam-protect-sign>")
    assert _prefs(xml, world.carol_site).findtext("spam-protect-sign") == "false"
    assert _dkim(xml, world.carol_site, name) == []


def test_prefs_are_kept_and_mailservice_is_mail_enable(xml: XmlClient, world: World) -> None:
    _set(
        xml,
        world.carol_site,
        "<nonexistent-user><forward>all@carol.example</forward></nonexistent-user>"
        "<greylisting>false</greylisting><mailservice>false</mailservice>",
    )
    prefs = _prefs(xml, world.carol_site)
    assert prefs.findtext("nonexistent-user/forward") == "all@carol.example"
    assert prefs.findtext("greylisting") == "false"
    assert prefs.findtext("mailservice") == "false"
    # the mail service is the one mail/enable turns back on
    enable = f"<mail><enable><site-id>{world.carol_site}</site-id></enable></mail>"
    ok(xml.call(enable), "mail/enable")
    assert _prefs(xml, world.carol_site).findtext("mailservice") == "true"


def test_a_bad_value_writes_nothing(xml: XmlClient, panel: Panel, world: World) -> None:
    before = len(panel.events.list())
    done = _set(
        xml,
        world.carol_site,
        "<spam-protect-sign>true</spam-protect-sign><greylisting>maybe</greylisting>",
    )
    assert error_of(done)[0] == 1019
    assert _dkim(xml, world.carol_site, "blog.carol.example") == []
    assert len(panel.events.list()) == before
