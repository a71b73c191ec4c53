"""Operator ``ui``: custom buttons (create, get, delete) and ``get-navigation``.

Owners are Plesk's (``admin``, ``customer-id``, ``reseller-id``) or the logins panelkey
took before; a get or delete filter names buttons by id, or any number of owners (an
empty filter: every button the caller reaches). Properties are answered in Plesk's
order, then the URL components a button was made with.
"""

from __future__ import annotations

import base64
from typing import Any

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.core.identity import AccountType
from panelkey.core.server.branding import VENDORS
from panelkey.core.server.buttons import BUTTON_NOT_FOUND, PROPERTIES, URL_COMPONENTS, Button
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request

OWNER_NOT_FOUND = "Owner does not exist"


def _owner(req: Request, owner: etree._Element) -> Account:
    accounts = req.ctx.panel.accounts
    (child,) = render.children(owner)
    tag, text = str(child.tag), (child.text or "").strip()
    found: Account | None
    if tag == "admin":
        found = accounts.admin()
    elif tag.endswith("-id"):
        found = accounts.get(int(text))
    else:
        found = accounts.by_login(text)
    kind = AccountType.RESELLER.value if tag.startswith("reseller") else AccountType.CUSTOMER.value
    if found is None or (tag != "admin" and found.type != kind):
        raise NotFound(OWNER_NOT_FOUND)
    if not accounts.can_manage(req.identity, found):
        raise NotFound(OWNER_NOT_FOUND)
    return found


def _texts(node: etree._Element | None) -> dict[str, str]:
    return (
        {str(c.tag): (c.text or "").strip() for c in render.children(node)}
        if node is not None
        else {}
    )


def create_custombutton(req: Request, op: etree._Element) -> list[etree._Element]:
    values = _texts(op.find("properties"))
    components = _texts(op.find("url-components"))
    try:
        owner = _owner(req, op.find("owner"))  # type: ignore[arg-type]
        made = req.ctx.panel.buttons.create(req.identity, owner, values, components)
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", made.id)])]


def _selected(req: Request, op: etree._Element) -> list[tuple[str, Button | None]]:
    buttons = req.ctx.panel.buttons
    ids = op.findall("filter/custombutton-id")
    if ids:
        return [((i.text or "").strip(), buttons.get(req.identity, int(i.text or 0))) for i in ids]
    owners = op.findall("filter/owner")
    if not owners:
        return [(str(b.id), b) for b in buttons.list(req.identity)]
    chosen = [_owner(req, o) for o in owners]
    seen: set[int] = set()
    found: list[tuple[str, Button | None]] = []
    for owner in chosen:
        if owner.id in seen:
            continue
        seen.add(owner.id)
        found += [(str(b.id), b) for b in buttons.list(req.identity, owner.id)]
    return found


def _button(b: Button) -> list[render.Field]:
    props = render.element(
        "properties", [(k, b.properties[k]) for k in PROPERTIES if k in b.properties]
    )
    fields: list[render.Field] = [("id", b.id), ("properties", props)]
    if b.url_components:
        parts = [(k, b.url_components[k]) for k in URL_COMPONENTS if k in b.url_components]
        fields.append(("url-components", render.element("url-components", parts)))
    return fields


def get_custombutton(req: Request, op: etree._Element) -> list[etree._Element]:
    try:
        selected = _selected(req, op)
    except PanelkeyError as exc:
        return [render.error(exc)]
    results: list[etree._Element] = []
    for asked, b in selected:
        if b is None:
            results.append(render.error(NotFound(BUTTON_NOT_FOUND), [("id", asked)]))
            continue
        results.append(render.ok(_button(b)))
    return results or [render.ok()]


def delete_custombutton(req: Request, op: etree._Element) -> list[etree._Element]:
    try:
        selected = _selected(req, op)
    except PanelkeyError as exc:
        return [render.error(exc)]
    results: list[etree._Element] = []
    for asked, b in selected:
        try:
            if b is None:
                raise NotFound(BUTTON_NOT_FOUND)
            req.ctx.panel.buttons.delete(req.identity, b.id)
        except PanelkeyError as exc:
            results.append(render.error(exc, [("id", asked)]))
            continue
        results.append(render.ok([("id", asked)]))
    return results or [render.ok()]


# ---- get-navigation -------------------------------------------------------------------
# Plesk answers its navigation menu as base64 of a PHP-serialized array keyed by section
# (the sections its extension guide names: general, hosting, server, profile), each with
# a `name` and a non-empty list of `nodes`. panelkey answers the menu of a Plesk for the
# caller's account type.
Node = tuple[str, str, str]  # id, name, link
_SECTIONS: dict[str, tuple[tuple[str, str, tuple[Node, ...]], ...]] = {
    "admin": (
        ("general", "General", (("home", "Home", "/admin/home/"),)),
        (
            "hosting",
            "Hosting Services",
            (
                ("customers", "Customers", "/admin/customer/list/"),
                ("resellers", "Resellers", "/admin/reseller/list/"),
                ("domains", "Domains", "/admin/domain/list/"),
                ("subscriptions", "Subscriptions", "/admin/subscription/list/"),
                ("service-plans", "Service Plans", "/admin/customer-service-plan/list/"),
            ),
        ),
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
        ("general", "General", (("home", "Home", "/admin/home/"),)),
        (
            "hosting",
            "Hosting Services",
            (
                ("customers", "Customers", "/admin/customer/list/"),
                ("domains", "Domains", "/admin/domain/list/"),
                ("subscriptions", "Subscriptions", "/admin/subscription/list/"),
                ("service-plans", "Service Plans", "/admin/customer-service-plan/list/"),
            ),
        ),
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
    found = req.ctx.panel.accounts.by_login(login)
    if found is None or found.type not in VENDORS:
        raise NotFound(OWNER_NOT_FOUND)
    if not req.ctx.panel.accounts.can_manage(req.identity, found):
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
