"""Reading what ``webspace`` and ``site`` requests say of a domain: its hosting form
(``vrt_hst``, ``std_fwd``, ``frm_fwd``, ``none``), its properties and addresses, its FTP
login. Statuses, htypes and addresses as values are values.py's.

A forwarding domain keeps its target (``dest_url``, ``http-code``) among the domain's
properties (core/domains/domains.py ``PROPERTY_KIND``): panelkey forwards nothing, it answers
the target back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import InvalidValue, PermissionDenied
from panelkey.core.identity import AccountType
from panelkey.xmlapi import blocks, render
from panelkey.xmlapi.request import Request
from panelkey.xmlapi.values import HTYPES, status_in

# The properties a forwarding domain keeps (answered in its hosting).
FORWARD_PROPS = ("dest_url", "http-code")


def _form(hosting: etree._Element | None) -> etree._Element | None:
    if hosting is None:
        return None
    found = render.children(hosting)
    return found[0] if found else None


def properties_in(hosting: etree._Element | None) -> tuple[dict[str, str], list[str]]:
    """``hosting/vrt_hst``: its property name/value pairs; and the ``ip_address`` list
    of whichever form is given."""
    form = _form(hosting)
    if form is None:
        return {}, []
    ips = [ip.text or "" for ip in form.findall("ip_address")]
    if form.tag != "vrt_hst":
        return {}, ips
    return dict(blocks.pairs(form)), ips


@dataclass(frozen=True, slots=True)
class HostingForm:
    """The hosting a request asks for: the model's type (None: not said) and the
    forwarding target to keep."""

    hosting_type: str | None = None
    props: dict[str, str] = field(default_factory=dict)


def hosting_form(hosting: etree._Element | None, htype: str | None) -> HostingForm:
    """The form of ``hosting``, checked against ``gen_setup/htype`` when both are
    given; an empty ``hosting`` (Plesk's forms are all optional) says nothing, so the
    htype or the operation's default applies. Raises InvalidValue (1019)."""
    form = _form(hosting)
    said = None if htype is None else HTYPES[htype.strip()]
    if form is None:
        return HostingForm(said)
    kind = HTYPES[str(form.tag)]
    if said is not None and said != kind:
        raise InvalidValue(f"The hosting given is not of the htype {htype!r}")
    props: dict[str, str] = {}
    if kind in ("standard_forwarding", "frame_forwarding"):
        url = (form.findtext("dest_url") or "").strip()
        if not url or len(url) > 1024 or any(c.isspace() for c in url):
            raise InvalidValue(f"Invalid destination URL: {url!r}")
        props = {"dest_url": url, "http-code": (form.findtext("http-code") or "").strip()}
    return HostingForm(kind, props)


def ftp_login_in(props: dict[str, str]) -> str:
    """The FTP login to keep (the core checks its rule, core/domains/logins.py).
    ``ftp_password`` is accepted and dropped: never stored."""
    return props.get("ftp_login", "").strip()


def check_ip(req: Request, d: Domain, address: str) -> None:
    """An address given for `d` must be in the pool its owner hosts on; none given ('')
    keeps what it has. Raises the core's error."""
    owner = req.ctx.panel.accounts.get(d.owner_id) if address else None
    if owner is not None:
        req.ctx.panel.subscriptions.check_ip(owner, address)


def new_subscription(
    req: Request, op: etree._Element, owner_in: Callable[[Request, etree._Element], Account | None]
) -> tuple[etree._Element, Account | None, Account]:
    """An ``add``'s ``gen_setup``, the owner it names (`owner_in` reads it; None: the
    caller) and the vendor whose plans and addresses the subscription takes (the owner,
    else the caller). Raises PermissionDenied: a customer adds no subscriptions."""
    if req.identity.type == AccountType.CUSTOMER.value:
        raise PermissionDenied()
    gen = op.find("gen_setup")
    assert gen is not None  # the schema requires it
    owner = owner_in(req, gen)
    vendor = owner or req.ctx.panel.accounts.get(req.identity.account_id)
    assert vendor is not None
    return gen, owner, vendor


def setup_in(gen: etree._Element, www_root: str | None) -> dict[str, Any]:
    """What ``gen_setup`` says of any new domain, webspace or site: its name, status
    (InvalidValue for an unknown one) and description; with the ``www_root`` its
    settings give (None: the default)."""
    return {
        "name": render.text_of(gen, "name") or "",
        "status": status_in(render.text_of(gen, "status")),
        "description": render.text_of(gen, "description") or "",
        "www_root": www_root or None,
    }
