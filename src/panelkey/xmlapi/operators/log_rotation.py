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
from functools import partial

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.domains.domains import Domain
from panelkey.xmlapi import reach, render
from panelkey.xmlapi.request import Handler, Operator, Request
from panelkey.xmlapi.select import Filter, one, under

Pairs = list[tuple[str, str]]
Act = Callable[[Request, etree._Element, Domain], list[render.Field]]


def _owned(req: Request, owner: Account) -> list[Domain]:
    return req.ctx.panel.domains.of_owner(req.identity, owner.id)


FILTER: Filter[Domain] = Filter(
    reach.SITE_NOT_FOUND,
    {
        "site-id": one(reach.domain("id")),
        "site-name": one(reach.domain("name")),
        "owner-id": under(reach.account("id"), _owned),
        "owner-login": under(reach.account("login"), _owned),
    },
    lambda req: req.ctx.panel.domains.list(req.identity),
    misses={"owner-id": reach.CLIENT_NOT_FOUND, "owner-login": reach.CLIENT_NOT_FOUND},
    echo_id=False,
    empty_parents=True,
)


def each(act: Act) -> Handler:
    """One result per site the filter names (an owner with no sites answers its
    ``filter-id`` alone); a core error is that site's result."""

    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        results: list[etree._Element] = []
        for hit in FILTER.select(req, op.find("filter")):
            if hit.missing is not None:
                results.append(FILTER.miss(hit))
            elif hit.obj is None:
                results.append(render.ok([("filter-id", hit.filter_id)]))
            else:
                head: list[render.Field] = [("filter-id", hit.filter_id), ("id", hit.obj.id)]
                results.append(render.outcome(partial(act, req, op, hit.obj), head))
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
