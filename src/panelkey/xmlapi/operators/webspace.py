"""Operator ``webspace``: ``add``, ``get``, ``del`` over subscriptions.

A webspace is a domain with ``base_domain_id`` 0 (see site.py, which holds what
the two operators share). As in Plesk, only the admin and resellers create
and delete webspaces; a customer gets 1006 (it may still add and delete sites in
its own webspaces). Deleting a webspace deletes its sites and every
zone with them, one result per domain deleted.
"""

from __future__ import annotations

from lxml import etree

from panelkey.core.accounts import Account
from panelkey.core.domains import Domain
from panelkey.core.errors import OwnerNotFound, PermissionDenied
from panelkey.core.identity import AccountType
from panelkey.xmlapi import render
from panelkey.xmlapi.operators.site import (
    del_domains,
    ftp_login_in,
    get_domains,
    guarded,
    hosting_type_in,
    ip_in,
    properties_in,
    reachable_account,
    status_in,
)
from panelkey.xmlapi.request import Operator, Request

_OWNER_TAGS = ("owner-id", "owner-login", "owner-guid", "owner-external-id")


def _owner(req: Request, gen: etree._Element) -> Account | None:
    """The owner named in ``gen_setup``; None when none is named (the caller owns it).
    One the caller may not manage is not found, as if it did not exist."""
    for tag in _OWNER_TAGS:
        ref = render.text_of(gen, tag)
        if ref is None:
            continue
        owner = reachable_account(req, tag, ref.strip())
        if owner is None:
            raise OwnerNotFound(f"Owner {ref.strip()!r} does not exist")
        return owner
    return None


def _add_webspace(req: Request, op: etree._Element) -> Domain:
    """``gen_setup`` (name, owner?, htype?, ip_address*, status?, ...), then ``hosting``?."""
    if req.identity.type == AccountType.CUSTOMER.value:
        raise PermissionDenied()
    gen = op.find("gen_setup")
    assert gen is not None  # the schema requires it
    props, hosting_ips = properties_in(op.find("hosting"))
    return req.ctx.panel.domains.create(
        req.identity,
        name=render.text_of(gen, "name") or "",
        owner=_owner(req, gen),
        hosting_type=hosting_type_in(render.text_of(gen, "htype")),
        status=status_in(render.text_of(gen, "status")),
        ip_address=ip_in([ip.text or "" for ip in gen.findall("ip_address")] + hosting_ips),
        ftp_login=ftp_login_in(props),
        description=render.text_of(gen, "description") or "",
    )


add = guarded(_add_webspace)


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    return get_domains(req, op, webspace=True)


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    if req.identity.type == AccountType.CUSTOMER.value:
        return [render.error(PermissionDenied())]
    return del_domains(req, op, webspace=True)


OPERATIONS: Operator = {"add": add, "get": get, "del": del_}
