"""What ``customer``, ``reseller`` and the legacy ``client`` share: an account's
``gen_info`` read from requests, and its contact fields, ``stat`` and domain list in
answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.clock import plesk_date
from panelkey.core.domains import statistics
from panelkey.xmlapi import reach, render
from panelkey.xmlapi.request import Handler, Operator, Request
from panelkey.xmlapi.select import Filter, one
from panelkey.xmlapi.values import BOOLEAN, boolean, flag

# Resellers by Plesk's references, as the reseller operator and the APS lists name them.
RESELLERS: Filter[Account] = Filter(
    reach.RESELLER_NOT_FOUND,
    {k: one(reach.account(k, reach.RESELLER)) for k in ("id", "login", "guid", "external-id")},
    lambda req: reach.accounts_of_type(req, reach.RESELLER),
)

# gen_info child -> core field, in Plesk's order (the legacy client's has the first
# thirteen). Owner children are read apart.
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
    """The core values of a gen_info (customer, client) or gen-info (reseller) block.
    An empty ``guid`` (a set's only) asks for a new GUID; ``power-user`` (a
    reseller's) is an xs:boolean."""
    if gen_info is None:
        return {}
    values: dict[str, Any] = {}
    for tag, field in _FIELDS:
        text = render.text_of(gen_info, tag)
        if text is not None:
            values[field] = text.strip() if field in ("login", "status") else text
    if gen_info.find("guid") is not None:
        values["new_guid"] = True
    power_user = flag(render.text_of(gen_info, "power-user"), "power-user", BOOLEAN)
    if power_user is not None:
        values["power_user"] = power_user
    return values


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


# What every old `stat` counts that panelkey serves none of: 0.
UNSERVED: tuple[render.Field, ...] = (
    ("mail_groups", 0),
    ("mail_resps", 0),
    ("mail_lists", 0),
    ("web_users", 0),
)


def stat(req: Request, a: Account) -> etree._Element:
    """What a customer holds, counted (every protocol version's `stat`); traffic and
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
            *UNSERVED,
            ("data_bases", held.databases),
            ("webapps", 0),
            ("traffic", 0),
            ("traffic_prevday", 0),
        ],
    )


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
                ("main", boolean(d.is_webspace)),
                ("guid", d.guid),
                ("parent-id", None if d.is_webspace else d.base_domain_id),
            ],
        )
        for d in owned
    ]
    return [("domains", render.element("domains", [("domain", i) for i in items]))]


def domain_lister(accounts: Filter[Account]) -> Handler:
    """``get-domain-list`` of the accounts a filter names: per account its `domain_list`."""

    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        return accounts.change(req, op, answer=partial(domain_list, req))

    return handler


def operations(
    accounts: Filter[Account], *, add: Handler, get: Handler, set_: Handler, del_: Handler
) -> Operator:
    """What customer and reseller both serve: their own add, get, set and del, and the
    shared get-domain-list of the accounts `accounts` names."""
    return {
        "add": add,
        "get": get,
        "set": set_,
        "del": del_,
        "get-domain-list": domain_lister(accounts),
    }


# dataset -> what answers it for an account (its element, or its fields)
Datasets = Mapping[str, Callable[[Account], "etree._Element | render.Tree"]]


def data(a: Account, wanted: set[str], datasets: Datasets) -> render.Tree:
    """``data`` with the datasets asked for (`wanted`), in the order of `datasets`."""
    return [("data", [(name, make(a)) for name, make in datasets.items() if name in wanted])]


def get(
    req: Request, op: etree._Element, accounts: Filter[Account], datasets: Datasets
) -> list[etree._Element | bytes]:
    """A ``get`` of the accounts `op`'s filter names: per account its ``data``, written
    as text."""
    wanted = render.dataset(op)
    hits = accounts.select(req, render.child(op, "filter"))
    return accounts.report(hits, lambda a: data(a, wanted, datasets))


def set_gen_info(
    req: Request, op: etree._Element, accounts: Filter[Account], tag: str = "gen_info"
) -> list[etree._Element]:
    """A ``set`` of the accounts `op`'s filter names to ``values/{tag}``: one result each."""
    given = op.find("values")
    values = values_of(None if given is None else given.find(tag))
    return accounts.change(
        req, op, lambda a: req.ctx.panel.accounts.update(req.identity, a, values)
    )
