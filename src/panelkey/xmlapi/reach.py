"""What the caller reaches, by the references Plesk names objects with.

Domains (sites and webspaces) by ``id``, ``name`` or ``guid``; accounts by ``id``,
``login``, ``guid`` or ``external-id``. The finders here serve the operators' filter
tables (select.py) and the references beside a filter (the ``site-id`` where mail
names live, the ``webspace-name`` of a new FTP user). A domain or account the caller
may not see is None, so that it answers 1013 as if it did not exist.
"""

from __future__ import annotations

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import OwnerNotFound
from panelkey.core.identity import AccountType
from panelkey.xmlapi import render, values
from panelkey.xmlapi.request import Request
from panelkey.xmlapi.select import Find, required

SITE_NOT_FOUND = "Site does not exist"
WEBSPACE_NOT_FOUND = "Webspace does not exist"
CLIENT_NOT_FOUND = "Client does not exist"
RESELLER_NOT_FOUND = "Reseller does not exist"

CUSTOMER = AccountType.CUSTOMER.value
RESELLER = AccountType.RESELLER.value
_DOMAIN_REFS = ("id", "name", "guid")


# -- domains ---------------------------------------------------------------------------


def domain(kind: str) -> Find[Domain]:
    """A domain the caller sees (a site; a webspace is a site too) by `kind`: ``id``
    (as the schema's ``Id`` spells it), ``name`` (either form of an IDN) or ``guid``."""
    return _domain(kind, None)


def webspace(kind: str) -> Find[Domain]:
    """As `domain`, for a webspace only."""
    return _domain(kind, True)


def _domain(kind: str, is_webspace: bool | None) -> Find[Domain]:
    def find(req: Request, value: str) -> Domain | None:
        ref = _ref(kind, value)
        return (
            None
            if ref is None
            else req.ctx.panel.domains.find(req.identity, ref, webspace=is_webspace)
        )

    return find


def _ref(kind: str, value: str) -> tuple[str, str | int] | None:
    """The core's reference (core/refs.py) of `kind` and `value`, an id read as the
    schema's ``Id`` (a leading ``+`` too); None for an id it would not spell."""
    if kind != "id":
        return kind, value
    found = values.id_of(value)
    return None if found is None else (kind, found)


def named(parent: etree._Element, prefix: str, kinds: tuple[str, ...] = _DOMAIN_REFS) -> str | None:
    """Which of `parent`'s references ``{prefix}id``, ``{prefix}name``... is given (the
    first in document order), as its kind; None when none is."""
    tags = {f"{prefix}{kind}": kind for kind in kinds}
    return next((tags[str(c.tag)] for c in render.children(parent) if c.tag in tags), None)


def domain_of(
    req: Request,
    parent: etree._Element,
    prefix: str = "site-",
    *,
    kinds: tuple[str, ...] = _DOMAIN_REFS,
    is_webspace: bool = False,
) -> Domain:
    """The domain `parent` names by ``{prefix}id``, ``{prefix}name``... (see `named`).
    Raises NotFound (``Site does not exist``, or ``Webspace does not exist`` with
    `is_webspace`) when none is named or it is out of reach."""
    kind = named(parent, prefix, kinds)
    found = None
    if kind is not None:
        ref = render.text_of(parent, f"{prefix}{kind}") or ""
        found = (webspace if is_webspace else domain)(kind)(req, ref.strip())
    return required(found, WEBSPACE_NOT_FOUND if is_webspace else SITE_NOT_FOUND)


# -- accounts --------------------------------------------------------------------------


def any_account(req: Request, kind: str, value: str) -> Account | None:
    """An account by `kind` (``id``, ``login``, ``guid``, ``external-id``), whoever may
    manage it: for an owner the core checks itself, answering PermissionDenied (1006)
    where the finders would answer it as missing (1015)."""
    accounts = req.ctx.panel.accounts
    if kind == "id":
        found = values.id_of(value)
        return None if found is None else accounts.get(found)
    if kind == "login":
        return accounts.by_login(value)
    if kind == "guid":
        return accounts.by_guid(value)
    if kind == "external-id":
        return accounts.by_external_id(value)
    return None


def account(kind: str, of_type: str | None = None) -> Find[Account]:
    """An account the caller may manage, by `kind` (see `any_account`), of `of_type`
    when given."""

    def find(req: Request, value: str) -> Account | None:
        ref = _ref(kind, value)
        return None if ref is None else req.ctx.panel.accounts.find(req.identity, ref, type=of_type)

    return find


def owner_of(
    req: Request,
    parent: etree._Element | None,
    kinds: tuple[str, ...] = ("id", "login", "guid", "external-id"),
    *,
    managed: bool = True,
) -> Account | None:
    """The owner `parent` names by ``owner-{kind}`` (``owner-id``, ``owner-login``...);
    None when it names none. Raises OwnerNotFound (1015) for one that does not exist or,
    with `managed`, that the caller may not manage (without, the core decides)."""
    kind = None if parent is None else named(parent, "owner-", kinds)
    if parent is None or kind is None:
        return None
    ref = (render.text_of(parent, f"owner-{kind}") or "").strip()
    found = account(kind)(req, ref) if managed else any_account(req, kind, ref)
    if found is None:
        raise OwnerNotFound(f"Owner {ref!r} does not exist")
    return found


def accounts_of_type(req: Request, of_type: str, owner_id: int | None = None) -> list[Account]:
    """Every account of `of_type` the caller may manage (of owner `owner_id` when
    given), oldest first."""
    return req.ctx.panel.accounts.reachable(req.identity, type=of_type, owner_id=owner_id)
