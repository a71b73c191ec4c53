"""Operator ``site``: ``add``, ``get``, ``del``; and what ``webspace`` shares with it.

Every domain is a site; a domain with ``base_domain_id`` 0 is also a webspace,
whose main site has the webspace's own id. The caller reaches the domains the
core lets it see (its own; a reseller's customers' too; the admin all); any other
domain answers 1013, as if it did not exist.

Statuses on the wire are Plesk's numbers: 0 active, 16 for both ``disabled`` and
``suspended`` (Plesk's "disabled/suspended by the administrator"); a site's
``turn-off-action`` (``disable`` or ``suspend``) tells the two apart, as in Plesk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import NotFound, PanelkeyError, PermissionDenied
from panelkey.core.identity import AccountType
from panelkey.core.plans.subscriptions import SITE_BLOCKS, Checked, check
from panelkey.xmlapi import blocks, render
from panelkey.xmlapi.operators import descriptors, selection, traffic
from panelkey.xmlapi.operators.domain_answers import Answers
from panelkey.xmlapi.operators.domain_forms import (
    HTYPES,
    flag_in,
    ftp_login_in,
    hosting_form,
    hosting_type_in,
    ip_in,
    properties_in,
    status_in,
    turned_off,
)
from panelkey.xmlapi.request import Handler, Operator, Request

# What other operators take from here: the request readers live in domain_forms.py,
# the answers in domain_answers.py.
__all__ = [
    "HTYPES",
    "SITE_NOT_FOUND",
    "WEBSPACE_NOT_FOUND",
    "Answers",
    "Match",
    "del_domains",
    "each_domain",
    "flag_in",
    "ftp_login_in",
    "get_domains",
    "guarded",
    "hosting_form",
    "hosting_type_in",
    "ip_in",
    "properties_in",
    "reachable_account",
    "select",
    "status_in",
]

SITE_NOT_FOUND = "Site does not exist"
WEBSPACE_NOT_FOUND = "Webspace does not exist"


# -- selecting ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """One answer of a filter: a domain, or a miss (domain None) for the value asked."""

    filter_id: str
    domain: Domain | None
    asked_id: str | None = None


def select(req: Request, flt: etree._Element | None, *, webspaces: bool) -> list[Match]:
    """The domains a filter names, in request order (selection.py reads the filter).
    An empty filter: every webspace in reach, or every add-on site (a subscription's
    main site is answered by ``webspace``). A child naming one domain, or the external
    id of one, is that domain or a miss; one naming an owner, a webspace (``parent-*``)
    or a parent site (``parent-site-*``) is its domains, or a miss when it is out of
    reach. Each child is one indexed read: the time does not grow with the store."""
    domains = req.ctx.panel.domains
    me = req.identity

    def kept(found: Sequence[Domain]) -> list[Domain]:
        return [d for d in found if d.is_webspace or not webspaces]

    def named(kind: str) -> Callable[[str], list[Domain] | None]:
        def resolve(value: str) -> list[Domain] | None:
            return kept(selection.one(_one_domain(req, kind, value)) or []) or None

        return resolve

    def owned(kind: str) -> Callable[[str], list[Domain] | None]:
        def resolve(value: str) -> list[Domain] | None:
            owner = reachable_account(req, kind, value)
            return None if owner is None else kept(domains.of_owner(me, owner.id))

        return resolve

    def parent(kind: str, site: bool) -> Callable[[str], list[Domain] | None]:
        def resolve(value: str) -> list[Domain] | None:
            found = _one_domain(req, kind, value)
            if found is None or (not site and not found.is_webspace):
                return None
            if site:
                return kept(domains.with_property(me, "parent-site-id", str(found.id)))
            return kept(domains.in_webspace(me, found.id))

        return resolve

    def external(value: str) -> list[Domain] | None:
        return kept(domains.with_property(me, "external-id", value)) or None

    by: dict[str, Callable[[str], list[Domain] | None]] = {"external-id": external}
    for kind in ("id", "name", "guid"):
        by[kind] = named(kind)
        by[f"parent-{kind}"] = parent(kind, site=False)
        by[f"parent-site-{kind}"] = parent(kind, site=True)
    for kind in ("owner-id", "owner-login", "owner-guid", "owner-external-id"):
        by[kind] = owned(kind)
    hits = selection.select(
        flt, lambda: [d for d in domains.list(me) if d.is_webspace == webspaces], by
    )
    # a named owner or parent with nothing in it answers nothing
    return [Match(h.filter_id, h.obj, h.asked_id) for h in hits if h.miss or h.obj is not None]


def _one_domain(req: Request, kind: str, value: str) -> Domain | None:
    domains = req.ctx.panel.domains
    if kind == "id":
        return domains.get(req.identity, int(value)) if value.isdigit() else None
    if kind == "name":
        return domains.by_name(req.identity, value)
    if kind == "guid":
        return domains.by_guid(req.identity, value)
    return None


def reachable_account(req: Request, kind: str, value: str) -> Account | None:
    """An account the caller may manage, by ``owner-id``/``owner-login`` and the like."""
    accounts = req.ctx.panel.accounts
    account: Account | None
    if kind.endswith("external-id"):
        account = accounts.by_external_id(value)
    elif kind.endswith("-id"):
        account = accounts.get(int(value)) if value.strip().isdigit() else None
    elif kind.endswith("-login"):
        account = accounts.by_login(value)
    elif kind.endswith("-guid"):
        account = accounts.by_guid(value)
    else:
        return None
    if account is None or not accounts.can_manage(req.identity, account):
        return None
    return account


def _miss(m: Match, text: str) -> etree._Element:
    return render.error(NotFound(text), [("filter-id", m.filter_id), ("id", m.asked_id)])


# -- operations shared with webspace -----------------------------------------------


def get_domains(
    req: Request, op: etree._Element, *, webspace: bool
) -> list[etree._Element | bytes]:
    dataset = op.find("dataset")
    wanted = set() if dataset is None else {str(c.tag) for c in render.children(dataset)}
    answers = Answers(req, webspace)
    text = WEBSPACE_NOT_FOUND if webspace else SITE_NOT_FOUND
    results: list[etree._Element | bytes] = []
    for m in select(req, op.find("filter"), webspaces=webspace):
        if m.domain is None:
            results.append(_miss(m, text))
            continue
        results.append(
            render.ok_text(
                [
                    ("filter-id", m.filter_id),
                    ("id", m.domain.id),
                    ("data", answers.data(m.domain, wanted)),
                ]
            )
        )
    return results or [render.ok()]


def del_domains(req: Request, op: etree._Element, *, webspace: bool) -> list[etree._Element]:
    """One result per domain deleted: a webspace's sites answer beside it."""
    domains = req.ctx.panel.domains
    text = WEBSPACE_NOT_FOUND if webspace else SITE_NOT_FOUND
    gone: set[int] = set()
    results: list[etree._Element] = []
    for m in select(req, op.find("filter"), webspaces=webspace):
        if m.domain is None:
            results.append(_miss(m, text))
            continue
        if m.domain.id in gone:
            continue  # already deleted with its webspace, and answered there
        head: list[render.Field] = [("filter-id", m.filter_id)]
        if m.domain.is_webspace and req.identity.type == AccountType.CUSTOMER.value:
            # its main site is the webspace itself, which customers may not delete
            results.append(render.error(PermissionDenied(), [*head, ("id", m.domain.id)]))
            continue
        try:
            ids = domains.delete(req.identity, m.domain)
        except NotFound:
            results.append(render.error(NotFound(text), [*head, ("id", m.domain.id)]))
            continue
        except PanelkeyError as exc:
            results.append(render.error(exc, [*head, ("id", m.domain.id)]))
            continue
        gone.update(ids)
        results += [render.ok([*head, ("id", i)]) for i in ids]
    return results or [render.ok()]


def guarded(add: Callable[[Request, etree._Element], Domain]) -> Handler:
    """An ``add`` answering ``result/{status, id, guid}``, or its error."""

    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        try:
            created = add(req, op)
        except PanelkeyError as exc:
            return [render.error(exc)]
        return [render.ok([("id", created.id), ("guid", created.guid)])]

    handler.__name__ = add.__name__
    handler.__doc__ = add.__doc__
    return handler


# -- site operations ---------------------------------------------------------------


def _webspace_of(req: Request, gen: etree._Element) -> Domain:
    domains = req.ctx.panel.domains
    found: Domain | None = None
    ref = render.text_of(gen, "webspace-id")
    if ref is not None:
        found = domains.get(req.identity, int(ref.strip()))
    elif (ref := render.text_of(gen, "webspace-name")) is not None:
        found = domains.by_name(req.identity, ref)
    elif (ref := render.text_of(gen, "webspace-guid")) is not None:
        found = domains.by_guid(req.identity, ref.strip())
    if found is None or not found.is_webspace:
        raise NotFound(WEBSPACE_NOT_FOUND)
    return found


def _check_ip(req: Request, domain: Domain, address: str) -> None:
    owner = req.ctx.panel.accounts.get(domain.owner_id)
    if owner is not None and address:
        req.ctx.panel.subscriptions.check_ip(owner, address)


def _site_blocks(parent: etree._Element) -> Checked:
    given = blocks.read_all(parent, {t: t for t in ("prefs", "performance", "mail")})
    hosting = parent.find("hosting")
    if hosting is not None:
        props, _ips = properties_in(hosting)
        given["hosting"] = list(props.items())
    return check(given, SITE_BLOCKS)


def _parent_site(req: Request, gen: etree._Element, webspace: Domain) -> Domain | None:
    """``gen_setup/parent-site-*``: a site of the same webspace, or NotFound (1013)."""
    for kind in ("id", "name", "guid"):
        ref = render.text_of(gen, f"parent-site-{kind}")
        if ref is None:
            continue
        found = _one_domain(req, kind, ref.strip())
        if found is None or (found.base_domain_id or found.id) != webspace.id:
            raise NotFound(SITE_NOT_FOUND)
        return found
    return None


def _add_site(req: Request, op: etree._Element) -> Domain:
    """``gen_setup`` (name, the webspace, htype?, status?, description?, parent
    site?), ``hosting``? (one form; ``www_root`` among vrt_hst's properties; without
    it, no hosting unless ``htype`` says), ``prefs``?, ``performance``?, ``mail``?."""
    gen = op.find("gen_setup")
    assert gen is not None  # the schema requires it
    webspace = _webspace_of(req, gen)
    form = hosting_form(op.find("hosting"), render.text_of(gen, "htype"))
    _props, ips = properties_in(op.find("hosting"))
    checked = _site_blocks(op)
    parent = _parent_site(req, gen, webspace)
    kept = dict(form.props)
    if parent is not None:
        kept["parent-site-id"] = str(parent.id)
    panel = req.ctx.panel
    _check_ip(req, webspace, ip_in(ips))
    return panel.domains.create(
        req.identity,
        name=render.text_of(gen, "name") or "",
        base_domain=webspace,
        hosting_type=form.hosting_type or "none",
        status=status_in(render.text_of(gen, "status")),
        ip_address=ip_in(ips) or webspace.ip_address,
        # a site's files belong to its webspace's system user
        ftp_login=webspace.ftp_login,
        description=render.text_of(gen, "description") or "",
        www_root=checked.domain.get("www_root") or None,
        within=panel.subscriptions.writer(checked, actor=req.identity, props=kept),
    )


add = guarded(_add_site)


def get(req: Request, op: etree._Element) -> list[etree._Element | bytes]:
    return get_domains(req, op, webspace=False)


def _set_site(req: Request, values: etree._Element, d: Domain) -> None:
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
    _check_ip(req, d, ip_in(ips))
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
    """``values``: ``gen_setup`` (name, htype, status, turn-off-action, description,
    guid), ``prefs``, ``hosting`` (one form), ``disk_usage``, ``performance``."""
    values = op.find("values")
    assert values is not None  # the schema requires it
    results: list[etree._Element] = []
    for m in select(req, op.find("filter"), webspaces=False):
        head: list[render.Field] = [("filter-id", m.filter_id)]
        if m.domain is None:
            results.append(_miss(m, SITE_NOT_FOUND))
            continue
        try:
            _set_site(req, values, m.domain)
        except PanelkeyError as exc:
            results.append(render.error(exc, [*head, ("id", m.domain.id)]))
            continue
        results.append(render.ok([*head, ("id", m.domain.id)]))
    return results or [render.ok()]


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    return del_domains(req, op, webspace=False)


OPERATIONS: Operator = {"add": add, "get": get, "set": set_, "del": del_}


# -- per-domain operations (site's, and webspace's through its `each`) ------------------

DomainAct = Callable[[Request, etree._Element, Domain], list[render.Field]]


def each_domain(act: DomainAct, *, webspaces: bool) -> Handler:
    """One result per domain the filter names: status, filter-id, id, what `act` adds;
    a miss is 1013 (``Webspace``/``Site does not exist``), a core error that object's."""
    text = WEBSPACE_NOT_FOUND if webspaces else SITE_NOT_FOUND

    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        results: list[etree._Element] = []
        for m in select(req, op.find("filter"), webspaces=webspaces):
            if m.domain is None:
                results.append(_miss(m, text))
                continue
            head: list[render.Field] = [("filter-id", m.filter_id), ("id", m.domain.id)]
            try:
                fields = act(req, op, m.domain)
            except PanelkeyError as exc:
                results.append(render.error(exc, head))
                continue
            results.append(render.ok([*head, *fields]))
        return results or [render.ok()]

    handler.__name__ = act.__name__
    return handler


def _each_site(act: DomainAct) -> Handler:
    return each_domain(act, webspaces=False)


OPERATIONS.update(
    {
        "get_traffic": _each_site(traffic.days),
        "set_traffic": traffic.setter(SITE_NOT_FOUND, webspace=False),
        "get-physical-hosting-descriptor": descriptors.handler("hosting", _each_site),
    }
)
