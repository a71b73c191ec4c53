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

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from panelkey.core import statistics
from panelkey.core.accounts import Account
from panelkey.core.clock import plesk_date
from panelkey.core.domains import Domain
from panelkey.core.errors import InvalidValue, NotFound, PanelkeyError, PermissionDenied
from panelkey.core.identity import AccountType
from panelkey.core.subscriptions import Checked, check
from panelkey.xmlapi import blocks, render
from panelkey.xmlapi.request import Handler, Operator, Request

SITE_NOT_FOUND = "Site does not exist"
WEBSPACE_NOT_FOUND = "Webspace does not exist"

# Plesk's htype <-> the model's hosting_type.
HTYPES = {
    "vrt_hst": "virtual",
    "std_fwd": "standard_forwarding",
    "frm_fwd": "frame_forwarding",
    "none": "none",
}
_HTYPE_OF = {v: k for k, v in HTYPES.items()}
_STATUS_CODE = {"active": 0, "disabled": 16, "suspended": 16}
_TURN_OFF = {"disabled": "disable", "suspended": "suspend"}
# Plesk's objectStatus codes on input: 16/32/64 are "disabled by" someone; the
# others (backup, parent suspended, web service off, expired) mean suspended.
_STATUS_OF_CODE = {0: "active", 16: "disabled", 32: "disabled", 64: "disabled"}
_SUSPENDED_CODES = {1, 2, 4, 8, 256}
_FTP_LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


# -- reading requests --------------------------------------------------------------


def status_in(text: str | None) -> str:
    """The model's status for a request's ``status`` (a Plesk code or a word)."""
    if text is None:
        return "active"
    value = text.strip().lower()
    if value in _STATUS_CODE:
        return value
    if value.isdigit():
        code = int(value)
        if code in _STATUS_OF_CODE:
            return _STATUS_OF_CODE[code]
        if code in _SUSPENDED_CODES:
            return "suspended"
    raise InvalidValue(f"Invalid status: {text!r}")


def hosting_type_in(htype: str | None, default: str = "virtual") -> str:
    return default if htype is None else HTYPES[htype.strip()]


def ip_in(values: list[str]) -> str:
    """The first address given (checked, canonical), or '' for the default."""
    for value in values:
        if value.strip():
            try:
                return str(ipaddress.ip_address(value.strip()))
            except ValueError:
                raise InvalidValue(f"Invalid IP address: {value!r}") from None
    return ""


def properties_in(hosting: etree._Element | None) -> tuple[dict[str, str], list[str]]:
    """``hosting/vrt_hst``: its property name/value pairs and its ``ip_address`` list."""
    vrt = None if hosting is None else hosting.find("vrt_hst")
    if vrt is None:
        return {}, []
    props = {
        (p.findtext("name") or "").strip(): p.findtext("value") or ""
        for p in vrt.findall("property")
    }
    return props, [ip.text or "" for ip in vrt.findall("ip_address")]


def ftp_login_in(props: dict[str, str]) -> str:
    """The FTP login to keep. ``ftp_password`` is accepted and dropped: never stored."""
    login = props.get("ftp_login", "").strip()
    if login and not _FTP_LOGIN.match(login):
        raise InvalidValue(f"Invalid FTP login: {login!r}")
    return login


# -- selecting ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """One answer of a filter: a domain, or a miss (domain None) for the value asked."""

    filter_id: str
    domain: Domain | None
    asked_id: str | None = None


def select(req: Request, flt: etree._Element | None, *, webspaces: bool) -> list[Match]:
    """The domains a filter names, in request order; empty filter = all visible.
    Each filter item is one indexed read: the time does not grow with the store."""
    domains = req.ctx.panel.domains

    def kept(d: Domain) -> bool:
        return d.is_webspace or not webspaces

    items = [] if flt is None else render.children(flt)
    if not items:
        return [Match(str(d.id), d) for d in domains.list(req.identity) if kept(d)]
    matches: list[Match] = []
    for item in items:
        kind, value = str(item.tag), (item.text or "").strip()
        if kind.startswith("parent-"):
            parent = _one_domain(req, kind.removeprefix("parent-"), value)
            if parent is None or not kept(parent) or not parent.is_webspace:
                matches.append(Match(value, None))
                continue
            sites = domains.in_webspace(req.identity, parent.id)
            matches += [Match(value, d) for d in sites if kept(d)]
            continue
        if kind in ("owner-id", "owner-login"):
            owner = reachable_account(req, kind, value)
            if owner is None:
                matches.append(Match(value, None))
                continue
            matches += [
                Match(value, d) for d in domains.of_owner(req.identity, owner.id) if kept(d)
            ]
            continue
        one = _one_domain(req, kind, value)
        found = one if one is not None and kept(one) else None
        matches.append(Match(value, found, value if kind == "id" else None))
    return matches


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
    if kind.endswith("-id"):
        account = accounts.get(int(value)) if value.strip().isdigit() else None
    elif kind.endswith("-login"):
        account = accounts.by_login(value)
    elif kind.endswith("-guid"):
        account = accounts.by_guid(value)
    else:
        account = accounts.by_external_id(value)
    if account is None or not accounts.can_manage(req.identity, account):
        return None
    return account


# -- answering ---------------------------------------------------------------------


@dataclass
class Answers:
    """Renders domains for one operation; remembers the accounts and webspaces it read."""

    req: Request
    webspace: bool
    _accounts: dict[int, Account | None] = field(default_factory=dict)
    _domains: dict[int, Domain | None] = field(default_factory=dict)

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
            ("htype", _HTYPE_OF.get(d.hosting_type, "none")),
            ("guid", d.guid),
        ]
        if self.webspace:
            owner = self.account(d.owner_id)
            if self.req.identity.type != AccountType.CUSTOMER.value and owner is not None:
                head += [("owner-id", owner.id), ("owner-login", owner.login)]
            vendor = owner
            if owner is not None and owner.type == AccountType.CUSTOMER.value:
                vendor = self.account(owner.owner_id)
            tail += [
                ("vendor-guid", vendor.guid if vendor is not None else None),
                ("description", d.description),
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

    def hosting(self, d: Domain) -> render.Tree:
        """vrt_hst: the properties set (by the plan or the domain), then the address."""
        htype = _HTYPE_OF.get(d.hosting_type, "none")
        if htype != "vrt_hst":
            return [(htype, [("ip_address", d.ip_address)] if htype != "none" else [])]
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

    def block(self, d: Domain, tag: str) -> etree._Element:
        return blocks.render_block(tag, tag, self.settings(d)[tag])

    def data(self, d: Domain, wanted: set[str]) -> render.Tree:
        """The datasets asked for, in Plesk's order: written as text (render.ok_text)."""
        makers: dict[str, Callable[[Domain], render.Tree | etree._Element]] = {
            "gen_info": self.gen_info,
            "hosting": self.hosting,
            "limits": lambda x: self.block(x, "limits"),
            "stat": self.stat,
            "prefs": lambda x: self.block(x, "prefs"),
            "disk_usage": lambda _x: render.element("disk_usage", [(n, 0) for n in _DISK]),
            "performance": lambda x: self.block(x, "performance"),
            "subscriptions": self.subscriptions,
            "permissions": lambda x: self.block(x, "permissions"),
            "plan-items": lambda _x: render.element("plan-items"),
            "php-settings": lambda x: self.block(x, "php-settings"),
            "resource-usage": lambda _x: render.element(
                "resource-usage", [("resource", _resource(n)) for n in _RESOURCES]
            ),
            "mail": lambda x: self.block(x, "mail"),
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
    given = blocks.read_all(parent, {"prefs": "prefs"})
    hosting = parent.find("hosting")
    if hosting is not None:
        props, _ips = properties_in(hosting)
        given["hosting"] = list(props.items())
    return check(given, ("hosting", "prefs"))


def _add_site(req: Request, op: etree._Element) -> Domain:
    """``gen_setup`` (name, the webspace, htype?, status?, description?), ``hosting``?
    (``www_root`` among its properties), ``prefs``?."""
    gen = op.find("gen_setup")
    assert gen is not None  # the schema requires it
    webspace = _webspace_of(req, gen)
    _props, ips = properties_in(op.find("hosting"))
    checked = _site_blocks(op)
    panel = req.ctx.panel
    _check_ip(req, webspace, ip_in(ips))
    return panel.domains.create(
        req.identity,
        name=render.text_of(gen, "name") or "",
        base_domain=webspace,
        hosting_type=hosting_type_in(render.text_of(gen, "htype")),
        status=status_in(render.text_of(gen, "status")),
        ip_address=ip_in(ips) or webspace.ip_address,
        # a site's files belong to its webspace's system user
        ftp_login=webspace.ftp_login,
        description=render.text_of(gen, "description") or "",
        www_root=checked.domain.get("www_root") or None,
        within=panel.subscriptions.writer(checked, actor=req.identity),
    )


add = guarded(_add_site)


def get(req: Request, op: etree._Element) -> list[etree._Element | bytes]:
    return get_domains(req, op, webspace=False)


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    """``values``: ``gen_setup`` (name, htype, status, description), ``hosting``, ``prefs``."""
    panel = req.ctx.panel
    values = op.find("values")
    assert values is not None  # the schema requires it
    results: list[etree._Element] = []
    for m in select(req, op.find("filter"), webspaces=False):
        head: list[render.Field] = [("filter-id", m.filter_id)]
        if m.domain is None:
            results.append(_miss(m, SITE_NOT_FOUND))
            continue
        try:
            checked = _site_blocks(values)
            change: dict[str, object] = {}
            gen = values.find("gen_setup")
            if gen is not None:
                status, htype = render.text_of(gen, "status"), render.text_of(gen, "htype")
                change = {
                    "name": render.text_of(gen, "name"),
                    "status": status_in(status) if status is not None else None,
                    "hosting_type": hosting_type_in(htype) if htype is not None else None,
                    "description": render.text_of(gen, "description"),
                }
            _props, ips = properties_in(values.find("hosting"))
            change["ip_address"] = ip_in(ips) or None
            _check_ip(req, m.domain, ip_in(ips))
            if "www_root" in checked.domain:
                change["www_root"] = checked.domain["www_root"]
            customer = req.identity.type == AccountType.CUSTOMER.value
            if m.domain.is_webspace and customer and change.get("status") is not None:
                raise PermissionDenied()
            panel.domains.update(
                req.identity,
                m.domain,
                change,
                within=panel.subscriptions.writer(checked, actor=req.identity),
            )
        except PanelkeyError as exc:
            results.append(render.error(exc, [*head, ("id", m.domain.id)]))
            continue
        results.append(render.ok([*head, ("id", m.domain.id)]))
    return results or [render.ok()]


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    return del_domains(req, op, webspace=False)


OPERATIONS: Operator = {"add": add, "get": get, "set": set_, "del": del_}
