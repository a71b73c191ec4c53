"""The legacy operator ``domain`` (protocol versions before 1.6.3.0): ``add``, ``get``,
``set``, ``del``.

A domain is a subscription (a webspace): every operation reads and writes the same
domains, plans and settings as ``webspace`` and REST's ``/domains``, through
core/domains/domains.py and core/plans/subscriptions.py. ``template-name`` (or ``template-id``) is
a service plan of the owner's vendor; ``client_id`` names the owner (a client is a
customer). Status codes are Plesk's: 0 active, 16 disabled by the administrator
(how billing modules suspend and resume). Physical hosting comes in the old element
form (``<ftp_login>x</ftp_login>``) or the later property form; ``ftp_password`` is
checked and never kept, as in ``webspace``.

Answers keep the old element names and, where the old reference is silent, the shape
of ``webspace``'s (``filter-id``, ``id``, ``data``). A domain the caller may not
reach answers 1013 ``Domain does not exist``. As with ``webspace``, only the admin
and resellers add and delete domains; a customer gets 1006.
"""

from __future__ import annotations

from functools import partial

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.clock import plesk_date
from panelkey.core.domains import statistics
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import InvalidValue, PermissionDenied
from panelkey.core.plans.subscriptions import check
from panelkey.xmlapi import accounts, reach, render
from panelkey.xmlapi.domain_forms import check_ip, ftp_login_in, new_subscription
from panelkey.xmlapi.reach import CLIENT_NOT_FOUND, CUSTOMER
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, one, required, under
from panelkey.xmlapi.values import hosting_type_in, htype_of, ip_in, status_code, status_in

DOMAIN_NOT_FOUND = "Domain does not exist"
_PLAN_REFS = {"template-id": "id", "template-name": "name"}


# -- reading requests --------------------------------------------------------------


def _hosting_in(values: etree._Element) -> tuple[list[tuple[str, str]], list[str]]:
    """``hosting/vrt_hst``: its settings as (name, value) pairs, in either form, and
    the addresses it names."""
    vrt = values.find("hosting/vrt_hst")
    if vrt is None:
        return [], []
    pairs: list[tuple[str, str]] = []
    addresses: list[str] = []
    for item in render.children(vrt):
        if item.tag == "ip_address":
            addresses.append(item.text or "")
        elif item.tag == "property":
            pairs.append(((item.findtext("name") or "").strip(), item.findtext("value") or ""))
        else:
            pairs.append((str(item.tag), item.text or ""))
    return pairs, addresses


def _blocks_in(values: etree._Element) -> dict[str, list[tuple[str, str]]]:
    given: dict[str, list[tuple[str, str]]] = {}
    pairs, _ = _hosting_in(values)
    if values.find("hosting") is not None:
        given["hosting"] = pairs
    prefs = values.find("prefs")
    if prefs is not None:
        given["prefs"] = [(str(p.tag), p.text or "") for p in render.children(prefs)]
    return given


def _owner(req: Request, gen: etree._Element) -> Account | None:
    raw = render.text_of(gen, "client_id")
    if raw is None:
        return None
    return required(reach.account("id", CUSTOMER)(req, raw.strip()), CLIENT_NOT_FOUND)


# -- selecting ---------------------------------------------------------------------


def _owned(req: Request, owner: Account) -> list[Domain]:
    return [d for d in req.ctx.panel.domains.of_owner(req.identity, owner.id) if d.is_webspace]


# A client (id or login, under either name) names each of its subscriptions; an empty
# filter names every reachable one.
FILTER: Filter[Domain] = Filter(
    DOMAIN_NOT_FOUND,
    {
        "id": one(reach.webspace("id")),
        "name": one(reach.webspace("name")),
        "domain_name": one(reach.webspace("name")),
        **{tag: under(reach.account("id", CUSTOMER), _owned) for tag in ("client_id", "owner-id")},
        **{
            tag: under(reach.account("login", CUSTOMER), _owned)
            for tag in ("client_login", "owner-login")
        },
    },
    lambda req: [d for d in req.ctx.panel.domains.list(req.identity) if d.is_webspace],
    echo_id=False,
)


# -- operations --------------------------------------------------------------------


def _add(req: Request, op: etree._Element) -> Domain:
    gen, owner, vendor = new_subscription(req, op, _owner)
    panel = req.ctx.panel
    checked = check(_blocks_in(op))
    plan = None
    refs = [(ref, text) for tag, ref in _PLAN_REFS.items() if (text := op.findtext(tag))]
    if len(refs) > 1:
        raise InvalidValue("Give template-id or template-name, not both")
    if refs:
        plan = panel.subscriptions.find_plan(vendor, "service", refs[0][0], refs[0][1].strip())
    _, hosting_ips = _hosting_in(op)
    address = ip_in([gen.findtext("ip_address") or "", *hosting_ips])
    panel.subscriptions.check_ip(vendor, address)
    return panel.domains.create(
        req.identity,
        name=render.text_of(gen, "name") or "",
        owner=owner,
        hosting_type=hosting_type_in(render.text_of(gen, "htype")),
        status=status_in(render.text_of(gen, "status")),
        ip_address=address,
        ftp_login=ftp_login_in(checked.domain),
        within=panel.subscriptions.writer(checked, main=plan, actor=req.identity),
    )


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    return [render.created(_add(req, op))]


def _data(req: Request, d: Domain, wanted: set[str]) -> list[render.Field]:
    panel = req.ctx.panel
    parts: list[render.Field] = []
    settings = panel.subscriptions.effective(d) if wanted - {"gen_info", "stat"} else {}
    if "gen_info" in wanted:
        gen: list[render.Field] = [
            ("cr_date", plesk_date(d.created)),
            ("name", d.name),
            ("status", status_code(d.status)),
            ("real_size", 0),
            ("client_id", d.owner_id),
            ("dns_ip_address", d.ip_address),
            ("htype", htype_of(d.hosting_type)),
            ("guid", d.guid),
        ]
        parts.append(("gen_info", render.element("gen_info", gen)))
    if "hosting" in wanted:
        htype = htype_of(d.hosting_type)
        inner: list[render.Field] = []
        if htype == "vrt_hst":
            own = panel.subscriptions.effective(d, defaults=False)["hosting"]
            inner = [*((n, v) for n, v in own.items() if n != "ftp_login")]
            inner = [("ftp_login", d.ftp_login), *inner]
        inner.append(("ip_address", d.ip_address))
        hosting = render.element("hosting", [(htype, render.element(htype, inner))])
        parts.append(("hosting", hosting))
    for block in ("limits", "prefs"):
        if block in wanted:
            parts.append((block, render.element(block, list(settings[block].items()))))
    if "stat" in wanted:
        held = statistics.contents(panel.db, [d.id])
        counts: list[render.Field] = [
            ("traffic", 0),
            ("subdomains", held.subdomains),
            ("postboxes", held.mailboxes),
            ("redirects", held.redirects),
            *accounts.UNSERVED,
            ("data_bases", held.databases),
            ("webapps", 0),
        ]
        parts.append(("stat", render.element("stat", counts)))
    return [("data", render.element("data", parts))]


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    wanted = render.dataset(op)
    return FILTER.change(req, op, answer=lambda d: _data(req, d, wanted))


def _set(req: Request, values: etree._Element, d: Domain) -> None:
    panel = req.ctx.panel
    given = _blocks_in(values)
    gen = values.find("gen_setup")
    if req.identity.type == CUSTOMER:
        # As webspace/set: a customer changes only the hosting it may manage, and prefs.
        perms = panel.subscriptions.effective(d)["permissions"]
        if gen is not None or ("hosting" in given and perms.get("manage_phosting") != "true"):
            raise PermissionDenied()
    checked = check(given)
    change: dict[str, object] = {}
    if gen is not None:
        status, htype = render.text_of(gen, "status"), render.text_of(gen, "htype")
        change = {
            "name": render.text_of(gen, "name"),
            "status": status_in(status) if status is not None else None,
            "hosting_type": hosting_type_in(htype) if htype is not None else None,
            "ip_address": ip_in([gen.findtext("ip_address") or ""]) or None,
        }
    _, hosting_ips = _hosting_in(values)
    if hosting_ips:
        change["ip_address"] = ip_in(hosting_ips)
    check_ip(req, d, str(change.get("ip_address") or ""))
    if "ftp_login" in checked.domain:
        change["ftp_login"] = ftp_login_in(checked.domain)
    panel.domains.update(
        req.identity, d, change, within=panel.subscriptions.writer(checked, actor=req.identity)
    )


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    values = op.find("values")
    assert values is not None  # the schema requires it
    return FILTER.change(req, op, partial(_set, req, values))


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    if req.identity.type == CUSTOMER:
        raise PermissionDenied()
    return FILTER.change(req, op, partial(req.ctx.panel.domains.delete, req.identity))


OPERATIONS: Operator = {"add": add, "get": get, "set": set_, "del": del_}
