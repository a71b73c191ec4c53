"""Operator ``site``: ``add``, ``get``, ``set``, ``del``.

What ``site`` shares with ``webspace`` (the filters, ``get``, ``del``) is
domain_answers.py's; see there for which domains a caller reaches. Statuses on the wire
are Plesk's numbers: 0 active, 16 for both ``disabled`` and ``suspended`` (Plesk's
"disabled/suspended by the administrator"); a site's ``turn-off-action`` (``disable`` or
``suspend``) tells the two apart, as in Plesk (values.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from lxml import etree

from panelkey.core.domains.domains import Domain
from panelkey.core.errors import NotFound, PermissionDenied
from panelkey.core.identity import AccountType
from panelkey.core.plans.subscriptions import SITE_BLOCKS, Checked, check
from panelkey.xmlapi import blocks, descriptors, reach, render, traffic
from panelkey.xmlapi.domain_answers import SITES, DomainAct, del_domains, each_domain, get_domains
from panelkey.xmlapi.domain_forms import check_ip, hosting_form, properties_in, setup_in
from panelkey.xmlapi.request import Handler, Operator, Request
from panelkey.xmlapi.values import ip_in, status_in, turned_off


def _site_blocks(parent: etree._Element) -> Checked:
    given = blocks.read_all(parent, {t: t for t in ("prefs", "performance", "mail")})
    hosting = parent.find("hosting")
    if hosting is not None:
        props, _ips = properties_in(hosting)
        given["hosting"] = list(props.items())
    return check(given, SITE_BLOCKS)


def _parent_site(req: Request, gen: etree._Element, webspace: Domain) -> Domain | None:
    """``gen_setup/parent-site-*``: a site of the same webspace, or NotFound (1013)."""
    if reach.named(gen, "parent-site-") is None:
        return None
    found = reach.domain_of(req, gen, "parent-site-")
    if (found.base_domain_id or found.id) != webspace.id:
        raise NotFound(reach.SITE_NOT_FOUND)
    return found


def _add_site(req: Request, op: etree._Element) -> Domain:
    """``gen_setup`` (name, the webspace, htype?, status?, description?, parent
    site?), ``hosting``? (one form; ``www_root`` among vrt_hst's properties; without
    it, no hosting unless ``htype`` says), ``prefs``?, ``performance``?, ``mail``?."""
    gen = op.find("gen_setup")
    assert gen is not None  # the schema requires it
    webspace = reach.domain_of(req, gen, "webspace-", is_webspace=True)
    form = hosting_form(op.find("hosting"), render.text_of(gen, "htype"))
    _props, ips = properties_in(op.find("hosting"))
    checked = _site_blocks(op)
    parent = _parent_site(req, gen, webspace)
    kept = dict(form.props)
    if parent is not None:
        kept["parent-site-id"] = str(parent.id)
    panel = req.ctx.panel
    check_ip(req, webspace, ip_in(ips))
    return panel.domains.create(
        req.identity,
        **setup_in(gen, checked.domain.get("www_root")),
        base_domain=webspace,
        hosting_type=form.hosting_type or "none",
        ip_address=ip_in(ips) or webspace.ip_address,
        # a site's files belong to its webspace's system user
        ftp_login=webspace.ftp_login,
        within=panel.subscriptions.writer(checked, actor=req.identity, props=kept),
    )


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    return [render.created(_add_site(req, op))]


def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    return get_domains(req, op, webspace=False)


def _set_site(req: Request, values: etree._Element, d: Domain) -> None:
    """``values``: ``gen_setup`` (name, htype, status, turn-off-action, description,
    guid), ``prefs``, ``hosting`` (one form), ``disk_usage``, ``performance``."""
    panel = req.ctx.panel
    checked = _site_blocks(values)
    change: dict[str, object] = {}
    gen = values.find("gen_setup")
    htype = None if gen is None else render.text_of(gen, "htype")
    form = hosting_form(values.find("hosting"), htype)
    if gen is not None:
        status = render.text_of(gen, "status")
        new_status = status_in(status) if status is not None else d.status
        new_status = turned_off(new_status, render.text_of(gen, "turn-off-action"))
        change = {
            "name": render.text_of(gen, "name"),
            "status": new_status if new_status != d.status else None,
            "description": render.text_of(gen, "description"),
            "guid": render.text_of(gen, "guid"),
        }
    change["hosting_type"] = form.hosting_type
    _props, ips = properties_in(values.find("hosting"))
    change["ip_address"] = ip_in(ips) or None
    check_ip(req, d, ip_in(ips))
    if "www_root" in checked.domain:
        change["www_root"] = checked.domain["www_root"]
    customer = req.identity.type == AccountType.CUSTOMER.value
    if d.is_webspace and customer and change.get("status") is not None:
        raise PermissionDenied()
    # values/disk_usage asks Plesk to count the site's disk use again: panelkey counts
    # on every read (the disk_usage dataset), so there is nothing to do.
    panel.domains.update(
        req.identity,
        d,
        change,
        within=panel.subscriptions.writer(checked, actor=req.identity, props=form.props),
    )


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    values = op.find("values")
    assert values is not None  # the schema requires it
    return SITES.change(req, op, partial(_set_site, req, values))


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    return del_domains(req, op, webspace=False)


OPERATIONS: Operator = {"add": add, "get": get, "set": set_, "del": del_}


# -- per-domain operations -------------------------------------------------------------


def _each_site(act: DomainAct) -> Handler:
    return each_domain(act, webspaces=False)


OPERATIONS.update(
    {
        "get_traffic": _each_site(traffic.days),
        "set_traffic": traffic.setter(reach.SITE_NOT_FOUND, webspace=False),
        "get-physical-hosting-descriptor": descriptors.handler("hosting", _each_site),
    }
)
