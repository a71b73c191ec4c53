"""Operator ``ui``: custom buttons (create, get, delete) and ``get-navigation``.

Owners are Plesk's (``admin``, ``customer-id``, ``reseller-id``) or the logins panelkey
took before; a get or delete filter names buttons by id, or any number of owners (an
empty filter: every button the caller reaches). Properties are answered in Plesk's
order, then the URL components a button was made with.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from functools import partial
from typing import Any

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.errors import NotFound
from panelkey.core.server.branding import VENDORS
from panelkey.core.server.buttons import BUTTON_NOT_FOUND, PROPERTIES, URL_COMPONENTS, Button
from panelkey.xmlapi import reach, render
from panelkey.xmlapi.reach import CUSTOMER, RESELLER
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, Hit, by_id, one, required

OWNER_NOT_FOUND = "Owner does not exist"


def _owner(req: Request, owner: etree._Element) -> Account:
    """The account an ``owner`` names: ``admin``, or a customer or reseller by id or
    login (``customer-id``, ``reseller-login``...). Raises NotFound for one out of reach."""
    (child,) = render.children(owner)
    tag = str(child.tag)
    found: Account | None
    if tag == "admin":
        admin = req.ctx.panel.accounts.admin()
        found = (
            None if admin is None else req.ctx.panel.accounts.find(req.identity, ("id", admin.id))
        )
    else:
        kind = "id" if tag.endswith("-id") else "login"
        of_type = RESELLER if tag.startswith("reseller") else CUSTOMER
        found = reach.account(kind, of_type)(req, (child.text or "").strip())
    return required(found, OWNER_NOT_FOUND)


def _owned(req: Request, owner: etree._Element) -> list[Button]:
    return req.ctx.panel.buttons.list(req.identity, _owner(req, owner).id)


# Buttons by id, or every button of any number of owners (an owner out of reach answers
# the whole operation); an empty filter: every button the caller reaches.
FILTER: Filter[Button] = Filter(
    BUTTON_NOT_FOUND,
    {
        "custombutton-id": one(by_id(lambda req, i: req.ctx.panel.buttons.get(req.identity, i))),
        "owner": _owned,
    },
    lambda req: req.ctx.panel.buttons.list(req.identity),
    echo="id",
    echo_id=False,
)


def _texts(node: etree._Element | None) -> dict[str, str]:
    return (
        {str(c.tag): (c.text or "").strip() for c in render.children(node)}
        if node is not None
        else {}
    )


def create_custombutton(req: Request, op: etree._Element) -> list[etree._Element]:
    values = _texts(op.find("properties"))
    components = _texts(op.find("url-components"))
    owner = op.find("owner")
    assert owner is not None  # the schema requires it
    made = req.ctx.panel.buttons.create(req.identity, _owner(req, owner), values, components)
    return [render.ok([("id", made.id)])]


def _selected(req: Request, op: etree._Element) -> list[Hit[Button]]:
    """The filter's hits, each button once (owners named twice list theirs once), a
    button of an owner answered by its own id."""
    seen: set[int] = set()
    hits: list[Hit[Button]] = []
    for hit in FILTER.select(req, op.find("filter")):
        if hit.obj is not None and hit.kind == "owner":
            if hit.obj.id in seen:
                continue
            seen.add(hit.obj.id)
            hit = Hit(str(hit.obj.id), hit.obj, hit.kind)
        hits.append(hit)
    return hits


def _button(b: Button) -> list[render.Field]:
    props = render.element(
        "properties", [(k, b.properties[k]) for k in PROPERTIES if k in b.properties]
    )
    fields: list[render.Field] = [("id", b.id), ("properties", props)]
    if b.url_components:
        parts = [(k, b.url_components[k]) for k in URL_COMPONENTS if k in b.url_components]
        fields.append(("url-components", render.element("url-components", parts)))
    return fields


def get_custombutton(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    return FILTER.get(_selected(req, op), _button)


def delete_custombutton(req: Request, op: etree._Element) -> list[etree._Element]:
    def delete(b: Button) -> None:
        req.ctx.panel.buttons.delete(req.identity, b.id)

    results = [
        FILTER.miss(hit)
        if hit.obj is None
        else render.outcome(partial(delete, hit.obj), [("id", hit.filter_id)])
        for hit in _selected(req, op)
    ]
    return results or [render.ok()]


# ---- get-navigation -------------------------------------------------------------------
# Plesk answers its navigation menu as base64 of a PHP-serialized array keyed by section
# (the sections its extension guide names: general, hosting, server, profile), each with
# a `name` and a non-empty list of `nodes`. panelkey answers the menu of a Plesk for the
# caller's account type.
Node = tuple[str, str, str]  # id, name, link
Section = tuple[str, str, tuple[Node, ...]]  # key, name, nodes
_PANEL_HOME: Section = ("general", "General", (("home", "Home", "/admin/home/"),))
# The hosting nodes of the admin's panel; a reseller's lacks only the resellers.
_PANEL_HOSTING: tuple[Node, ...] = (
    ("customers", "Customers", "/admin/customer/list/"),
    ("resellers", "Resellers", "/admin/reseller/list/"),
    ("domains", "Domains", "/admin/domain/list/"),
    ("subscriptions", "Subscriptions", "/admin/subscription/list/"),
    ("service-plans", "Service Plans", "/admin/customer-service-plan/list/"),
)
_SECTIONS: dict[str, tuple[Section, ...]] = {
    "admin": (
        _PANEL_HOME,
        ("hosting", "Hosting Services", _PANEL_HOSTING),
        (
            "server",
            "Server Management",
            (
                ("tools", "Tools & Settings", "/admin/server/tools/"),
                ("extensions", "Extensions", "/modules/catalog/"),
            ),
        ),
        ("profile", "My Profile", (("profile", "Profile & Preferences", "/admin/profile/"),)),
    ),
    "reseller": (
        _PANEL_HOME,
        ("hosting", "Hosting Services", tuple(n for n in _PANEL_HOSTING if n[0] != "resellers")),
        ("profile", "My Profile", (("profile", "Account", "/admin/profile/"),)),
    ),
    "customer": (
        ("general", "General", (("home", "Websites & Domains", "/smb/web/view/"),)),
        (
            "hosting",
            "Hosting Services",
            (
                ("mail", "Mail", "/smb/email-address/list/"),
                ("applications", "Applications", "/smb/app/"),
                ("files", "Files", "/smb/file-manager/"),
                ("databases", "Databases", "/smb/database/list/"),
            ),
        ),
        ("profile", "My Profile", (("account", "Account", "/smb/account/"),)),
    ),
}


def php_serialize(value: Any) -> str:
    """PHP's serialize() of strings, integers, booleans, None, lists and dicts (lists
    become arrays keyed 0..n-1); string lengths count UTF-8 bytes, as PHP's do."""
    if value is None:
        return "N;"
    if isinstance(value, bool):
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, str):
        return f's:{len(value.encode())}:"{value}";'
    if isinstance(value, list | tuple):
        value = dict(enumerate(value))
    if isinstance(value, dict):
        body = "".join(php_serialize(k) + php_serialize(v) for k, v in value.items())
        return f"a:{len(value)}:{{{body}}}"
    raise TypeError(f"cannot serialize {type(value).__name__}")


def navigation(account_type: str) -> dict[str, Any]:
    sections = _SECTIONS.get(account_type, _SECTIONS["customer"])
    return {
        key: {
            "name": name,
            "nodes": [{"id": i, "name": n, "link": link} for i, n, link in nodes],
        }
        for key, name, nodes in sections
    }


def get_navigation(req: Request, op: etree._Element) -> list[etree._Element]:
    text = php_serialize(navigation(req.identity.type))
    return [render.ok([("navigation", base64.b64encode(text.encode()).decode())])]


OPERATIONS: Operator = {
    "get-navigation": get_navigation,
    "create-custombutton": create_custombutton,
    "get-custombutton": get_custombutton,
    "delete-custombutton": delete_custombutton,
}


# ---- custom themes (core/server/branding.py) ------------------------------------------
# The filter names the theme's vendor by login: the admin or a reseller; any other login
# answers 1013 as an owner that does not exist. Answered status and filter-id.


def _vendor(req: Request, op: etree._Element) -> tuple[str, Account]:
    req.ctx.panel.branding.check_caller(req.identity)
    login = (op.findtext("filter/vendor-login") or "").strip()
    found = req.ctx.panel.accounts.find(req.identity, ("login", login))
    if found is None or found.type not in VENDORS:
        raise NotFound(OWNER_NOT_FOUND)
    return login, found


def branding_theme_install(req: Request, op: etree._Element) -> list[etree._Element]:
    login, vendor = _vendor(req, op)
    req.ctx.panel.branding.install(req.identity, vendor, render.text_of(op, "path") or "")
    return [render.ok([("filter-id", login)])]


def branding_theme_uninstall(req: Request, op: etree._Element) -> list[etree._Element]:
    login, vendor = _vendor(req, op)
    req.ctx.panel.branding.uninstall(req.identity, vendor)
    return [render.ok([("filter-id", login)])]


OPERATIONS.update(
    {
        "branding-theme-install": branding_theme_install,
        "branding-theme-uninstall": branding_theme_uninstall,
    }
)
