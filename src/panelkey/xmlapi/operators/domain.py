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

from collections.abc import Callable

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.clock import plesk_date
from panelkey.core.domains import statistics
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import InvalidValue, NotFound, PanelkeyError, PermissionDenied
from panelkey.core.identity import AccountType
from panelkey.core.plans.subscriptions import check
from panelkey.xmlapi import render
from panelkey.xmlapi.operators.client import CLIENT_NOT_FOUND, reachable
from panelkey.xmlapi.operators.site import ftp_login_in, hosting_type_in, ip_in, status_in
from panelkey.xmlapi.request import Operator, Request

DOMAIN_NOT_FOUND = "Domain does not exist"
_CUSTOMER = AccountType.CUSTOMER.value
_STATUS_CODE = {"active": 0}  # disabled and suspended are both 16 on the wire
_HTYPE_OF = {"virtual": "vrt_hst", "standard_forwarding": "std_fwd", "frame_forwarding": "frm_fwd"}
_PLAN_REFS = {"template-id": "id", "template-name": "name"}
_OWNER_TAGS = ("client_id", "client_login", "owner-id", "owner-login")


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
    owner = reachable(req, req.ctx.panel.accounts.get(int(raw)))
    if owner is None:
        raise NotFound(CLIENT_NOT_FOUND)
    return owner


# -- selecting ---------------------------------------------------------------------


def _select(req: Request, flt: etree._Element | None) -> list[tuple[str, Domain | None]]:
    """(filter value, subscription or None) per filter item, in request order; a client
    names each of its subscriptions. An empty filter names every reachable one."""
    domains = req.ctx.panel.domains
    items = [] if flt is None else render.children(flt)
    if not items:
        return [(str(d.id), d) for d in domains.list(req.identity) if d.is_webspace]
    found: list[tuple[str, Domain | None]] = []
    for item in items:
        value = (item.text or "").strip()
        if item.tag in _OWNER_TAGS:
            accounts = req.ctx.panel.accounts
            by_id = item.tag in ("client_id", "owner-id")
            one = accounts.get(int(value)) if by_id else accounts.by_login(value)
            owner = reachable(req, one)
            if owner is None:
                found.append((value, None))
                continue
            owned = domains.of_owner(req.identity, owner.id)
            found += [(value, d) for d in owned if d.is_webspace]
            continue
        d = domains.get(req.identity, int(value)) if item.tag == "id" else None
        if item.tag in ("name", "domain_name"):
            d = domains.by_name(req.identity, value)
        found.append((value, d if d is not None and d.is_webspace else None))
    return found


def _each(
    req: Request, op: etree._Element, act: Callable[[Domain], list[render.Field]]
) -> list[etree._Element]:
    """Run `act` on every subscription the filter names: one result each, a miss 1013."""
    results: list[etree._Element] = []
    for value, d in _select(req, op.find("filter")):
        if d is None:
            results.append(render.error(NotFound(DOMAIN_NOT_FOUND), [("filter-id", value)]))
            continue
        head: list[render.Field] = [("filter-id", value), ("id", d.id)]
        try:
            fields = act(d)
        except PanelkeyError as exc:
            results.append(render.error(exc, head))
            continue
        results.append(render.ok(head + fields))
    return results or [render.ok()]


# -- operations --------------------------------------------------------------------


def _add(req: Request, op: etree._Element) -> Domain:
    if req.identity.type == _CUSTOMER:
        raise PermissionDenied()
    panel = req.ctx.panel
    gen = op.find("gen_setup")
    assert gen is not None  # the schema requires it
    owner = _owner(req, gen)
    vendor = owner or panel.accounts.get(req.identity.account_id)
    assert vendor is not None
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
    try:
        d = _add(req, op)
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", d.id), ("guid", d.guid)])]


def _data(req: Request, d: Domain, wanted: set[str]) -> list[render.Field]:
    panel = req.ctx.panel
    parts: list[render.Field] = []
    settings = panel.subscriptions.effective(d) if wanted - {"gen_info", "stat"} else {}
    if "gen_info" in wanted:
        gen: list[render.Field] = [
            ("cr_date", plesk_date(d.created)),
            ("name", d.name),
            ("status", _STATUS_CODE.get(d.status, 16)),
            ("real_size", 0),
            ("client_id", d.owner_id),
            ("dns_ip_address", d.ip_address),
            ("htype", _HTYPE_OF.get(d.hosting_type, "none")),
            ("guid", d.guid),
        ]
        parts.append(("gen_info", render.element("gen_info", gen)))
    if "hosting" in wanted:
        htype = _HTYPE_OF.get(d.hosting_type, "none")
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
            ("mail_groups", 0),
            ("mail_resps", 0),
            ("mail_lists", 0),
            ("web_users", 0),
            ("data_bases", held.databases),
            ("webapps", 0),
        ]
        parts.append(("stat", render.element("stat", counts)))
    return [("data", render.element("data", parts))]


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    dataset = op.find("dataset")
    wanted = set() if dataset is None else {str(c.tag) for c in render.children(dataset)}
    return _each(req, op, lambda d: _data(req, d, wanted))


def _set(req: Request, values: etree._Element, d: Domain) -> list[render.Field]:
    panel = req.ctx.panel
    given = _blocks_in(values)
    gen = values.find("gen_setup")
    if req.identity.type == _CUSTOMER:
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
    if change.get("ip_address"):
        owner = panel.accounts.get(d.owner_id)
        assert owner is not None
        panel.subscriptions.check_ip(owner, str(change["ip_address"]))
    if "ftp_login" in checked.domain:
        change["ftp_login"] = ftp_login_in(checked.domain)
    panel.domains.update(
        req.identity, d, change, within=panel.subscriptions.writer(checked, actor=req.identity)
    )
    return []


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    values = op.find("values")
    assert values is not None  # the schema requires it
    return _each(req, op, lambda d: _set(req, values, d))


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    if req.identity.type == _CUSTOMER:
        return [render.error(PermissionDenied())]

    def act(d: Domain) -> list[render.Field]:
        req.ctx.panel.domains.delete(req.identity, d)
        return []

    return _each(req, op, act)


OPERATIONS: Operator = {"add": add, "get": get, "set": set_, "del": del_}
