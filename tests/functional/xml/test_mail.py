"""Operator mail: mail names (mailbox, forwarding, aliases, password) and the site's mail
service, per operation: the happy path, the order fault, the unknown object, the caller
without rights; the site's mail preferences, where spam-protect-sign on publishes the
site's ``default._domainkey`` TXT record in its zone and off removes it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.core.panel import Panel
from panelkey.store import tables
from tests import factories
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import (
    XmlClient,
    all_ok,
    call,
    error_of,
    ok,
    one,
    order_fault,
    results,
)

BOB = (
    "<mailname><name>Bob</name><mailbox><enabled>true</enabled><quota>1024000</quota></mailbox>"
    "<forwarding><enabled>true</enabled><address>bob@elsewhere.example</address>"
    "<address>b2@elsewhere.example</address></forwarding><alias>bobby</alias><alias>rob</alias>"
    "<password><value>s3cret-Mail-pw</value><type>plain</type></password>"
    "<description>Bob's box</description></mailname>"
)
BOTH = ["sqlite", "postgresql"]
ALL = "<mailbox/><forwarding/><aliases/><description/>"


def _create(xml: XmlClient, site: int, mailnames: str, key: str | None = None) -> etree._Element:
    return call(
        xml, "mail", "create", f"<filter><site-id>{site}</site-id>{mailnames}</filter>", key
    )


def _info(xml: XmlClient, site: int, names: str = "", flags: str = ALL, key: str | None = None):
    root = call(
        xml,
        "mail",
        "get_info",
        f"<filter><site-id>{site}</site-id>{names}</filter>{flags}",
        key,
    )
    return results(root, "mail/get_info")


def _count(panel: Panel, table: sa.Table) -> int:
    with panel.db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_create_keeps_mailbox_forwarding_aliases_and_only_a_password_hash(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    root = _create(xml, world.dave_ws, BOB + "<mailname><name>info</name></mailname>")
    made = results(root, "mail/create")
    assert [r.findtext("mailname/name") for r in map(ok, made)] == ["bob", "info"]
    assert [c.tag for c in made[0]] == ["status", "mailname"]
    assert [c.tag for c in made[0].find("mailname")] == ["id", "name"]  # type: ignore[union-attr]
    (bob, info) = _info(xml, world.dave_ws)
    data = ok(bob).find("mailname")
    assert data is not None
    assert [c.tag for c in data] == [
        "id", "name", "mailbox", "forwarding", "alias", "alias", "description",
    ]  # fmt: skip
    assert data.findtext("mailbox/enabled") == "true"
    assert data.findtext("mailbox/quota") == "1024000"
    assert [a.text for a in data.findall("forwarding/address")] == [
        "b2@elsewhere.example",
        "bob@elsewhere.example",
    ]
    assert [a.text for a in data.findall("alias")] == ["bobby", "rob"]
    assert data.findtext("description") == "Bob's box"
    assert ok(info).findtext("mailname/mailbox/enabled") == "false"
    assert b"s3cret" not in etree.tostring(root) + etree.tostring(bob)
    with panel.db.read() as conn:
        digest = conn.execute(
            sa.select(tables.mail_names.c.password_hash).where(tables.mail_names.c.name == "bob")
        ).scalar()
    assert str(digest).startswith("$argon2")
    created = panel.events.list(action="mailname_create")
    assert [e.obj_name for e in created] == ["bob@dave.example", "info@dave.example"]
    assert all("s3cret" not in str(e.new_values) for e in created)


def test_create_refuses_bad_values_and_taken_names_writing_nothing(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    ok(results(_create(xml, world.dave_ws, BOB), "mail/create")[0])
    before = (_count(panel, tables.mail_names), _count(panel, tables.mail_aliases))
    q = "<mailname><name>q</name>{}</mailname>"
    bad = {
        "<mailname><name>x y</name></mailname>": 1019,
        q.format("<mailbox><quota>lots</quota></mailbox>"): 1019,
        q.format("<forwarding><address>nowhere</address></forwarding>"): 1019,
        q.format("<mailbox><enabled>maybe</enabled></mailbox>"): 1019,
        q.format("<alias>bad alias</alias>"): 1019,
        q.format("<password><value>x</value><type>crypt</type></password>"): 1019,
        "<mailname><name>bob</name></mailname>": 1007,
        "<mailname><name>bobby</name></mailname>": 1007,
        q.format("<alias>rob</alias>"): 1007,
    }
    for mailname, code in bad.items():
        (result,) = results(_create(xml, world.dave_ws, mailname), "mail/create")
        assert error_of(result)[0] == code, mailname
    assert (_count(panel, tables.mail_names), _count(panel, tables.mail_aliases)) == before


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_update_adds_removes_and_sets(xml: XmlClient, world: World) -> None:
    _create(xml, world.dave_ws, BOB)
    site = f"<site-id>{world.dave_ws}</site-id>"

    def update(step: str, mailname: str) -> etree._Element:
        root = call(xml, "mail", "update", f"<{step}><filter>{site}{mailname}</filter></{step}>")
        (result,) = root.findall(f"mail/update/{step}/result")
        return result

    added = update(
        "add",
        "<mailname><name>bob</name><forwarding><address>third@elsewhere.example</address>"
        "</forwarding><alias>bo</alias></mailname>",
    )
    assert ok(added).findtext("mailname/name") == "bob"
    (info,) = _info(xml, world.dave_ws)
    assert len(info.findall("mailname/forwarding/address")) == 3
    assert [a.text for a in info.findall("mailname/alias")] == ["bo", "bobby", "rob"]
    ok(update("remove", "<mailname><name>bob</name><alias>rob</alias></mailname>"))
    missing = update("remove", "<mailname><name>bob</name><alias>rob</alias></mailname>")
    assert error_of(missing)[0] == 1013
    ok(
        update(
            "set",
            "<mailname><name>bob</name><mailbox><enabled>false</enabled><quota>-1</quota>"
            "</mailbox><forwarding><address>only@elsewhere.example</address></forwarding>"
            "</mailname>",
        )
    )
    (info,) = _info(xml, world.dave_ws)
    assert info.findtext("mailname/mailbox/enabled") == "false"
    assert info.findtext("mailname/mailbox/quota") == "-1"
    assert [a.text for a in info.findall("mailname/forwarding/address")] == [
        "only@elsewhere.example"
    ]
    assert [a.text for a in info.findall("mailname/alias")] == ["bo", "bobby"]
    unknown = update("set", "<mailname><name>nobody</name></mailname>")
    assert error_of(unknown) == (1013, "Mail name does not exist")


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_autoresponder_and_settings_kept_answered_and_purged(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    reply = (
        "<autoresponder><enabled>true</enabled><subject>Away</subject><text>Back soon.</text>"
        "<attachment><file-name>a.pdf</file-name></attachment></autoresponder>"
        "<antivir>inout</antivir><outgoing-messages-mbox-limit>100</outgoing-messages-mbox-limit>"
    )
    ok(results(_create(xml, world.dave_ws, f"<mailname><name>ann</name>{reply}</mailname>"),
               "mail/create")[0])  # fmt: skip
    step = (
        f"<set><filter><site-id>{world.dave_ws}</site-id><mailname><name>ann</name>"
        "<autoresponder><subject>Gone</subject></autoresponder><antivir>off</antivir>"
        "</mailname></filter></set>"
    )
    ok(call(xml, "mail", "update", step).findall("mail/update/set/result")[0])
    (info,) = _info(xml, world.dave_ws, flags="<autoresponder/><description/>")
    got = ok(info).find("mailname")
    assert got is not None
    assert [c.tag for c in got] == [
        "id", "name", "autoresponder", "antivir", "outgoing-messages-mbox-limit", "description"
    ]  # fmt: skip
    assert [(c.tag, c.text) for c in got.iterfind("autoresponder/*")][:3] == [
        ("enabled", "true"), ("subject", "Gone"), ("text", "Back soon.")
    ]  # fmt: skip
    assert got.findtext("antivir") == "off"
    assert got.findtext("autoresponder/attachment/file-name") == "a.pdf"
    remove = f"<filter><site-id>{world.dave_ws}</site-id><name>ann</name></filter>"
    ok(results(call(xml, "mail", "remove", remove), "mail/remove")[0])
    assert _count(panel, tables.properties) == 0


def test_get_info_names_unknown_and_empty_sites(xml: XmlClient, world: World) -> None:
    (empty,) = _info(xml, world.dave_ws)
    assert [c.tag for c in ok(empty)] == ["status"]
    _create(xml, world.dave_ws, BOB)
    (bob, nobody) = _info(xml, world.dave_ws, "<name>BOB</name><name>nobody</name>", "")
    assert [c.tag for c in ok(bob).find("mailname")] == ["id", "name"]  # type: ignore[union-attr]
    assert error_of(nobody) == (1013, "Mail name does not exist")
    (gone,) = _info(xml, 999999)
    assert error_of(gone) == (1013, "Site does not exist")


def test_remove_rename_enable_disable(xml: XmlClient, panel: Panel, world: World) -> None:
    _create(xml, world.dave_ws, BOB + "<mailname><name>info</name></mailname>")
    site = f"<site-id>{world.dave_ws}</site-id>"
    renamed = one(xml, "mail", "rename", f"{site}<name>info</name><new-name>hello</new-name>")
    assert ok(renamed).findtext("mailname/name") == "hello"
    clash = one(xml, "mail", "rename", f"{site}<name>hello</name><new-name>bobby</new-name>")
    assert error_of(clash)[0] == 1007
    unknown = one(xml, "mail", "rename", f"{site}<name>info</name><new-name>x</new-name>")
    assert error_of(unknown) == (1013, "Mail name does not exist")
    gone = one(xml, "mail", "remove", f"<filter>{site}<name>hello</name></filter>")
    assert ok(gone).findtext("mailname/name") == "hello"
    again = one(xml, "mail", "remove", f"<filter>{site}<name>hello</name></filter>")
    assert error_of(again) == (1013, "Mail name does not exist")
    everything = results(call(xml, "mail", "remove", f"<filter>{site}</filter>"), "mail/remove")
    assert [r.findtext("mailname/name") for r in map(ok, everything)] == ["bob"]
    assert _count(panel, tables.mail_aliases) == 0
    assert _count(panel, tables.mail_forwards) == 0
    off = one(xml, "mail", "disable", site)
    assert [c.tag for c in ok(off)] == ["status", "site-id"]
    admin = factories.admin(panel)
    dave_ws = panel.domains.get(admin, world.dave_ws)
    assert dave_ws is not None
    assert panel.mail.service_enabled(admin, dave_ws) is False
    ok(one(xml, "mail", "enable", site))
    assert error_of(one(xml, "mail", "enable", "<site-id>999999</site-id>"))[0] == 1013
    actions = [e.action for e in panel.events.list() if e.obj_class in ("mail", "mailname")]
    assert actions.count("mailname_delete") == 2 and actions.count("mail_update") == 2


def test_requests_out_of_order_are_1014_naming_the_element(xml: XmlClient) -> None:
    faults = {
        "create": "<filter><mailname><name>a</name></mailname><site-id>1</site-id></filter>",
        "update": "<add><filter><site-id>1</site-id><mailname><name>a</name><alias>b</alias>"
        "<mailbox/></mailname></filter></add>",
        "get_info": "<mailbox/><filter><site-id>1</site-id></filter>",
        "remove": "<filter><name>a</name><site-id>1</site-id></filter>",
        "rename": "<site-id>1</site-id><new-name>b</new-name><name>a</name>",
        "enable": "<name>a</name>",
        "disable": "<site-id>1</site-id><site-id>2</site-id>",
    }
    first = {
        "create": "mailname",
        "update": "mailbox",
        "get_info": "mailbox",
        "remove": "name",
        "rename": "new-name",
        "enable": "name",
        "disable": "site-id",
    }
    for operation, inner in faults.items():
        text = order_fault(xml, "mail", operation, inner)
        assert f"element '{first[operation]}' is not expected" in text, (operation, text)


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_customer_cannot_reach_another_customers_mail(xml: XmlClient, world: World) -> None:
    ok(results(_create(xml, world.carol_ws, BOB), "mail/create")[0])
    dave, carol, rick = world.dave.key, world.carol.key, world.reseller.key
    (theirs,) = _info(xml, world.carol_ws, key=dave)
    assert error_of(theirs) == (1013, "Site does not exist")
    (made,) = results(
        _create(xml, world.carol_ws, "<mailname><name>x</name></mailname>", dave), "mail/create"
    )
    assert error_of(made) == (1013, "Site does not exist")
    site = f"<site-id>{world.carol_ws}</site-id>"
    for operation, inner in (
        ("remove", f"<filter>{site}<name>bob</name></filter>"),
        ("rename", f"{site}<name>bob</name><new-name>x</new-name>"),
        ("disable", site),
    ):
        assert error_of(one(xml, "mail", operation, inner, key=dave))[0] == 1013, operation
    step = (
        f"<add><filter>{site}<mailname><name>bob</name><alias>z</alias></mailname></filter></add>"
    )
    (refused,) = call(xml, "mail", "update", step, dave).findall("mail/update/add/result")
    assert error_of(refused) == (1013, "Site does not exist")
    (mine,) = _info(xml, world.carol_ws, key=carol)
    assert ok(mine).findtext("mailname/name") == "bob"
    (resold,) = _info(xml, world.carol_ws, key=rick)
    assert ok(resold).findtext("mailname/name") == "bob"
    (still,) = _info(xml, world.carol_ws)
    assert [a.text for a in still.findall("mailname/alias")] == ["bobby", "rob"]


# -- the site's mail preferences: get_prefs, set_prefs; DKIM in the zone ----------------


def _prefs(xml: XmlClient, site: int, key: str | None = None) -> etree._Element:
    flt = f"<filter><site-id>{site}</site-id></filter>"
    prefs = ok(one(xml, "mail", "get_prefs", flt, key)).find("prefs")
    assert prefs is not None
    return prefs


def _set_prefs(xml: XmlClient, site: int, prefs: str, key: str | None = None) -> etree._Element:
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


def test_prefs_answer_is_in_plesks_order(xml: XmlClient, world: World) -> None:
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


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_dkim_on_publishes_the_key_record_and_off_removes_it(xml: XmlClient, world: World) -> None:
    name = "blog.carol.example"
    assert _dkim(xml, world.carol_site, name) == []
    # the customer sets it on its own site
    on = "<spam-protect-sign>true</spam-protect-sign>"
    done = _set_prefs(xml, world.carol_site, on, world.carol.key)
    assert [(c.tag, c.text) for c in done] == [
        ("status", "ok"),
        ("site-id", str(world.carol_site)),
    ]
    assert _prefs(xml, world.carol_site).findtext("spam-protect-sign") == "true"
    (value,) = _dkim(xml, world.carol_site, name)
    assert value.startswith("v=DKIM1; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A")
    # on again: still one record, the same key
    _set_prefs(xml, world.carol_site, "<spam-protect-sign>true</spam-protect-sign>")
    assert _dkim(xml, world.carol_site, name) == [value]
    _set_prefs(xml, world.carol_site, "<spam-protect-sign>false</spam-protect-sign>")
    assert _prefs(xml, world.carol_site).findtext("spam-protect-sign") == "false"
    assert _dkim(xml, world.carol_site, name) == []


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_prefs_are_kept_and_mailservice_is_mail_enable(xml: XmlClient, world: World) -> None:
    _set_prefs(
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
    all_ok(xml.call(enable), "mail/enable")
    assert _prefs(xml, world.carol_site).findtext("mailservice") == "true"


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_bad_prefs_value_writes_nothing(xml: XmlClient, panel: Panel, world: World) -> None:
    before = len(panel.events.list())
    done = _set_prefs(
        xml,
        world.carol_site,
        "<spam-protect-sign>true</spam-protect-sign><greylisting>maybe</greylisting>",
    )
    assert error_of(done)[0] == 1019
    assert _dkim(xml, world.carol_site, "blog.carol.example") == []
    assert len(panel.events.list()) == before


# -- every operation: the table's rows (operation_table.py) -------------------------------


CAROL = "<site-id>{carol_ws}</site-id>"
BOB_OF_CAROL = (
    f"<mail><create><filter>{CAROL}<mailname><name>bob</name></mailname></filter></create></mail>"
)
NO_MAILNAME = "Mail name does not exist"
PREFS_SITE = "<filter><site-id>{carol_site}</site-id></filter>"
PREFS = "<prefs><webmail>horde</webmail><greylisting>false</greylisting></prefs>"
CASES = [
    Case(
        "mail",
        "create",
        f"<filter>{CAROL}<mailname><name>bob</name></mailname></filter>",
        f"<create><filter><mailname><name>bob</name></mailname>{CAROL}</filter></create>",
        "mailname",
        "<filter><site-id>999999</site-id><mailname><name>bob</name></mailname></filter>",
        "Site does not exist",
        "dave",
        1013,
    ),
    Case(
        "mail",
        "update",
        f"<add><filter>{CAROL}<mailname><name>bob</name><alias>bobby</alias></mailname></filter>"
        "</add>",
        f"<update><add><filter>{CAROL}<mailname><name>bob</name><alias>b</alias><mailbox/>"
        "</mailname></filter></add></update>",
        "mailbox",
        f"<add><filter>{CAROL}<mailname><name>nobody</name><alias>z</alias></mailname></filter>"
        "</add>",
        NO_MAILNAME,
        "dave",
        1013,
        before=BOB_OF_CAROL,
        path="mail/update/add",
    ),
    Case(
        "mail",
        "get_info",
        f"<filter>{CAROL}<name>bob</name></filter><mailbox/>",
        f"<get_info><mailbox/><filter>{CAROL}</filter></get_info>",
        "mailbox",
        f"<filter>{CAROL}<name>nobody</name></filter>",
        NO_MAILNAME,
        "dave",
        1013,
        before=BOB_OF_CAROL,
    ),
    Case(
        "mail",
        "remove",
        f"<filter>{CAROL}<name>bob</name></filter>",
        f"<remove><filter><name>bob</name>{CAROL}</filter></remove>",
        "name",
        f"<filter>{CAROL}<name>nobody</name></filter>",
        NO_MAILNAME,
        "dave",
        1013,
        before=BOB_OF_CAROL,
    ),
    Case(
        "mail",
        "rename",
        f"{CAROL}<name>bob</name><new-name>robert</new-name>",
        f"<rename>{CAROL}<new-name>robert</new-name><name>bob</name></rename>",
        "new-name",
        f"{CAROL}<name>nobody</name><new-name>robert</new-name>",
        NO_MAILNAME,
        "dave",
        1013,
        before=BOB_OF_CAROL,
    ),
    Case(
        "mail",
        "enable",
        CAROL,
        "<enable><name>bob</name></enable>",
        "name",
        "<site-id>999999</site-id>",
        "Site does not exist",
        "dave",
        1013,
    ),
    Case(
        "mail",
        "disable",
        CAROL,
        f"<disable>{CAROL}{CAROL}</disable>",
        "site-id",
        "<site-id>999999</site-id>",
        "Site does not exist",
        "dave",
        1013,
    ),
    Case(
        "mail",
        "get_prefs",
        PREFS_SITE,
        "<get_prefs><x/>" + PREFS_SITE + "</get_prefs>",
        "x",
        "<filter><site-id>99999</site-id></filter>",
        "Site does not exist",
        "dave",
        denied=1013,
    ),
    Case(
        "mail",
        "set_prefs",
        PREFS_SITE + PREFS,
        "<set_prefs>" + PREFS + PREFS_SITE + "</set_prefs>",
        "prefs",
        "<filter><site-id>99999</site-id></filter>" + PREFS,
        "Site does not exist",
        "dave",
        denied=1013,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
