"""Operator ``ui``: custom buttons (create, get, delete) and ``get-navigation``."""

from __future__ import annotations

import base64

from lxml import etree

from panelkey.core.accounts import Account
from panelkey.core.buttons import BUTTON_NOT_FOUND, PROPERTIES, Button
from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.core.identity import AccountType
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


def create_custombutton(req: Request, op: etree._Element) -> list[etree._Element]:
    props = op.find("properties")
    values = (
        {str(c.tag): (c.text or "") for c in render.children(props)} if props is not None else {}
    )
    try:
        owner = _owner(req, op.find("owner"))  # type: ignore[arg-type]
        made = req.ctx.panel.buttons.create(req.identity, owner, values)
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", made.id)])]


def _selected(req: Request, op: etree._Element) -> list[tuple[str, Button | None]]:
    buttons = req.ctx.panel.buttons
    ids = op.findall("filter/custombutton-id")
    if ids:
        return [((i.text or "").strip(), buttons.get(req.identity, int(i.text or 0))) for i in ids]
    owner = _owner(req, op.find("filter/owner"))  # type: ignore[arg-type]
    return [(str(b.id), b) for b in buttons.list(req.identity, owner.id)]


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
        props = render.element(
            "properties", [(k, b.properties[k]) for k in PROPERTIES if k in b.properties]
        )
        results.append(render.ok([("id", b.id), ("properties", props)]))
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


# What a caller may open, by account type: Plesk answers a serialized PHP array,
# base64-encoded; panelkey serializes the same structure of plain strings.
_NAVIGATION = {
    "admin": ("Home", "Customers", "Resellers", "Domains", "Service Plans", "Tools & Settings"),
    "reseller": ("Home", "Customers", "Domains", "Service Plans", "Account"),
    "customer": ("Websites & Domains", "Mail", "Applications", "Files", "Databases", "Account"),
}


def _php_serialize(items: tuple[str, ...]) -> str:
    body = "".join(
        f'i:{n};a:1:{{s:4:"name";s:{len(t.encode())}:"{t}";}}' for n, t in enumerate(items)
    )
    return f"a:{len(items)}:{{{body}}}"


def get_navigation(req: Request, op: etree._Element) -> list[etree._Element]:
    items = _NAVIGATION.get(req.identity.type, _NAVIGATION["customer"])
    encoded = base64.b64encode(_php_serialize(items).encode()).decode()
    return [render.ok([("navigation", encoded)])]


OPERATIONS: Operator = {
    "get-navigation": get_navigation,
    "create-custombutton": create_custombutton,
    "get-custombutton": get_custombutton,
    "delete-custombutton": delete_custombutton,
}
