"""Operator ``customer``: ``add``, ``get``, ``set``, ``del``, ``get-domain-list``,
``convert-to-reseller``, ``change-owner``.

The admin reaches every customer, a reseller its own customers, a customer only
itself (``get`` and ``set``). A customer the caller may not reach answers 1013, as
if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from panelkey.core.accounts import resellers
from panelkey.core.accounts.accounts import Account
from panelkey.core.clock import plesk_date
from panelkey.core.domains import statistics
from panelkey.core.errors import NotFound, OwnerNotFound, PanelkeyError
from panelkey.core.identity import AccountType
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request

CLIENT_NOT_FOUND = "Client does not exist"

# gen_info child -> core field, in Plesk's order. Owner children are handled apart.
_FIELDS = (
    ("cname", "company"),
    ("pname", "name"),
    ("login", "login"),
    ("passwd", "password"),
    ("status", "status"),
    ("phone", "phone"),
    ("fax", "fax"),
    ("email", "email"),
    ("address", "address"),
    ("city", "city"),
    ("state", "state"),
    ("pcode", "pcode"),
    ("country", "country"),
    ("locale", "locale"),
    ("external-id", "external_id"),
    ("description", "description"),
)


def values_of(gen_info: etree._Element | None) -> dict[str, Any]:
    """The core values of a gen_info (customer) or gen-info (reseller) block. An
    empty ``guid`` (a set's only) asks for a new GUID; ``power-user`` (a reseller's)
    is an xs:boolean."""
    if gen_info is None:
        return {}
    values: dict[str, Any] = {}
    for tag, field in _FIELDS:
        text = render.text_of(gen_info, tag)
        if text is not None:
            values[field] = text.strip() if field in ("login", "status") else text
    if gen_info.find("guid") is not None:
        values["new_guid"] = True
    power_user = render.text_of(gen_info, "power-user")
    if power_user is not None:
        values["power_user"] = power_user.strip() in ("true", "1")
    return values


# -- selecting ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """One answer of a filter: a customer, or a miss (account None) for the value asked."""

    filter_id: str
    account: Account | None
    asked_id: str | None = None


def _reachable(
    req: Request, account: Account | None, kind: str = AccountType.CUSTOMER.value
) -> Account | None:
    if account is None or account.type != kind:
        return None
    return account if req.ctx.panel.accounts.can_manage(req.identity, account) else None


def _customers(req: Request, kind: str = AccountType.CUSTOMER.value) -> list[Account]:
    accounts = req.ctx.panel.accounts
    return [a for a in accounts.list() if _reachable(req, a, kind) is not None]


def _one(req: Request, kind: str, value: str) -> Account | None:
    accounts = req.ctx.panel.accounts
    if kind == "id":
        return accounts.get(int(value)) if value.isdigit() else None
    if kind == "login":
        return accounts.by_login(value)
    if kind == "guid":
        return accounts.by_guid(value)
    return accounts.by_external_id(value)


def select(
    req: Request, flt: etree._Element | None, kind: str = AccountType.CUSTOMER.value
) -> list[Match]:
    """The accounts of one type (customers unless told) a filter names, in request
    order; an empty filter, or ``all``, names every reachable one."""
    items = [] if flt is None else render.children(flt)
    if not items or items[0].tag == "all":
        return [Match(str(a.id), a) for a in _customers(req, kind)]
    accounts = req.ctx.panel.accounts
    matches: list[Match] = []
    for item in items:
        value = (item.text or "").strip()
        if item.tag in ("owner-id", "owner-login"):
            if item.tag == "owner-id":
                owner = accounts.get(int(value)) if value.isdigit() else None
            else:
                owner = accounts.by_login(value)
            if owner is None or not accounts.can_manage(req.identity, owner):
                matches.append(Match(value, None))
                continue
            matches += [Match(value, a) for a in _customers(req) if a.owner_id == owner.id]
            continue
        found = _reachable(req, _one(req, str(item.tag), value), kind)
        matches.append(Match(value, found, value if item.tag == "id" else None))
    return matches


def each(
    req: Request,
    op: etree._Element,
    act: Any,
    fields: Any = None,
    *,
    kind: str = AccountType.CUSTOMER.value,
    missing: str = CLIENT_NOT_FOUND,
) -> list[etree._Element]:
    """Run ``act(account)`` for every match; one result per account."""
    results: list[etree._Element] = []
    for m in select(req, op.find("filter"), kind):
        if m.account is None:
            results.append(
                render.error(NotFound(missing), [("filter-id", m.filter_id), ("id", m.asked_id)])
            )
            continue
        head: list[render.Field] = [("filter-id", m.filter_id), ("id", m.account.id)]
        try:
            account = act(m.account)
        except PanelkeyError as exc:
            results.append(render.error(exc, head))
            continue
        results.append(render.ok(head + (fields(account) if fields else [])))
    return results or [render.ok()]


# -- operations --------------------------------------------------------------------


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    gen_info = op.find("gen_info")
    values = values_of(gen_info)
    accounts = req.ctx.panel.accounts
    owner: Account | None = None
    try:
        if gen_info is not None:
            for tag in ("owner-id", "owner-login", "owner-external-id"):
                ref = render.text_of(gen_info, tag)
                if ref is None:
                    continue
                ref = ref.strip()
                if tag == "owner-id":
                    owner = accounts.get(int(ref)) if ref.isdigit() else None
                elif tag == "owner-login":
                    owner = accounts.by_login(ref)
                else:
                    owner = accounts.by_external_id(ref)
                if owner is None:
                    raise OwnerNotFound(f"Owner {ref!r} does not exist")
        login = values.pop("login", "")
        password = values.pop("password", "")
        account = accounts.create(
            req.identity,
            type=AccountType.CUSTOMER.value,
            login=login,
            password=password,
            owner=owner,
            **values,
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", account.id), ("guid", account.guid)])]


def contact_fields(a: Account, created: str = "cr_date") -> list[render.Field]:
    """An account's contact details as every gen_info has them (customer, legacy
    `client`; a reseller's gen-info names its date `cr-date`)."""
    return [
        (created, plesk_date(a.created)),
        ("cname", a.company),
        ("pname", a.name),
        ("login", a.login),
        ("status", a.status),
        ("phone", a.phone),
        ("fax", a.fax),
        ("email", a.email),
        ("address", a.address),
        ("city", a.city),
        ("state", a.state),
        ("pcode", a.pcode),
        ("country", a.country),
        ("locale", a.locale),
        ("guid", a.guid),
    ]


def _gen_info(a: Account) -> etree._Element:
    return render.element(
        "gen_info",
        [
            *contact_fields(a),
            ("owner-id", a.owner_id),
            ("owner-login", a.owner_login),
            ("external-id", a.external_id),
            ("description", a.description),
        ],
    )


def stat(req: Request, a: Account) -> etree._Element:
    """What the customer holds, counted (every protocol version's `stat`); traffic and
    disk use are 0 as nothing is served."""
    domains = req.ctx.panel.domains.of_owner(req.identity, a.id)
    held = statistics.contents(req.ctx.panel.db, (d.id for d in domains))
    return render.element(
        "stat",
        [
            ("active_domains", sum(1 for d in domains if d.is_webspace and d.status == "active")),
            ("subdomains", held.subdomains),
            ("disk_space", 0),
            # the rest of Plesk's clientStatType, every element of it required
            ("postboxs", held.mailboxes),
            ("redirects", held.redirects),
            ("mail_groups", 0),
            ("mail_resps", 0),
            ("mail_lists", 0),
            ("web_users", 0),
            ("data_bases", held.databases),
            ("webapps", 0),
            ("traffic", 0),
            ("traffic_prevday", 0),
        ],
    )


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    dataset = op.find("dataset")
    wanted = set() if dataset is None else {str(c.tag) for c in render.children(dataset)}

    def data(a: Account) -> list[render.Field]:
        parts: list[render.Field] = []
        if "gen_info" in wanted:
            parts.append(("gen_info", _gen_info(a)))
        if "stat" in wanted:
            parts.append(("stat", stat(req, a)))
        return [("data", render.element("data", parts))]

    return each(req, op, lambda a: a, data)


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    values_el = op.find("values")
    values = values_of(None if values_el is None else values_el.find("gen_info"))
    accounts = req.ctx.panel.accounts
    return each(req, op, lambda a: accounts.update(req.identity, a, values))


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    accounts = req.ctx.panel.accounts
    return each(req, op, lambda a: accounts.delete(req.identity, a))


def domain_list(req: Request, a: Account) -> list[render.Field]:
    """``domains`` of an account: its webspaces and the sites in them."""
    owned = req.ctx.panel.domains.of_owner(req.identity, a.id)
    items = [
        render.element(
            "domain",
            [
                ("id", d.id),
                ("name", d.name),
                ("ascii-name", d.ascii_name),
                ("type", "webspace" if d.is_webspace else "site"),
                ("main", "true" if d.is_webspace else "false"),
                ("guid", d.guid),
                ("parent-id", None if d.is_webspace else d.base_domain_id),
            ],
        )
        for d in owned
    ]
    return [("domains", render.element("domains", [("domain", i) for i in items]))]


def get_domain_list(req: Request, op: etree._Element) -> list[etree._Element]:
    return each(req, op, lambda a: a, lambda a: domain_list(req, a))


def convert_to_reseller(req: Request, op: etree._Element) -> list[etree._Element]:
    """With ``reseller-plan-name`` the new reseller goes onto that reseller plan (the
    admin's); an unknown plan is 1013 and nothing is converted."""
    panel = req.ctx.panel
    plan_name = render.text_of(op, "reseller-plan-name")
    return each(req, op, lambda a: resellers.to_reseller(panel, req.identity, a, plan_name))


def change_owner(req: Request, op: etree._Element) -> list[etree._Element]:
    accounts = req.ctx.panel.accounts
    ref = op.findtext("new-owner-login")
    if ref is not None:
        owner = accounts.by_login(ref.strip())
    else:
        raw = (op.findtext("new-owner-id") or "").strip()
        owner = accounts.get(int(raw)) if raw.isdigit() else None
    if owner is None or owner.type == AccountType.CUSTOMER.value:
        return [render.error(OwnerNotFound("Owner does not exist"))]
    addresses = [
        (e.text or "").strip() for e in op if e.tag in ("ipV4-address", "ipV6-address") and e.text
    ]
    panel = req.ctx.panel
    plan_name = render.text_of(op, "plan-name")
    try:
        # the new owner's service plan, looked up before anything moves
        plan = resellers.owner_plan(panel, owner, plan_name) if plan_name is not None else None
    except PanelkeyError as exc:
        return [render.error(exc)]
    return each(
        req,
        op,
        lambda a: resellers.change_owner(
            panel, req.identity, a, owner, addresses=addresses, plan=plan
        ),
    )


OPERATIONS: Operator = {
    "add": add,
    "get": get,
    "set": set_,
    "del": del_,
    "get-domain-list": get_domain_list,
    "convert-to-reseller": convert_to_reseller,
    "change-owner": change_owner,
}
