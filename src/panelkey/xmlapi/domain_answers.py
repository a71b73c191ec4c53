"""What ``webspace`` and ``site`` share: their filters, ``get`` and ``del``.

Every domain is a site; a domain with ``base_domain_id`` 0 is also a webspace, whose
main site has the webspace's own id. The caller reaches the domains the core lets it
see (its own; a reseller's customers' too; the admin all); any other domain answers
1013, as if it did not exist.

``get`` answers each dataset of a domain, in Plesk's order. What a domain keeps only to
answer back (external id, notes, forwarding target) comes from its properties
(core/domains/domains.py ``props_of``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.clock import plesk_date
from panelkey.core.domains import statistics
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import NotFound, PermissionDenied
from panelkey.xmlapi import blocks, reach, render
from panelkey.xmlapi.domain_forms import FORWARD_PROPS
from panelkey.xmlapi.request import Handler, Request
from panelkey.xmlapi.select import Filter, Lookup, one, text, under
from panelkey.xmlapi.values import TURN_OFF_ACTION, htype_of, status_code

# -- filters ---------------------------------------------------------------------------


def _filter(webspaces: bool) -> Filter[Domain]:
    """``webspace``'s filter (`webspaces`), or ``site``'s. An empty filter: every
    webspace in reach, or every add-on site (a subscription's main site is answered by
    ``webspace``). A child naming one domain, or the external id of one, is that domain
    or a miss; one naming an owner, a webspace (``parent-*``) or a parent site
    (``parent-site-*``) is its domains (none: nothing answered), or a miss when it is out
    of reach. Each child is one indexed read: the time does not grow with the store."""

    def kept(lookup: Lookup[Domain], *, one_or_miss: bool = False) -> Lookup[Domain]:
        def narrowed(req: Request, item: etree._Element) -> list[Domain] | None:
            found = lookup(req, item)
            if found is None:
                return None
            out = [d for d in found if d.is_webspace or not webspaces]
            return None if one_or_miss and not out else out

        return narrowed

    def external(req: Request, item: etree._Element) -> list[Domain]:
        return req.ctx.panel.domains.with_property(req.identity, "external-id", text(item))

    def sites(req: Request, webspace: Domain) -> list[Domain]:
        return req.ctx.panel.domains.in_webspace(req.identity, webspace.id)

    def children(req: Request, site: Domain) -> list[Domain]:
        return req.ctx.panel.domains.with_property(req.identity, "parent-site-id", str(site.id))

    def owned(req: Request, owner: Account) -> list[Domain]:
        return req.ctx.panel.domains.of_owner(req.identity, owner.id)

    def everything(req: Request) -> list[Domain]:
        return [d for d in req.ctx.panel.domains.list(req.identity) if d.is_webspace == webspaces]

    by = {"external-id": kept(external, one_or_miss=True)}
    for kind in ("id", "name", "guid"):
        by[kind] = kept(one(reach.domain(kind)), one_or_miss=True)
        by[f"parent-{kind}"] = kept(under(reach.webspace(kind), sites))
        by[f"parent-site-{kind}"] = kept(under(reach.domain(kind), children))
    for kind in ("id", "login", "guid", "external-id"):
        by[f"owner-{kind}"] = kept(under(reach.account(kind), owned))
    missing = reach.WEBSPACE_NOT_FOUND if webspaces else reach.SITE_NOT_FOUND
    return Filter(missing, by, everything)


WEBSPACES = _filter(webspaces=True)
SITES = _filter(webspaces=False)


def filter_of(webspace: bool) -> Filter[Domain]:
    return WEBSPACES if webspace else SITES


DomainAct = Callable[[Request, etree._Element, Domain], list[render.Field]]


def each_domain(act: DomainAct, *, webspaces: bool) -> Handler:
    """One result per webspace (or site) the filter names: ``filter-id``, ``id``, then
    what `act` answers; a miss 1013, a core error that object's result."""
    found = filter_of(webspaces)

    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        return found.change(req, op, answer=partial(act, req, op))

    handler.__name__ = act.__name__
    return handler


# -- get and del -----------------------------------------------------------------------


def get_domains(
    req: Request, op: etree._Element, *, webspace: bool
) -> Sequence[etree._Element | bytes]:
    wanted = render.dataset(op)
    answers = Answers(req, webspace)
    flt = filter_of(webspace)
    return flt.get(
        flt.select(req, op.find("filter")),
        lambda d: [("id", d.id), ("data", answers.data(d, wanted))],
    )


def _delete(req: Request, d: Domain, missing: str, gone: list[int]) -> None:
    """Delete `d` (a webspace takes its sites along), adding the ids deleted to `gone`."""
    if d.is_webspace and req.identity.type == reach.CUSTOMER:
        # its main site is the webspace itself, which customers may not delete
        raise PermissionDenied()
    try:
        gone += req.ctx.panel.domains.delete(req.identity, d)
    except NotFound:
        raise NotFound(missing) from None  # the core's text names no family


def del_domains(req: Request, op: etree._Element, *, webspace: bool) -> list[etree._Element]:
    """One result per domain deleted: a webspace's sites answer beside it."""
    flt = filter_of(webspace)
    gone: set[int] = set()
    results: list[etree._Element] = []
    for hit in flt.select(req, op.find("filter")):
        if hit.obj is None:
            results.append(flt.miss(hit))
            continue
        if hit.obj.id in gone:
            continue  # already deleted with its webspace, and answered there
        head: list[render.Field] = [("filter-id", hit.filter_id)]
        ids: list[int] = []
        failed = render.outcome(
            partial(_delete, req, hit.obj, flt.missing, ids), [*head, ("id", hit.obj.id)]
        )
        gone.update(ids)
        results += [render.ok([*head, ("id", i)]) for i in ids] if ids else [failed]
    return results or [render.ok()]


# -- the datasets ----------------------------------------------------------------------


@dataclass
class Answers:
    """Renders domains for one operation; remembers the accounts and webspaces it read."""

    req: Request
    webspace: bool
    _accounts: dict[int, Account | None] = field(default_factory=dict)
    _domains: dict[int, Domain | None] = field(default_factory=dict)
    _props: dict[int, dict[str, str]] = field(default_factory=dict)

    def props(self, d: Domain) -> dict[str, str]:
        """What the domain keeps only to answer back (Domains.props_of), read once."""
        if d.id not in self._props:
            self._props[d.id] = self.req.ctx.panel.domains.props_of(d.id)
        return self._props[d.id]

    def account(self, account_id: int | None) -> Account | None:
        if account_id is None:
            return None
        if account_id not in self._accounts:
            # Its owner comes in the same read: gen_info names a customer's vendor too.
            self._accounts[account_id] = None
            for a in self.req.ctx.panel.accounts.with_owner(account_id):
                self._accounts[a.id] = a
        return self._accounts[account_id]

    def base(self, d: Domain) -> Domain | None:
        if d.is_webspace:
            return d
        if d.base_domain_id not in self._domains:
            self._domains[d.base_domain_id] = self.req.ctx.panel.domains.get(
                self.req.identity, d.base_domain_id
            )
        return self._domains[d.base_domain_id]

    def gen_info(self, d: Domain) -> render.Tree:
        head: list[render.Field] = [
            ("cr_date", plesk_date(d.created)),
            ("name", d.name),
            ("ascii-name", d.ascii_name),
            ("status", status_code(d.status)),
            ("real_size", 0),
        ]
        tail: list[render.Field] = [
            ("dns_ip_address", d.ip_address),
            ("htype", htype_of(d.hosting_type)),
            ("guid", d.guid),
        ]
        if self.webspace:
            owner = self.account(d.owner_id)
            if self.req.identity.type != reach.CUSTOMER and owner is not None:
                head += [("owner-id", owner.id), ("owner-login", owner.login)]
            props = self.props(d)
            vendor = owner
            if props.get("admin-as-vendor") == "true":
                vendor = self.req.ctx.panel.accounts.admin()
            elif owner is not None and owner.type == reach.CUSTOMER:
                vendor = self.account(owner.owner_id)
            tail += [
                ("vendor-guid", vendor.guid if vendor is not None else None),
                ("external-id", props.get("external-id")),
                ("description", d.description),
                ("admin-description", props.get("admin-description")),
                ("reseller-description", props.get("reseller-description")),
            ]
        else:
            base = self.base(d)
            tail += [
                ("webspace-guid", base.guid if base is not None else None),
                ("webspace-id", d.base_domain_id or d.id),
                ("description", d.description),
                ("turn-off-action", TURN_OFF_ACTION.get(d.status)),
            ]
        return head + tail

    def settings(self, d: Domain, *, defaults: bool = True) -> dict[str, dict[str, str]]:
        return self.req.ctx.panel.subscriptions.effective(d, defaults=defaults)

    def hosting(self, d: Domain, *, basic: bool = False) -> render.Tree:
        """vrt_hst: the properties set (by the plan or the domain), then the address;
        `basic` (``hosting-basic``): only the domain's own FTP login and document root.
        A forwarding domain: its target, then the address."""
        htype = htype_of(d.hosting_type)
        if htype == "none":
            return [("none", [])]
        if htype != "vrt_hst":
            kept = self.props(d)
            forward = [(n, kept.get(n) or None) for n in FORWARD_PROPS]
            return [(htype, [*forward, ("ip_address", d.ip_address)])]
        if basic:
            props = {n: v for n, v in (("ftp_login", d.ftp_login), ("www_root", d.www_root)) if v}
        else:
            props = self.settings(d, defaults=False)["hosting"]
        vrt: render.Tree = [
            *(("property", [("name", n), ("value", v)]) for n, v in props.items()),
            ("ip_address", d.ip_address),
        ]
        return [("vrt_hst", vrt)]

    def stat(self, d: Domain) -> etree._Element:
        """Counts of what exists; traffic is 0 as nothing is served."""
        held = statistics.contents(self.req.ctx.panel.db, [d.id])
        counts: list[render.Field] = [
            ("traffic", 0),
            ("traffic_prevday", 0),
            ("subdom", held.subdomains),
            ("wu", 0),
            ("webapps", 0),
            ("box", held.mailboxes),
            ("redir", held.redirects),
            ("mg", 0),
            ("resp", 0),
            ("maillists", 0),
        ]
        if self.webspace:
            counts.append(("sites", self.req.ctx.panel.subscriptions.count_sites(d)))
        return render.element("stat", counts)

    def subscriptions(self, d: Domain) -> etree._Element:
        main, addons = self.req.ctx.panel.subscriptions.plans_of(d.id)
        plans: list[render.Field] = [
            ("plan", render.element("plan", [("plan-guid", p.guid)]))
            for p in ([main] if main is not None else [])
        ]
        plans += [
            ("plan", render.element("plan", [("plan-guid", p.guid), ("plan-type", "addon")]))
            for p in addons
        ]
        sub = render.element(
            "subscription", [("locked", "false"), ("synchronized", "true"), *plans]
        )
        return render.element("subscriptions", [("subscription", sub)])

    def plan_items(self, d: Domain) -> etree._Element:
        """The subscription's additional services (core/plans/items.py), by name."""
        names = self.req.ctx.panel.plan_items.of_subscription(d)
        items = [("plan-item", render.element("plan-item", [("name", n)])) for n in names]
        return render.element("plan-items", items)

    def block(self, d: Domain, tag: str) -> etree._Element:
        return blocks.render_block(tag, tag, self.settings(d)[tag])

    def data(self, d: Domain, wanted: set[str]) -> render.Tree:
        """The datasets asked for, in Plesk's order: written as text (render.ok_text)."""
        basic = "hosting-basic" in wanted and "hosting" not in wanted
        if basic:
            wanted = wanted | {"hosting"}
        makers: dict[str, Callable[[Domain], render.Tree | etree._Element]] = {
            "gen_info": self.gen_info,
            "hosting": lambda x: self.hosting(x, basic=basic),
            "limits": lambda x: self.block(x, "limits"),
            "stat": self.stat,
            "prefs": lambda x: self.block(x, "prefs"),
            "disk_usage": lambda _x: render.element("disk_usage", [(n, 0) for n in _DISK]),
            "performance": lambda x: self.block(x, "performance"),
            "subscriptions": self.subscriptions,
            "permissions": lambda x: self.block(x, "permissions"),
            "plan-items": self.plan_items,
            "php-settings": lambda x: self.block(x, "php-settings"),
            "resource-usage": lambda _x: render.element(
                "resource-usage", [("resource", _resource(n)) for n in _RESOURCES]
            ),
            "mail": lambda x: self.block(x, "mail"),
            # panelkey installs no APS packages and keeps no APS filter: both empty
            "aps-filter": lambda _x: render.element("aps-filter"),
            "packages": lambda _x: render.element("packages"),
        }
        return [(n, makers[n](d)) for n in makers if n in wanted]


_DISK = (
    "httpdocs",
    "httpsdocs",
    "subdomains",
    "anonftp",
    "logs",
    "dbases",
    "mailboxes",
    "maillists",
    "domaindumps",
    "configs",
    "chroot",
)
_RESOURCES = ("diskusage", "max_site", "max_subdom", "max_db", "max_box", "max_traffic")


def _resource(name: str) -> etree._Element:
    return render.element("resource", [("name", name), ("value", 0)])
