"""Operator ``log-rotation``: ``set``, ``get``, ``enable``, ``disable``, ``get-status``.

Every operation takes a ``filter`` of sites: ``site-id``, ``site-name``, or the sites of
an owner (``owner-id``, ``owner-login``); an empty filter is every site in reach. One
result per site: ``filter-id``, ``id``, then what the operation answers: ``get`` the
``settings`` (``log-condition`` with ``log-bysize`` or ``log-bytime`` (``Daily``,
``Weekly``, ``Monthly``), ``log-max-num-files``, ``log-compress``, ``log-email`` when
one is set), ``get-status`` ``enabled``. ``set`` takes the same ``settings``, and keeps
rotation on or off as it was. A site out of reach is 1013 ``Site does not exist``, an
owner out of reach 1013 ``Client does not exist``; a customer without the
``manage_log`` permission changes nothing (1006). core/content/log_rotation.py keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from panelkey.core.content.virtdirs import SITE_NOT_FOUND
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import PanelkeyError
from panelkey.xmlapi import render
from panelkey.xmlapi.operators.customer import CLIENT_NOT_FOUND
from panelkey.xmlapi.operators.selection import Hit, miss, one, select
from panelkey.xmlapi.operators.site import reachable_account
from panelkey.xmlapi.request import Handler, Operator, Request

Pairs = list[tuple[str, str]]
Act = Callable[[Request, etree._Element, Domain], list[render.Field]]


def _hits(req: Request, flt: etree._Element | None) -> list[Hit[Domain]]:
    domains, who = req.ctx.panel.domains, req.identity

    def owned(kind: str) -> Callable[[str], list[Domain] | None]:
        def resolve(value: str) -> list[Domain] | None:
            owner = reachable_account(req, kind, value)
            return None if owner is None else domains.of_owner(who, owner.id)

        return resolve

    return select(
        flt,
        lambda: domains.list(who),
        {
            "site-id": lambda v: one(domains.get(who, int(v))),
            "site-name": lambda v: one(domains.by_name(who, v)),
            "owner-id": owned("owner-id"),
            "owner-login": owned("owner-login"),
        },
    )


def each(act: Act) -> Handler:
    """One result per site the filter names (an owner with no sites answers its
    ``filter-id`` alone); a core error is that site's result."""

    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        flt = op.find("filter")
        kinds = {str(c.tag) for c in render.children(flt)} if flt is not None else set()
        missing = CLIENT_NOT_FOUND if kinds & {"owner-id", "owner-login"} else SITE_NOT_FOUND
        results: list[etree._Element] = []
        for hit in _hits(req, flt):
            if hit.miss:
                results.append(miss(hit, missing))
                continue
            if hit.obj is None:
                results.append(render.ok([("filter-id", hit.filter_id)]))
                continue
            head: list[render.Field] = [("filter-id", hit.filter_id), ("id", hit.obj.id)]
            try:
                results.append(render.ok([*head, *act(req, op, hit.obj)]))
            except PanelkeyError as exc:
                results.append(render.error(exc, head))
        return results or [render.ok()]

    handler.__name__ = act.__name__
    return handler


def _pairs(settings: etree._Element) -> Pairs:
    """The core block's (name, value) pairs of a request's ``settings``: a time
    condition clears a size one, as rotation goes by one or the other."""
    pairs: Pairs = []
    for child in render.children(settings):
        if child.tag != "log-condition":
            pairs.append((str(child.tag), child.text or ""))
            continue
        for cond in render.children(child):
            if cond.tag == "log-bytime":
                pairs += [("log-bytime", (cond.text or "").strip().lower()), ("log-bysize", "0")]
            else:
                pairs.append(("log-bysize", cond.text or ""))
    return pairs


def _settings(values: dict[str, str]) -> etree._Element:
    size = values.get("log-bysize", "0")
    condition: list[render.Field] = (
        [("log-bysize", size)]
        if size not in ("", "0")
        else [("log-bytime", values.get("log-bytime", "daily").capitalize())]
    )
    return render.element(
        "settings",
        [
            ("log-condition", render.element("log-condition", condition)),
            ("log-max-num-files", values.get("log-max-num-files")),
            ("log-compress", values.get("log-compress")),
            ("log-email", values.get("log-email") or None),
        ],
    )


def set_(req: Request, op: etree._Element, site: Domain) -> list[render.Field]:
    settings = op.find("settings")
    assert settings is not None  # the schema requires it
    req.ctx.panel.log_rotation.set(req.identity, site, _pairs(settings))
    return []


def get(req: Request, op: etree._Element, site: Domain) -> list[render.Field]:
    return [("settings", _settings(req.ctx.panel.log_rotation.settings(req.identity, site)))]


def enable(req: Request, op: etree._Element, site: Domain) -> list[render.Field]:
    req.ctx.panel.log_rotation.switch(req.identity, site, True)
    return []


def disable(req: Request, op: etree._Element, site: Domain) -> list[render.Field]:
    req.ctx.panel.log_rotation.switch(req.identity, site, False)
    return []


def get_status(req: Request, op: etree._Element, site: Domain) -> list[render.Field]:
    values = req.ctx.panel.log_rotation.settings(req.identity, site)
    return [("enabled", "true" if values.get("enabled") == "true" else "false")]


OPERATIONS: Operator = {
    "set": each(set_),
    "get": each(get),
    "enable": each(enable),
    "disable": each(disable),
    "get-status": each(get_status),
}
