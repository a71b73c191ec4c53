"""Operator log-rotation: a row per operation (operation_table.py), and the
flow set then get, over SQLite and PostgreSQL; on and off; a site's own values over
its subscription's and its plan's; owners as filters; who may change them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import tables
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import BOTH, XmlClient, error_of, results

DAVE = "<filter><site-name>dave.example</site-name></filter>"
WEEKLY = (
    "<settings><log-condition><log-bytime>Weekly</log-bytime></log-condition>"
    "<log-max-num-files>5</log-max-num-files></settings>"
)
NOWHERE = "<filter><site-name>nowhere.example</site-name></filter>"


def _filtered(operation: str, caller: str, denied: int) -> Case:
    return Case(
        "log-rotation",
        operation,
        "<filter><site-id>{dave_ws}</site-id></filter>",
        f"<{operation}><x/>{DAVE}</{operation}>",
        "x",
        "<filter><site-id>4242</site-id></filter>",
        "Site does not exist",
        caller,
        denied,
    )


CASES = [
    Case(
        "log-rotation",
        "set",
        f"{DAVE}{WEEKLY}",
        f"<set>{WEEKLY}{DAVE}</set>",
        "settings",
        f"{NOWHERE}{WEEKLY}",
        "Site does not exist",
        "dave",  # the owner, without the manage_log permission
    ),
    _filtered("get", "carol", 1013),  # another customer's site: as if it did not exist
    _filtered("enable", "dave", 1006),
    _filtered("disable", "dave", 1006),
    _filtered("get-status", "carol", 1013),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)


def _call(xml: XmlClient, operation: str, inner: str, key: str | None = None) -> etree._Element:
    root = xml.call(f"<log-rotation><{operation}>{inner}</{operation}></log-rotation>", key=key)
    (result,) = results(root, f"log-rotation/{operation}")
    return result


def _settings(xml: XmlClient, site_id: int) -> list[tuple[str, str]]:
    got = _call(xml, "get", f"<filter><site-id>{site_id}</site-id></filter>")
    assert [c.tag for c in got] == ["status", "filter-id", "id", "settings"]
    settings = got.find("settings")
    assert settings is not None
    return [(str(e.tag), e.text or "") for e in settings.iter() if e is not settings]


def _status(xml: XmlClient, site_id: int) -> str | None:
    return _call(xml, "get-status", f"<filter><site-id>{site_id}</site-id></filter>").findtext(
        "enabled"
    )


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_set_then_get(xml: XmlClient, world: World) -> None:
    # a fresh subscription has the block's defaults: daily, 3 files, compressed, on
    assert _settings(xml, world.dave_ws) == [
        ("log-condition", ""),
        ("log-bytime", "Daily"),
        ("log-max-num-files", "3"),
        ("log-compress", "true"),
    ]
    assert _status(xml, world.dave_ws) == "true"
    done = _call(
        xml,
        "set",
        f"{DAVE}<settings><log-condition><log-bysize>1048576</log-bysize></log-condition>"
        "<log-max-num-files>7</log-max-num-files><log-compress>false</log-compress>"
        "<log-email>logs@dave.example</log-email></settings>",
    )
    assert [(c.tag, c.text) for c in done] == [
        ("status", "ok"),
        ("filter-id", "dave.example"),
        ("id", str(world.dave_ws)),
    ]
    assert _settings(xml, world.dave_ws) == [
        ("log-condition", ""),
        ("log-bysize", "1048576"),
        ("log-max-num-files", "7"),
        ("log-compress", "false"),
        ("log-email", "logs@dave.example"),
    ]
    # by time again: the size condition is gone
    _call(xml, "set", f"{DAVE}{WEEKLY}")
    assert _settings(xml, world.dave_ws)[:3] == [
        ("log-condition", ""),
        ("log-bytime", "Weekly"),
        ("log-max-num-files", "5"),
    ]


def test_off_and_on_keep_the_settings(xml: XmlClient, world: World) -> None:
    _call(xml, "set", f"{DAVE}{WEEKLY}")
    assert _call(xml, "disable", DAVE).findtext("status") == "ok"
    assert _status(xml, world.dave_ws) == "false"
    _call(xml, "set", DAVE + WEEKLY.replace("Weekly", "Monthly"))  # stays off
    assert _status(xml, world.dave_ws) == "false"
    assert _call(xml, "enable", DAVE).findtext("status") == "ok"
    assert _status(xml, world.dave_ws) == "true"
    assert ("log-bytime", "Monthly") in _settings(xml, world.dave_ws)


def test_a_site_has_its_subscriptions_values_then_its_own(xml: XmlClient, world: World) -> None:
    carol_ws = f"<filter><site-id>{world.carol_ws}</site-id></filter>"
    _call(xml, "set", carol_ws + WEEKLY)
    assert ("log-bytime", "Weekly") in _settings(xml, world.carol_site)
    site = f"<filter><site-id>{world.carol_site}</site-id></filter>"
    _call(xml, "set", site + WEEKLY.replace("Weekly", "Monthly"))
    _call(xml, "disable", site)
    assert ("log-bytime", "Monthly") in _settings(xml, world.carol_site)
    assert ("log-bytime", "Weekly") in _settings(xml, world.carol_ws)
    assert (_status(xml, world.carol_site), _status(xml, world.carol_ws)) == ("false", "true")


def test_a_plans_log_rotation_reaches_its_subscriptions(
    xml: XmlClient, panel: Panel, admin: Identity, world: World
) -> None:
    made = xml.call(
        "<service-plan><add><name>Logs</name><log-rotation><on><log-condition>"
        "<log-bytime>monthly</log-bytime></log-condition><log-max-num-files>12"
        "</log-max-num-files></on></log-rotation></add></service-plan>"
    )
    guid = results(made, "service-plan/add")[0].findtext("guid")
    root = xml.call(
        "<webspace><switch-subscription><filter><name>dave.example</name></filter>"
        f"<plan-guid>{guid}</plan-guid></switch-subscription></webspace>"
    )
    assert results(root, "webspace/switch-subscription")[0].findtext("status") == "ok"
    got = dict(_settings(xml, world.dave_ws))
    assert (got["log-bytime"], got["log-max-num-files"]) == ("Monthly", "12")


def test_owners_name_their_sites(xml: XmlClient, world: World) -> None:
    root = xml.call(
        "<log-rotation><get-status><filter><owner-login>carol</owner-login>"
        "<owner-login>ghost</owner-login></filter></get-status></log-rotation>"
    )
    found = results(root, "log-rotation/get-status")
    assert [r.findtext("id") for r in found[:2]] == [str(world.carol_ws), str(world.carol_site)]
    assert [r.findtext("filter-id") for r in found] == ["carol", "carol", "ghost"]
    assert error_of(found[2]) == (1013, "Client does not exist")


def test_a_customer_with_manage_log_may_change_its_own(xml: XmlClient, world: World) -> None:
    dave = world.dave.key
    assert error_of(_call(xml, "enable", DAVE, key=dave))[0] == 1006
    # the owner reads without the permission
    assert _call(xml, "get-status", DAVE, key=dave).findtext("enabled") == "true"
    xml.call(
        "<webspace><set><filter><name>dave.example</name></filter><values><permissions>"
        "<permission><name>manage_log</name><value>true</value></permission></permissions>"
        "</values></set></webspace>"
    )
    assert _call(xml, "disable", DAVE, key=dave).findtext("status") == "ok"
    assert _status(xml, world.dave_ws) == "false"
    # another customer's site is out of reach
    other = f"<filter><site-id>{world.carol_ws}</site-id></filter>"
    assert error_of(_call(xml, "disable", other, key=dave)) == (1013, "Site does not exist")


@pytest.mark.parametrize(
    "settings",
    [
        "<log-condition><log-bytime>Hourly</log-bytime></log-condition>",
        "<log-condition><log-bysize>-5</log-bysize></log-condition>",
        "<log-condition><log-bysize>lots</log-bysize></log-condition>",
        "<log-condition><log-bytime>Daily</log-bytime></log-condition>"
        "<log-compress>perhaps</log-compress>",
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    xml: XmlClient, panel: Panel, world: World, settings: str
) -> None:
    before = len(panel.events.list())
    assert error_of(_call(xml, "set", f"{DAVE}<settings>{settings}</settings>"))[0] == 1019
    assert len(panel.events.list()) == before


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_the_settings_go_with_their_site(
    xml: XmlClient, panel: Panel, admin: Identity, world: World
) -> None:
    _call(xml, "set", f"<filter><site-id>{world.carol_site}</site-id></filter>{WEEKLY}")
    s = tables.domain_settings
    q = sa.select(sa.func.count()).where(
        s.c.domain_id == world.carol_site, s.c.block == "log-rotation"
    )
    with panel.db.read() as conn:
        assert conn.execute(q).scalar() == 3
    site = panel.domains.get(admin, world.carol_site)
    panel.domains.delete(admin, site)
    with panel.db.read() as conn:
        assert conn.execute(q).scalar() == 0
