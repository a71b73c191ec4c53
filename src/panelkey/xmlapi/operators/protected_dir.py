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

from collections.abc import Sequence
from functools import partial
from typing import Any

from lxml import etree

from panelkey.core.content.protected_dirs import (
    NOT_FOUND,
    SITE_NOT_FOUND,
    USER_NOT_FOUND,
    DirUser,
    ProtectedDir,
)
from panelkey.core.errors import InvalidValue, NotFound
from panelkey.xmlapi import blocks, reach, render
from panelkey.xmlapi.owned import in_site
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, by_id, one, under
from panelkey.xmlapi.values import SWITCH, boolean, flag

# Plesk's location names on input (both spellings of non-SSL) -> the model's.
_LOCATION = {"ssl": "ssl", "nonssl": "nonssl", "non-ssl": "nonssl", "cgi": "cgi"}


def _location(parent: etree._Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in blocks.pairs(parent.find("location")):
        if name not in _LOCATION:
            raise InvalidValue(f"Unknown protected directory property: {name!r}")
        out[_LOCATION[name]] = flag(value, name, SWITCH)
    return out


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    site = reach.domain("id")(req, render.text_of(op, "site-id") or "")
    made = req.ctx.panel.protected_dirs.create(
        req.identity,
        site,
        render.text_of(op, "name") or "",
        header=render.text_of(op, "header") or "",
        location=_location(op),
    )
    return [render.ok([("id", made.id)])]


def _users_of(req: Request, pdir: ProtectedDir) -> list[DirUser]:
    return req.ctx.panel.protected_dirs.users(req.identity, pdir)


_find = by_id(lambda req, i: req.ctx.panel.protected_dirs.get(req.identity, i))
FILTER: Filter[ProtectedDir] = in_site(
    lambda req: req.ctx.panel.protected_dirs,
    NOT_FOUND,
    {"site-id": reach.domain("id"), "site-name": reach.domain("name")},
    named=False,
)
USERS: Filter[DirUser] = Filter(
    USER_NOT_FOUND,
    {
        "id": one(by_id(lambda req, i: req.ctx.panel.protected_dirs.user(req.identity, i))),
        "pd-id": under(_find, _users_of),
    },
    lambda req: req.ctx.panel.protected_dirs.users(req.identity),
    empty_parents=True,
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


def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    return FILTER.read(req, op, lambda d: [("id", d.id), ("data", _data(d))])


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``values`` (``name``?, ``header``?, ``location``?)."""
    values = op.find("values")
    assert values is not None  # the schema requires it

    def change(d: ProtectedDir) -> None:
        req.ctx.panel.protected_dirs.update(
            req.identity,
            d,
            {
                "name": render.text_of(values, "name"),
                "header": render.text_of(values, "header"),
                **_location(values),
            },
        )

    return FILTER.change(req, op, change)


def delete(req: Request, op: etree._Element) -> list[etree._Element]:
    return FILTER.change(req, op, partial(req.ctx.panel.protected_dirs.delete, req.identity))


# -- users ----------------------------------------------------------------------------


def add_user(req: Request, op: etree._Element) -> list[etree._Element]:
    pdir = _find(req, render.text_of(op, "pd-id") or "")
    made = req.ctx.panel.protected_dirs.add_user(
        req.identity,
        pdir,
        render.text_of(op, "login") or "",
        render.text_of(op, "password") or "",
        render.text_of(op, "password-type"),
    )
    return [render.ok([("id", made.id)])]


def _same_user(values: etree._Element, user: DirUser) -> None:
    """``values/id`` (Plesk's ProtectedDirUser carries the user's id) names the user the
    filter found: an id is never changed, so another one is InvalidValue (1019)."""
    asked = render.text_of(values, "id")
    if asked is not None and int(asked.strip()) != user.id:
        raise InvalidValue(f"The id of a protected directory user cannot be changed: {asked}")


def set_user(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter`` (``id`` | ``pd-id``), ``values`` (``login``?, ``password``?,
    ``password-type``?)."""
    values = op.find("values")
    assert values is not None  # the schema requires it

    def act(user: DirUser) -> None:
        _same_user(values, user)
        req.ctx.panel.protected_dirs.update_user(
            req.identity,
            user,
            login=render.text_of(values, "login"),
            password=render.text_of(values, "password"),
            password_type=render.text_of(values, "password-type"),
        )

    return USERS.change(req, op, act)


def delete_user(req: Request, op: etree._Element) -> list[etree._Element]:
    return USERS.change(req, op, partial(req.ctx.panel.protected_dirs.delete_user, req.identity))


def get_user(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    """``filter`` (``id`` | ``pd-id``) -> per user ``filter-id``, ``id``, ``data/login``;
    never a password."""
    return USERS.read(
        req, op, lambda u: [("id", u.id), ("data", render.element("data", [("login", u.login)]))]
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
