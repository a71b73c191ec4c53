"""Request shapes of `server/*`, `event_log/*` and `ui/*`: each element Plesk 1.6.9.1 takes
is accepted and acted on, and its effect is read back."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from lxml import etree

from panelkey.core.access.sessions import Session
from tests import factories
from tests.functional.xml.shapes.shapes import Case, World
from tests.functional.xml.xml_helpers import results


def _customer(w: World, *, email: str = "") -> tuple[str, int]:
    login = w.fresh("shcust")
    mail = f"<email>{email}</email>" if email else ""
    (made,) = w.ok(
        f"<customer><add><gen_info><pname>C {login}</pname><login>{login}</login>"
        f"<passwd>pw-{login}-1234</passwd>{mail}</gen_info></add></customer>",
        "customer/add",
    )
    return login, int(made.findtext("id") or 0)


def _gen_info(w: World, login: str) -> etree._Element:
    (got,) = w.ok(
        f"<customer><get><filter><login>{login}</login></filter>"
        "<dataset><gen_info/></dataset></get></customer>",
        "customer/get",
    )
    found = got.find("data/gen_info")
    assert found is not None
    return found


# -- server/get -----------------------------------------------------------------------


def _get(w: World, inner: str) -> etree._Element:
    (result,) = w.ok(f"<server><get>{inner}</get></server>", "server/get")
    return result


def _admin_domain_list(w: World) -> None:
    name = f"{w.fresh('adl')}.example"
    ws = factories.webspace(w.panel, name)
    factories.site(w.panel, f"shop.{name}", ws)
    login, _ = _customer(w)
    owner = w.panel.accounts.by_login(login)
    factories.webspace(w.panel, f"{w.fresh('other')}.example", owner=owner)
    listed = _get(w, "<admin-domain-list/>").findall("admin-domain-list/domain")
    by_name = {d.findtext("name"): d for d in listed}
    assert by_name[name].findtext("type") == "domain"
    assert by_name[name].findtext("main") == "true"
    assert by_name[name].findtext("id") == str(ws.id)
    assert by_name[f"shop.{name}"].findtext("main") == "false"
    # the list is the admin's own: a customer's domain is not in it
    assert all(d.findtext("name") not in (None, "") for d in listed)
    assert not any((d.findtext("name") or "").startswith("other") for d in listed)


def _certificates(w: World) -> None:
    result = _get(w, "<certificates/>")
    panel = result.find("certificates/panel")
    assert panel is not None
    assert panel.findtext("name") == "default certificate"
    assert panel.find("admin") is not None


def _key_props(key: etree._Element) -> dict[str, str]:
    return {p.findtext("name") or "": p.findtext("value") or "" for p in key.findall("property")}


def _key_filter(w: World) -> None:
    (main,) = _get(w, "<key><filter><main/></filter></key>").findall("key")
    own = _key_props(main)["plesk_key_id"]
    (by_id,) = _get(w, f"<key><filter><id>{own}</id></filter></key>").findall("key")
    assert _key_props(by_id)["plesk_key_id"] == own
    assert _get(w, "<key><filter><id>PLSK.00000000.0000</id></filter></key>").findall("key") == []
    assert _get(w, "<key><filter><additional/></filter></key>").findall("key") == []


def _key_children(w: World) -> None:
    # an empty filter answers as no filter: the main key with its properties
    (key,) = _get(w, "<key><filter/></key>").findall("key")
    props = _key_props(key)
    assert props["key_type"] == "panelkey" and props["can-manage-customers"] == "1"
    keys = _get(w, "<key><filter><all/></filter></key>").findall("key")
    assert [_key_props(k)["plesk_key_id"] for k in keys][:1] == [props["plesk_key_id"]]


# -- server/create_session ------------------------------------------------------------


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _session(w: World, login: str, data: str | None) -> Session:
    inner = "" if data is None else f"<data><user_ip>{_b64('198.51.100.7')}</user_ip>{data}</data>"
    (made,) = w.ok(
        f"<server><create_session><login>{login}</login>{inner}</create_session></server>",
        "server/create_session",
    )
    session_id = made.findtext("id") or ""
    (found,) = [
        s for s in w.panel.sessions.list(factories.admin(w.panel)) if s.session_id == session_id
    ]
    assert w.panel.sessions.verify(session_id) is not None
    return found


def _no_data(w: World) -> None:
    login, _ = _customer(w)
    found = _session(w, login, None)
    assert (found.login, found.ip, found.data) == (login, "", {})


def _c_email(w: World) -> None:
    login, _ = _customer(w)
    assert not _gen_info(w, login).findtext("email")
    _session(w, login, f"<c_email>{_b64('new@client.example')}</c_email>")
    # Plesk saves it on an account that has none...
    assert _gen_info(w, login).findtext("email") == "new@client.example"
    # ...and leaves a set one alone
    _session(w, login, f"<c_email>{_b64('other@client.example')}</c_email>")
    assert _gen_info(w, login).findtext("email") == "new@client.example"


def _c_phone(w: World) -> None:
    login, _ = _customer(w)
    _session(w, login, f"<c_phone>{_b64('+1 555 0100')}</c_phone>")
    assert _gen_info(w, login).findtext("phone") == "+1 555 0100"
    _session(w, login, "<c_phone>+1 555 0199</c_phone>")
    assert _gen_info(w, login).findtext("phone") == "+1 555 0100"


def _kept(name: str, value: str) -> Callable[[World], None]:
    """A data element is kept with the session it made (sent base64-encoded as Plesk's
    clients do; the plain text is what is kept)."""

    def run(w: World) -> None:
        login, _ = _customer(w)
        found = _session(w, login, f"<{name}>{_b64(value)}</{name}>")
        assert found.data == {name: value}

    return run


# -- event_log ------------------------------------------------------------------------


def _last_id(w: World) -> int:
    (result,) = w.ok("<event_log><get-last-id/></event_log>", "event_log/get-last-id")
    return int(result.findtext("id") or 0)


def _options(w: World) -> None:
    _customer(w)
    (listed,) = w.ok(
        "<event_log><get><options><flush_selected_range/></options></get></event_log>",
        "event_log/get",
    )
    assert any(e.findtext("type") == "client_create" for e in listed.findall("event"))
    # the range read was flushed: the log starts again empty
    (again,) = w.ok("<event_log><get/></event_log>", "event_log/get")
    assert again.findall("event") == []
    (kept,) = w.ok(
        "<event_log><get><options><flush_selected_range>false</flush_selected_range>"
        "</options></get></event_log>",
        "event_log/get",
    )
    assert kept.findall("event") == []


def _events_event(w: World) -> None:
    start = _last_id(w)
    _, cid = _customer(w)
    reseller = w.fresh("shres")
    w.ok(
        f"<reseller><add><gen-info><pname>R</pname><login>{reseller}</login>"
        f"<passwd>pw-{reseller}-1234</passwd></gen-info></add></reseller>",
        "reseller/add",
    )
    (got,) = w.ok(
        f"<event_log><get_events><lastId>{start}</lastId><events>"
        "<event><type>client_create</type><class>client</class></event>"
        "</events></get_events></event_log>",
        "event_log/get_events",
    )
    assert [(e.findtext("type"), e.findtext("obj_id")) for e in got.findall("event")] == [
        ("client_create", str(cid))
    ]
    (both,) = w.ok(
        f"<event_log><get_events><lastId>{start}</lastId><events>"
        "<event><type>client_create</type><class>client</class></event>"
        "<event><type>reseller_create</type><class>reseller</class></event>"
        "</events></get_events></event_log>",
        "event_log/get_events",
    )
    assert [e.findtext("class") for e in both.findall("event")] == ["client", "reseller"]


# -- ui -------------------------------------------------------------------------------


def _button(w: World, owner: str, props: str, extra: str = "") -> int:
    (made,) = w.ok(
        f"<ui><create-custombutton><owner>{owner}</owner><properties>{props}</properties>"
        f"{extra}</create-custombutton></ui>",
        "ui/create-custombutton",
    )
    return int(made.findtext("id") or 0)


def _get_button(w: World, bid: int) -> etree._Element:
    (got,) = w.ok(
        f"<ui><get-custombutton><filter><custombutton-id>{bid}</custombutton-id></filter>"
        "</get-custombutton></ui>",
        "ui/get-custombutton",
    )
    return got


def _url_components(w: World) -> None:
    bid = _button(
        w,
        "<admin/>",
        f"<url>https://stats.example/</url><text>{w.fresh('Stats')}</text>",
        "<url-components><dom_id>true</dom_id><dom_name>true</dom_name>"
        "<cl_id>false</cl_id><email>true</email></url-components>",
    )
    got = _get_button(w, bid)
    parts = {str(c.tag): c.text for c in got.find("url-components")}
    assert parts == {"dom_id": "true", "dom_name": "true", "cl_id": "false", "email": "true"}


def _owner_customer_id(w: World) -> None:
    _, cid = _customer(w)
    text = w.fresh("Mine")
    bid = _button(w, f"<customer-id>{cid}</customer-id>", f"<text>{text}</text>")
    (got,) = w.ok(
        f"<ui><get-custombutton><filter><owner><customer-id>{cid}</customer-id></owner>"
        "</filter></get-custombutton></ui>",
        "ui/get-custombutton",
    )
    assert (got.findtext("id"), got.findtext("properties/text")) == (str(bid), text)


# One value per property of CBProps.
_VALUES = {
    "sort_key": "7",
    "conhelp": "Opens the page",
    "file": "/icons/b.png",
    "public": "true",
    "internal": "true",
    "noframe": "false",
    "place": "admin",
    "url": "https://example.net/b",
}


def _order(first: str, second: str) -> Callable[[World], None]:
    """`first` before `second` in properties, as Plesk orders them, is taken and kept."""

    def run(w: World) -> None:
        text = w.fresh("Ordered")
        values = {**_VALUES, "text": text}
        body = f"<{first}>{values[first]}</{first}><{second}>{values[second]}</{second}>"
        if "text" not in (first, second):
            body += f"<text>{text}</text>"
        got = _get_button(w, _button(w, "<admin/>", body))
        props = {str(c.tag): c.text for c in got.find("properties")}
        assert props[first] == values[first] and props[second] == values[second]
        assert props["text"] == text

    return run


def _owners(op: str) -> Callable[[World], None]:
    """Several owners in one filter: the buttons of each."""

    def run(w: World) -> None:
        _, cid = _customer(w)
        login, _ = _customer(w)
        mine = _button(w, f"<customer-id>{cid}</customer-id>", f"<text>{w.fresh('A')}</text>")
        theirs = _button(w, f"<client-login>{login}</client-login>", f"<text>{w.fresh('B')}</text>")
        root = w.call(
            f"<ui><{op}><filter><owner><customer-id>{cid}</customer-id></owner>"
            f"<owner><client-login>{login}</client-login></owner></filter></{op}></ui>"
        )
        found = results(root, f"ui/{op}")
        assert {r.findtext("id") for r in found} == {str(mine), str(theirs)}
        assert all(r.findtext("status") == "ok" for r in found)
        if op == "delete-custombutton":
            assert w.panel.buttons.get(factories.admin(w.panel), mine) is None
            assert w.panel.buttons.get(factories.admin(w.panel), theirs) is None

    return run


def _owner_customer_id_delete(w: World) -> None:
    _, cid = _customer(w)
    bid = _button(w, f"<customer-id>{cid}</customer-id>", f"<text>{w.fresh('Gone')}</text>")
    (done,) = w.ok(
        f"<ui><delete-custombutton><filter><owner><customer-id>{cid}</customer-id></owner>"
        "</filter></delete-custombutton></ui>",
        "ui/delete-custombutton",
    )
    assert done.findtext("id") == str(bid)
    root = w.call(
        f"<ui><get-custombutton><filter><custombutton-id>{bid}</custombutton-id></filter>"
        "</get-custombutton></ui>"
    )
    (gone,) = results(root, "ui/get-custombutton")
    assert gone.findtext("errcode") == "1013"


_CS = "server/create_session: accept `data/{}` (0..1, string)"
_UI_ORDER = (
    "ui/create-custombutton: in `properties`: Plesk's order is {} before {}"
    " (panelkey wants the reverse)"
)
_ORDERS = [
    ("sort_key", "file"),
    ("sort_key", "internal"),
    ("sort_key", "noframe"),
    ("sort_key", "place"),
    ("conhelp", "file"),
    ("conhelp", "internal"),
    ("conhelp", "noframe"),
    ("conhelp", "place"),
    ("conhelp", "url"),
    ("conhelp", "text"),
    ("public", "internal"),
    ("public", "noframe"),
    ("public", "place"),
    ("public", "url"),
    ("public", "text"),
    ("url", "text"),
]
_DATA = {
    "starting_url": "/smb/web/view",
    "navigation": "false",
    "pathbar": "false",
    "logo_img_url": "https://billing.example/logo.png",
    "logo_img_ref": "https://billing.example/",
    "locale_id": "de-DE",
    "skin": "dark-theme",
    "domain_name": "client-site.example",
    "disable_lock_screen": "true",
    "max_button_length": "25",
    "back_url": "https://billing.example/clientarea",
}

CASES = [
    Case("server/get: accept `admin-domain-list` (0..1)", _admin_domain_list),
    Case("server/get: accept `certificates` (0..1)", _certificates),
    Case("server/get: accept `key/filter` (0..1, GetKeyFilter)", _key_filter),
    Case(
        "server/get: `key`: Plesk allows children here (a filter), panelkey only an empty element",
        _key_children,
    ),
    Case("server/create_session: `data`: Plesk takes 0..1, panelkey 1..1", _no_data),
    Case(_CS.format("c_email"), _c_email),
    Case(_CS.format("c_phone"), _c_phone),
    *(Case(_CS.format(name), _kept(name, value)) for name, value in _DATA.items()),
    Case("event_log/get: accept `options` (0..1, None)", _options),
    Case("event_log/get_events: accept `events/event` (1..∞, None)", _events_event),
    Case(
        "ui/create-custombutton: accept `url-components` (0..1, CBUrlComponents)", _url_components
    ),
    Case("ui/create-custombutton: accept `owner/customer-id` (0..1, id_type)", _owner_customer_id),
    *(Case(_UI_ORDER.format(a, b), _order(a, b)) for a, b in _ORDERS),
    Case(
        "ui/get-custombutton: `filter/owner`: Plesk takes 0..∞, panelkey 0..1",
        _owners("get-custombutton"),
    ),
    Case(
        "ui/get-custombutton: accept `filter/owner/customer-id` (0..1, id_type)",
        _owner_customer_id,
    ),
    Case(
        "ui/delete-custombutton: `filter/owner`: Plesk takes 0..∞, panelkey 0..1",
        _owners("delete-custombutton"),
    ),
    Case(
        "ui/delete-custombutton: accept `filter/owner/customer-id` (0..1, id_type)",
        _owner_customer_id_delete,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.line)
def test_plesk_accepts(shape_world: World, case: Case) -> None:
    case.run(shape_world)
