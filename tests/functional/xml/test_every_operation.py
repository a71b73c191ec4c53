"""Every tier-1 operation, one row each: the happy path, an element out of order (1014
naming it), an unknown object (1013 with Plesk's text) and a caller without rights.

The scene: reseller rick with customer carol (webspace carol.example, site
blog.carol.example), the admin's customer dave (dave.example); the admin's service plan
Basic, add-on Extra and reseller plan RP; 192.0.2.10 in the pool and in rick's share; a
custom button of the admin's; a session of dave's; reseller lone, with no customers.
Packets may name the scene's values as ``{button}``, ``{session}``, ``{rick}``,
``{basic}``, ``{extra}``, ``{rick_extra}``, ``{rp}``.

A row's ``unknown`` is None where the operation names no object (``server/get``,
``ip/get``, ``event_log/*``...); its ``caller`` is None where Plesk lets every account
call it (``get_protos``, ``locale/get``, ``php-handler/get``, ``ui/get-navigation``),
and the row then shows that a customer is answered.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.xmlapi.operators import OPERATORS
from tests.factories import World
from tests.functional.xml.xml_helpers import XmlClient, error_of, results, system_error


@dataclass(frozen=True)
class Case:
    operator: str
    operation: str
    good: str
    misordered: str  # a packet (inner of the operator) with `late` out of place
    late: str
    unknown: str | None  # inner of the operation
    missing: str  # Plesk's 1013 text for `unknown`
    caller: str | None  # "rick", "carol" or "dave": runs `good` without the right
    denied: int = 1006

    @property
    def id(self) -> str:
        return f"{self.operator}/{self.operation}"


def _c(operator: str, operation: str, good: str, misordered: str, late: str, *rest: object) -> Case:
    return Case(operator, operation, good, misordered, late, *rest)  # type: ignore[arg-type]


USER_IP = base64.b64encode(b"203.0.113.5").decode()
GEN = "<gen_info><pname>New C</pname><login>newc</login><passwd>pw-newc-1234</passwd></gen_info>"
RGEN = "<gen-info><pname>New R</pname><login>newr</login><passwd>pw-newr-1234</passwd></gen-info>"
WS = "<webspace-name>carol.example</webspace-name>"
BUTTON_PROPS = "<properties><url>https://billing.example/</url><text>Billing</text></properties>"

CASES = [
    # -- server, session ---------------------------------------------------------------
    _c("server", "get_protos", "", "<get_protos><x/></get_protos>", "get_protos", None, "", None),
    _c("server", "get", "<gen_info/>", "<get><stat/><key/></get>", "key", None, "", "rick"),
    _c(
        "server",
        "create_session",
        f"<login>dave</login><data><user_ip>{USER_IP}</user_ip></data>",
        f"<create_session><data><user_ip>{USER_IP}</user_ip></data><login>dave</login>"
        "</create_session>",
        "data",
        f"<login>ghost</login><data><user_ip>{USER_IP}</user_ip></data>",
        "Client does not exist",
        "carol",
        1013,
    ),
    _c("session", "get", "", "<get><x/></get>", "get", None, "", "carol"),
    _c(
        "session",
        "terminate",
        "<session-id>{session}</session-id>",
        "<terminate><x/><session-id>{session}</session-id></terminate>",
        "x",
        "<session-id>0123456789abcdef0123</session-id>",
        "Session does not exist",
        "carol",
    ),
    # -- ip ----------------------------------------------------------------------------
    _c("ip", "get", "", "<get/><x/>", "x", None, "", None),
    _c(
        "ip",
        "add",
        "<ip_address>192.0.2.20</ip_address><netmask>255.255.255.0</netmask>"
        "<type>shared</type><interface>eth0</interface>",
        "<add><ip_address>192.0.2.20</ip_address><x/><netmask>255.255.255.0</netmask>"
        "<type>shared</type><interface>eth0</interface></add>",
        "x",
        None,
        "",
        "rick",
    ),
    _c(
        "ip",
        "set",
        "<filter><ip_address>192.0.2.10</ip_address></filter><type>exclusive</type>",
        "<set><type>exclusive</type><filter><ip_address>192.0.2.10</ip_address></filter></set>",
        "type",
        "<filter><ip_address>198.51.100.77</ip_address></filter><type>shared</type>",
        "IP address does not exist",
        "rick",
    ),
    _c(
        "ip",
        "del",
        "<filter><ip_address>192.0.2.11</ip_address></filter>",
        "<del><filter><ip_address>192.0.2.11</ip_address></filter><x/></del>",
        "x",
        "<filter><ip_address>198.51.100.77</ip_address></filter>",
        "IP address does not exist",
        "rick",
    ),
    # -- customer ----------------------------------------------------------------------
    _c(
        "customer",
        "add",
        GEN,
        "<add><gen_info><login>newc</login><pname>New C</pname><passwd>pw-newc-1234</passwd>"
        "</gen_info></add>",
        "login",
        None,
        "",
        "carol",
    ),
    _c(
        "customer",
        "get",
        "<filter><login>dave</login></filter><dataset><gen_info/><stat/></dataset>",
        "<get><dataset><gen_info/></dataset><filter><login>dave</login></filter></get>",
        "dataset",
        "<filter><login>ghost</login></filter><dataset><gen_info/></dataset>",
        "Client does not exist",
        "rick",
        1013,
    ),
    _c(
        "customer",
        "set",
        "<filter><login>dave</login></filter><values><gen_info><pname>Dave 2</pname>"
        "</gen_info></values>",
        "<set><filter><login>dave</login></filter><values><gen_info><passwd>pw-dave-999</passwd>"
        "<pname>Dave 2</pname></gen_info></values></set>",
        "pname",
        "<filter><id>4242</id></filter><values><gen_info><pname>X</pname></gen_info></values>",
        "Client does not exist",
        "rick",
        1013,
    ),
    _c(
        "customer",
        "del",
        "<filter><login>dave</login></filter>",
        "<del><x/><filter><login>dave</login></filter></del>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Client does not exist",
        "rick",
        1013,
    ),
    _c(
        "customer",
        "get-domain-list",
        "<filter><login>dave</login></filter>",
        "<get-domain-list><x/><filter><login>dave</login></filter></get-domain-list>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Client does not exist",
        "rick",
        1013,
    ),
    _c(
        "customer",
        "convert-to-reseller",
        "<filter><login>dave</login></filter>",
        "<convert-to-reseller><x/><filter><login>dave</login></filter></convert-to-reseller>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Client does not exist",
        "rick",
        1013,
    ),
    _c(
        "customer",
        "change-owner",
        "<filter><login>dave</login></filter><new-owner-login>rick</new-owner-login>"
        "<ipV4-address>192.0.2.10</ipV4-address>",
        "<change-owner><new-owner-login>rick</new-owner-login><filter><login>dave</login>"
        "</filter></change-owner>",
        "new-owner-login",
        "<filter><login>ghost</login></filter><new-owner-login>rick</new-owner-login>",
        "Client does not exist",
        "rick",
        1013,
    ),
    # -- reseller ----------------------------------------------------------------------
    _c(
        "reseller",
        "add",
        RGEN,
        "<add><gen-info><login>newr</login><pname>New R</pname><passwd>pw-newr-1234</passwd>"
        "</gen-info></add>",
        "login",
        f"{RGEN}<plan-name>No such plan</plan-name>",
        "Reseller plan does not exist",
        "rick",
    ),
    _c(
        "reseller",
        "get",
        "<filter><login>rick</login></filter><dataset><gen-info/><stat/><permissions/><limits/>"
        "<ippool/></dataset>",
        "<get><filter><login>rick</login></filter><dataset><limits/><stat/></dataset></get>",
        "stat",
        "<filter><login>ghost</login></filter><dataset><gen-info/></dataset>",
        "Reseller does not exist",
        "carol",
        1013,
    ),
    _c(
        "reseller",
        "set",
        "<filter><login>rick</login></filter><values><gen-info><pname>Rick 2</pname>"
        "</gen-info></values>",
        "<set><filter><login>rick</login></filter><values><permissions/><limits/></values></set>",
        "limits",
        "<filter><login>ghost</login></filter><values><gen-info><pname>X</pname></gen-info>"
        "</values>",
        "Reseller does not exist",
        "rick",
    ),
    _c(
        "reseller",
        "del",
        "<filter><login>rick</login></filter>",
        "<del><x/><filter><login>rick</login></filter></del>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Reseller does not exist",
        "rick",
    ),
    _c(
        "reseller",
        "get-domain-list",
        "<filter><login>rick</login></filter>",
        "<get-domain-list><x/><filter><login>rick</login></filter></get-domain-list>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Reseller does not exist",
        "carol",
        1013,
    ),
    _c(
        "reseller",
        "convert-to-customer",
        "<filter><login>lone</login></filter>",
        "<convert-to-customer><x/><filter><login>lone</login></filter></convert-to-customer>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Reseller does not exist",
        "rick",
        1013,
    ),
    _c(
        "reseller",
        "ippool-add-ip",
        "<reseller-id>{rick}</reseller-id><ip><ip-address>192.0.2.11</ip-address></ip>",
        "<ippool-add-ip><ip><ip-address>192.0.2.11</ip-address></ip><reseller-id>{rick}"
        "</reseller-id></ippool-add-ip>",
        "ip",
        "<reseller-id>4242</reseller-id><ip><ip-address>192.0.2.11</ip-address></ip>",
        "Reseller does not exist",
        "rick",
    ),
    _c(
        "reseller",
        "ippool-del-ip",
        "<reseller-id>{rick}</reseller-id><ip-address>192.0.2.10</ip-address>",
        "<ippool-del-ip><ip-address>192.0.2.10</ip-address><reseller-id>{rick}</reseller-id>"
        "</ippool-del-ip>",
        "ip-address",
        "<reseller-id>{rick}</reseller-id><ip-address>198.51.100.77</ip-address>",
        "IP address does not exist",
        "rick",
    ),
    _c(
        "reseller",
        "ippool-set-ip",
        "<reseller-id>{rick}</reseller-id><filter><ip-address>192.0.2.10</ip-address>"
        "</filter><values><ip-type>exclusive</ip-type></values>",
        "<ippool-set-ip><reseller-id>{rick}</reseller-id><values><ip-type>exclusive</ip-type>"
        "</values><filter><ip-address>192.0.2.10</ip-address></filter></ippool-set-ip>",
        "values",
        "<reseller-id>4242</reseller-id><filter><ip-address>192.0.2.10</ip-address></filter>"
        "<values><ip-type>shared</ip-type></values>",
        "Reseller does not exist",
        "rick",
    ),
    _c(
        "reseller",
        "switch-subscription",
        "<filter><login>rick</login></filter><plan-guid>{rp}</plan-guid>",
        "<switch-subscription><plan-guid>{rp}</plan-guid><filter><login>rick</login></filter>"
        "</switch-subscription>",
        "plan-guid",
        "<filter><login>ghost</login></filter><plan-guid>{rp}</plan-guid>",
        "Reseller does not exist",
        "rick",
    ),
    # -- plans -------------------------------------------------------------------------
    *(
        case
        for operator, name, missing in (
            ("service-plan", "Basic", "Service plan does not exist"),
            ("service-plan-addon", "Extra", "Add-on plan does not exist"),
            ("reseller-plan", "RP", "Reseller plan does not exist"),
        )
        for case in (
            _c(
                operator,
                "add",
                "<name>Fresh</name><limits><limit><name>max_db</name><value>3</value></limit>"
                "</limits>"
                if operator != "reseller-plan"
                else "<name>Fresh</name><limits><limit><name>max_cl</name><value>3</value>"
                "</limit></limits>",
                "<add><limits/><name>Fresh</name></add>",
                "limits",
                None,
                "",
                "carol",
            ),
            _c(
                operator,
                "get",
                f"<filter><name>{name}</name></filter>",
                f"<get><x/><filter><name>{name}</name></filter></get>",
                "x",
                "<filter><name>Nope</name></filter>",
                missing,
                "carol",
            ),
            _c(
                operator,
                "set",
                f"<filter><name>{name}</name></filter><external-id>ext-{name}</external-id>",
                f"<set><x/><filter><name>{name}</name></filter></set>",
                "x",
                "<filter><name>Nope</name></filter><external-id>e</external-id>",
                missing,
                "carol",
            ),
            _c(
                operator,
                "del",
                f"<filter><name>{name}</name></filter>",
                f"<del><x/><filter><name>{name}</name></filter></del>",
                "x",
                "<filter><name>Nope</name></filter>",
                missing,
                "carol",
            ),
        )
    ),
    # -- webspace ----------------------------------------------------------------------
    _c(
        "webspace",
        "add",
        "<gen_setup><name>new.example</name><owner-login>dave</owner-login>"
        "<ip_address>192.0.2.10</ip_address></gen_setup><plan-name>Basic</plan-name>",
        "<add><gen_setup><name>new.example</name></gen_setup><plan-name>Basic</plan-name>"
        "<limits/></add>",
        "limits",
        "<gen_setup><name>new.example</name></gen_setup><plan-name>Nope</plan-name>",
        "Service plan does not exist",
        "carol",
    ),
    _c(
        "webspace",
        "get",
        "<filter><name>dave.example</name></filter><dataset><gen_info/><hosting/><limits/>"
        "<stat/><prefs/><disk_usage/><performance/><subscriptions/><permissions/><plan-items/>"
        "<php-settings/><resource-usage/><mail/></dataset>",
        "<get><dataset><gen_info/></dataset><filter/></get>",
        "dataset",
        "<filter><name>nowhere.example</name></filter><dataset><gen_info/></dataset>",
        "Webspace does not exist",
        "carol",
        1013,
    ),
    _c(
        "webspace",
        "set",
        "<filter><name>carol.example</name></filter><values><gen_setup><status>16</status>"
        "</gen_setup></values>",
        "<set><values/><filter><name>carol.example</name></filter></set>",
        "values",
        "<filter><name>nowhere.example</name></filter><values/>",
        "Webspace does not exist",
        "carol",
    ),
    _c(
        "webspace",
        "del",
        "<filter><name>carol.example</name></filter>",
        "<del><x/><filter><name>carol.example</name></filter></del>",
        "x",
        "<filter><name>nowhere.example</name></filter>",
        "Webspace does not exist",
        "carol",
    ),
    _c(
        "webspace",
        "switch-subscription",
        "<filter><name>dave.example</name></filter><plan-guid>{basic}</plan-guid>",
        "<switch-subscription><plan-guid>{basic}</plan-guid><filter><name>dave.example</name>"
        "</filter></switch-subscription>",
        "plan-guid",
        "<filter><name>nowhere.example</name></filter><plan-guid>{basic}</plan-guid>",
        "Webspace does not exist",
        "dave",
    ),
    _c(
        "webspace",
        "add-subscription",
        "<filter><name>dave.example</name></filter><plan-guid>{extra}</plan-guid>",
        "<add-subscription><plan-guid>{extra}</plan-guid><filter><name>dave.example</name>"
        "</filter></add-subscription>",
        "plan-guid",
        "<filter><name>nowhere.example</name></filter><plan-guid>{extra}</plan-guid>",
        "Webspace does not exist",
        "dave",
    ),
    _c(
        "webspace",
        "remove-subscription",
        "<filter><name>carol.example</name></filter><plan-guid>{rick_extra}</plan-guid>",
        "<remove-subscription><plan-guid>{rick_extra}</plan-guid><filter><name>carol.example"
        "</name></filter></remove-subscription>",
        "plan-guid",
        "<filter><name>nowhere.example</name></filter><plan-guid>{rick_extra}</plan-guid>",
        "Webspace does not exist",
        "carol",
    ),
    *(
        _c(
            "webspace",
            op,
            "<filter><name>dave.example</name></filter>",
            f"<{op}><x/><filter><name>dave.example</name></filter></{op}>",
            "x",
            "<filter><name>nowhere.example</name></filter>",
            "Webspace does not exist",
            "carol",
            1013,
        )
        for op in (
            "get-limit-descriptor",
            "get-permission-descriptor",
            "get-physical-hosting-descriptor",
        )
    ),
    _c(
        "webspace",
        "get_traffic",
        "<filter><name>dave.example</name></filter><since_date>2026-01-01</since_date>",
        "<get_traffic><since_date>2026-01-01</since_date><filter><name>dave.example</name>"
        "</filter></get_traffic>",
        "since_date",
        "<filter><name>nowhere.example</name></filter>",
        "Webspace does not exist",
        "carol",
        1013,
    ),
    # -- site --------------------------------------------------------------------------
    _c(
        "site",
        "add",
        f"<gen_setup><name>shop.carol.example</name>{WS}</gen_setup>",
        f"<add><prefs/><gen_setup><name>shop.carol.example</name>{WS}</gen_setup></add>",
        "prefs",
        "<gen_setup><name>shop.nowhere.example</name><webspace-name>nowhere.example"
        "</webspace-name></gen_setup>",
        "Webspace does not exist",
        "dave",
        1013,
    ),
    _c(
        "site",
        "get",
        "<filter><name>blog.carol.example</name></filter><dataset><gen_info/><hosting/><stat/>"
        "<prefs/></dataset>",
        "<get><dataset><prefs/></dataset><filter/></get>",
        "dataset",
        "<filter><name>nowhere.example</name></filter><dataset/>",
        "Site does not exist",
        "dave",
        1013,
    ),
    _c(
        "site",
        "set",
        "<filter><name>blog.carol.example</name></filter><values><prefs><www>false</www>"
        "</prefs></values>",
        "<set><values/><filter><name>blog.carol.example</name></filter></set>",
        "values",
        "<filter><name>nowhere.example</name></filter><values/>",
        "Site does not exist",
        "dave",
        1013,
    ),
    _c(
        "site",
        "del",
        "<filter><name>blog.carol.example</name></filter>",
        "<del><x/><filter><name>blog.carol.example</name></filter></del>",
        "x",
        "<filter><name>nowhere.example</name></filter>",
        "Site does not exist",
        "dave",
        1013,
    ),
    # -- php-handler, locale, event_log, ui --------------------------------------------
    _c(
        "php-handler",
        "get",
        "",
        "<get><x/></get>",
        "x",
        "<filter><id>php-none</id></filter>",
        "Php handler does not exists",
        None,
    ),
    _c(
        "locale",
        "get",
        "<filter><id>en-US</id></filter>",
        "<get><x/><filter><id>en-US</id></filter></get>",
        "x",
        "<filter><id>xx-XX</id></filter>",
        "Locale does not exist",
        None,
    ),
    _c("event_log", "get", "", "<get><x/></get>", "x", None, "", "rick"),
    _c(
        "event_log",
        "get_events",
        "<lastId>0</lastId>",
        "<get_events><events><type>x</type><class>y</class></events><lastId>1</lastId>"
        "</get_events>",
        "lastId",
        None,
        "",
        "rick",
    ),
    _c(
        "event_log",
        "get-last-id",
        "",
        "<get-last-id><x/></get-last-id>",
        "get-last-id",
        None,
        "",
        "rick",
    ),
    _c(
        "ui",
        "create-custombutton",
        f"<owner><admin/></owner>{BUTTON_PROPS}",
        f"<create-custombutton>{BUTTON_PROPS}<owner><admin/></owner></create-custombutton>",
        "properties",
        f"<owner><client-login>ghost</client-login></owner>{BUTTON_PROPS}",
        "Owner does not exist",
        "rick",
        1013,
    ),
    _c(
        "ui",
        "get-custombutton",
        "<filter><custombutton-id>{button}</custombutton-id></filter>",
        "<get-custombutton><x/><filter><custombutton-id>{button}</custombutton-id></filter>"
        "</get-custombutton>",
        "x",
        "<filter><custombutton-id>4242</custombutton-id></filter>",
        "Custom button does not exist",
        "carol",
        1013,
    ),
    _c(
        "ui",
        "delete-custombutton",
        "<filter><custombutton-id>{button}</custombutton-id></filter>",
        "<delete-custombutton><x/><filter><custombutton-id>{button}</custombutton-id></filter>"
        "</delete-custombutton>",
        "x",
        "<filter><custombutton-id>4242</custombutton-id></filter>",
        "Custom button does not exist",
        "carol",
        1013,
    ),
    _c(
        "ui",
        "get-navigation",
        "",
        "<get-navigation><x/></get-navigation>",
        "get-navigation",
        None,
        "",
        None,
    ),
]

TIER_1 = {
    "server": {"get_protos", "get", "create_session"},
    "session": {"get", "terminate"},
    "ip": {"get", "add", "set", "del"},
    "customer": {
        "add", "get", "set", "del", "get-domain-list", "convert-to-reseller", "change-owner",
    },
    "reseller": {
        "add", "get", "set", "del", "get-domain-list", "convert-to-customer",
        "ippool-add-ip", "ippool-del-ip", "ippool-set-ip", "switch-subscription",
    },
    **{p: {"add", "get", "set", "del"} for p in ("service-plan", "service-plan-addon",
                                                   "reseller-plan", "site")},
    "webspace": {
        "add", "get", "set", "del", "switch-subscription", "add-subscription",
        "remove-subscription", "get-limit-descriptor", "get-permission-descriptor",
        "get-physical-hosting-descriptor", "get_traffic",
    },
    "php-handler": {"get"},
    "locale": {"get"},
    "event_log": {"get", "get_events", "get-last-id"},
    "ui": {"create-custombutton", "get-custombutton", "delete-custombutton", "get-navigation"},
}  # fmt: skip


@dataclass
class Scene:
    world: World
    values: dict[str, str]

    def key(self, login: str) -> str:
        return {
            "rick": self.world.reseller.key,
            "carol": self.world.carol.key,
            "dave": self.world.dave.key,
        }[login]

    def fill(self, text: str) -> str:
        return text.format(**self.values)


def _ok(root: etree._Element, path: str) -> list[etree._Element]:
    found = results(root, path)
    assert found, etree.tostring(root)
    for r in found:
        assert r.findtext("status") == "ok", etree.tostring(r)
    return found


@pytest.fixture
def scene(xml: XmlClient, world: World, panel: Panel, admin: Identity) -> Scene:
    def call(inner: str, key: str | None = None) -> etree._Element:
        return xml.call(inner, key=key)

    basic = _ok(
        call("<service-plan><add><name>Basic</name></add></service-plan>"), "service-plan/add"
    )
    extra = _ok(
        call("<service-plan-addon><add><name>Extra</name></add></service-plan-addon>"),
        "service-plan-addon/add",
    )
    rp = _ok(call("<reseller-plan><add><name>RP</name></add></reseller-plan>"), "reseller-plan/add")
    # a reseller without customers, for convert-to-customer
    panel.accounts.create(admin, type="reseller", login="lone", password="pw-lone-1234")
    for address in ("192.0.2.10", "192.0.2.11"):
        panel.ips.add(admin, address=address, netmask="255.255.255.0")
    panel.ips.pool_put(admin, world.reseller.account, "192.0.2.10")
    # rick's add-on on carol's webspace, for remove-subscription
    rick_extra = _ok(
        call(
            "<service-plan-addon><add><name>Rick extra</name></add></service-plan-addon>",
            world.reseller.key,
        ),
        "service-plan-addon/add",
    )[0].findtext("guid")
    _ok(
        call(
            "<webspace><add-subscription><filter><name>carol.example</name></filter>"
            f"<plan-guid>{rick_extra}</plan-guid></add-subscription></webspace>"
        ),
        "webspace/add-subscription",
    )
    button = _ok(
        call(f"<ui><create-custombutton><owner><admin/></owner>{BUTTON_PROPS}"
             "</create-custombutton></ui>"),
        "ui/create-custombutton",
    )  # fmt: skip
    session = _ok(
        call(
            f"<server><create_session><login>dave</login><data><user_ip>{USER_IP}</user_ip>"
            "</data></create_session></server>"
        ),
        "server/create_session",
    )
    values = {
        "basic": basic[0].findtext("guid") or "",
        "extra": extra[0].findtext("guid") or "",
        "rp": rp[0].findtext("guid") or "",
        "rick_extra": rick_extra or "",
        "button": button[0].findtext("id") or "",
        "session": session[0].findtext("id") or "",
        "rick": str(world.reseller.account.id),
        "carol": str(world.carol.account.id),
        "dave": str(world.dave.account.id),
    }
    return Scene(world, values)


def _send(
    xml: XmlClient, scene: Scene, case: Case, inner: str, key: str | None = None
) -> etree._Element:
    body = scene.fill(
        f"<{case.operator}><{case.operation}>{inner}</{case.operation}></{case.operator}>"
    )
    return xml.call(body, key=key)


def test_the_table_covers_every_tier_1_operation_and_each_is_served() -> None:
    listed: dict[str, set[str]] = {}
    for case in CASES:
        listed.setdefault(case.operator, set()).add(case.operation)
    assert listed == TIER_1
    for operator, operations in TIER_1.items():
        assert operations <= set(OPERATORS[operator]), operator
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_operation(xml: XmlClient, scene: Scene, panel: Panel, case: Case) -> None:
    """Refusals first, each writing nothing; then the happy path."""
    before = len(panel.events.list())
    # element out of order: 1014 naming it
    root = xml.call(scene.fill(f"<{case.operator}>{case.misordered}</{case.operator}>"))
    code, text = system_error(root)
    assert code == 1014, text
    assert f"'{case.late}'" in text and "Error in line" in text, text
    # an unknown object: 1013 with Plesk's text
    if case.unknown is not None:
        (result,) = results(_send(xml, scene, case, case.unknown), case.id)
        assert error_of(result) == (1013, case.missing)
    # a caller without rights
    if case.caller is not None:
        found = results(_send(xml, scene, case, case.good, key=scene.key(case.caller)), case.id)
        assert found
        for result in found:
            assert error_of(result)[0] == case.denied, etree.tostring(result)
    assert len(panel.events.list()) == before
    if case.caller is None:
        # Open to every account: a customer is answered.
        _ok(_send(xml, scene, case, case.good, key=scene.key("carol")), case.id)
    # the happy path
    _ok(_send(xml, scene, case, case.good), case.id)


def test_docs_list_every_operator_and_operation_served() -> None:
    """docs/xml-api.md's operator table names every operation of the registry."""
    docs = Path(__file__).parents[3] / "docs" / "xml-api.md"
    rows: dict[str, set[str]] = {}
    for line in docs.read_text().splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) == 3 and cells[0].startswith("`"):
            ops = set(re.findall(r"`([a-z_-]+)`", cells[1]))
            for operator in re.findall(r"`([a-z_-]+)`", cells[0]):
                rows.setdefault(operator, set()).update(ops)
    for operator, operations in OPERATORS.items():
        assert operator in rows, operator
        missing = set(operations) - rows[operator]
        assert not missing, (operator, missing)
