"""Answering ``webspace/get`` and ``site/get``: each dataset of a domain, in Plesk's
order. What a domain keeps only to answer back (external id, notes, forwarding target)
comes from its properties (core/domains/domains.py ``props_of``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.clock import plesk_date
from panelkey.core.domains import statistics
from panelkey.core.domains.domains import Domain
from panelkey.core.identity import AccountType
from panelkey.xmlapi import blocks, render
from panelkey.xmlapi.operators.domain_forms import FORWARD_PROPS, HTYPE_OF
from panelkey.xmlapi.request import Request

_STATUS_CODE = {"active": 0, "disabled": 16, "suspended": 16}
_TURN_OFF = {"disabled": "disable", "suspended": "suspend"}


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
            ("status", _STATUS_CODE.get(d.status, 16)),
            ("real_size", 0),
        ]
        tail: list[render.Field] = [
            ("dns_ip_address", d.ip_address),
            ("htype", HTYPE_OF.get(d.hosting_type, "none")),
            ("guid", d.guid),
        ]
        if self.webspace:
            owner = self.account(d.owner_id)
            if self.req.identity.type != AccountType.CUSTOMER.value and owner is not None:
                head += [("owner-id", owner.id), ("owner-login", owner.login)]
            props = self.props(d)
            vendor = owner
            if props.get("admin-as-vendor") == "true":
                vendor = self.req.ctx.panel.accounts.admin()
            elif owner is not None and owner.type == AccountType.CUSTOMER.value:
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
                ("turn-off-action", _TURN_OFF.get(d.status)),
            ]
        return head + tail

    def settings(self, d: Domain, *, defaults: bool = True) -> dict[str, dict[str, str]]:
        return self.req.ctx.panel.subscriptions.effective(d, defaults=defaults)

    def hosting(self, d: Domain, *, basic: bool = False) -> render.Tree:
        """vrt_hst: the properties set (by the plan or the domain), then the address;
        `basic` (``hosting-basic``): only the domain's own FTP login and document root.
        A forwarding domain: its target, then the address."""
        htype = HTYPE_OF.get(d.hosting_type, "none")
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
