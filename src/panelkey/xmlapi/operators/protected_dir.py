"""Operator ``protected-dir``: ``add``, ``get``, ``set``, ``delete``, ``add-user``,
``set-user``, ``delete-user``, ``get-user``, ``get-pd-location-descriptor``.

``add`` > ``site-id``, ``name`` (``/`` the site's root; empty is 1019), ``header``?,
``location``? (``property`` name/value pairs ``ssl``, ``nonssl``, ``cgi``) -> ``id``;
a site out of reach is 1015 ``site is not found``, as Plesk answers. ``get`` answers
``data/{name, header, location}``. Directory filters: ``id``, ``site-id``,
``site-name``; an unknown directory is 1013 ``Protected URL is not found``. Users:
``add-user`` > ``pd-id``, ``login``, ``password``, ``password-type``? (``plain`` |
``crypt``) -> ``id``; ``set-user`` and ``delete-user`` filter by ``id`` or ``pd-id``;
``set-user``'s ``values`` may carry the user's own ``id`` (another id is 1019); an
unknown user is 1013 ``User is not found``. Passwords are never answered: ``get-user``
(same filter) answers ``data/login``. ``get-pd-location-descriptor`` describes the
``location`` properties (``ssl``, ``non-ssl``, ``cgi``) as Plesk's ObjectDescriptor.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from panelkey.core.content.protected_dirs import (
    NOT_FOUND,
    SITE_NOT_FOUND,
    USER_NOT_FOUND,
    DirUser,
    ProtectedDir,
)
from panelkey.core.errors import InvalidValue, NotFound, PanelkeyError
from panelkey.xmlapi import render
from panelkey.xmlapi.operators.selection import (
    Hit,
    answer_each,
    answer_get,
    boolean,
    flag,
    miss,
    one,
    pairs,
    select,
)
from panelkey.xmlapi.request import Operator, Request

# Plesk's location names on input (both spellings of non-SSL) -> the model's.
_LOCATION = {"ssl": "ssl", "nonssl": "nonssl", "non-ssl": "nonssl", "cgi": "cgi"}


def _location(parent: etree._Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in pairs(parent.find("location")):
        if name not in _LOCATION:
            raise InvalidValue(f"Unknown protected directory property: {name!r}")
        out[_LOCATION[name]] = flag(value, name)
    return out


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    panel = req.ctx.panel
    site = panel.domains.get(req.identity, int(render.text_of(op, "site-id") or 0))
    try:
        made = panel.protected_dirs.create(
            req.identity,
            site,
            render.text_of(op, "name") or "",
            header=render.text_of(op, "header") or "",
            location=_location(op),
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", made.id)])]


def _dirs(req: Request, op: etree._Element) -> list[Hit[ProtectedDir]]:
    pds, who, domains = req.ctx.panel.protected_dirs, req.identity, req.ctx.panel.domains

    def of_site(site: Any) -> list[ProtectedDir] | None:
        return None if site is None else pds.list(who, site)

    return select(
        op.find("filter"),
        lambda: pds.list(who),
        {
            "id": lambda v: one(pds.get(who, int(v))),
            "site-id": lambda v: of_site(domains.get(who, int(v))),
            "site-name": lambda v: of_site(domains.by_name(who, v)),
        },
    )


def _data(d: ProtectedDir) -> etree._Element:
    location = render.element(
        "location",
        [
            ("property", render.element("property", [("name", n), ("value", boolean(v))]))
            for n, v in (("ssl", d.ssl), ("non-ssl", d.nonssl), ("cgi", d.cgi))
        ],
    )
    return render.element("data", [("name", d.name), ("header", d.header), ("location", location)])


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    return answer_get(_dirs(req, op), NOT_FOUND, lambda d: [("id", d.id), ("data", _data(d))])


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``values`` (``name``?, ``header``?, ``location``?)."""
    pds = req.ctx.panel.protected_dirs

    def change(d: ProtectedDir) -> None:
        values = op.find("values")
        assert values is not None  # the schema requires it
        pds.update(
            req.identity,
            d,
            {
                "name": render.text_of(values, "name"),
                "header": render.text_of(values, "header"),
                **_location(values),
            },
        )

    return answer_each(_dirs(req, op), NOT_FOUND, change)


def delete(req: Request, op: etree._Element) -> list[etree._Element]:
    pds = req.ctx.panel.protected_dirs
    return answer_each(_dirs(req, op), NOT_FOUND, lambda d: pds.delete(req.identity, d))


# -- users ----------------------------------------------------------------------------


def add_user(req: Request, op: etree._Element) -> list[etree._Element]:
    pds = req.ctx.panel.protected_dirs
    pdir = pds.get(req.identity, int(render.text_of(op, "pd-id") or 0))
    try:
        made = pds.add_user(
            req.identity,
            pdir,
            render.text_of(op, "login") or "",
            render.text_of(op, "password") or "",
            render.text_of(op, "password-type"),
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", made.id)])]


def _users(req: Request, op: etree._Element) -> list[Hit[DirUser]]:
    pds, who = req.ctx.panel.protected_dirs, req.identity

    def of_dir(value: str) -> list[DirUser] | None:
        pdir = pds.get(who, int(value))
        return None if pdir is None else pds.users(who, pdir)

    return select(
        op.find("filter"),
        lambda: pds.users(who),
        {"id": lambda v: one(pds.user(who, int(v))), "pd-id": of_dir},
    )


def _same_user(values: etree._Element, user: DirUser) -> None:
    """``values/id`` (Plesk's ProtectedDirUser carries the user's id) names the user the
    filter found: an id is never changed, so another one is InvalidValue (1019)."""
    asked = render.text_of(values, "id")
    if asked is not None and int(asked.strip()) != user.id:
        raise InvalidValue(f"The id of a protected directory user cannot be changed: {asked}")


def _each_user(req: Request, op: etree._Element, act: str) -> list[etree._Element]:
    pds = req.ctx.panel.protected_dirs
    results: list[etree._Element] = []
    for hit in _users(req, op):
        if hit.miss:
            results.append(miss(hit, USER_NOT_FOUND))
            continue
        if hit.obj is None:
            continue
        head: list[render.Field] = [("filter-id", hit.filter_id), ("id", hit.obj.id)]
        try:
            if act == "set":
                values = op.find("values")
                assert values is not None  # the schema requires it
                _same_user(values, hit.obj)
                pds.update_user(
                    req.identity,
                    hit.obj,
                    login=render.text_of(values, "login"),
                    password=render.text_of(values, "password"),
                    password_type=render.text_of(values, "password-type"),
                )
            else:
                pds.delete_user(req.identity, hit.obj)
        except PanelkeyError as exc:
            results.append(render.error(exc, head))
            continue
        results.append(render.ok(head))
    return results or [render.ok()]


def set_user(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter`` (``id`` | ``pd-id``), ``values`` (``login``?, ``password``?,
    ``password-type``?)."""
    return _each_user(req, op, "set")


def delete_user(req: Request, op: etree._Element) -> list[etree._Element]:
    return _each_user(req, op, "delete")


def get_user(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter`` (``id`` | ``pd-id``) -> per user ``filter-id``, ``id``, ``data/login``;
    never a password."""
    return answer_get(
        _users(req, op),
        USER_NOT_FOUND,
        lambda u: [("id", u.id), ("data", render.element("data", [("login", u.login)]))],
    )


# -- the location descriptor -----------------------------------------------------------

# (name as answered, type, label); the defaults are those `add` gives a new directory.
_LOCATION_PROPERTIES = (
    ("ssl", "boolean", "Protect the directory on HTTPS"),
    ("non-ssl", "boolean", "Protect the directory on HTTP"),
    ("cgi", "boolean", "Protect the cgi-bin directory"),
)


def _location_descriptor(ssl: bool) -> etree._Element:
    defaults = {"ssl": ssl, "non-ssl": True, "cgi": False}
    return render.element(
        "descriptor",
        [
            (
                "property",
                render.element(
                    "property",
                    [
                        ("name", name),
                        ("type", kind),
                        ("default-value", boolean(defaults[name])),
                        ("writable-by", "admin"),
                        ("label", label),
                    ],
                ),
            )
            for name, kind, label in _LOCATION_PROPERTIES
        ],
    )


def get_pd_location_descriptor(req: Request, op: etree._Element) -> list[etree._Element]:
    """No site asked: the server's descriptor (one result). Per ``site-id``: that site's,
    ``ssl`` by default where the site has SSL/TLS on; a site out of reach is 1013
    ``site is not found``."""
    asked = [(e.text or "").strip() for e in op.findall("filter/site-id")]
    if not asked:
        return [render.ok([("descriptor", _location_descriptor(True))])]
    panel = req.ctx.panel
    results: list[etree._Element] = []
    for site_id in asked:
        site = panel.domains.get(req.identity, int(site_id))
        if site is None:
            results.append(render.error(NotFound(SITE_NOT_FOUND), [("filter-id", site_id)]))
            continue
        ssl = panel.subscriptions.effective(site)["hosting"].get("ssl") == "true"
        head: list[render.Field] = [("filter-id", site_id), ("id", site.id)]
        results.append(render.ok([*head, ("descriptor", _location_descriptor(ssl))]))
    return results


OPERATIONS: Operator = {
    "add": add,
    "get": get,
    "set": set_,
    "delete": delete,
    "add-user": add_user,
    "set-user": set_user,
    "delete-user": delete_user,
    "get-user": get_user,
    "get-pd-location-descriptor": get_pd_location_descriptor,
}
